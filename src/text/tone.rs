//! Tone-mark placement. Vietnamese writes the tone of the open syllables
//! `oa`, `oe`, `uy` on either vowel: `hòa`/`hoà`, `thủy`/`thuỷ`. SPEC calls
//! the first placement "modern" and the second "traditional". After `q` the
//! `u` belongs to the consonant (`quý`), so nothing moves there; a syllable
//! with a final consonant (`hoàn`, `thuyết`) has one placement only.

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

/// House style for tone-mark placement (`style.tone_marks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToneStyle {
    /// `ủy`, `hòa`, `thủy`
    #[default]
    Modern,
    /// `uỷ`, `hoà`, `thuỷ`
    Traditional,
}

const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'];

struct Letter {
    /// The base letter with its vowel-quality marks (circumflex, breve, horn), decomposed.
    base: String,
    tone: Option<char>,
}

fn letters(word: &str) -> Vec<Letter> {
    let mut out: Vec<Letter> = Vec::new();
    for c in word.nfd() {
        if TONES.contains(&c) {
            if let Some(last) = out.last_mut() {
                last.tone = Some(c);
                continue;
            }
        }
        if unicode_normalization::char::is_combining_mark(c) {
            if let Some(last) = out.last_mut() {
                last.base.push(c);
                continue;
            }
        }
        out.push(Letter {
            base: c.to_string(),
            tone: None,
        });
    }
    out
}

fn plain(letter: &Letter) -> Option<char> {
    let mut chars = letter.base.chars();
    let c = chars.next()?.to_ascii_lowercase();
    chars.next().is_none().then_some(c)
}

fn is_vowel(letter: &Letter) -> bool {
    letter
        .base
        .chars()
        .next()
        .is_some_and(|c| "aeiouyAEIOUY".contains(c))
}

/// Whether the word could hold a movable tone: it ends in `oa`, `oe` or
/// `uy` with some mark on them (checked on base letters, any case).
fn may_move(word: &str) -> bool {
    let mut bases = word
        .chars()
        .rev()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| {
            let mut d = std::iter::once(c).nfd();
            d.next().unwrap_or(c).to_ascii_lowercase()
        });
    let last = bases.next();
    let before = bases.next();
    matches!(
        (before, last),
        (Some('o'), Some('a')) | (Some('o'), Some('e')) | (Some('u'), Some('y'))
    )
}

/// Rewrites one word to the given placement; other words come back as NFC.
pub fn to_style(word: &str, style: ToneStyle) -> String {
    to_style_cow(word, style).into_owned()
}

/// Like [`to_style`], borrowing the word when it is already in that form
/// (ASCII, or NFC with no movable tone): most words of a text.
pub fn to_style_cow(word: &str, style: ToneStyle) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    if !may_move(word) {
        return match unicode_normalization::is_nfc_quick(word.chars()) {
            unicode_normalization::IsNormalized::Yes => Cow::Borrowed(word),
            _ => Cow::Owned(word.nfc().collect()),
        };
    }
    Cow::Owned(moved(word, style))
}

fn moved(word: &str, style: ToneStyle) -> String {
    let mut ls = letters(word);
    let n = ls.len();
    if n >= 2 {
        let pair = (plain(&ls[n - 2]), plain(&ls[n - 1]));
        let movable = matches!(
            pair,
            (Some('o'), Some('a')) | (Some('o'), Some('e')) | (Some('u'), Some('y'))
        );
        let before = n.checked_sub(3).map(|i| &ls[i]);
        let after_q = before.is_some_and(|l| plain(l) == Some('q'));
        let longer_vowel_run = before.is_some_and(is_vowel);
        if movable && !after_q && !longer_vowel_run {
            let (from, to) = match style {
                ToneStyle::Modern => (n - 1, n - 2),
                ToneStyle::Traditional => (n - 2, n - 1),
            };
            if ls[to].tone.is_none() {
                if let Some(t) = ls[from].tone.take() {
                    ls[to].tone = Some(t);
                }
            }
        }
    }
    let mut out = String::with_capacity(word.len());
    for l in &ls {
        out.push_str(&l.base);
        if let Some(t) = l.tone {
            out.push(t);
        }
    }
    out.nfc().collect()
}

/// Rewrites every word of a phrase to the given placement.
pub fn phrase_to_style(text: &str, style: ToneStyle) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) {
            word.push(c);
        } else {
            if !word.is_empty() {
                out.push_str(&to_style(&word, style));
                word.clear();
            }
            out.push(c);
        }
    }
    if !word.is_empty() {
        out.push_str(&to_style(&word, style));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ToneStyle::*;

    #[test]
    fn moves_marks_on_open_oa_oe_uy() {
        assert_eq!(to_style("uỷ", Modern), "ủy");
        assert_eq!(to_style("Uỷ", Modern), "Ủy");
        assert_eq!(to_style("hoà", Modern), "hòa");
        assert_eq!(to_style("thuỷ", Modern), "thủy");
        assert_eq!(to_style("khoẻ", Modern), "khỏe");
        assert_eq!(to_style("ủy", Traditional), "uỷ");
        assert_eq!(to_style("hòa", Traditional), "hoà");
    }

    #[test]
    fn leaves_fixed_placements_alone() {
        for w in [
            "quý", "quỳ", "hoàn", "thuyết", "toán", "Phong", "người", "khuya",
        ] {
            assert_eq!(to_style(w, Modern), w);
            assert_eq!(to_style(w, Traditional), w);
        }
    }

    #[test]
    fn accepts_nfd_input() {
        let nfd: String = "Tỉnh uỷ".nfd().collect();
        assert_eq!(phrase_to_style(&nfd, Modern), "Tỉnh ủy");
    }
}
