//! Titles: recognising the position that opens one, splitting position,
//! body and place, and deciding whether a written title names a profile role
//! (in full, with its place, or as a short form — SPEC §4).

use crate::lexicon::{self, POSITIONS, RANKS};
use crate::profile::Role;
use crate::text::{self, tone, ToneStyle, Word};

/// Length in words of the position that opens `words` (canonical lower
/// case), and whether it is a rank. `Phó` may precede a position and
/// `Thường trực` follow it.
pub fn position_len<S: AsRef<str>>(words: &[S]) -> Option<(usize, bool)> {
    position_len_by(|k| words.get(k).map(AsRef::as_ref))
}

/// [`position_len`] of the words `word(0)`, `word(1)`… (`None` past the
/// last): a caller walking tokens reads only the words a phrase needs.
pub fn position_len_by<'w>(
    mut word: impl FnMut(usize) -> Option<&'w str>,
) -> Option<(usize, bool)> {
    /// Positions and ranks split into words once, by first word, longest
    /// first: the first that fits is the longest.
    #[derive(Default)]
    struct Phrases {
        ranks: rustc_hash::FxHashMap<&'static str, Vec<Vec<&'static str>>>,
        positions: rustc_hash::FxHashMap<&'static str, Vec<Vec<&'static str>>>,
    }
    static PHRASES: std::sync::OnceLock<Phrases> = std::sync::OnceLock::new();
    let phrases = PHRASES.get_or_init(|| {
        let mut p = Phrases::default();
        for (list, map) in [(RANKS, &mut p.ranks), (POSITIONS, &mut p.positions)] {
            for phrase in list {
                let words: Vec<&str> = phrase.split(' ').collect();
                map.entry(words[0]).or_default().push(words);
            }
            for phrases in map.values_mut() {
                phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
            }
        }
        p
    });
    let first = word(0)?;
    if let Some(rank) = phrases
        .ranks
        .get(first)
        .and_then(|list| list.iter().find(|p| rest_fits(&mut word, p, 0)))
    {
        return Some((rank.len(), true));
    }
    let mut at = usize::from(first == "phó");
    let opening = if at == 0 { first } else { word(at)? };
    let list = phrases.positions.get(opening)?;
    at += list.iter().find(|p| rest_fits(&mut word, p, at))?.len();
    if word(at) == Some("thường") && word(at + 1) == Some("trực") {
        at += 2;
    }
    Some((at, false))
}

/// Whether the words after the first of `phrase` follow word `at` (the
/// first is known to match: it is the key the phrase was found by).
fn rest_fits<'w>(
    word: &mut impl FnMut(usize) -> Option<&'w str>,
    phrase: &[&str],
    at: usize,
) -> bool {
    (1..phrase.len()).all(|k| word(at + k) == Some(phrase[k]))
}

/// Whether a word can open a position or rank (`bí`, `phó`, `đại`…): a
/// cheap test before [`position_len`].
pub fn may_open_position(word: &str) -> bool {
    static FIRST: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    FIRST
        .get_or_init(|| {
            POSITIONS
                .iter()
                .chain(RANKS)
                .filter_map(|p| p.split(' ').next())
                .chain(["phó"])
                .collect()
        })
        .contains(word)
}

/// Canonical lower-case words of a title with abbreviations expanded.
pub fn expanded_words(title: &str) -> Vec<Word> {
    let mut out = Vec::new();
    for tok in text::tokenize(title).iter().filter(|t| t.is_word()) {
        push_expanded(tok, |w| out.push(w));
    }
    out
}

/// Gives `push` the canonical words of one token, expanding an
/// abbreviation, one at a time (`extend` of one word cost a title more
/// than all its other work); returns how many.
pub fn push_expanded(tok: &text::Token, mut push: impl FnMut(Word)) -> usize {
    match tok.abbreviation() {
        Some(exp) => text::space_parted(exp).map(|w| push(Word::from(w))).count(),
        None => {
            push(tok.norm_word());
            1
        }
    }
}

/// `needle` keeps the first word of `hay` and the rest of its words in order.
pub fn is_short_form(needle: &[Word], hay: &[Word]) -> bool {
    if needle.is_empty() || hay.is_empty() || needle[0] != hay[0] {
        return false;
    }
    let mut it = hay.iter();
    needle.iter().all(|w| it.any(|h| h == w))
}

/// Indices in `hay` of each word of `needle` when it is a short form of it.
pub fn align(needle: &[Word], hay: &[Word]) -> Option<Vec<usize>> {
    if !is_short_form(needle, hay) {
        return None;
    }
    let mut out = Vec::with_capacity(needle.len());
    let mut j = 0;
    for w in needle {
        while hay[j] != *w {
            j += 1;
        }
        out.push(j);
        j += 1;
    }
    Some(out)
}

/// Two places are the same when their words agree, ignoring a leading
/// administrative unit (`tỉnh Lào Cai` = `Lào Cai`).
pub fn same_place(a: &[Word], b: &[Word]) -> bool {
    fn strip(p: &[Word]) -> &[Word] {
        for unit in lexicon::ADMIN_UNITS {
            let n = unit.split(' ').count();
            if p.len() > n && unit.split(' ').zip(p).all(|(u, w)| u == w) {
                return &p[n..];
            }
        }
        p
    }
    strip(a) == strip(b)
}

/// Two bodies are the same when their words agree, a trailing
/// administrative unit aside (`Sở Tài chính tỉnh` = `Sở Tài chính`).
pub fn same_body(a: &[Word], b: &[Word]) -> bool {
    fn strip(body: &[Word]) -> &[Word] {
        match body.split_last() {
            Some((last, rest))
                if !rest.is_empty() && lexicon::ADMIN_UNITS.contains(&last.as_str()) =>
            {
                rest
            }
            _ => body,
        }
    }
    strip(a) == strip(b)
}

/// A profile role prepared for matching.
#[derive(Debug, Clone)]
pub struct RoleTitle {
    /// Expanded canonical words of the title (place excluded), inline: a
    /// person's roles are judged for every title written for them, and
    /// words kept apart from their role cost a cache miss each.
    pub words: smallvec::SmallVec<[Word; 8]>,
    /// How many of `words` are the position.
    pub position_len: usize,
    pub is_rank: bool,
    /// Canonical words of `org`.
    pub org: Option<smallvec::SmallVec<[Word; 4]>>,
}

impl RoleTitle {
    pub fn new(role: &Role) -> RoleTitle {
        let words: smallvec::SmallVec<[Word; 8]> = expanded_words(&role.title).into();
        let (position_len, is_rank) = position_len(&words).unwrap_or((words.len().min(1), false));
        RoleTitle {
            words,
            position_len,
            is_rank,
            org: role.org.as_deref().map(|o| text::canonical_words(o).into()),
        }
    }

    /// The words after the position: the body the title belongs to.
    pub fn body(&self) -> &[Word] {
        &self.words[self.position_len..]
    }
}

/// How a written title relates to one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleMatch {
    Match,
    /// The right title, but written with a place other than the role's `org`.
    WrongPlace,
    No,
}

/// Compares a written title (core words without place, and its place) to a role.
pub fn match_role(core: &[Word], place: Option<&[Word]>, role: &RoleTitle) -> RoleMatch {
    let (core, place) = match (place, &role.org) {
        (None, Some(org)) if core.len() > org.len() && core.ends_with(org) => (
            &core[..core.len() - org.len()],
            Some(&core[core.len() - org.len()..]),
        ),
        _ => (core, place),
    };
    if core != role.words.as_slice() && !is_short_form(core, &role.words) {
        // `Giám đốc Sở Tài chính tỉnh Lào Cai`: the unit belongs to the place.
        match (place, core.split_last()) {
            (Some(_), Some((unit, rest)))
                if lexicon::ADMIN_UNITS.contains(&unit.as_str())
                    && is_short_form(rest, &role.words) => {}
            _ => return RoleMatch::No,
        }
    }
    match (place, &role.org) {
        (Some(p), Some(org)) if !same_place(p, org) => RoleMatch::WrongPlace,
        _ => RoleMatch::Match,
    }
}

/// Whether a role is held on `day` (`None`: undated history mode, always).
pub fn held_on(role: &Role, day: Option<crate::date::Day>) -> bool {
    let Some(day) = day else { return true };
    role.from.is_none_or(|f| f.first_day() <= day) && role.to.is_none_or(|t| day <= t.last_day())
}

/// A role's title in house style (its canonical form in fixes).
pub fn render(role: &Role, style: ToneStyle) -> String {
    thread_local! {
        /// Fixes name the same few profile titles over and over: each is
        /// rewritten once per thread and style (bounded like the word cache).
        static RENDERED: std::cell::RefCell<[rustc_hash::FxHashMap<String, String>; 2]> =
            Default::default();
    }
    RENDERED.with_borrow_mut(|caches| {
        let cache = &mut caches[style as usize];
        if let Some(done) = cache.get(role.title.as_str()) {
            return done.clone();
        }
        if cache.len() >= 4096 {
            cache.clear();
        }
        let done = tone::phrase_to_style(&role.title, style);
        cache.insert(role.title.clone(), done.clone());
        done
    })
}

/// "from 2020-10 to 2025-06-30" for messages.
pub fn describe_period(role: &Role) -> String {
    match (role.from, role.to) {
        (Some(f), Some(t)) => format!("from {f} to {t}"),
        (Some(f), None) => format!("since {f}"),
        (None, Some(t)) => format!("until {t}"),
        (None, None) => "at an unknown time".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<Word> {
        expanded_words(s)
    }

    fn role(title: &str, org: Option<&str>) -> RoleTitle {
        RoleTitle::new(&Role {
            title: title.into(),
            org: org.map(Into::into),
            from: None,
            to: None,
            line: 1,
        })
    }

    #[test]
    fn positions() {
        assert_eq!(
            position_len(&w("Phó Bí thư Thường trực Tỉnh ủy")),
            Some((5, false))
        );
        assert_eq!(position_len(&w("Chủ tịch UBND tỉnh")), Some((2, false)));
        assert_eq!(position_len(&w("Đại tướng")), Some((2, true)));
        assert_eq!(position_len(&w("Tỉnh ủy")), None);
    }

    #[test]
    fn short_forms_from_the_spec() {
        let r = role("Bí thư Tỉnh ủy", Some("Lào Cai"));
        assert_eq!(match_role(&w("Bí thư"), None, &r), RoleMatch::Match);
        assert_eq!(
            match_role(&w("Bí thư Tỉnh uỷ"), Some(&w("Lào Cai")), &r),
            RoleMatch::Match
        );
        assert_eq!(
            match_role(&w("Bí thư Tỉnh ủy"), Some(&w("Lai Châu")), &r),
            RoleMatch::WrongPlace
        );
        assert_eq!(
            match_role(&w("Phó Bí thư Tỉnh ủy"), None, &r),
            RoleMatch::No
        );
        let r = role("Phó Thủ tướng Chính phủ", None);
        assert_eq!(match_role(&w("Phó Thủ tướng"), None, &r), RoleMatch::Match);
        assert_eq!(
            match_role(&w("Thủ tướng"), None, &r),
            RoleMatch::No,
            "dropping Phó"
        );
        let r = role("Ủy viên Ban Chấp hành Trung ương Đảng", None);
        assert_eq!(
            match_role(&w("Ủy viên Trung ương Đảng"), None, &r),
            RoleMatch::Match
        );
        assert_eq!(
            match_role(&w("Ủy viên BCH TW Đảng"), None, &r),
            RoleMatch::Match
        );
        let r = role("Phó Chủ tịch Thường trực UBND tỉnh", None);
        assert_eq!(
            match_role(&w("Phó Chủ tịch UBND tỉnh"), None, &r),
            RoleMatch::Match
        );
        assert_eq!(
            match_role(&w("Phó Chủ tịch Ủy ban nhân dân tỉnh"), None, &r),
            RoleMatch::Match
        );
        let r = role("Chủ tịch UBND tỉnh", Some("Lào Cai"));
        assert_eq!(
            match_role(&w("Chủ tịch HĐND tỉnh"), None, &r),
            RoleMatch::No
        );
        assert_eq!(
            match_role(&w("Chủ tịch UBND tỉnh Lào Cai"), None, &r),
            RoleMatch::Match
        );
    }

    #[test]
    fn places_ignore_admin_unit() {
        assert!(same_place(&w("tỉnh Lào Cai"), &w("Lào Cai")));
        assert!(!same_place(&w("Lai Châu"), &w("Lào Cai")));
    }
}
