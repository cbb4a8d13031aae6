//! Completion of names and titles.
//!
//! - Typing a name, with or without diacritics or by initials (`dang xuan`,
//!   `dxp`), offers the people whose name or alias fits, each with the
//!   title held on the document's date, plus one item with the name and the
//!   whole title chain.
//! - After `Name, ` or `Name - ` the person's titles on that date are offered.
//! - After a title (`Bí thư Tỉnh ủy `) the people holding it on that date
//!   come first.

use super::{chain_on, titles_on};
use crate::analysis::Analysis;
use crate::index::Index;
use crate::mentions;
use crate::text::{self, ToneStyle};
use crate::titles::{self, RoleMatch};

/// At most this many items are returned; more make the list incomplete.
pub const MAX_ITEMS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A person's name.
    Name,
    /// A person's name followed by their title chain.
    NameWithTitles,
    /// A title of the person named just before.
    Title,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub label: String,
    pub kind: ItemKind,
    /// The title on the document's date (names) or the person (titles).
    pub detail: Option<String>,
    /// Replaces the typed prefix.
    pub insert: String,
    /// Text clients filter on: the name with and without diacritics and its
    /// initials, so that their own filtering keeps the item as typing goes on.
    pub filter: String,
    /// Orders items: lower is better.
    pub sort: String,
    /// The profile id the item is about.
    pub person: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completions {
    /// Byte range of the typed prefix the items replace.
    pub start: usize,
    pub end: usize,
    pub items: Vec<Item>,
    /// More items matched than were returned.
    pub incomplete: bool,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)
}

/// What a completion request is about.
struct Request<'a> {
    index: &'a Index,
    analysis: &'a Analysis,
    text: &'a str,
    /// Start of the cursor's line.
    line_start: usize,
    /// Start of the word being typed.
    word_start: usize,
    /// The cursor.
    offset: usize,
    style: ToneStyle,
}

/// Completions at byte `offset` of `text`, judged on the analysis' date.
pub fn complete(
    index: &Index,
    analysis: &Analysis,
    text: &str,
    offset: usize,
    style: ToneStyle,
) -> Option<Completions> {
    let offset = floor_char_boundary(text, offset);
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let word_start = text[line_start..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map_or(offset, |(i, _)| line_start + i);
    let req = Request {
        index,
        analysis,
        text,
        line_start,
        word_start,
        offset,
        style,
    };
    title_completions(&req).or_else(|| name_completions(&req))
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// After `Name, ` / `Name - ` (or after a title of that chain): the
/// person's titles on the date.
fn title_completions(req: &Request) -> Option<Completions> {
    let Request {
        index,
        analysis,
        text,
        line_start,
        word_start,
        offset,
        style,
    } = *req;
    let before = text[line_start..word_start].trim_end();
    let sep = before.chars().last()?;
    if !matches!(sep, ',' | '-' | '–' | '(') {
        return None;
    }
    let sep_at = line_start + before.len() - sep.len_utf8();
    let anchor = text[line_start..sep_at].trim_end().len() + line_start;
    let r = analysis.mentions.iter().find(|r| {
        r.person.is_some()
            && (r.mention.end == anchor || r.mention.titles.last().is_some_and(|t| t.end == anchor))
    })?;
    let p = r.person?;
    let query = text::fold(&text[word_start..offset]);
    let profile = &index.profiles[p];
    let mut items: Vec<Item> = titles_on(index, p, analysis.date, style)
        .into_iter()
        .filter(|t| text::fold(t).starts_with(&query))
        .enumerate()
        .map(|(i, t)| Item {
            filter: format!("{} {}", t, text::fold(&t)),
            label: t.clone(),
            kind: ItemKind::Title,
            detail: Some(profile.name.clone()),
            insert: t,
            sort: format!("{i:03}"),
            person: profile.id.clone(),
        })
        .collect();
    let chain = chain_on(index, p, analysis.date, style);
    if items.len() > 1 && text::fold(&chain).starts_with(&query) {
        items.insert(
            0,
            Item {
                filter: format!("{} {}", chain, text::fold(&chain)),
                label: chain.clone(),
                kind: ItemKind::Title,
                detail: Some(format!("{}: every title", profile.name)),
                insert: chain,
                sort: "000".into(),
                person: profile.id.clone(),
            },
        );
        for (i, it) in items.iter_mut().enumerate() {
            it.sort = format!("{i:03}");
        }
    }
    (!items.is_empty()).then_some(Completions {
        start: word_start,
        end: offset,
        items,
        incomplete: false,
    })
}

/// The score of any name when nothing is typed.
const ANY_NAME: u8 = 5;

/// How well a typed query fits a name: lower is better.
fn name_score(query: &[String], name: &[crate::text::Word]) -> Option<u8> {
    if query.is_empty() {
        return Some(ANY_NAME);
    }
    if query.len() <= name.len()
        && query
            .iter()
            .zip(name)
            .all(|(q, n)| n.starts_with(q.as_str()))
    {
        let complete = query.iter().zip(name).all(|(q, n)| q == n);
        return Some(if complete && query.len() == name.len() {
            0
        } else {
            1
        });
    }
    if query.len() == 1 && query[0].len() >= 2 {
        let initials: String = name.iter().filter_map(|w| w.chars().next()).collect();
        if initials.starts_with(query[0].as_str()) {
            return Some(2);
        }
        if name
            .iter()
            .skip(1)
            .any(|w| w.starts_with(query[0].as_str()))
        {
            return Some(3);
        }
    }
    None
}

#[derive(Clone, Copy)]
struct Candidate {
    person: usize,
    score: u8,
    holds_title: bool,
    /// In what order it was found: ties in the ranking keep it.
    found: usize,
}

/// The people of the forms a typed query fits, each with their best
/// form's score, in form order.
fn fitting_candidates(index: &Index, query: &[String]) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    let mut seen = vec![false; index.profiles.len()];
    // Only the forms the query can fit are scored.
    let first = query.first().map_or("", String::as_str);
    for f in index.forms_for_query(first, query.len() == 1) {
        let form = &index.forms[f];
        let Some(score) = name_score(query, &form.fold) else {
            continue;
        };
        for &p in &form.people {
            if !std::mem::replace(&mut seen[p], true) {
                candidates.push(Candidate {
                    person: p,
                    score,
                    holds_title: false,
                    found: candidates.len(),
                });
            }
        }
    }
    candidates
}

/// Every holder of the title (nothing typed after it): in the order of
/// their first name form, as the forms list them.
fn holder_candidates(index: &Index, holders: &[bool]) -> Vec<Candidate> {
    let mut held: Vec<(usize, usize)> = (0..index.profiles.len())
        .filter(|&p| holders[p])
        .filter_map(|p| Some((index.first_form(p)?, p)))
        .collect();
    held.sort_unstable();
    held.into_iter()
        .enumerate()
        .map(|(found, (_, p))| Candidate {
            person: p,
            score: ANY_NAME,
            holds_title: true,
            found,
        })
        .collect()
}

/// Sorts the first `n` candidates into ranking order — holders of the
/// title first, then better fits, then by name (by the names' places in
/// their order, numbers not strings), ties as found — and drops
/// the rest (a full sort of thousands of title holders was most of a
/// completion's time).
fn rank(index: &Index, candidates: &mut Vec<Candidate>, n: usize) {
    let key = |c: &Candidate| (!c.holds_title, c.score, index.name_order(c.person), c.found);
    if n > 0 && candidates.len() > n {
        candidates.select_nth_unstable_by_key(n - 1, key);
        candidates.truncate(n);
    }
    candidates.sort_unstable_by_key(key);
}

/// People whose name fits the words typed before the cursor.
fn name_completions(req: &Request) -> Option<Completions> {
    let Request {
        index,
        analysis,
        text,
        line_start,
        word_start,
        offset,
        style,
    } = *req;
    // The query is the last few words typed (a name has at most five).
    let mut starts = vec![word_start];
    let mut pos = word_start;
    while starts.len() < 5 {
        let before = &text[line_start..pos];
        let Some(prev) = before.strip_suffix(' ') else {
            break;
        };
        let w = prev
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_word_char(*c))
            .last()
            .map(|(i, _)| line_start + i);
        match w {
            Some(s) if s < pos - 1 => {
                starts.push(s);
                pos = s;
            }
            _ => break,
        }
    }
    for &start in starts.iter().rev() {
        let query: Vec<String> = text[start..offset]
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(text::fold)
            .collect();
        if query.is_empty() && start != word_start {
            continue;
        }
        // An empty query offers only the people holding the title before
        // it; a typed one asks who holds it once names fit (most starts
        // fit none).
        let holders = if query.is_empty() {
            Some(title_holders(index, analysis, text, line_start, start)?)
        } else {
            None
        };
        let mut candidates = match &holders {
            Some(holders) => holder_candidates(index, holders),
            None => fitting_candidates(index, &query),
        };
        if candidates.is_empty() {
            continue;
        }
        if !query.is_empty() {
            if let Some(holders) = title_holders(index, analysis, text, line_start, start) {
                for c in &mut candidates {
                    c.holds_title = holders[c.person];
                }
            }
        }
        // One item past the limit tells that the list is incomplete: no
        // more candidates than that are ever shown.
        rank(index, &mut candidates, MAX_ITEMS + 1);
        let typed_plain = text[start..offset].is_ascii();
        let mut items = Vec::new();
        for (rank, c) in candidates.iter().enumerate() {
            if items.len() > MAX_ITEMS {
                break;
            }
            let profile = &index.profiles[c.person];
            let titles = titles_on(index, c.person, analysis.date, style);
            let folded = text::fold(&profile.name);
            let initials: String = folded.split(' ').filter_map(|w| w.chars().next()).collect();
            let filter = if typed_plain {
                format!("{folded} {initials} {}", profile.name)
            } else {
                format!("{} {folded} {initials}", profile.name)
            };
            items.push(Item {
                label: profile.name.clone(),
                kind: ItemKind::Name,
                detail: titles.first().cloned(),
                insert: profile.name.clone(),
                filter: filter.clone(),
                sort: format!("{rank:04}a"),
                person: profile.id.clone(),
            });
            if !titles.is_empty() {
                let with = format!("{}, {}", profile.name, titles.join(", "));
                items.push(Item {
                    label: with.clone(),
                    kind: ItemKind::NameWithTitles,
                    detail: Some("name and titles on the document's date".into()),
                    insert: with,
                    filter,
                    sort: format!("{rank:04}b"),
                    person: profile.id.clone(),
                });
            }
        }
        let incomplete = items.len() > MAX_ITEMS;
        items.truncate(MAX_ITEMS);
        return Some(Completions {
            start,
            end: offset,
            items,
            incomplete,
        });
    }
    None
}

/// When a title stands right before `start` (`Bí thư Tỉnh ủy |`), the
/// people holding it on the document's date.
fn title_holders(
    index: &Index,
    analysis: &Analysis,
    text: &str,
    line_start: usize,
    start: usize,
) -> Option<Vec<bool>> {
    let before = &text[line_start..start];
    let trimmed = before.trim_end_matches([' ', '-', '–']).trim_end();
    if trimmed.len() == before.len() {
        return None;
    }
    let title = mentions::free_titles(trimmed, index)
        .into_iter()
        .rfind(|t| t.end == trimmed.len())?;
    // Each distinct title is matched once, then its holders' dates read;
    // per profile, whether it holds the title.
    let mut holders = vec![false; index.profiles.len()];
    let matching = index.shared_roles().filter(|(rt, _)| {
        titles::match_role(&title.words, title.place.as_deref(), rt) == RoleMatch::Match
    });
    for &(p, r) in matching.flat_map(|(_, held)| held) {
        if !holders[p] && index.held_on(p, r, analysis.date) {
            holders[p] = true;
        }
    }
    Some(holders)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, RunOptions};
    use crate::config::Config;

    fn at_end(text: &str) -> Option<Completions> {
        let index = crate::rules::testing::index();
        let full = format!("---\ndate: 2024-03-08\n---\n{text}");
        let a = analyze(
            &index,
            &Config::default(),
            "a.md",
            &full,
            RunOptions::default(),
        );
        complete(&index, &a, &full, full.len(), ToneStyle::Modern)
    }

    /// The forms the index offers a query are every form the query fits:
    /// each prefix of each folded word and of the initials of every name,
    /// alone and before the next word, against a scan of all forms.
    #[test]
    fn forms_for_query_misses_no_fitting_form() {
        let index = crate::rules::testing::index();
        let mut queries: Vec<Vec<String>> = vec![vec![String::new()], vec!["zz".into()]];
        for form in &index.forms {
            let initials: String = form.fold.iter().filter_map(|w| w.chars().next()).collect();
            for word in form
                .fold
                .iter()
                .map(|w| w.as_str())
                .chain([initials.as_str()])
            {
                for (end, _) in word.char_indices().skip(1).chain([(word.len(), ' ')]) {
                    let prefix = word[..end].to_string();
                    queries.push(vec![prefix.clone()]);
                    for next in &form.fold {
                        let letter = next.chars().take(1).collect();
                        queries.push(vec![word.to_string(), letter]);
                        queries.push(vec![prefix.clone(), next.to_string()]);
                    }
                }
            }
        }
        let mut fitted = 0;
        for query in &queries {
            let offered = index.forms_for_query(&query[0], query.len() == 1);
            for (f, form) in index.forms.iter().enumerate() {
                if name_score(query, &form.fold).is_some() {
                    fitted += 1;
                    assert!(offered.contains(&f), "{query:?} fits {:?}", form.fold);
                }
            }
        }
        // Each form's own first word fits it, at least.
        assert!(
            fitted >= index.forms.len(),
            "the queries fit forms: {fitted}"
        );
    }

    /// Holders come in the order a scan of every form meets them — by
    /// their first form, not by profile (the last profile here is also
    /// known by the first one's name).
    #[test]
    fn holders_in_form_order() {
        use crate::rules::testing::*;
        let also_phong = "---\nname: Lò Văn Zơ\naliases:\n  - Đặng Xuân Phong\nroles:\n  - title: Bí thư Huyện ủy\n---\n";
        let files = [
            ("people/a.md", PHONG),
            ("people/b.md", TRUONG),
            ("people/c.md", also_phong),
            ("people/d.md", HUNG_LC),
            ("people/e.md", HUNG_TB),
        ];
        let index = Index::build(
            files
                .iter()
                .map(|(p, t)| (p.to_string(), crate::profile::parse(p, t)))
                .collect(),
        );
        assert!(index.invalid.is_empty(), "{:?}", index.invalid);
        assert_eq!(index.first_form(2), Some(0), "known by the first form");
        let n = index.profiles.len();
        let subsets: Vec<Vec<bool>> = (0..n)
            .map(|p| (0..n).map(|q| q == p).collect())
            .chain([vec![true; n], (0..n).map(|q| q % 2 == 1).collect()])
            .collect();
        for holders in subsets {
            let mut scanned = Vec::new();
            for form in &index.forms {
                for &p in &form.people {
                    if holders[p] && !scanned.contains(&p) {
                        scanned.push(p);
                    }
                }
            }
            let listed: Vec<usize> = holder_candidates(&index, &holders)
                .iter()
                .map(|c| c.person)
                .collect();
            assert_eq!(listed, scanned, "{holders:?}");
        }
    }

    /// Ranking only the first few gives what a stable sort of all would.
    #[test]
    fn ranking_the_first_few_matches_a_full_sort() {
        let index = crate::rules::testing::index();
        let mut seed = 7u64;
        let mut next = move |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for round in 0..200 {
            let len = 1 + next(40) as usize;
            let all: Vec<Candidate> = (0..len)
                .map(|found| Candidate {
                    person: next(index.profiles.len() as u64) as usize,
                    score: next(4) as u8,
                    holds_title: next(3) == 0,
                    found,
                })
                .collect();
            let mut sorted: Vec<&Candidate> = all.iter().collect();
            sorted.sort_by(|a, b| {
                (!a.holds_title, a.score, &index.profiles[a.person].name).cmp(&(
                    !b.holds_title,
                    b.score,
                    &index.profiles[b.person].name,
                ))
            });
            let keep = 1 + round % 12;
            let mut ranked = all.clone();
            rank(&index, &mut ranked, keep);
            let want: Vec<usize> = sorted.iter().take(keep).map(|c| c.found).collect();
            let got: Vec<usize> = ranked.iter().map(|c| c.found).collect();
            assert_eq!(got, want, "round {round}");
        }
    }

    fn labels(c: &Completions) -> Vec<&str> {
        c.items.iter().map(|i| i.label.as_str()).collect()
    }

    #[test]
    fn names_without_diacritics_and_by_initials() {
        let c = at_end("Hôm nay ông dang xuan").unwrap();
        assert_eq!(c.items[0].label, "Đặng Xuân Phong");
        assert_eq!(
            c.items[0].detail.as_deref(),
            Some("Ủy viên Ban Chấp hành Trung ương Đảng")
        );
        assert_eq!(
            c.items[1].label,
            "Đặng Xuân Phong, Ủy viên Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy, Trưởng đoàn Đại biểu Quốc hội tỉnh"
        );
        let full_len = "---\ndate: 2024-03-08\n---\nHôm nay ông ".len();
        assert_eq!(c.start, full_len, "the whole typed prefix is replaced");
        let c = at_end("Ông dxp").unwrap();
        assert_eq!(c.items[0].label, "Đặng Xuân Phong");
        let c = at_end("Ông Đặng X").unwrap();
        assert_eq!(c.items[0].label, "Đặng Xuân Phong");
        assert!(at_end("Ông qqq").is_none());
    }

    #[test]
    fn titles_after_a_name() {
        let c = at_end("Trịnh Xuân Trường, ").unwrap();
        assert_eq!(
            labels(&c),
            [
                "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh",
                "Phó Bí thư Tỉnh ủy",
                "Chủ tịch UBND tỉnh"
            ]
        );
        let c = at_end("Trịnh Xuân Trường, chu").unwrap();
        assert_eq!(labels(&c), ["Chủ tịch UBND tỉnh"]);
    }

    #[test]
    fn people_after_a_title() {
        let c = at_end("Chủ tịch UBND tỉnh ").unwrap();
        assert_eq!(c.items[0].label, "Trịnh Xuân Trường");
        let c = at_end("Tổng Bí thư t").unwrap();
        assert!(labels(&c).contains(&"Tô Lâm"));
        // Typed letters after a title: its holder first, though another
        // name sorts before his.
        let c = at_end("Bí thư Tỉnh ủy xu").unwrap();
        let names: Vec<&str> = labels(&c)
            .into_iter()
            .filter(|l| !l.contains(','))
            .collect();
        assert_eq!(names, ["Đặng Xuân Phong", "Trịnh Xuân Trường"]);
    }
}
