//! Checking one document: recognise mentions, settle who each one is, judge
//! their titles against the profiles, and run every rule. Pure: index and
//! text in, diagnostics out.

use crate::config::{Config, Undated};
use crate::date::Day;
use crate::diagnostic::Diagnostic;
use crate::document::{self, DocInfo};
use crate::index::Index;
use crate::mentions::{self, Mention, NameKind, TitleSpan};
use crate::rules;
use crate::titles::{self, RoleMatch};
use rustc_hash::FxHashMap as HashMap;

/// A mention with the person it was settled to.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub mention: Mention,
    /// The profile this mention is, when settled.
    pub person: Option<usize>,
    /// Profiles the name could be (homonyms), when not settled (most
    /// names are one person's: kept inline).
    pub candidates: smallvec::SmallVec<[usize; 2]>,
}

/// Everything a rule needs to judge one document.
pub struct Context<'a> {
    pub index: &'a Index,
    pub config: &'a Config,
    pub text: &'a str,
    /// The date titles are judged at; `None`: undated, any title ever held is fine.
    pub date: Option<Day>,
    pub mentions: Vec<Resolved>,
    /// Verdicts already given, by (person, title start): three rules ask
    /// about every title.
    verdicts: std::cell::RefCell<HashMap<(usize, usize), Verdict>>,
}

/// Options of a check run that are not in `roster.toml`.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions {
    /// `--date`: overrides every document's date.
    pub date: Option<Day>,
    /// "Today" for `undated = "today"`.
    pub today: Option<Day>,
}

/// Everything known about one document after checking it.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub info: DocInfo,
    /// The date titles were judged at (`None`: undated, history mode).
    pub date: Option<Day>,
    pub mentions: Vec<Resolved>,
    /// Sorted by position, configured severities applied.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// The mention whose name covers byte `offset` (its end included, so a
    /// cursor right after a name still finds it).
    pub fn mention_at(&self, offset: usize) -> Option<&Resolved> {
        self.mentions
            .iter()
            .find(|r| r.mention.start <= offset && offset <= r.mention.end)
    }
}

/// Checks one document: its mentions, who they are, and its diagnostics.
pub fn analyze(
    index: &Index,
    config: &Config,
    path: &str,
    text: &str,
    opts: RunOptions,
) -> Analysis {
    let info = document::read(path, text);
    let ctx = context(index, config, text, &info, opts);
    let mut out = Vec::new();
    rules::check_document(&ctx, &mut out);
    Analysis {
        date: ctx.date,
        mentions: ctx.mentions,
        diagnostics: finish(config, out),
        info,
    }
}

/// Checks one document and returns its diagnostics, sorted by position,
/// with the configured severities (codes turned off are dropped).
pub fn check_document(
    index: &Index,
    config: &Config,
    path: &str,
    text: &str,
    opts: RunOptions,
) -> Vec<Diagnostic> {
    analyze(index, config, path, text, opts).diagnostics
}

/// Applies configured severities and sorts.
pub fn finish(config: &Config, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = diags
        .into_iter()
        .filter_map(|mut d| {
            d.severity = config.severity_of(d.code)?;
            Some(d)
        })
        .collect();
    out.sort_by_key(|d| (d.start, d.end, d.code));
    out.dedup();
    out
}

/// Builds the judging context of a document.
pub fn context<'a>(
    index: &'a Index,
    config: &'a Config,
    text: &'a str,
    info: &DocInfo,
    opts: RunOptions,
) -> Context<'a> {
    let found = mentions::recognize(text, info.body_start, index);
    settle(index, config, text, info, opts, found)
}

/// Who is named where in a document: its mentions settled to people as
/// [`context`] settles them, for the language server's index. Titles are
/// read only when some name needs them to be settled, so the mentions
/// may have none: this context is not for judging titles.
pub fn people_context<'a>(
    index: &'a Index,
    config: &'a Config,
    text: &'a str,
    info: &DocInfo,
    opts: RunOptions,
) -> Context<'a> {
    let found = mentions::recognize_profiled(text, info.body_start, index, |m| {
        titles_can_settle(index, m)
    });
    settle(index, config, text, info, opts, found)
}

/// Whether the titles written next to a name can change whom it is
/// settled to: a name several profiles share ([`settle_by_titles`]), or a
/// near match written with diacritics ([`is_other_person`]).
fn titles_can_settle(index: &Index, m: &Mention) -> bool {
    m.form.is_some_and(|f| index.form_people(f).len() > 1)
        || (m.kind == (NameKind::Near { typo: false }) && !m.ascii_only)
}

/// Settles recognised mentions (and the people the front matter lists)
/// to profiles.
fn settle<'a>(
    index: &'a Index,
    config: &'a Config,
    text: &'a str,
    info: &DocInfo,
    opts: RunOptions,
    mut found: Vec<Mention>,
) -> Context<'a> {
    let date = opts.date.or(info.date).or(match config.undated {
        Undated::History => None,
        Undated::Today => Some(opts.today.unwrap_or_else(Day::today)),
    });
    for listed in &info.people {
        let (form, kind) = mentions::match_listed_name(index, &listed.text);
        found.push(Mention {
            start: listed.start,
            end: listed.end,
            key: crate::text::canonical_phrase(&listed.text).into(),
            form,
            kind,
            titles: Vec::new(),
            honorific: true,
            ascii_only: crate::text::fold(&listed.text) == listed.text.to_lowercase(),
        });
    }
    found.sort_by_key(|m| m.start);
    // Room for a verdict on every title: the map is not rehashed as the
    // rules fill it.
    let titles = found.iter().map(|m| m.titles.len()).sum();
    let mut ctx = Context {
        index,
        config,
        text,
        date,
        mentions: Vec::with_capacity(found.len()),
        verdicts: std::cell::RefCell::new(HashMap::with_capacity_and_hasher(
            titles,
            Default::default(),
        )),
    };
    let mut settled: HashMap<compact_str::CompactString, usize> = HashMap::default();
    for mut m in found {
        let mut candidates = m.form.map(|f| index.form_people(f)).unwrap_or_default();
        if is_other_person(&ctx, &m, &candidates) {
            m.kind = NameKind::Unknown;
            m.form = None;
            candidates.clear();
        }
        let person = match candidates.as_slice() {
            [] => None,
            [one] => Some(*one),
            many => {
                let by_titles = settle_by_titles(&ctx, &m.titles, many);
                if let Some(p) = by_titles {
                    settled.insert(m.key.clone(), p);
                }
                by_titles.or_else(|| settled.get(&m.key).copied())
            }
        };
        ctx.mentions.push(Resolved {
            mention: m,
            person,
            candidates,
        });
    }
    ctx
}

/// A name written with full diacritics that differ from a profile's, given
/// titles that person never held, is someone else (`Lê Văn Lượng` is not
/// `Lê Văn Lương` when his titles are not Lương's).
fn is_other_person(ctx: &Context, m: &Mention, candidates: &[usize]) -> bool {
    m.kind == (NameKind::Near { typo: false })
        && !m.ascii_only
        && !m.titles.is_empty()
        && !mentions_same_case_letters(ctx, m)
        && candidates.iter().all(|&p| {
            m.titles
                .iter()
                .all(|t| matching_roles(ctx, p, t).is_empty())
        })
}

/// The mention differs from its form only in case (not in diacritics).
fn mentions_same_case_letters(ctx: &Context, m: &Mention) -> bool {
    m.form.is_some_and(|f| {
        let mut key = m.key.split(' ');
        let norm = &ctx.index.forms[f].norm;
        norm.iter().all(|w| key.next() == Some(w.as_str())) && key.next().is_none()
    })
}

/// Among homonyms, the one the titles point to: held on the date first,
/// then ever held.
fn settle_by_titles(ctx: &Context, titles: &[TitleSpan], people: &[usize]) -> Option<usize> {
    if titles.is_empty() {
        return None;
    }
    let pick = |on_date: bool| -> Option<usize> {
        let fits: Vec<usize> = people
            .iter()
            .copied()
            .filter(|&p| {
                titles.iter().any(|t| {
                    matching_roles(ctx, p, t)
                        .iter()
                        .any(|&r| !on_date || ctx.index.held_on(p, r, ctx.date))
                })
            })
            .collect();
        (fits.len() == 1).then(|| fits[0])
    };
    pick(true).or_else(|| pick(false))
}

/// Roles of person `p` that the written title names (any date).
pub fn matching_roles(ctx: &Context, p: usize, t: &TitleSpan) -> smallvec::SmallVec<[usize; 4]> {
    // Pushed one by one: a small vector collected from an iterator cost
    // a few hundred instructions more than the matching.
    let mut roles = smallvec::SmallVec::new();
    for (i, rt) in ctx.index.role_titles(p).enumerate() {
        if titles::match_role(&t.words, t.place.as_deref(), rt) == RoleMatch::Match {
            roles.push(i);
        }
    }
    roles
}

/// What a title written for a settled person amounts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Right on the document's date: this role.
    Held(usize),
    /// Never held; `wrong_place`: the role held with another place.
    Never { wrong_place: Option<usize> },
    /// Held, but not on the document's date: these roles.
    NotOnDate(smallvec::SmallVec<[usize; 4]>),
    /// Written as former (`nguyên`) but still held on the date.
    StillHeld(usize),
    /// A title the profile cannot speak to (an ad-hoc body, a rank the profile does not track).
    NotJudged,
}

/// Judges one title of a settled person.
pub fn judge(ctx: &Context, p: usize, t: &TitleSpan) -> Verdict {
    if let Some(v) = ctx.verdicts.borrow().get(&(p, t.start)) {
        return v.clone();
    }
    let v = judge_anew(ctx, p, t);
    ctx.verdicts.borrow_mut().insert((p, t.start), v.clone());
    v
}

fn judge_anew(ctx: &Context, p: usize, t: &TitleSpan) -> Verdict {
    let role_titles = ctx.index.role_titles(p);
    if t.is_rank && !role_titles.clone().any(|r| r.is_rank) {
        return Verdict::NotJudged;
    }
    let matches = matching_roles(ctx, p, t);
    if matches.is_empty() {
        let wrong_place = role_titles.clone().position(|rt| {
            titles::match_role(&t.words, t.place.as_deref(), rt) == RoleMatch::WrongPlace
        });
        return if wrong_place.is_some() || ctx.index.is_judgeable_body(t.body()) {
            Verdict::Never { wrong_place }
        } else {
            Verdict::NotJudged
        };
    }
    if t.former {
        if ctx.date.is_none() {
            return Verdict::Held(matches[0]);
        }
        if let Some(&r) = matches
            .iter()
            .find(|&&r| ctx.index.ended_before(p, r, ctx.date))
        {
            return Verdict::Held(r);
        }
        if let Some(&r) = matches.iter().find(|&&r| ctx.index.held_on(p, r, ctx.date)) {
            return Verdict::StillHeld(r);
        }
        return Verdict::NotOnDate(matches);
    }
    match matches.iter().find(|&&r| ctx.index.held_on(p, r, ctx.date)) {
        Some(&r) => Verdict::Held(r),
        None => Verdict::NotOnDate(matches),
    }
}

/// The fix for a wrong or outdated title (SPEC §4): the person's title held
/// on the date in the same body (for a rank, the rank then held), else their
/// whole chain held on that date.
pub fn replacement(ctx: &Context, p: usize, t: &TitleSpan) -> Option<String> {
    let profile = &ctx.index.profiles[p];
    let style = ctx.config.style.tone_marks;
    let held: Vec<usize> = (0..profile.roles.len())
        .filter(|&r| ctx.index.held_on(p, r, ctx.date))
        .collect();
    if t.is_rank {
        // A rank is replaced by the rank held then.
        if let Some(&r) = held.iter().find(|&&r| ctx.index.role_title(p, r).is_rank) {
            return Some(titles::render(&profile.roles[r], style));
        }
    }
    if !t.body().is_empty() {
        if let Some(&r) = held
            .iter()
            .find(|&&r| titles::same_body(ctx.index.role_title(p, r).body(), t.body()))
        {
            return Some(titles::render(&profile.roles[r], style));
        }
    }
    let chain: Vec<String> = held
        .iter()
        .map(|&r| titles::render(&profile.roles[r], style))
        .collect();
    (!chain.is_empty()).then(|| chain.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::index;

    /// (name, profile path) of each mention.
    type Settled = Vec<(String, Option<String>)>;

    /// Each mention's name and person, as a context settles them.
    fn settled(ctx: &Context) -> Settled {
        ctx.mentions
            .iter()
            .map(|r| {
                let name = ctx.text[r.mention.start..r.mention.end].to_string();
                (name, r.person.map(|p| ctx.index.profiles[p].path.clone()))
            })
            .collect()
    }

    /// Mentions of `text` settled when judging, when indexing, and whether
    /// the indexing ones have titles.
    fn both(text: &str) -> (Settled, Settled, bool) {
        let (index, config) = (index(), Config::default());
        let full = format!("---\ndate: 2024-03-08\n---\n{text}");
        let info = document::read("articles/a.md", &full);
        let opts = RunOptions::default();
        let judging = context(&index, &config, &full, &info, opts);
        let indexing = people_context(&index, &config, &full, &info, opts);
        let titled = indexing
            .mentions
            .iter()
            .any(|r| !r.mention.titles.is_empty());
        (settled(&judging), settled(&indexing), titled)
    }

    #[test]
    fn names_needing_no_titles_are_settled_without_reading_them() {
        let (judging, indexing, titled) =
            both("Bí thư Tỉnh ủy Lào Cai Đặng Xuân Phong và ông Trịnh Xuân Trường dự.");
        assert_eq!(indexing, judging);
        assert_eq!(indexing.len(), 2);
        assert!(!titled, "no name needed its titles");
    }

    #[test]
    fn homonyms_are_settled_by_their_titles_as_when_judging() {
        let (judging, indexing, titled) = both(
            "Ông Nguyễn Văn Hùng, Giám đốc Sở Tài chính tỉnh Lào Cai, dự. Ông Nguyễn Văn Hùng cho biết.",
        );
        assert_eq!(indexing, judging);
        let lc = Some("people/nguyen-van-hung-lc.md".to_string());
        assert!(indexing.iter().all(|(_, p)| *p == lc), "{indexing:?}");
        assert!(titled);
    }

    #[test]
    fn a_near_name_with_titles_never_held_is_someone_else_as_when_judging() {
        let (judging, indexing, _) =
            both("Chủ tịch UBND tỉnh Thái Bình Đặng Xuân Phòng phát biểu.");
        assert_eq!(indexing, judging);
        assert_eq!(indexing, [("Đặng Xuân Phòng".to_string(), None)]);
    }
}
