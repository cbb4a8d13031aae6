//! `title-inconsistent` (warning): within one document the same person is
//! given contradictory titles — the same body with a different position
//! (`Chủ tịch UBND huyện`, later `Phó Chủ tịch UBND huyện`). Works without
//! any profile; a profiled person's titles are judged against the profile
//! instead. A short form (`Phó Chủ tịch` for `Phó Chủ tịch Thường trực`) is
//! no contradiction. Reported on each later title that contradicts an
//! earlier one.
//!
//! Fix: the title the document gave first for that body.

use super::q;
use crate::analysis::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::text::Word;
use crate::titles::{is_short_form, same_body};
use rustc_hash::FxHashMap as HashMap;

pub const CODE: Code = Code::TitleInconsistent;

struct Seen<'a> {
    position: &'a [Word],
    body: &'a [Word],
    text: &'a str,
}

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, Vec<Seen>> = HashMap::default();
    for r in &ctx.mentions {
        if r.person.is_some() || !r.candidates.is_empty() {
            continue;
        }
        let earlier = seen.entry(r.mention.key.as_str()).or_default();
        for t in &r.mention.titles {
            let body = t.body();
            let position = &t.words[..t.position_len.min(t.words.len())];
            let text = &ctx.text[t.core_start..t.end];
            if body.is_empty() {
                continue;
            }
            let contradicted = earlier.iter().find(|e| {
                same_body(e.body, body)
                    && e.position != position
                    && !is_short_form(position, e.position)
                    && !is_short_form(e.position, position)
            });
            if let Some(e) = contradicted {
                let message = format!(
                    "{} is called {} here but {} earlier in this document",
                    ctx.text[r.mention.start..r.mention.end].trim(),
                    q(text),
                    q(e.text)
                );
                out.push(
                    Diagnostic::new(CODE, t.core_start, t.end, message)
                        .with_fix(Some(e.text.to_string())),
                );
            } else if !earlier
                .iter()
                .any(|e| e.position == position && same_body(e.body, body))
            {
                earlier.push(Seen {
                    position,
                    body,
                    text,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::run;

    #[test]
    fn same_body_other_position() {
        let d = run(
            CODE,
            "2024-03-08",
            "Ông Lê Minh Tuấn, Chủ tịch UBND huyện Bát Xát, cho biết. Sau đó, Phó Chủ tịch UBND huyện Lê Minh Tuấn nói thêm.",
        );
        assert_eq!(
            d,
            [(
                "Phó Chủ tịch UBND huyện".to_string(),
                Some("Chủ tịch UBND huyện Bát Xát".to_string())
            )]
        );
    }

    #[test]
    fn short_forms_and_other_bodies_agree() {
        let d = run(
            CODE,
            "2024-03-08",
            "Bà Hà Thị Lan, Phó Chủ tịch Thường trực UBND huyện, Bí thư Đảng ủy xã. Phó Chủ tịch UBND huyện Hà Thị Lan phát biểu.",
        );
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn profiled_people_are_left_to_the_profile() {
        let d = run(
            CODE,
            "2024-03-08",
            "Trịnh Xuân Trường, Chủ tịch UBND tỉnh. Phó Chủ tịch UBND tỉnh Trịnh Xuân Trường.",
        );
        assert!(d.is_empty());
    }
}
