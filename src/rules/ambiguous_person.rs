//! `ambiguous-person` (information): a name that matches several profiles
//! (homonyms) and is not settled by the titles written with it (those held
//! on the date first, then any ever held) nor by an earlier titled mention
//! in the same document. Reported once per name per document.

use super::q;
use crate::analysis::Context;
use crate::diagnostic::{Code, Diagnostic};
use rustc_hash::FxHashSet as HashSet;

pub const CODE: Code = Code::AmbiguousPerson;

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let mut reported = HashSet::default();
    for r in &ctx.mentions {
        if r.person.is_some() || r.candidates.len() < 2 {
            continue;
        }
        let m = &r.mention;
        if !reported.insert(m.key.as_str()) {
            continue;
        }
        let ids: Vec<&str> = r
            .candidates
            .iter()
            .map(|&p| ctx.index.profiles[p].id.as_str())
            .collect();
        let message = format!(
            "{} matches {} profiles ({}); write a title to tell them apart",
            q(&ctx.text[m.start..m.end]),
            ids.len(),
            ids.join(", ")
        );
        out.push(Diagnostic::new(CODE, m.start, m.end, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{run, texts};

    #[test]
    fn bare_homonym_is_ambiguous_once() {
        let d = run(
            CODE,
            "2024-03-08",
            "Ông Nguyễn Văn Hùng dự. Ông Nguyễn Văn Hùng về.",
        );
        assert_eq!(texts(&d), ["Nguyễn Văn Hùng"]);
    }

    #[test]
    fn titles_settle_homonyms_for_later_mentions() {
        let d = run(
            CODE,
            "2024-03-08",
            "Ông Nguyễn Văn Hùng, Giám đốc Sở Tài chính tỉnh Lào Cai, dự. Ông Nguyễn Văn Hùng cho biết.",
        );
        assert!(d.is_empty(), "{d:?}");
    }
}
