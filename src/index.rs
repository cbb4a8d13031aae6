//! The workspace index: every valid profile, prepared once for matching —
//! names and aliases by first word (exact) and by every folded word (near
//! misses), role titles, known places and judgeable bodies.

use crate::date::Day;
use crate::lexicon;
use crate::profile::{Profile, ProfileError};
use crate::text::{self, Word};
use crate::titles::RoleTitle;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// One written form of a name (a profile's `name` or an alias), shared by
/// every profile that has it (homonyms).
#[derive(Debug, Clone)]
pub struct NameForm {
    /// Canonical words with case kept (for case checks).
    pub cased: Vec<String>,
    /// Canonical lower-case words (exact matching).
    pub norm: Vec<String>,
    /// Folded words (near misses), each inline: a near miss is compared
    /// word by word, and words on the heap cost a cache miss each.
    pub fold: Vec<Word>,
    /// Indices into [`Index::profiles`] (almost always one, kept inline).
    pub people: smallvec::SmallVec<[usize; 2]>,
}

/// A profile file that could not be used.
#[derive(Debug, Clone)]
pub struct InvalidProfile {
    pub path: String,
    pub error: ProfileError,
}

/// A name form as [`Index::forms_named`] finds it: the form, its word
/// count, and where its words are in the index's text of forms.
#[derive(Debug, Clone, Copy, Default)]
pub struct NamedForm {
    pub form: u32,
    pub words: u32,
    at: u32,
    norm_len: u32,
    cased_len: u32,
}

/// A profile role as judging needs it: its prepared title (a place in
/// the shared list) and the first and last days it covers.
#[derive(Debug, Clone, Copy)]
struct HeldRole {
    title: u32,
    first: Option<Day>,
    last: Option<Day>,
}

#[derive(Debug, Default)]
pub struct Index {
    /// Different for every build: what word classes cached per thread are
    /// tied to (see [`crate::text::Classify`]).
    id: u64,
    pub profiles: Vec<Profile>,
    /// Per profile, the first form (in `forms`) naming them, if any.
    first_form: Vec<Option<usize>>,
    /// Per form, the one profile it names, or `u32::MAX` for a form
    /// homonyms share: four bytes a form, read for every name found,
    /// where the form itself is a cache miss in a large index.
    sole_person: Vec<u32>,
    /// Profile id -> its profile (the first, should two share an id).
    by_id: HashMap<String, usize>,
    /// Per profile, where its name stands among all profiles' names in
    /// string order (equal names share a place): ranking completions by
    /// name compares these instead of the names.
    name_order: Vec<u32>,
    /// Per profile, where its roles start in `held` (and, one past the
    /// last profile, where they end).
    role_start: Vec<u32>,
    /// Every profile's roles in profile order, as judging needs them: a
    /// few bytes each, side by side, so that judging a title does not reach
    /// into the profile (see [`HeldRole`]).
    held: Vec<HeldRole>,
    /// Each distinct (title, org) of the profiles, prepared once, with the
    /// (profile, role) pairs that have it: who held a written title is
    /// asked of these, not of every profile's every role.
    shared_roles: Vec<(RoleTitle, Vec<(usize, usize)>)>,
    pub invalid: Vec<InvalidProfile>,
    pub forms: Vec<NameForm>,
    /// First canonical word -> forms starting with it.
    by_first: HashMap<String, Vec<usize>>,
    /// [`words_key`] of all canonical words -> forms with exactly those
    /// words (many people share a family and a middle name, few a name).
    by_words: HashMap<u64, smallvec::SmallVec<[NamedForm; 1]>>,
    /// The words of every form, canonical then as written, each joined by
    /// spaces, one form after the other (see [`NamedForm`]).
    form_text: String,
    /// First canonical word -> the lengths (in words) of the forms it
    /// starts, bit `n - 1` for `n` words (all bits past 32).
    form_lengths: HashMap<String, u32>,
    /// The most words a name form has.
    max_form_words: usize,
    /// Folded word -> (form, word position), for names of one or two words.
    by_fold: HashMap<String, Vec<(usize, usize)>>,
    /// [`pair_key`] of two folded words of a longer name -> (form, position
    /// of the first, whether the pair skips a word). One typo leaves at
    /// least one such pair intact: neighbours, or the first and third word.
    by_fold_pair: HashMap<u64, Vec<(usize, usize, bool)>>,
    /// Folded words that come first in some pair of `by_fold_pair`.
    fold_pair_firsts: HashSet<String>,
    /// Canonical place phrases (gazetteer and profile `org`s) and their
    /// leading words that go on (`thành phố` of `thành phố hà nội`).
    places: lexicon::PhraseTable,
    /// First words of `places`, to skip most words at once.
    place_first_words: HashSet<String>,
    max_place_words: usize,
    /// Bodies (canonical words) whose titles can be judged.
    bodies: Vec<Vec<Word>>,
    /// Per word, the places in `bodies` of the bodies that have it: a
    /// written body is compared only with bodies that share its first or
    /// last word.
    bodies_with_word: HashMap<Word, smallvec::SmallVec<[u32; 4]>>,
    /// Forms by their folded first word, later words and initials: what
    /// a completion query can fit (see [`Index::forms_for_query`]).
    first_words: PrefixTable,
    /// The folded words after the first of every form.
    later_words: PrefixTable,
    /// The first letters of every form's folded words, run together.
    initials: PrefixTable,
}

/// Words sorted with the form each belongs to, so that the forms with a
/// word starting with a prefix are one binary search away (completion
/// over 10,000 profiles scanned some 30,000 forms a keystroke).
#[derive(Debug, Default)]
struct PrefixTable {
    entries: Vec<(Word, u32)>,
}

impl PrefixTable {
    fn push(&mut self, word: &str, form: usize) {
        // Forms are far below `u32::MAX`.
        self.entries.push((Word::from(word), form as u32));
    }

    fn sort(&mut self) {
        self.entries.sort_unstable();
        self.entries.dedup();
    }

    /// The forms with a word starting with `prefix` (a form may come twice).
    fn starting_with<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = usize> + 'a {
        let from = self.entries.partition_point(|(w, _)| w.as_str() < prefix);
        self.entries[from..]
            .iter()
            .take_while(move |(w, _)| w.starts_with(prefix))
            .map(|&(_, f)| f as usize)
    }
}

impl Index {
    /// Builds the index from parsed profile files.
    pub fn build(parsed: Vec<(String, Result<Profile, ProfileError>)>) -> Index {
        static BUILDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut index = Index {
            id: BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..Index::default()
        };
        for (path, result) in parsed {
            match result {
                Ok(p) => index.profiles.push(p),
                Err(error) => index.invalid.push(InvalidProfile { path, error }),
            }
        }
        index.profiles.sort_by(|a, b| a.path.cmp(&b.path));
        index.invalid.sort_by(|a, b| a.path.cmp(&b.path));
        for (i, p) in index.profiles.iter().enumerate() {
            index.by_id.entry(p.id.clone()).or_insert(i);
        }
        index.first_form = vec![None; index.profiles.len()];
        index.name_order = name_order(&index.profiles);
        for place in lexicon::PLACES {
            index.add_place(place);
        }
        index.bodies = lexicon::STANDARD_BODIES
            .iter()
            .map(|b| b.split(' ').map(Word::from).collect())
            .collect();
        let mut form_of: HashMap<Vec<String>, usize> = HashMap::default();
        // Many people share a title: prepare each (title, org) once.
        let mut prepared: HashMap<(&str, Option<&str>), usize> = HashMap::default();
        let mut orgs: Vec<String> = Vec::new();
        for (pi, p) in index.profiles.iter().enumerate() {
            let roles: Vec<usize> = p
                .roles
                .iter()
                .enumerate()
                .map(|(ri, r)| {
                    let shared = *prepared
                        .entry((r.title.as_str(), r.org.as_deref()))
                        .or_insert_with(|| {
                            index.shared_roles.push((RoleTitle::new(r), Vec::new()));
                            index.shared_roles.len() - 1
                        });
                    index.shared_roles[shared].1.push((pi, ri));
                    shared
                })
                .collect();
            index.role_start.push(index.held.len() as u32);
            index
                .held
                .extend(roles.iter().zip(&p.roles).map(|(&title, role)| HeldRole {
                    title: title as u32,
                    first: role.from.map(|f| f.first_day()),
                    last: role.to.map(|t| t.last_day()),
                }));
            for (role, &shared) in p.roles.iter().zip(&roles) {
                let rt = &index.shared_roles[shared].0;
                if let Some(org) = &role.org {
                    orgs.push(text::canonical_phrase(org));
                }
                if !rt.body().is_empty() && !index.bodies.iter().any(|b| b == rt.body()) {
                    index.bodies.push(rt.body().to_vec());
                }
            }
            for written in std::iter::once(&p.name).chain(&p.aliases) {
                let toks = text::tokenize_words(written);
                if toks.is_empty() {
                    continue;
                }
                let cased: Vec<String> = toks.iter().map(|t| t.cased().to_string()).collect();
                let fi = *form_of.entry(cased.clone()).or_insert_with(|| {
                    index.forms.push(NameForm {
                        norm: toks.iter().map(|t| t.norm().to_string()).collect(),
                        fold: toks.iter().map(|t| Word::from(t.fold())).collect(),
                        cased,
                        people: Default::default(),
                    });
                    index.forms.len() - 1
                });
                if !index.forms[fi].people.contains(&pi) {
                    index.forms[fi].people.push(pi);
                }
                let first = &mut index.first_form[pi];
                *first = Some(first.map_or(fi, |f| f.min(fi)));
            }
        }
        index.role_start.push(index.held.len() as u32);
        for org in orgs {
            index.add_place(&org);
        }
        index.sole_person = index
            .forms
            .iter()
            .map(|f| match f.people.as_slice() {
                &[p] => p as u32,
                _ => u32::MAX,
            })
            .collect();
        for (fi, form) in index.forms.iter().enumerate() {
            index
                .by_first
                .entry(form.norm[0].clone())
                .or_default()
                .push(fi);
            let words: Vec<&str> = form.norm.iter().map(String::as_str).collect();
            // Forms and word counts are far below `u32::MAX`.
            let at = index.form_text.len();
            index.form_text.push_str(&form.norm.join(" "));
            let norm_len = index.form_text.len() - at;
            index.form_text.push_str(&form.cased.join(" "));
            let named = NamedForm {
                form: fi as u32,
                words: words.len() as u32,
                at: at as u32,
                norm_len: norm_len as u32,
                cased_len: (index.form_text.len() - at - norm_len) as u32,
            };
            index
                .by_words
                .entry(words_key(&words))
                .or_default()
                .push(named);
            *index.form_lengths.entry(form.norm[0].clone()).or_default() |= length_bit(words.len());
            index.max_form_words = index.max_form_words.max(words.len());
            let f = &form.fold;
            if f.len() <= 2 {
                for (pos, w) in f.iter().enumerate() {
                    index
                        .by_fold
                        .entry(w.to_string())
                        .or_default()
                        .push((fi, pos));
                }
            } else {
                for pos in 0..f.len() - 1 {
                    let key = pair_key(&f[pos], &f[pos + 1]);
                    index
                        .by_fold_pair
                        .entry(key)
                        .or_default()
                        .push((fi, pos, false));
                }
                let key = pair_key(&f[0], &f[2]);
                index
                    .by_fold_pair
                    .entry(key)
                    .or_default()
                    .push((fi, 0, true));
                index
                    .fold_pair_firsts
                    .extend(f[..f.len() - 1].iter().map(|w| w.to_string()));
            }
        }
        for (fi, form) in index.forms.iter().enumerate() {
            let Some((first, later)) = form.fold.split_first() else {
                continue;
            };
            index.first_words.push(first, fi);
            for w in later {
                index.later_words.push(w, fi);
            }
            let initials: String = form.fold.iter().filter_map(|w| w.chars().next()).collect();
            index.initials.push(&initials, fi);
        }
        for table in [
            &mut index.first_words,
            &mut index.later_words,
            &mut index.initials,
        ] {
            table.sort();
        }
        for (bi, body) in index.bodies.iter().enumerate() {
            for w in body {
                let with = index.bodies_with_word.entry(w.clone()).or_default();
                if with.last() != Some(&(bi as u32)) {
                    with.push(bi as u32);
                }
            }
        }
        let forms = &index.forms;
        for list in index.by_first.values_mut() {
            list.sort_by_key(|&fi| std::cmp::Reverse(forms[fi].norm.len()));
        }
        index
    }

    fn add_place(&mut self, place: &str) {
        self.max_place_words = self.max_place_words.max(place.split(' ').count());
        if let Some(first) = place.split(' ').next() {
            self.place_first_words.insert(first.to_string());
        }
        self.places.insert(place);
    }

    /// The forms a completion query whose first folded word is `first`
    /// can fit, in index order: those whose folded first word starts with
    /// it and, for a query of that one word (`one_word`) of two letters or
    /// more, those whose initials or a later word start with it. Every form
    /// a query fits is among them (the caller scores them).
    pub fn forms_for_query(&self, first: &str, one_word: bool) -> Vec<usize> {
        let mut forms: Vec<usize> = self.first_words.starting_with(first).collect();
        if one_word && first.len() >= 2 {
            forms.extend(self.initials.starting_with(first));
            forms.extend(self.later_words.starting_with(first));
        }
        forms.sort_unstable();
        forms.dedup();
        forms
    }

    /// What a canonical phrase of whole words is to the known places.
    pub fn place_phrase(&self, canonical_phrase: &str) -> lexicon::PhraseKind {
        self.places.get(canonical_phrase)
    }

    /// Whether some place starts with this canonical word.
    pub fn may_start_place(&self, word: &str) -> bool {
        self.place_first_words.contains(word)
    }

    /// Whether some name form starts with this canonical word.
    pub fn starts_form(&self, norm: &str) -> bool {
        self.by_first.contains_key(norm)
    }

    /// Whether some one- or two-word name has this folded word.
    pub fn has_folded_word(&self, fold: &str) -> bool {
        self.by_fold.contains_key(fold)
    }

    /// Name forms whose first canonical word is `norm`, longest first.
    pub fn forms_starting_with(&self, norm: &str) -> &[usize] {
        self.by_first.get(norm).map_or(&[], Vec::as_slice)
    }

    /// Name forms of as many words as `words` whose canonical words may be
    /// exactly these (a hash match: compare the words, see
    /// [`Index::form_words`]), in form order.
    pub fn forms_named<'a>(&'a self, words: &[&str]) -> impl Iterator<Item = &'a NamedForm> + 'a {
        let n = words.len() as u32;
        self.by_words
            .get(&words_key(words))
            .into_iter()
            .flatten()
            .filter(move |named| named.words == n)
    }

    /// The canonical and the written words of a named form, each joined by
    /// spaces: read from one string of all forms, so that matching a name
    /// touches one cache line instead of the form, its word lists and
    /// each word's own string (with 10,000 profiles, these misses were
    /// most of the time spent finding names).
    pub fn form_words(&self, named: &NamedForm) -> (&str, &str) {
        let at = named.at as usize;
        let norm_end = at + named.norm_len as usize;
        (
            &self.form_text[at..norm_end],
            &self.form_text[norm_end..norm_end + named.cased_len as usize],
        )
    }

    /// The lengths in words of the forms that start with this canonical
    /// word, as [`length_bit`]s.
    pub fn form_lengths(&self, norm: &str) -> u32 {
        self.form_lengths.get(norm).copied().unwrap_or(0)
    }

    /// The most words a name form has.
    pub fn max_form_words(&self) -> usize {
        self.max_form_words
    }

    /// (form, position) of words of one- and two-word names that fold to `fold`.
    pub fn forms_with_folded_word(&self, fold: &str) -> &[(usize, usize)] {
        self.by_fold.get(fold).map_or(&[], Vec::as_slice)
    }

    /// (form, position, skips a word) of longer names with these two folded
    /// words as a pair.
    pub fn forms_with_folded_pair(&self, first: &str, second: &str) -> &[(usize, usize, bool)] {
        self.by_fold_pair
            .get(&pair_key(first, second))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether some longer name has a pair in `by_fold_pair` starting with this folded word.
    pub fn starts_folded_pair(&self, fold: &str) -> bool {
        self.fold_pair_firsts.contains(fold)
    }

    /// Different for every index built (see [`crate::text::Classify::id`]).
    pub fn id(&self) -> u64 {
        self.id
    }

    pub fn is_place(&self, canonical_phrase: &str) -> bool {
        self.places.get(canonical_phrase).entry
    }

    pub fn max_place_words(&self) -> usize {
        self.max_place_words
    }

    /// Whether a title on this body can be judged against a profile: a
    /// standard body, a body of some profile role, a short form of one, or
    /// a department of one (`Ban Tổ chức Tỉnh ủy`).
    pub fn is_judgeable_body(&self, body: &[Word]) -> bool {
        let (Some(first), Some(last)) = (body.first(), body.last()) else {
            return true;
        };
        let with = |w: &Word| {
            self.bodies_with_word
                .get(w)
                .into_iter()
                .flatten()
                .map(|&b| self.bodies[b as usize].as_slice())
        };
        // A body that has `body` as a subsequence has its first word; one
        // `body` ends with has its last.
        matches!(first.as_str(), "bộ" | "sở")
            || with(first).any(|b| is_subsequence(body, b))
            || with(last).any(|b| body.ends_with(b))
    }

    /// The roles of profile `p` as judging needs them, in profile order.
    fn held_roles(&self, p: usize) -> &[HeldRole] {
        match (self.role_start.get(p), self.role_start.get(p + 1)) {
            (Some(&a), Some(&b)) => &self.held[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The roles of profile `p` prepared for matching, in profile order.
    pub fn role_titles(&self, p: usize) -> impl ExactSizeIterator<Item = &RoleTitle> + Clone {
        self.held_roles(p)
            .iter()
            .map(|h| &self.shared_roles[h.title as usize].0)
    }

    /// Role `r` of profile `p` prepared for matching.
    pub fn role_title(&self, p: usize, r: usize) -> &RoleTitle {
        &self.shared_roles[self.shared_role(p, r)].0
    }

    /// Where role `r` of profile `p` is in the list of distinct (title,
    /// org) of [`Index::shared_roles`]: what is worked out of a role's
    /// title can be kept by this number.
    pub fn shared_role(&self, p: usize, r: usize) -> usize {
        self.held_roles(p)[r].title as usize
    }

    /// Whether role `r` of profile `p` is held on `day` (`None`: undated
    /// history mode, always), as [`crate::titles::held_on`] says of it.
    pub fn held_on(&self, p: usize, r: usize, day: Option<Day>) -> bool {
        let Some(day) = day else { return true };
        let role = &self.held_roles(p)[r];
        role.first.is_none_or(|f| f <= day) && role.last.is_none_or(|l| day <= l)
    }

    /// Whether role `r` of profile `p` had ended before `day` (`None`:
    /// whether it ever ended).
    pub fn ended_before(&self, p: usize, r: usize, day: Option<Day>) -> bool {
        match (self.held_roles(p)[r].last, day) {
            (Some(last), Some(day)) => last < day,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// Every distinct prepared role title with the (profile, role index)
    /// pairs holding it (see [`Index::role_titles`]).
    pub fn shared_roles(&self) -> impl Iterator<Item = (&RoleTitle, &[(usize, usize)])> {
        self.shared_roles
            .iter()
            .map(|(t, held)| (t, held.as_slice()))
    }

    /// Where profile `p`'s name stands in the string order of all
    /// profiles' names (equal names share a place).
    pub fn name_order(&self, p: usize) -> u32 {
        self.name_order[p]
    }

    /// The first form of [`Index::forms`] that names profile `p`.
    pub fn first_form(&self, p: usize) -> Option<usize> {
        self.first_form.get(p).copied().flatten()
    }

    /// The profiles name form `f` may be: [`NameForm::people`], read
    /// without the form for a form only one profile has.
    pub fn form_people(&self, f: usize) -> smallvec::SmallVec<[usize; 2]> {
        match self.sole_person.get(f) {
            Some(&p) if p != u32::MAX => smallvec::smallvec![p as usize],
            _ => smallvec::SmallVec::from_slice(&self.forms[f].people),
        }
    }

    /// Profiles by id.
    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.by_id.get(id).map(|&i| &self.profiles[i])
    }
}

/// Each profile's place in the string order of all profiles' names, equal
/// names sharing one (see [`Index::name_order`]).
fn name_order(profiles: &[Profile]) -> Vec<u32> {
    let mut by_name: Vec<usize> = (0..profiles.len()).collect();
    by_name.sort_by(|&a, &b| profiles[a].name.cmp(&profiles[b].name));
    let mut order = vec![0; profiles.len()];
    let mut place = 0;
    for (k, &p) in by_name.iter().enumerate() {
        if k > 0 && profiles[by_name[k - 1]].name != profiles[p].name {
            place = k as u32;
        }
        order[p] = place;
    }
    order
}

/// The bit standing for names of `n` words in [`Index::form_lengths`]
/// (every bit for names longer than 32 words).
pub fn length_bit(n: usize) -> u32 {
    match n {
        1..=32 => 1 << (n - 1),
        _ => u32::MAX,
    }
}

/// A hash of a run of words, their number included, for indexes keyed by
/// names (verified after lookup).
pub fn words_key(words: &[&str]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    words.len().hash(&mut h);
    for w in words {
        w.hash(&mut h);
    }
    h.finish()
}

/// A hash of two words, for indexes keyed by word pairs (verified after lookup).
pub fn pair_key(a: &str, b: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    a.hash(&mut h);
    b.hash(&mut h);
    h.finish()
}

fn is_subsequence(needle: &[Word], hay: &[Word]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|w| it.any(|h| h == w))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::index;

    #[test]
    fn judgeable_bodies_are_found_through_their_words() {
        use crate::text::Word;
        let index = index();
        // What `is_judgeable_body` answered when it compared with every body.
        let by_every_body = |body: &[Word]| {
            body.is_empty()
                || matches!(body[0].as_str(), "bộ" | "sở")
                || index
                    .bodies
                    .iter()
                    .any(|b| super::is_subsequence(body, b) || body.ends_with(b))
        };
        let words: Vec<Word> = index.bodies.iter().flatten().cloned().collect();
        let mut asked: Vec<Vec<Word>> = vec![vec![], vec!["bộ".into()], vec!["lạ".into()]];
        for b in &index.bodies {
            for i in 0..b.len() {
                // Suffixes, prefixes, pieces with a gap, and strange words around.
                asked.push(b[i..].to_vec());
                asked.push(b[..=i].to_vec());
                asked.push(
                    b.iter()
                        .enumerate()
                        .filter(|&(k, _)| k != i)
                        .map(|(_, w)| w.clone())
                        .collect(),
                );
                asked.push([vec![Word::from("ban")], b[i..].to_vec()].concat());
                asked.push([b[i..].to_vec(), vec![Word::from("lạ")]].concat());
                asked.push(vec![b[i].clone(), words[(i * 7) % words.len()].clone()]);
            }
        }
        let mut judgeable = 0;
        for body in &asked {
            assert_eq!(
                index.is_judgeable_body(body),
                by_every_body(body),
                "{body:?}"
            );
            judgeable += usize::from(by_every_body(body));
        }
        // Both answers were asked for.
        assert!(
            judgeable > 0 && judgeable < asked.len(),
            "{judgeable} of {}",
            asked.len()
        );
    }

    #[test]
    fn each_profile_has_its_roles_in_order_shared_with_other_holders() {
        let index = index();
        for (p, profile) in index.profiles.iter().enumerate() {
            let prepared: Vec<String> = index.role_titles(p).map(|r| r.words.join(" ")).collect();
            let written: Vec<String> = profile
                .roles
                .iter()
                .map(|r| crate::titles::expanded_words(&r.title).join(" "))
                .collect();
            assert_eq!(prepared, written, "{}", profile.path);
            for (r, rt) in index.role_titles(p).enumerate() {
                assert!(std::ptr::eq(rt, index.role_title(p, r)));
            }
        }
        assert_eq!(index.role_titles(index.profiles.len()).len(), 0);
        // Every role of every profile is one holder of one shared title.
        let holders: usize = index.shared_roles().map(|(_, h)| h.len()).sum();
        let roles: usize = index.profiles.iter().map(|p| p.roles.len()).sum();
        assert_eq!(holders, roles);
    }

    #[test]
    fn held_roles_cover_the_days_their_profile_says() {
        use crate::date::Day;
        let index = index();
        let days: Vec<Option<Day>> = std::iter::once(None)
            .chain((2015..=2026).flat_map(|year| {
                [(1, 1), (6, 30), (7, 1), (10, 31), (12, 31)]
                    .map(|(month, day)| Some(Day { year, month, day }))
            }))
            .collect();
        for (p, profile) in index.profiles.iter().enumerate() {
            for (r, role) in profile.roles.iter().enumerate() {
                for &day in &days {
                    let held = crate::titles::held_on(role, day);
                    assert_eq!(index.held_on(p, r, day), held, "{} {day:?}", role.title);
                    let ended = match (role.to, day) {
                        (Some(t), Some(d)) => t.last_day() < d,
                        (to, None) => to.is_some(),
                        (None, Some(_)) => false,
                    };
                    assert_eq!(
                        index.ended_before(p, r, day),
                        ended,
                        "{} {day:?}",
                        role.title
                    );
                }
            }
        }
    }

    #[test]
    fn form_people_are_the_forms_people() {
        let index = index();
        for (f, form) in index.forms.iter().enumerate() {
            assert_eq!(index.form_people(f).as_slice(), form.people.as_slice());
        }
        // The test profiles' two Nguyễn Văn Hùng share a form.
        assert!((0..index.forms.len()).any(|f| index.form_people(f).len() == 2));
    }

    #[test]
    fn name_order_is_the_order_of_the_names() {
        let index = index();
        let people = 0..index.profiles.len();
        let name = |p: usize| index.profiles[p].name.as_str();
        for a in people.clone() {
            for b in people.clone() {
                assert_eq!(
                    index.name_order(a).cmp(&index.name_order(b)),
                    name(a).cmp(name(b)),
                    "{} / {}",
                    name(a),
                    name(b)
                );
            }
        }
        // Equal names (the two Nguyễn Văn Hùng) share a place.
        assert!(people
            .clone()
            .any(|a| people.clone().any(|b| a != b && name(a) == name(b))));
    }
}
