//! The Vietnamese text layer: tokens over the original bytes, each carrying
//! normalised keys for matching (NFC, one tone-mark placement, case folding,
//! diacritic folding). Every range still points at the original text, so NFD,
//! CRLF or non-breaking spaces in the input never shift a diagnostic.

pub mod abbrev;
pub mod tone;

use std::borrow::Cow;
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
    pub norm: Cow<'a, str>,
    /// `norm` without any diacritic, `đ` folded to `d`: the key for fuzzy matching.
    pub fold: Cow<'a, str>,
}

impl Token<'_> {
    pub fn is_word(&self) -> bool {
        self.kind == TokKind::Word
    }
    /// First letter upper case (`Phong`, `UBND`, `Ủy`).
    pub fn is_capitalized(&self) -> bool {
        self.cased.chars().next().is_some_and(char::is_uppercase)
    }
    /// Every letter upper case and more than one letter (`UBND`, `HĐND`).
    pub fn is_all_caps(&self) -> bool {
        let mut letters = self.cased.chars().filter(|c| c.is_alphabetic());
        let first = letters.next();
        first.is_some_and(char::is_uppercase)
            && letters.clone().next().is_some()
            && letters.all(char::is_uppercase)
    }
    /// Shaped like a name syllable: `Phong`, `Mỷ` (capital then lower-case letters).
    pub fn is_name_like(&self) -> bool {
        let mut chars = self.cased.chars();
        chars.next().is_some_and(char::is_uppercase)
            && chars.clone().next().is_some()
            && chars.all(char::is_lowercase)
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
    canonical_cased(word).to_lowercase()
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
        .map(|t| t.norm.into_owned())
        .collect()
}

/// A phrase in canonical lower-case form with single spaces.
pub fn canonical_phrase(text: &str) -> String {
    canonical_words(text).join(" ")
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn is_space(c: char) -> bool {
    c != '\n' && c != '\r' && (c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}')
}

/// The three keys of a word, borrowing it wherever it already is the key.
fn keys(word: &str) -> (Cow<'_, str>, Cow<'_, str>, Cow<'_, str>) {
    let cased = tone::to_style_cow(word, ToneStyle::Modern);
    let norm = if cased.chars().any(char::is_uppercase) {
        Cow::Owned(cased.to_lowercase())
    } else {
        cased.clone()
    };
    let folded = if norm.is_ascii() {
        norm.clone()
    } else {
        Cow::Owned(fold(&norm))
    };
    (cased, norm, folded)
}

/// Splits text into tokens. Dots inside an abbreviation stay in the word
/// (`T.Ư`, `TP.`) so that the abbreviation table can see them.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut iter = text.char_indices().peekable();
    while let Some((start, c)) = iter.next() {
        let (kind, end) = if is_word_char(c) {
            let mut end = start + c.len_utf8();
            while let Some(&(i, n)) = iter.peek() {
                if is_word_char(n) {
                    end = i + n.len_utf8();
                    iter.next();
                } else if n == '.' && abbrev::keeps_dot(&text[start..end], &text[i + 1..]) {
                    end = i + 1;
                    iter.next();
                } else {
                    break;
                }
            }
            (TokKind::Word, end)
        } else if c == '\r' || c == '\n' {
            let mut end = start + 1;
            if c == '\r' {
                if let Some(&(i, '\n')) = iter.peek() {
                    end = i + 1;
                    iter.next();
                }
            }
            (TokKind::Newline, end)
        } else if is_space(c) {
            let mut end = start + c.len_utf8();
            while let Some(&(i, n)) = iter.peek() {
                if !is_space(n) {
                    break;
                }
                end = i + n.len_utf8();
                iter.next();
            }
            (TokKind::Space, end)
        } else {
            (TokKind::Punct(c), start + c.len_utf8())
        };
        let (cased, norm, fold_key) = if kind == TokKind::Word {
            keys(&text[start..end])
        } else {
            Default::default()
        };
        tokens.push(Token {
            kind,
            start,
            end,
            cased,
            norm,
            fold: fold_key,
        });
    }
    tokens
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

    #[test]
    fn shapes() {
        let t = &tokenize("UBND")[0];
        assert!(t.is_all_caps() && !t.is_name_like());
        let t = &tokenize("Mỷ")[0];
        assert!(t.is_name_like() && t.is_capitalized());
    }
}
