//! `unknown-person` (hint): a person-like name introduced with a title,
//! `đồng chí`, `ông`, `bà` or `Ngài`, that has no profile. Reported once per
//! person per document, on the first mention. The LSP layer offers
//! "create profile" for it; there is no text fix.

use super::q;
use crate::analysis::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::mentions::NameKind;
use rustc_hash::FxHashSet as HashSet;

pub const CODE: Code = Code::UnknownPerson;

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let mut reported = HashSet::default();
    for r in &ctx.mentions {
        let m = &r.mention;
        if m.kind != NameKind::Unknown || !reported.insert(m.key.as_str()) {
            continue;
        }
        let written = &ctx.text[m.start..m.end];
        out.push(Diagnostic::new(
            CODE,
            m.start,
            m.end,
            format!("no profile for {}", q(written)),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{run, texts};

    #[test]
    fn people_in_person_context() {
        let d = run(
            CODE,
            "2024-03-08",
            "Ông Lê Minh Tuấn dự. Bà Hà Thị Lan, Phó Chủ tịch UBND huyện, phát biểu. Thượng tướng Đổng Quân đến. Ông Lê Minh Tuấn về.",
        );
        assert_eq!(texts(&d), ["Lê Minh Tuấn", "Hà Thị Lan", "Đổng Quân"]);
    }

    #[test]
    fn places_bodies_and_companies_are_not_people() {
        let d = run(
            CODE,
            "2024-03-08",
            "Tiểu đoàn Hoàng Liên Sơn và Công ty TNHH Hoàng Hùng tại Hà Nội. Bí thư Tỉnh ủy Lào Cai dự. bà con Lào Cai.",
        );
        assert!(d.is_empty(), "{:?}", texts(&d));
    }

    #[test]
    fn profiled_people_are_known() {
        assert!(run(CODE, "2024-03-08", "Ông Đặng Xuân Phong dự.").is_empty());
    }
}
