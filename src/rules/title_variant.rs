//! `title-variant` (information): a correct title written in a form other
//! than the house style — tone-mark placement (`style.tone_marks`),
//! capitalisation as in the profile (`Ban chấp hành` for `Ban Chấp hành`),
//! or an abbreviation where the profile spells the words out or the
//! reverse (`style.abbreviations = "as-profile"`). NFD text and odd white
//! space are not variants.
//!
//! Fix: the same title (same short form, same place) in the profile's
//! wording and house style.

use super::{joined, CLOSE_QUOTE, OPEN_QUOTE};
use crate::analysis::{judge, Context, Verdict};
use crate::config::AbbreviationPolicy;
use crate::diagnostic::{Code, Diagnostic};
use crate::index::Index;
use crate::mentions::TitleSpan;
use crate::profile::Role;
use crate::text::{self, tone};
use crate::titles::{self, align, same_place};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use unicode_normalization::{IsNormalized, UnicodeNormalization};

pub const CODE: Code = Code::TitleVariant;

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for r in &ctx.mentions {
        let Some(p) = r.person else { continue };
        for t in &r.mention.titles {
            let Verdict::Held(r) = judge(ctx, p, t) else {
                continue;
            };
            let written = &ctx.text[t.core_start..t.end];
            let written_plain = collapse(written);
            // Most titles are written exactly as the profile has them.
            let canon = CanonTitle::of_role(ctx.index, p, r, ctx.config.style.tone_marks);
            if t.place.is_none() && canon.plain && written_plain == canon.text {
                continue;
            }
            let role = &ctx.index.profiles[p].roles[r];
            let Some(house) = house_form(ctx, t, role, &canon) else {
                continue;
            };
            if house != written_plain {
                let message = joined(&[
                    "house style writes this title ",
                    OPEN_QUOTE,
                    &house,
                    CLOSE_QUOTE,
                ]);
                out.push(Diagnostic::new(CODE, t.core_start, t.end, message).with_fix(Some(house)));
            }
        }
    }
}

/// NFC with every run of white space made one space.
fn collapse(s: &str) -> Cow<'_, str> {
    if is_plain_vietnamese(s) {
        return Cow::Borrowed(s);
    }
    // Most titles are written plainly: NFC, words parted by single spaces.
    let plain = s
        .split(' ')
        .all(|w| !w.is_empty() && !w.contains(char::is_whitespace));
    if plain && unicode_normalization::is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return Cow::Borrowed(s);
    }
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .into()
}

/// Whether `s` is words parted by single spaces in ASCII and the
/// precomposed letters of Vietnamese (U+00C0–U+01BF, U+1E80–U+1EFF), which
/// are all NFC and none white space: [`collapse`] keeps such text as it is,
/// told here from the bytes alone.
fn is_plain_vietnamese(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' if i > 0 && i + 1 < b.len() && b[i - 1] != b' ' => i += 1,
            b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r' => return false,
            0x00..=0x7f => i += 1,
            0xc3..=0xc6 => i += 2,
            0xe1 if matches!(b.get(i + 1), Some(0xba | 0xbb)) => i += 3,
            _ => return false,
        }
    }
    true
}

/// A profile title in the house style, split into words: the same few
/// titles are met in every document, so each is prepared once per thread.
struct CanonTitle {
    text: String,
    /// Byte range in `text` of each written word.
    spans: Vec<(usize, usize)>,
    /// Whether each written word is an abbreviation.
    abbrev: Vec<bool>,
    /// Canonical words, abbreviations expanded.
    words: Vec<text::Word>,
    /// For each of `words`, the written word it comes from.
    origin: Vec<usize>,
    /// `text` is its words parted by single spaces (no punctuation): the
    /// house form of the whole title written as is, is `text` itself.
    plain: bool,
}

impl CanonTitle {
    /// The house form of the title of role `r` of profile `p`, kept by
    /// the role's place among the index's distinct titles: the same few
    /// titles are met in every document, and the profile's own text
    /// (somewhere in a large index) is read once per title.
    fn of_role(index: &Index, p: usize, r: usize, style: tone::ToneStyle) -> Rc<CanonTitle> {
        /// Per tone style, house forms by shared role.
        type ByRole = [Vec<Option<Rc<CanonTitle>>>; 2];
        thread_local! {
            /// For the index of this id.
            static BY_ROLE: RefCell<(u64, ByRole)> = RefCell::default();
        }
        BY_ROLE.with_borrow_mut(|(of, lists)| {
            if *of != index.id() {
                lists.iter_mut().for_each(Vec::clear);
                *of = index.id();
            }
            let list = &mut lists[style as usize];
            let id = index.shared_role(p, r);
            if list.len() <= id {
                list.resize(id + 1, None);
            }
            list[id]
                .get_or_insert_with(|| {
                    Rc::new(CanonTitle::new(&index.profiles[p].roles[r].title, style))
                })
                .clone()
        })
    }

    fn new(title: &str, style: tone::ToneStyle) -> CanonTitle {
        let text = tone::phrase_to_style(title, style);
        let toks = text::tokenize_words(&text);
        let mut words = Vec::new();
        let mut origin = Vec::new();
        for (k, tok) in toks.iter().enumerate() {
            let n = titles::push_expanded(tok, |w| words.push(w));
            origin.extend(std::iter::repeat_n(k, n));
        }
        let joined: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        CanonTitle {
            plain: joined.join(" ") == text,
            spans: toks.iter().map(|t| (t.start, t.end)).collect(),
            abbrev: toks.iter().map(|t| t.abbreviation().is_some()).collect(),
            words,
            origin,
            text,
        }
    }
}

/// The written title rewritten word by word in the profile's wording and
/// the house style, keeping its short form and place.
fn house_form(ctx: &Context, t: &TitleSpan, role: &Role, canon: &CanonTitle) -> Option<String> {
    let style = ctx.config.style.tone_marks;
    let policy = ctx.config.style.abbreviations;
    let canon_str = |c: usize| &canon.text[canon.spans[c].0..canon.spans[c].1];
    let (canon_words, canon_origin) = (&canon.words, &canon.origin);
    let (at, unit_before_place) = match align(&t.words, canon_words) {
        Some(at) => (at, false),
        None if t.place.is_some() => {
            let (_, rest) = t.words.split_last()?;
            let mut at = align(rest, canon_words)?;
            at.push(usize::MAX);
            (at, true)
        }
        None => return None,
    };
    let mut pieces: Vec<String> = Vec::new();
    let mut last_canon: Option<usize> = None;
    for (k, w) in t.core.iter().enumerate() {
        let written = &ctx.text[w.start..w.end];
        if unit_before_place && k + 1 == t.core.len() {
            pieces.push(tone::phrase_to_style(
                &written.nfc().collect::<String>(),
                style,
            ));
            continue;
        }
        let mut ctoks: Vec<usize> = (0..t.words.len())
            .filter(|&i| t.word_origin[i] as usize == k)
            .map(|i| canon_origin[at[i]])
            .collect();
        ctoks.dedup();
        let Some(&first) = ctoks.first() else {
            continue;
        };
        let canon_abbrev = ctoks.len() == 1 && canon.abbrev[first];
        let piece = if w.abbrev == canon_abbrev {
            if w.abbrev && ctoks.len() > 1 {
                written.to_string()
            } else {
                canon_str(first).to_string()
            }
        } else if policy == AbbreviationPolicy::Any {
            tone::phrase_to_style(&written.nfc().collect::<String>(), style)
        } else if canon_abbrev && last_canon == Some(first) {
            continue;
        } else {
            ctoks
                .iter()
                .map(|&c| canon_str(c))
                .collect::<Vec<_>>()
                .join(" ")
        };
        last_canon = ctoks.last().copied();
        pieces.push(piece);
    }
    if let (Some(place), Some((a, b))) = (&t.place, t.place_span) {
        let written = tone::phrase_to_style(&collapse(&ctx.text[a..b]), style);
        let piece = match &role.org {
            Some(org) if text::canonical_words(org)[..] == place[..] => {
                tone::phrase_to_style(org, style)
            }
            Some(org) if same_place(place, &text::canonical_words(org)) => written,
            _ => written,
        };
        pieces.push(piece);
    }
    Some(pieces.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::rules::testing::{run, run_with};

    #[test]
    fn house_forms_kept_by_role_belong_to_their_index() {
        let with_title = |title: &str| {
            let text = format!("---\nname: Lê Văn Tám\nroles:\n  - title: {title}\n---\n");
            Index::build(vec![(
                "people/le-van-tam.md".to_string(),
                crate::profile::parse("people/le-van-tam.md", &text),
            )])
        };
        let (a, b) = (
            with_title("Phó Chủ tịch UBND tỉnh"),
            with_title("Bí thư Tỉnh ủy"),
        );
        let style = tone::ToneStyle::Modern;
        for _ in 0..2 {
            assert_eq!(
                CanonTitle::of_role(&a, 0, 0, style).text,
                "Phó Chủ tịch UBND tỉnh"
            );
            assert_eq!(CanonTitle::of_role(&b, 0, 0, style).text, "Bí thư Tỉnh ủy");
        }
    }

    #[test]
    fn plain_vietnamese_letters_are_nfc_and_not_white_space() {
        for c in (0xC0..=0x1BF)
            .chain(0x1E80..=0x1EFF)
            .filter_map(char::from_u32)
        {
            let s = format!("{c}a");
            assert!(is_plain_vietnamese(&s), "{c:?}");
            assert!(!c.is_whitespace(), "{c:?}");
            assert_eq!(
                unicode_normalization::is_nfc_quick(s.chars()),
                IsNormalized::Yes,
                "{c:?}"
            );
        }
        for odd in [
            " Bí thư",
            "Bí  thư",
            "Bí thư ",
            "Bí\tthư",
            "Bí\u{a0}thư",
            "Bi\u{301} thư",
        ] {
            assert!(!is_plain_vietnamese(odd), "{odd:?}");
        }
        assert_eq!(collapse("Bí \u{a0}thư"), "Bí thư");
        assert!(matches!(collapse("Phó Bí thư Tỉnh ủy"), Cow::Borrowed(_)));
    }

    #[test]
    fn tone_marks_and_case() {
        let d = run(
            CODE,
            "2024-03-08",
            "Đặng Xuân Phong, Ủy viên Ban chấp hành Trung ương Đảng, Bí thư Tỉnh uỷ Lào Cai",
        );
        assert_eq!(
            d,
            [
                (
                    "Ủy viên Ban chấp hành Trung ương Đảng".to_string(),
                    Some("Ủy viên Ban Chấp hành Trung ương Đảng".to_string())
                ),
                (
                    "Bí thư Tỉnh uỷ Lào Cai".to_string(),
                    Some("Bí thư Tỉnh ủy Lào Cai".to_string())
                ),
            ]
        );
    }

    #[test]
    fn abbreviations_follow_policy() {
        let text = "Trịnh Xuân Trường, Chủ tịch Ủy ban nhân dân tỉnh";
        let d = run(CODE, "2024-03-08", text);
        assert_eq!(
            d,
            [(
                "Chủ tịch Ủy ban nhân dân tỉnh".to_string(),
                Some("Chủ tịch UBND tỉnh".to_string())
            )]
        );
        let mut any = Config::default();
        any.style.abbreviations = AbbreviationPolicy::Any;
        assert!(run_with(CODE, &any, "2024-03-08", text).is_empty());
    }

    #[test]
    fn house_style_short_forms_nfd_and_spaces_pass() {
        let nfd: String = "Bí thư Tỉnh ủy Đặng Xuân Phong".nfd().collect();
        assert!(run(CODE, "2024-03-08", &nfd).is_empty());
        assert!(run(CODE, "2024-03-08", "Bí thư\u{a0}Tỉnh ủy Đặng Xuân Phong").is_empty());
        assert!(run(
            CODE,
            "2024-03-08",
            "Ủy viên Trung ương Đảng Đặng Xuân Phong"
        )
        .is_empty());
    }

    #[test]
    fn traditional_house_style() {
        let mut trad = Config::default();
        trad.style.tone_marks = crate::text::ToneStyle::Traditional;
        let d = run_with(CODE, &trad, "2024-03-08", "Bí thư Tỉnh ủy Đặng Xuân Phong");
        assert_eq!(
            d,
            [(
                "Bí thư Tỉnh ủy".to_string(),
                Some("Bí thư Tỉnh uỷ".to_string())
            )]
        );
    }
}
