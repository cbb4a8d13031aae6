//! The Vietnamese text layer: tokens over the original bytes, each carrying
//! normalised keys for matching (NFC, one tone-mark placement, case folding,
//! diacritic folding). Every range still points at the original text, so NFD,
//! CRLF or non-breaking spaces in the input never shift a diagnostic.

pub mod abbrev;
pub mod tone;

use compact_str::CompactString;
use std::borrow::Cow;
use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;

pub use tone::ToneStyle;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters, digits and combining marks (an abbreviation may keep its dots: `T.Ư`, `TP.`).
    Word,
    /// Horizontal white space, including non-breaking spaces.
    Space,
    /// A line break (`\n`, `\r\n` or `\r`).
    Newline,
    /// Any other single character.
    Punct(char),
}

/// One token of a document, with its byte range in the original text. The
/// keys borrow the text when it is already in their form (most words).
#[derive(Debug, Clone)]
pub struct Token<'a> {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
    /// NFC, modern tone placement, case kept (empty for non-words).
    pub cased: Cow<'a, str>,
    /// `cased` in lower case: the key for exact matching.
    pub norm: CompactString,
    /// `norm` without any diacritic, `đ` folded to `d`: the key for fuzzy matching.
    pub fold: CompactString,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }
    /// First letter upper case (`Phong`, `UBND`, `Ủy`).
    pub fn is_capitalized(&self) -> bool {
        self.cased.chars().next().is_some_and(is_upper)
    }
    /// Every letter upper case and more than one letter (`UBND`, `HĐND`).
    pub fn is_all_caps(&self) -> bool {
        let mut letters = self.cased.chars().filter(|&c| is_letter(c));
        let first = letters.next();
        first.is_some_and(is_upper) && letters.clone().next().is_some() && letters.all(is_upper)
    }
    /// Shaped like a name syllable: `Phong`, `Mỷ` (capital then lower-case letters).
    pub fn is_name_like(&self) -> bool {
        let mut chars = self.cased.chars();
        chars.next().is_some_and(is_upper) && chars.clone().next().is_some() && chars.all(is_lower)
    }
    pub fn has_diacritics(&self) -> bool {
        self.norm != self.fold
    }
}

/// Canonical comparison form of a word, case kept: NFC with modern tone placement.
pub fn canonical_cased(word: &str) -> String {
    tone::to_style(word, ToneStyle::Modern)
}

/// Canonical comparison form of a word, lower case.
pub fn canonical(word: &str) -> String {
    lower_nfc(&canonical_cased(word)).into_owned()
}

/// Lower case, composed again where lower case composes and upper case
/// does not (`W` + ring above has no precomposed form, `ẘ` has); title-case
/// letters (`ǅ`) are lowered too.
fn lower_nfc(cased: &str) -> Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    let lower = cased.to_lowercase();
    if lower == cased {
        return Cow::Borrowed(cased);
    }
    match is_nfc_quick(lower.chars()) {
        IsNormalized::Yes => Cow::Owned(lower),
        _ => Cow::Owned(lower.nfc().collect()),
    }
}

/// Lower case without diacritics; `đ` becomes `d`.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == 'đ' || c == 'Đ' {
            out.push('d');
        } else if !is_combining_mark(c) {
            // The base letter of the canonical decomposition.
            let mut base = None;
            unicode_normalization::char::decompose_canonical(c, |d| {
                if base.is_none() {
                    base = Some(d);
                }
            });
            out.extend(base.unwrap_or(c).to_lowercase());
        }
    }
    out
}

/// Words of a phrase in canonical lower-case form, white space of any kind collapsed.
pub fn canonical_words(text: &str) -> Vec<String> {
    tokenize(text)
        .into_iter()
        .filter(Token::is_word)
        .map(|t| t.norm.into())
        .collect()
}

/// A phrase in canonical lower-case form with single spaces.
pub fn canonical_phrase(text: &str) -> String {
    canonical_words(text).join(" ")
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    letter(c).is_some() || c.is_alphanumeric() || is_combining_mark(c)
}

fn is_space(c: char) -> bool {
    c != '\n' && c != '\r' && (c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}')
}

/// What the keys need to know of a precomposed Latin letter.
#[derive(Clone, Copy)]
struct Letter {
    lower: char,
    /// The folded ASCII letter (`ặ` → `a`, `Đ` → `d`).
    base: u8,
    is_upper: bool,
    is_lower: bool,
}

/// `char::is_alphabetic`, quick for the letters Vietnamese uses.
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        letter(c).is_some() || c.is_alphabetic()
    }
}

/// `char::is_uppercase`, quick for the letters Vietnamese uses.
pub fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        letter(c).map_or_else(|| c.is_uppercase(), |l| l.is_upper)
    }
}

/// `char::is_lowercase`, quick for the letters Vietnamese uses.
pub fn is_lower(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_lowercase()
    } else {
        letter(c).map_or_else(|| c.is_lowercase(), |l| l.is_lower)
    }
}

/// Precomposed letters of Latin-1, Latin Extended-A/B and Latin Extended
/// Additional (every Vietnamese letter), prepared once: looking them up
/// replaces Unicode tables and decomposition for almost every word.
const LETTER_RANGES: [(u32, u32); 2] = [(0xC0, 0x24F), (0x1E00, 0x1EFF)];

fn letter(c: char) -> Option<Letter> {
    static TABLE: OnceLock<Vec<Option<Letter>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        LETTER_RANGES
            .iter()
            .flat_map(|&(lo, hi)| lo..=hi)
            .map(|u| {
                let c = char::from_u32(u)?;
                let mut lower = c.to_lowercase();
                let (l, None) = (lower.next()?, lower.next()) else {
                    return None;
                };
                let base = fold(l.encode_utf8(&mut [0; 4]));
                let base = match base.as_bytes() {
                    [b] if b.is_ascii_alphabetic() => *b,
                    _ => return None,
                };
                (c.is_alphabetic() && !is_combining_mark(c)).then_some(Letter {
                    lower: l,
                    base,
                    is_upper: c.is_uppercase(),
                    is_lower: c.is_lowercase(),
                })
            })
            .collect()
    });
    let u = c as u32;
    let mut offset = 0;
    for (lo, hi) in LETTER_RANGES {
        if (lo..=hi).contains(&u) {
            return table[offset + (u - lo) as usize];
        }
        offset += (hi - lo + 1) as usize;
    }
    None
}

/// The three keys of a word made of ASCII letters, digits and precomposed
/// letters with no movable tone mark: the word itself is then NFC in the
/// modern placement, and each key is a per-character mapping. `None` sends
/// the word to [`slow_keys`].
fn fast_keys(word: &str) -> Option<(Cow<'_, str>, CompactString, CompactString)> {
    // The folded key is one ASCII byte per character.
    let mut buf = [0u8; 48];
    let mut len = 0;
    let (mut upper, mut ascii) = (false, true);
    for c in word.chars() {
        let slot = buf.get_mut(len)?;
        if c.is_ascii() {
            if !c.is_ascii_alphanumeric() {
                return None;
            }
            upper |= c.is_ascii_uppercase();
            *slot = c.to_ascii_lowercase() as u8;
        } else {
            let l = letter(c)?;
            ascii = false;
            upper |= l.is_upper;
            *slot = l.base;
        }
        len += 1;
    }
    let f = &buf[..len];
    if !ascii
        && f.len() >= 2
        && matches!(
            (f[f.len() - 2], f[f.len() - 1]),
            (b'o', b'a') | (b'o', b'e') | (b'u', b'y')
        )
    {
        return None;
    }
    let norm = if !upper {
        CompactString::from(word)
    } else {
        word.chars()
            .map(|c| match letter(c) {
                Some(l) => l.lower,
                None => c.to_ascii_lowercase(),
            })
            .collect()
    };
    let folded = CompactString::from_utf8(f).ok()?;
    Some((Cow::Borrowed(word), norm, folded))
}

/// The three keys of any word: NFC, tone placement, Unicode case mapping.
fn slow_keys(word: &str) -> (Cow<'_, str>, CompactString, CompactString) {
    let cased = tone::to_style_cow(word, ToneStyle::Modern);
    let norm = CompactString::from(lower_nfc(&cased));
    let folded = if norm.is_ascii() {
        norm.clone()
    } else {
        CompactString::from(fold(&norm))
    };
    (cased, norm, folded)
}

/// The three keys of a word, borrowing it wherever it already is the key.
fn keys(word: &str) -> (Cow<'_, str>, CompactString, CompactString) {
    fast_keys(word).unwrap_or_else(|| slow_keys(word))
}

/// The character at byte `at` (a char boundary), quickly for ASCII.
fn char_at(text: &str, at: usize) -> Option<char> {
    let b = *text.as_bytes().get(at)?;
    if b.is_ascii() {
        Some(b as char)
    } else {
        text[at..].chars().next()
    }
}

/// Splits text into tokens. Dots inside an abbreviation stay in the word
/// (`T.Ư`, `TP.`) so that the abbreviation table can see them.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    // About one word and one space per six bytes of Vietnamese prose.
    let mut tokens = Vec::with_capacity(text.len() / 3 + 1);
    tokenize_into(text, 0, &mut tokens);
    tokens
}

/// Appends the tokens of `text` to `tokens`, their ranges shifted by
/// `offset` (where `text` starts in the document).
pub fn tokenize_into<'a>(text: &'a str, offset: usize, tokens: &mut Vec<Token<'a>>) {
    let mut at = 0;
    while let Some(c) = char_at(text, at) {
        let start = at;
        at += c.len_utf8();
        let kind = if is_word_char(c) {
            while let Some(n) = char_at(text, at) {
                if is_word_char(n) {
                    at += n.len_utf8();
                } else if n == '.' && abbrev::keeps_dot(&text[start..at], &text[at + 1..]) {
                    at += 1;
                } else {
                    break;
                }
            }
            TokKind::Word
        } else if c == '\r' || c == '\n' {
            if c == '\r' && char_at(text, at) == Some('\n') {
                at += 1;
            }
            TokKind::Newline
        } else if is_space(c) {
            while let Some(n) = char_at(text, at).filter(|&n| is_space(n)) {
                at += n.len_utf8();
            }
            TokKind::Space
        } else {
            TokKind::Punct(c)
        };
        let end = at;
        let (cased, norm, fold_key) = if kind == TokKind::Word {
            keys(&text[start..end])
        } else {
            (
                Cow::Borrowed(""),
                CompactString::default(),
                CompactString::default(),
            )
        };
        tokens.push(Token {
            kind,
            start: start + offset,
            end: end + offset,
            cased,
            norm,
            fold: fold_key,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn nfd_and_nfc_give_the_same_keys() {
        let nfc = "Đặng Xuân Phong";
        let nfd: String = nfc.nfd().collect();
        let a: Vec<_> = tokenize(nfc).into_iter().map(|t| t.cased).collect();
        let b: Vec<_> = tokenize(&nfd).into_iter().map(|t| t.cased).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn ranges_point_at_original_bytes() {
        let text = "Ông\u{a0}Lê\r\nBà";
        let toks = tokenize(text);
        let words: Vec<_> = toks
            .iter()
            .filter(|t| t.is_word())
            .map(|t| &text[t.start..t.end])
            .collect();
        assert_eq!(words, ["Ông", "Lê", "Bà"]);
        assert!(toks
            .iter()
            .any(|t| t.kind == TokKind::Newline && t.end - t.start == 2));
    }

    #[test]
    fn fold_drops_diacritics_and_d_stroke() {
        assert_eq!(fold("Đặng Xuân Phong"), "dang xuan phong");
        assert_eq!(fold("Tỉnh uỷ"), "tinh uy");
    }

    #[test]
    fn abbreviation_dots_stay_in_the_word() {
        let words: Vec<_> = tokenize("TW, T.Ư và TP. Hà Nội.")
            .into_iter()
            .filter(Token::is_word)
            .map(|t| t.cased)
            .collect();
        assert_eq!(words, ["TW", "T.Ư", "và", "TP.", "Hà", "Nội"]);
    }

    /// The quick per-letter keys agree with the Unicode path for every
    /// letter of the table, alone and in Vietnamese-shaped syllables.
    #[test]
    fn fast_keys_agree_with_slow_keys() {
        let letters: Vec<char> = LETTER_RANGES
            .iter()
            .flat_map(|&(lo, hi)| lo..=hi)
            .filter_map(char::from_u32)
            .collect();
        let mut checked = 0;
        for &c in &letters {
            for word in [
                format!("{c}"),
                format!("Th{c}"),
                format!("{c}y"),
                format!("o{c}"),
                format!("u{c}"),
                format!("Ng{c}n"),
                format!("QU{c}"),
            ] {
                if let Some(fast) = fast_keys(&word) {
                    assert_eq!(fast, slow_keys(&word), "{word}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 2000, "only {checked} words took the quick path");
    }

    #[test]
    fn shapes() {
        let t = &tokenize("UBND")[0];
        assert!(t.is_all_caps() && !t.is_name_like());
        let t = &tokenize("Mỷ")[0];
        assert!(t.is_name_like() && t.is_capitalized());
    }
}
