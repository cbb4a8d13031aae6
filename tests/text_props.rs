//! Property tests of the text layer: normalisation is idempotent and every
//! token maps back onto the original bytes.

use proptest::prelude::*;
use roster::text::{self, tone, ToneStyle};
use unicode_normalization::UnicodeNormalization;

/// Vietnamese-looking text: letters with every diacritic, spaces of several
/// kinds, line breaks and punctuation, in NFC or NFD.
fn vietnamese() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop::sample::select(vec![
            "Đặng", "Xuân", "Phong", "Tỉnh", "uỷ", "ủy", "hoà", "hòa", "Thuỷ", "quý", "UBND",
            "T.Ư", "TP.", "người", "Mỷ", "ĐẶNG", "phogn", " ", "\u{a0}", "\t", "\n", "\r\n", "\r",
            ",", ";", " - ", "(", ")", "😀", "1.JPG", "x", "ạ", "Ở", "đ",
        ]),
        0..40,
    );
    (pieces, any::<bool>()).prop_map(|(p, nfd)| {
        let s: String = p.concat();
        if nfd {
            s.nfd().collect()
        } else {
            s
        }
    })
}

proptest! {
    #[test]
    fn tokens_and_white_space_cover_the_text_exactly(s in vietnamese()) {
        let toks = text::tokenize(&s);
        let white = |gap: &str| gap.chars().all(|c| matches!(c, ' ' | '\u{a0}' | '\t'));
        let mut pos = 0;
        for t in &toks {
            prop_assert!(t.start >= pos);
            prop_assert!(white(&s[pos..t.start]));
            prop_assert_eq!(t.spaced(), t.start > pos);
            prop_assert!(t.end > t.start);
            prop_assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
            prop_assert!(!white(&s[t.start..t.end]));
            pos = t.end;
        }
        prop_assert!(white(&s[pos..]));
    }

    #[test]
    fn word_keys_are_the_canonical_form_of_their_bytes(s in vietnamese()) {
        for t in text::tokenize(&s).iter().filter(|t| t.is_word()) {
            prop_assert_eq!(&t.norm(), &text::canonical(&s[t.start..t.end]));
            prop_assert_eq!(&t.fold(), &text::fold(&s[t.start..t.end]));
        }
    }

    #[test]
    fn folding_is_idempotent(s in vietnamese()) {
        let once = text::fold(&s);
        prop_assert_eq!(text::fold(&once), once.clone());
        prop_assert!(!once.contains('đ'));
        let c = text::canonical(&s);
        prop_assert_eq!(text::canonical(&c), c);
    }

    #[test]
    fn nfc_and_nfd_give_the_same_keys(s in vietnamese()) {
        let nfc: String = s.nfc().collect();
        let nfd: String = s.nfd().collect();
        let keys = |x: &str| text::tokenize(x).into_iter().map(|t| (t.kind(), t.norm().to_string())).collect::<Vec<_>>();
        prop_assert_eq!(keys(&nfc), keys(&nfd));
    }

    #[test]
    fn tone_styles_round_trip(s in vietnamese()) {
        let modern = tone::phrase_to_style(&s, ToneStyle::Modern);
        let traditional = tone::phrase_to_style(&s, ToneStyle::Traditional);
        prop_assert_eq!(tone::phrase_to_style(&modern, ToneStyle::Modern), modern.clone());
        prop_assert_eq!(tone::phrase_to_style(&traditional, ToneStyle::Modern), modern.clone());
        prop_assert_eq!(tone::phrase_to_style(&modern, ToneStyle::Traditional), traditional);
        prop_assert_eq!(text::fold(&modern), text::fold(&s));
    }
}
