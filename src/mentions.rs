//! Mention recognition: where a person's name stands in a document and which
//! titles are written next to it, in every shape of SPEC §4 — `NAME, TITLE,
//! TITLE`, `NAME - TITLE`, `NAME (TITLE)`, `TITLE NAME`, `TITLE - NAME`,
//! `;`-separated lists and chains that run into the sentence.
//!
//! Recognition runs in passes over the tokens: profiled names (exact, then
//! near misses) are claimed first so that titles stop in front of them;
//! titles are read next; then person-like names of people without a profile
//! are accepted only in person context (a title or an honorific next to them).

use crate::index::Index;
use crate::lexicon::{ADMIN_UNITS, FAMILY_NAMES, FORMER, HONORIFICS, NOT_IN_TITLES, TITLE_WORDS};
use crate::text::{self, Classify, TokKind, Token, Tokens, Word};
use crate::titles;
use smallvec::{smallvec, SmallVec};

/// A title written next to a name.
#[derive(Debug, Clone)]
pub struct TitleSpan {
    /// Byte range of the title, a `nguyên`/`cựu` prefix included.
    pub start: usize,
    pub end: usize,
    /// Where the title proper starts, after any former prefix.
    pub core_start: usize,
    /// Written as former (`nguyên`, `cựu`).
    pub former: bool,
    /// Token index of the first word after any former prefix.
    pub first_tok: usize,
    pub last_tok: usize,
    /// Byte range of the place written at the end (`Lào Cai`).
    pub place_span: Option<(usize, usize)>,
    /// How many of `words` are the position.
    pub position_len: usize,
    pub is_rank: bool,
    /// The title's words, read through the span (`t.words`). Shared: a
    /// title read by the free-title pass is copied into the chain of the
    /// name it follows, and a copy of four lists was four allocations.
    written: std::sync::Arc<TitleWords>,
}

/// The words of a [`TitleSpan`], in one allocation: a title has a few
/// words, and its four lists, each on the heap, were most of a
/// document's allocations.
#[derive(Debug)]
pub struct TitleWords {
    /// The written words of the title without the place.
    pub core: SmallVec<[WrittenWord; 8]>,
    /// Canonical words of the core, abbreviations expanded.
    pub words: SmallVec<[Word; 8]>,
    /// For each of `words`, the index in `core` of the written word it comes from.
    pub word_origin: SmallVec<[u32; 8]>,
    /// Canonical words of the place.
    pub place: Option<SmallVec<[Word; 3]>>,
}

impl std::ops::Deref for TitleSpan {
    type Target = TitleWords;
    fn deref(&self) -> &TitleWords {
        &self.written
    }
}

impl TitleSpan {
    /// The words after the position.
    pub fn body(&self) -> &[Word] {
        &self.words[self.position_len.min(self.words.len())..]
    }
}

/// One written word of a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrittenWord {
    pub start: usize,
    pub end: usize,
    /// Written as an abbreviation (`UBND`).
    pub abbrev: bool,
}

/// How a name matched the profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A profile name or alias, as written there (all capitals allowed).
    Exact,
    /// Near a profile name: other diacritics or case, or one typo (`Phogn`).
    Near { typo: bool },
    /// A person-like name in person context with no profile.
    Unknown,
}

/// A person's name in a document with the titles written next to it.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Byte range of the name.
    pub start: usize,
    pub end: usize,
    /// Canonical lower-case words of the name, space separated (inline:
    /// most names are shorter than 24 bytes).
    pub key: compact_str::CompactString,
    /// The name form in [`Index::forms`] for exact and near matches.
    pub form: Option<usize>,
    pub kind: NameKind,
    pub titles: Vec<TitleSpan>,
    /// Introduced by `đồng chí`, `ông`, `bà` or `Ngài`.
    pub honorific: bool,
    /// The name is written without any diacritic.
    pub ascii_only: bool,
}

/// Word classes: what the recognizer needs to know of a word from the
/// profile index and the word lists, worked out once per distinct word (see
/// [`text::Classify`]) so that most words are passed over on a bit test.
mod class {
    /// The first canonical word of a profile name form.
    pub const FORM_FIRST: u32 = 1 << 0;
    /// A folded word of a one- or two-word name.
    pub const FOLDED_NAME_WORD: u32 = 1 << 1;
    /// The folded first word of a word pair of a longer name.
    pub const FOLDED_PAIR_FIRST: u32 = 1 << 2;
    /// May open a position or rank (`bí`, `phó`, `đại`).
    pub const POSITION_FIRST: u32 = 1 << 3;
    /// `nguyên`, `cựu`.
    pub const FORMER: u32 = 1 << 4;
    pub const FAMILY_NAME: u32 = 1 << 5;
    pub const HONORIFIC: u32 = 1 << 6;
    /// The first word of a known place.
    pub const PLACE_FIRST: u32 = 1 << 7;
    /// The first word of lower-case title vocabulary.
    pub const TITLE_WORD_FIRST: u32 = 1 << 8;
    /// The word alone is title vocabulary / a place; some title phrase /
    /// place goes on past it: the first step of reading a phrase, told
    /// without a lookup (see [`super::Recognizer::longest_phrase`]).
    pub const TITLE_WORD_ENTRY: u32 = 1 << 9;
    pub const TITLE_WORD_GOES_ON: u32 = 1 << 10;
    pub const PLACE_ENTRY: u32 = 1 << 11;
    pub const PLACE_GOES_ON: u32 = 1 << 12;
    /// The lengths of the name forms a word starts: bit `16 + n - 1` for
    /// `n` words, up to 16 (see [`crate::index::length_bit`]).
    pub const FORM_LENGTHS_SHIFT: u32 = 16;
}

/// The word classes that tell what a word is to one phrase list.
#[derive(Clone, Copy)]
struct PhraseClasses {
    /// Some phrase of the list starts with the word.
    first: u32,
    /// The word alone is a phrase of the list.
    entry: u32,
    /// Some longer phrase of the list starts with the word.
    goes_on: u32,
}

const PLACES: PhraseClasses = PhraseClasses {
    first: class::PLACE_FIRST,
    entry: class::PLACE_ENTRY,
    goes_on: class::PLACE_GOES_ON,
};

const TITLE_VOCABULARY: PhraseClasses = PhraseClasses {
    first: class::TITLE_WORD_FIRST,
    entry: class::TITLE_WORD_ENTRY,
    goes_on: class::TITLE_WORD_GOES_ON,
};

/// Classes words for the recognizer from one index.
struct Classes<'a>(&'a Index);

impl Classify for Classes<'_> {
    fn id(&self) -> u64 {
        self.0.id()
    }

    fn classes(&self, norm: &str, fold: &str) -> u32 {
        let index = self.0;
        let title_word = TITLE_WORDS.phrase(norm);
        let place = index.place_phrase(norm);
        [
            (index.starts_form(norm), class::FORM_FIRST),
            (index.has_folded_word(fold), class::FOLDED_NAME_WORD),
            (index.starts_folded_pair(fold), class::FOLDED_PAIR_FIRST),
            (titles::may_open_position(norm), class::POSITION_FIRST),
            (FORMER.contains(&norm), class::FORMER),
            (FAMILY_NAMES.contains(norm), class::FAMILY_NAME),
            (HONORIFICS.contains(norm), class::HONORIFIC),
            (index.may_start_place(norm), class::PLACE_FIRST),
            (TITLE_WORDS.starts_some(norm), class::TITLE_WORD_FIRST),
            (title_word.entry, class::TITLE_WORD_ENTRY),
            (title_word.goes_on, class::TITLE_WORD_GOES_ON),
            (place.entry, class::PLACE_ENTRY),
            (place.goes_on, class::PLACE_GOES_ON),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |acc, (_, bit)| acc | bit)
            | (index.form_lengths(norm) & 0xFFFF) << class::FORM_LENGTHS_SHIFT
    }
}

/// Tokens of `text` with the recognizer's word classes from `index`.
fn classified_tokens(text: &str, index: &Index) -> Tokens {
    let mut toks = Tokens::with_capacity(text::token_estimate(text.len()));
    text::tokenize_into(text, 0, &mut toks, Some(&Classes(index)));
    toks
}

struct NameSpan {
    first: usize,
    last: usize,
    form: Option<usize>,
    kind: NameKind,
    honorific: bool,
}

/// Finds every mention in `text[body_start..]`.
pub fn recognize(text: &str, body_start: usize, index: &Index) -> Vec<Mention> {
    let toks = prose_tokens(text, body_start, index);
    Recognizer::new(&toks, index).run()
}

/// The mentions of profiled people in `text[body_start..]`, for callers
/// that need only who is named where. The titles next to a name are read
/// only when `needs_titles` says some name found needs them to be told
/// apart; then every mention comes as from [`recognize`]. Otherwise the
/// passes for titles and for people without a profile are skipped, and
/// the mentions have no titles (their `honorific` is only what stands
/// right before the name).
pub fn recognize_profiled(
    text: &str,
    body_start: usize,
    index: &Index,
    needs_titles: impl Fn(&Mention) -> bool,
) -> Vec<Mention> {
    let toks = prose_tokens(text, body_start, index);
    let mut r = Recognizer::new(&toks, index);
    r.find_profile_names();
    r.names.sort_by_key(|n| n.first);
    let mut bare = Vec::with_capacity(r.names.len());
    for k in 0..r.names.len() {
        let n = &r.names[k];
        let mention = r.mention(n, Vec::new(), n.honorific);
        // The first name that needs titles sends the document through
        // every pass: no more bare mentions are made for nothing.
        if needs_titles(&mention) {
            return r.after_profile_names();
        }
        bare.push(mention);
    }
    bare
}

/// Titles standing free in `text`, outside any profiled name.
pub fn free_titles(text: &str, index: &Index) -> Vec<TitleSpan> {
    let toks = classified_tokens(text, index);
    let mut r = Recognizer::new(&toks, index);
    r.find_profile_names();
    r.find_free_titles()
}

/// Tokens of the prose: the body after front matter, without lines that are
/// only a file name or a URL; words classed for the recognizer.
fn prose_tokens(text: &str, body_start: usize, index: &Index) -> Tokens {
    let classes = Classes(index);
    let noise = noise_lines(text, body_start);
    let mut toks = Tokens::with_capacity(text::token_estimate(text.len() - body_start));
    let mut at = body_start;
    // Prose between noise lines is tokenised; of a noise line only its
    // line breaks are kept (what stood before them is not prose, so they
    // are not marked spaced). Noise ranges are whole lines, in order.
    for &(a, b) in noise.iter().chain([(text.len(), text.len())].iter()) {
        text::tokenize_into(&text[at..a], at, &mut toks, Some(&classes));
        toks.push_line_breaks(text, a, b);
        at = b;
    }
    toks
}

/// Headings after which a scraped page lists other articles (with other
/// dates and people): nothing after them is this document's prose.
const RELATED_NEWS: &[&str] = &[
    "có thể bạn quan tâm",
    "tin cùng chuyên mục",
    "tin liên quan",
    "bài liên quan",
    "tin khác",
    "đọc thêm",
    "xem thêm",
];

/// The most words a heading of [`RELATED_NEWS`] has.
const RELATED_NEWS_MAX_WORDS: usize = 5;

/// Whether `t` has at most `n` words: each run of text between white
/// space that holds a letter or digit is at least one word (captions and
/// prose are told from headings without normalising them).
fn at_most_words(t: &str, n: usize) -> bool {
    t.split_whitespace()
        .filter(|run| run.chars().any(char::is_alphanumeric))
        .nth(n)
        .is_none()
}

/// The folded first letters of [`RELATED_NEWS`].
const RELATED_NEWS_INITIALS: &[&str] = &["c", "t", "b", "d", "x"];

/// Byte ranges of lines that are not prose: image file names, captions
/// ending in an image file name, URLs, and a scraped page's related-news
/// list.
fn noise_lines(text: &str, body_start: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut pos = body_start;
    // Line ends found with the memchr crate's vector search (a line is
    // `text[start..pos]`, its `\n` included).
    let ends = memchr::memchr_iter(b'\n', &text.as_bytes()[body_start..])
        .map(|i| body_start + i + 1)
        .chain((!text.ends_with('\n') && body_start < text.len()).then_some(text.len()));
    for end in ends {
        let start = pos;
        pos = end;
        let line = &text[start..end];
        let t = line.trim();
        // Headings are short: only short lines whose first letter starts
        // one are worth normalising.
        if t.len() <= 40
            && at_most_words(t, RELATED_NEWS_MAX_WORDS)
            && t.chars().find(|c| c.is_alphabetic()).is_some_and(|c| {
                RELATED_NEWS_INITIALS.contains(&text::fold(c.encode_utf8(&mut [0; 4])).as_str())
            })
            && RELATED_NEWS.contains(&text::canonical_phrase(t).as_str())
        {
            out.push((start, text.len()));
            break;
        }
        let starts_with = |p: &str| t.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
        // What follows the last dot, compared with each extension.
        let image = t.rsplit_once('.').is_some_and(|(_, ext)| {
            ["jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff"]
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        });
        let url = (starts_with("http://") || starts_with("https://") || starts_with("www."))
            && !t.contains(char::is_whitespace);
        if image || url {
            out.push((start, pos));
        }
    }
    out
}

struct Recognizer<'a> {
    toks: &'a [Token],
    index: &'a Index,
    /// Per token: a name span claimed it.
    claimed: Vec<bool>,
    /// Titles read by the free-title pass that a chain after a name may ask
    /// for again, by first token: where the title is in `free` (or none
    /// was read) and the last token whose claiming could change it.
    /// Dropped when a name is claimed there.
    titles_read: std::cell::RefCell<rustc_hash::FxHashMap<usize, (Option<usize>, usize)>>,
    /// The titles of the free-title pass, once it is done.
    free: std::rc::Rc<Vec<TitleSpan>>,
    names: Vec<NameSpan>,
    starts: Starts,
}

/// The tokens each pass starts from, listed in one walk over the document:
/// most words start nothing, and the passes visit only these.
#[derive(Default)]
struct Starts {
    /// Words that start a profile name form.
    exact: Vec<usize>,
    /// Words a near miss of a profile name can be found from.
    near: Vec<usize>,
    /// Words a free title can open with: a former prefix or a capitalised
    /// position word.
    titles: Vec<usize>,
    /// Name-like words (`Phong`): where a person without a profile may be.
    names: Vec<usize>,
}

impl Starts {
    fn of(toks: &[Token]) -> Starts {
        // Room for what prose holds (about one start in eight tokens; twice
        // that for name-like words, every capitalised one: news is dense
        // with names and titles), so that the lists are not copied as
        // they grow.
        let room = toks.len() / 8 + 8;
        let mut starts = Starts {
            exact: Vec::with_capacity(room),
            near: Vec::with_capacity(room),
            titles: Vec::with_capacity(room),
            names: Vec::with_capacity(2 * room),
        };
        // Most tokens start nothing: told by one test of their classes and shape.
        let any = class::FORM_FIRST
            | class::FOLDED_NAME_WORD
            | class::FOLDED_PAIR_FIRST
            | class::FORMER
            | class::POSITION_FIRST;
        for (i, t) in toks.iter().enumerate() {
            if !t.in_class(any) && !t.is_name_like() {
                continue;
            }
            if t.in_class(class::FORM_FIRST) {
                starts.exact.push(i);
            }
            if t.in_class(class::FOLDED_NAME_WORD | class::FOLDED_PAIR_FIRST) {
                starts.near.push(i);
            }
            if t.in_class(class::FORMER)
                || (t.in_class(class::POSITION_FIRST) && t.is_capitalized())
            {
                starts.titles.push(i);
            }
            if t.is_word() && t.is_name_like() {
                starts.names.push(i);
            }
        }
        starts
    }
}

impl<'a> Recognizer<'a> {
    fn new(toks: &'a [Token], index: &'a Index) -> Self {
        let starts = Starts::of(toks);
        Recognizer {
            toks,
            index,
            claimed: vec![false; toks.len()],
            // The free-title pass keeps at most one title a start.
            titles_read: std::cell::RefCell::new(rustc_hash::FxHashMap::with_capacity_and_hasher(
                starts.titles.len(),
                Default::default(),
            )),
            free: Default::default(),
            names: Vec::with_capacity(toks.len() / 32 + 4),
            starts,
        }
    }

    fn run(mut self) -> Vec<Mention> {
        self.find_profile_names();
        self.after_profile_names()
    }

    /// The passes after the first: free titles, people without a profile,
    /// and every name assembled with its titles.
    fn after_profile_names(mut self) -> Vec<Mention> {
        let free_titles = std::rc::Rc::new(self.find_free_titles());
        self.free = free_titles.clone();
        self.find_unknown_names(&free_titles);
        self.names.sort_by_key(|n| n.first);
        self.assemble(&free_titles)
    }

    // ---- token navigation -------------------------------------------------

    fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(Token::is_word)
    }

    /// The word after word `i` when only white space lies between.
    fn word_after(&self, i: usize) -> Option<usize> {
        let next = self.toks.get(i + 1)?;
        (next.spaced() && next.is_word()).then_some(i + 1)
    }

    /// The word before word `i` when only white space lies between.
    fn word_before(&self, i: usize) -> Option<usize> {
        (i >= 1 && self.toks[i].spaced() && self.is_word(i - 1)).then(|| i - 1)
    }

    /// White space stands right before token `i`.
    fn spaced(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.spaced())
    }

    fn punct(&self, i: usize) -> Option<char> {
        match self.toks.get(i)?.kind() {
            TokKind::Punct(c) => Some(c),
            _ => None,
        }
    }

    fn is_dash(c: char) -> bool {
        matches!(c, '-' | '–' | '—')
    }

    /// Up to `n` adjacent words starting at `i`.
    fn words_from(&self, i: usize, n: usize) -> SmallVec<[usize; 8]> {
        let mut out = smallvec![i];
        while out.len() < n {
            match self.word_after(*out.last().unwrap()) {
                Some(j) if !self.claimed[j] => out.push(j),
                _ => break,
            }
        }
        out
    }

    /// The last token of the longest known place starting at `i`.
    fn place_at(&self, i: usize) -> Option<usize> {
        if !self.toks[i].is_capitalized() {
            return None;
        }
        self.phrase_at(i, PLACES, self.index.max_place_words(), |p| {
            self.index.place_phrase(p)
        })
    }

    /// The last token of the longest phrase of a list starting at `i`.
    /// Asked of most words: what the word's classes tell (no phrase of
    /// the list starts here; a one-word phrase that goes no further) is
    /// answered inline, and only a word some longer phrase starts with is
    /// read on, through `lookup`.
    #[inline]
    fn phrase_at(
        &self,
        i: usize,
        list: PhraseClasses,
        max: usize,
        lookup: impl Fn(&str) -> crate::lexicon::PhraseKind,
    ) -> Option<usize> {
        let t = &self.toks[i];
        if !t.in_class(list.first) {
            return None;
        }
        if !t.in_class(list.goes_on) {
            return t.in_class(list.entry).then_some(i);
        }
        let first = crate::lexicon::PhraseKind {
            entry: t.in_class(list.entry),
            goes_on: true,
        };
        self.longest_phrase(i, max, first, lookup)
    }

    /// The last token of the longest run of up to `max` adjacent words from
    /// `i` whose canonical words, joined by spaces, are an entry of a
    /// phrase list (`lookup`; `first`: what word `i` alone is to it, from
    /// its classes); a run is read on only while some entry goes on past it.
    #[inline(never)]
    fn longest_phrase(
        &self,
        i: usize,
        max: usize,
        first: crate::lexicon::PhraseKind,
        lookup: impl Fn(&str) -> crate::lexicon::PhraseKind,
    ) -> Option<usize> {
        let mut found = first.entry.then_some(i);
        if !first.goes_on {
            return found;
        }
        // Phrases are short: built on the stack, not on the heap.
        let mut phrase = compact_str::CompactString::from(self.toks[i].norm());
        let mut j = i;
        for _ in 1..max {
            // The next word, as `words_from` reads on: unclaimed, one run
            // of spaces away.
            match self.word_after(j) {
                Some(n) if !self.claimed[n] => j = n,
                _ => break,
            }
            phrase.push(' ');
            phrase.push_str(self.toks[j].norm());
            let kind = lookup(&phrase);
            if kind.entry {
                found = Some(j);
            }
            if !kind.goes_on {
                break;
            }
        }
        found
    }

    fn ends_place(&self, i: usize) -> bool {
        let mut start = i;
        for _ in 0..self.index.max_place_words() {
            if self.place_at(start) == Some(i) {
                return true;
            }
            match self.word_before(start) {
                Some(p) => start = p,
                None => break,
            }
        }
        false
    }

    /// A Vietnamese-looking name starts here: a family name followed by a
    /// capitalised word, not a place (`Hà Nội`).
    fn name_start(&self, i: usize) -> bool {
        self.toks[i].is_name_like()
            && self.toks[i].in_class(class::FAMILY_NAME)
            && self
                .word_after(i)
                .is_some_and(|j| self.toks[j].is_name_like() || self.toks[j].is_initial())
            && self.place_at(i).is_none()
    }

    fn position_at(&self, i: usize) -> Option<(usize, bool)> {
        if !self.toks[i].in_class(class::POSITION_FIRST) {
            return None;
        }
        // The words of `words_from(i, 7)`, each found when first asked for
        // (its walk written out: an iterator over `word_after` shared with
        // `words_from` cost 4 M more instructions in 1,000 articles).
        let mut found: [usize; 7] = [i; 7];
        let mut known = 1;
        titles::position_len_by(|k| {
            while known <= k && k < found.len() {
                match self.word_after(found[known - 1]) {
                    Some(j) if !self.claimed[j] => found[known] = j,
                    _ => return None,
                }
                known += 1;
            }
            (k < known).then(|| self.toks[found[k]].norm())
        })
    }

    fn honorific_before(&self, i: usize) -> bool {
        let Some(p) = self.word_before(i) else {
            return false;
        };
        if self.toks[p].in_class(class::HONORIFIC) {
            return true;
        }
        self.toks[p].norm() == "chí"
            && self
                .word_before(p)
                .is_some_and(|q| self.toks[q].norm() == "đồng")
    }

    /// Whether the name starting at token `i` is an item of a list
    /// introduced by `đồng chí:` (up to the end of the sentence): it opens
    /// the item and starts with a family name.
    fn in_people_list(&self, i: usize) -> bool {
        let opens_item = i
            .checked_sub(1)
            .is_some_and(|k| matches!(self.punct(k), Some(':' | ',' | ';')));
        if !opens_item || !self.toks[i].in_class(class::FAMILY_NAME) {
            return false;
        }
        // A list item is never far from its `đồng chí:` (bounded, so that a
        // huge one-line file stays linear): 600 tokens and runs of white
        // space between them.
        let mut reach = 0;
        for k in (0..i).rev() {
            reach += 1 + usize::from(self.toks[k + 1].spaced());
            if reach > 600 {
                break;
            }
            match self.toks[k].kind() {
                TokKind::Newline | TokKind::Punct('.') => return false,
                TokKind::Punct(':') => {
                    let chi = k.checked_sub(1);
                    return chi.is_some_and(|j| {
                        self.toks[j].norm() == "chí"
                            && self
                                .word_before(j)
                                .is_some_and(|w| self.toks[w].norm() == "đồng")
                    });
                }
                _ => {}
            }
        }
        false
    }

    /// Token `i` ends a list item: punctuation, a line break or the end follows.
    fn ends_item(&self, i: usize) -> bool {
        match self.toks.get(i + 1).map(|t| t.kind()) {
            None | Some(TokKind::Newline) => true,
            Some(TokKind::Punct(c)) => matches!(c, ',' | ';' | '.' | ')' | ':'),
            _ => false,
        }
    }

    /// The longest phrase of lower-case title vocabulary starting at `i`.
    fn title_phrase_at(&self, i: usize) -> Option<usize> {
        self.phrase_at(i, TITLE_VOCABULARY, 4, |p| TITLE_WORDS.phrase(p))
    }

    // ---- pass 1: profile names --------------------------------------------

    fn find_profile_names(&mut self) {
        // Only words of the right classes can start or be part of a name.
        let exact = std::mem::take(&mut self.starts.exact);
        let near = std::mem::take(&mut self.starts.near);
        for i in exact {
            if !self.claimed[i] {
                if let Some((last, form, kind)) = self.exact_at(i) {
                    self.claim(i, last, Some(form), kind);
                }
            }
        }
        for i in near {
            if !self.claimed[i] {
                if let Some((first, last, form)) = self.near_at(i) {
                    self.claim(first, last, Some(form), NameKind::Near { typo: false });
                    if let Some(n) = self.names.last_mut() {
                        n.kind = NameKind::Near {
                            typo: (first..=last)
                                .filter(|&k| self.toks[k].is_word())
                                .zip(&self.index.forms[form].fold)
                                .any(|(k, f)| self.toks[k].fold() != *f),
                        };
                    }
                }
            }
        }
    }

    fn claim(&mut self, first: usize, last: usize, form: Option<usize>, kind: NameKind) {
        self.titles_read
            .get_mut()
            .retain(|&i, (_, reach)| i > last || *reach < first);
        self.claimed[first..=last].fill(true);
        let honorific = self.honorific_before(first);
        self.names.push(NameSpan {
            first,
            last,
            form,
            kind,
            honorific,
        });
    }

    /// A name is not part of a longer capitalised name (`Nguyễn Hoàng Giang`
    /// is not `Hoàng Giang`).
    fn boundaries_ok(&self, first: usize, last: usize) -> bool {
        if let Some(n) = self.word_after(last) {
            let t = &self.toks[n];
            if t.is_name_like() && self.position_at(n).is_none() && self.place_at(n).is_none() {
                return false;
            }
        }
        if let Some(p) = self.word_before(first) {
            let t = &self.toks[p];
            if t.is_name_like()
                && t.in_class(class::FAMILY_NAME)
                && !self.ends_place(p)
                && !t.in_class(class::HONORIFIC)
            {
                return false;
            }
        }
        true
    }

    fn exact_at(&self, i: usize) -> Option<(usize, usize, NameKind)> {
        // Every form is listed under its first word: most words start none.
        if !self.toks[i].in_class(class::FORM_FIRST) {
            return None;
        }
        // The words from `i` on, as many as the longest name has; names
        // of these words are tried longest first.
        let mut words: SmallVec<[&str; 8]> = smallvec![self.toks[i].norm()];
        let mut j = i;
        while words.len() < self.index.max_form_words() {
            match self.word_after(j) {
                Some(n) => j = n,
                None => break,
            }
            words.push(self.toks[j].norm());
        }
        // Only the lengths of names this word starts are looked up (kept
        // with the word's classes when names are short, as they are).
        let lengths = match self.index.max_form_words() {
            0..=16 => self.toks[i].class >> class::FORM_LENGTHS_SHIFT,
            _ => self.index.form_lengths(self.toks[i].norm()),
        };
        let candidates = (1..=words.len())
            .rev()
            .filter(|&n| lengths & crate::index::length_bit(n) != 0)
            .flat_map(|n| {
                self.index
                    .forms_named(&words[..n])
                    .map(move |named| (n, named))
            });
        for (n, named) in candidates {
            let (norm, cased) = self.index.form_words(named);
            if !is_joined(norm, &words[..n]) {
                continue;
            }
            let seq = self.words_from(i, n);
            let last = *seq.last().unwrap();
            if !self.boundaries_ok(i, last) {
                continue;
            }
            let same_case = seq
                .iter()
                .zip(text::space_parted(cased))
                .all(|(&j, c)| self.toks[j].cased() == c || self.toks[j].is_all_caps());
            let fi = named.form as usize;
            let kind = if same_case {
                NameKind::Exact
            } else {
                NameKind::Near { typo: false }
            };
            return Some((last, fi, kind));
        }
        None
    }

    /// Candidate (form, position of word `i` in it) for near misses: by the
    /// folded word for short names, by folded pairs for longer ones.
    fn near_candidates(&self, i: usize) -> SmallVec<[(usize, usize); 8]> {
        let tok = &self.toks[i];
        let mut out: SmallVec<[(usize, usize); 8]> = SmallVec::new();
        if tok.in_class(class::FOLDED_NAME_WORD) {
            out.extend_from_slice(self.index.forms_with_folded_word(tok.fold()));
        }
        if !tok.in_class(class::FOLDED_PAIR_FIRST) {
            return out;
        }
        if let Some(j) = self.word_after(i) {
            let pairs = self
                .index
                .forms_with_folded_pair(tok.fold(), self.toks[j].fold());
            out.extend(pairs.iter().filter(|p| !p.2).map(|&(fi, pos, _)| (fi, pos)));
            if let Some(k) = self.word_after(j) {
                let skips = self
                    .index
                    .forms_with_folded_pair(tok.fold(), self.toks[k].fold());
                out.extend(skips.iter().filter(|p| p.2).map(|&(fi, pos, _)| (fi, pos)));
            }
        }
        out
    }

    /// A near miss of a profile name around word `i`: the same letters with
    /// other diacritics, or one typo in a word of four or more letters.
    fn near_at(&self, i: usize) -> Option<(usize, usize, usize)> {
        let tok = &self.toks[i];
        // Names are capitalised, or typed without any diacritic while drafting.
        if (!tok.is_capitalized() && tok.has_diacritics())
            || !tok.in_class(class::FOLDED_NAME_WORD | class::FOLDED_PAIR_FIRST)
        {
            return None;
        }
        'forms: for (fi, pos) in self.near_candidates(i) {
            let form = &self.index.forms[fi];
            let mut first = i;
            for _ in 0..pos {
                match self.word_before(first) {
                    Some(p) => first = p,
                    None => continue 'forms,
                }
            }
            // Compare word by word, leaving at the second difference.
            let mut typos = 0;
            let mut j = first;
            for (k, f) in form.fold.iter().enumerate() {
                if k > 0 {
                    match self.word_after(j) {
                        Some(n) => j = n,
                        None => continue 'forms,
                    }
                }
                let t = &self.toks[j];
                if self.claimed[j] {
                    continue 'forms;
                }
                if t.fold() != *f {
                    if typos == 1 || f.len() < 4 || !one_edit_apart(t.fold(), f) {
                        continue 'forms;
                    }
                    typos += 1;
                }
            }
            let seq = self.words_from(first, form.fold.len());
            let all_capitalized = seq.iter().all(|&j| self.toks[j].is_capitalized());
            let all_ascii_lower = seq
                .iter()
                .all(|&j| !self.toks[j].has_diacritics() && !self.toks[j].is_capitalized());
            let shape_ok = if typos == 1 {
                all_capitalized
            } else {
                all_capitalized
                    || (all_ascii_lower && (form.fold.len() >= 3 || self.honorific_before(first)))
            };
            let last = *seq.last().unwrap();
            if shape_ok
                && seq.iter().all(|&j| self.toks[j].is_letters())
                && self.boundaries_ok(first, last)
            {
                return Some((first, last, fi));
            }
        }
        None
    }

    // ---- pass 2: titles ---------------------------------------------------

    /// Titles that open with a capitalised position anywhere in the prose.
    fn find_free_titles(&self) -> Vec<TitleSpan> {
        let mut out: Vec<TitleSpan> = Vec::with_capacity(self.starts.titles.len());
        for &i in &self.starts.titles {
            if out.last().is_some_and(|t| i <= t.last_tok) {
                continue;
            }
            // `Ban Bí thư` is a body, not the position `Bí thư`.
            let inside_body = self
                .word_before(i)
                .is_some_and(|p| self.toks[p].norm() == "ban");
            if !self.claimed[i] && !inside_body {
                if let Some(t) = self.read_free_title(i, out.len()) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// [`Self::parse_title`] for the free-title pass, kept for a chain
    /// after a name that starts there (when `allow_lower` makes no
    /// difference: the position is capitalised); `slot`: where the pass
    /// keeps the title it reads.
    fn read_free_title(&self, i: usize, slot: usize) -> Option<TitleSpan> {
        let t = self.parse_title(i, false);
        if self
            .title_position_start(i)
            .is_none_or(|f| self.toks[f].is_capitalized())
        {
            // How far reading a title looks past its end: the words of a
            // position, a place or a name after it (see `extend_title`).
            let lookahead = 16 + self.index.max_place_words();
            let reach = t.as_ref().map_or(i, |t| t.last_tok) + lookahead;
            let slot = t.is_some().then_some(slot);
            self.titles_read.borrow_mut().insert(i, (slot, reach));
        }
        t
    }

    /// A title in a chain after a name, at word `i`: read again unless the
    /// free-title pass read it and no name was claimed where it looked.
    fn chain_title(&self, i: usize) -> Option<TitleSpan> {
        let kept = self.titles_read.borrow_mut().remove(&i);
        match kept {
            Some((slot, _)) => {
                let t = match slot.map(|k| self.free.get(k)) {
                    None => None,
                    Some(Some(t)) => Some(t.clone()),
                    // Read outside a whole run (tests): read it again.
                    Some(None) => self.parse_title(i, true),
                };
                // Tests (debug builds) check that a kept title is still what
                // reading it now gives.
                debug_assert_eq!(
                    format!("{t:?}"),
                    format!("{:?}", self.parse_title(i, true)),
                    "a kept title went stale"
                );
                t
            }
            None => self.parse_title(i, true),
        }
    }

    /// Where the position of a title starting at word `i` starts: after a
    /// former prefix (`nguyên`, `cựu`), if any.
    fn title_position_start(&self, i: usize) -> Option<usize> {
        match self.toks[i].in_class(class::FORMER) {
            true => self.word_after(i),
            false => Some(i),
        }
    }

    /// Reads a title starting at word `i`; lower-case positions only when
    /// `allow_lower` (inside a chain after a name).
    fn parse_title(&self, i: usize, allow_lower: bool) -> Option<TitleSpan> {
        let former = self.toks[i].in_class(class::FORMER);
        let first = self.title_position_start(i)?;
        if self.claimed[first] || (!allow_lower && !self.toks[first].is_capitalized()) {
            return None;
        }
        let (plen, is_rank) = self.position_at(first)?;
        let seq = self.words_from(first, plen);
        let mut last = *seq.last()?;
        if !is_rank {
            last = self.extend_title(last);
        }
        let mut all: SmallVec<[usize; 16]> = smallvec![first];
        while *all.last().unwrap() != last {
            all.push(self.word_after(*all.last().unwrap())?);
        }
        let place_from = self.place_start(&all[plen..], last);
        let (core_toks, place_toks) = all.split_at(place_from.map_or(all.len(), |k| plen + k));
        // Abbreviations expand to a few words each.
        let mut words = SmallVec::new();
        let mut word_origin = SmallVec::new();
        for (k, &j) in core_toks.iter().enumerate() {
            let n = titles::push_expanded(&self.toks[j], |w| words.push(w));
            for _ in 0..n {
                word_origin.push(k as u32);
            }
        }
        let place = (!place_toks.is_empty()).then(|| {
            place_toks
                .iter()
                .map(|&j| self.toks[j].norm_word())
                .collect()
        });
        Some(TitleSpan {
            start: self.toks[i].start,
            end: self.toks[last].end,
            core_start: self.toks[first].start,
            former,
            first_tok: first,
            last_tok: last,
            place_span: place_toks
                .first()
                .zip(place_toks.last())
                .map(|(&a, &b)| (self.toks[a].start, self.toks[b].end)),
            position_len: plen,
            is_rank,
            written: std::sync::Arc::new(TitleWords {
                core: core_toks
                    .iter()
                    .map(|&j| WrittenWord {
                        start: self.toks[j].start,
                        end: self.toks[j].end,
                        abbrev: self.toks[j].abbreviation().is_some(),
                    })
                    .collect(),
                words,
                word_origin,
                place,
            }),
        })
    }

    /// Extends a title over its body and place; stops at a name, at
    /// punctuation, or at a lower-case word that is not title vocabulary.
    fn extend_title(&self, mut last: usize) -> usize {
        let mut after_place = false;
        while let Some(j) = self.word_after(last) {
            if self.claimed[j] {
                break;
            }
            let t = &self.toks[j];
            if t.abbreviation().is_some() || t.is_all_caps() {
                last = j;
            } else if t.is_capitalized() {
                if let Some(end) = self.place_at(j) {
                    last = end;
                    after_place = true;
                } else if after_place
                    // After its place a title is done: capitals that follow
                    // are a name (`Chủ tịch Trung Quốc Tập Cận Bình`).
                    || self.name_start(j)
                    || (self.position_at(j).is_some() && self.toks[last].norm() != "ban")
                {
                    break;
                } else {
                    last = self.body_word(j);
                }
            } else if t.norm() == "và" {
                match self.word_after(j) {
                    Some(k)
                        if self.toks[k].is_capitalized()
                            && !self.claimed[k]
                            && !self.name_start(k)
                            && self.position_at(k).is_none() =>
                    {
                        last = self.body_word(k)
                    }
                    _ => break,
                }
            } else if let Some(end) = self.title_phrase_at(j) {
                last = end;
            } else {
                break;
            }
        }
        last
    }

    /// Accepts the capitalised body word at `j` (`Bộ`, `Sở Tài chính`,
    /// `Ủy ban Kiểm tra`): a known phrase, or the word with the lower-case
    /// syllable that completes it. Returns the last token taken.
    fn body_word(&self, j: usize) -> usize {
        if let Some(end) = self.title_phrase_at(j) {
            return end;
        }
        match self.word_after(j) {
            Some(k)
                if !self.claimed[k]
                    && !self.toks[k].is_capitalized()
                    && self.toks[k].is_letters()
                    && !NOT_IN_TITLES.contains(self.toks[k].norm()) =>
            {
                k
            }
            _ => j,
        }
    }

    /// Index in `body` where a trailing place starts: a known place ending
    /// the title, or a capitalised run after an administrative unit.
    fn place_start(&self, body: &[usize], last: usize) -> Option<usize> {
        if let Some(k) = body.iter().position(|&j| self.place_at(j) == Some(last)) {
            return Some(k);
        }
        let mut k = body.len();
        while k > 0 && self.toks[body[k - 1]].is_name_like() {
            k -= 1;
        }
        if k == body.len() || k == 0 {
            return None;
        }
        let before: &str = self.toks[body[k - 1]].norm();
        let two = (k >= 2).then(|| format!("{} {}", self.toks[body[k - 2]].norm(), before));
        (ADMIN_UNITS.contains(&before) || two.is_some_and(|t| ADMIN_UNITS.contains(&t.as_str())))
            .then_some(k)
    }

    /// Titles written after a name: `, T, T`, ` - T, T` or ` (T, T)`.
    fn post_chain(&self, name_last: usize) -> Vec<TitleSpan> {
        let mut out = Vec::new();
        let mut k = name_last + 1;
        let opens = match self.punct(k) {
            Some(',' | '(') => true,
            Some(c) => Self::is_dash(c) && self.spaced(k),
            None => false,
        };
        if !opens {
            return out;
        }
        loop {
            let w = k + 1;
            if !self.is_word(w) {
                break;
            }
            let Some(t) = self.chain_title(w) else {
                break;
            };
            k = t.last_tok + 1;
            out.push(t);
            if self.punct(k) != Some(',') {
                break;
            }
        }
        // A last title written straight before another name is that name's.
        if let Some(t) = out.last() {
            if self.name_follows(t.last_tok) {
                out.pop();
            }
        }
        out
    }

    /// A name (profiled or person-like) stands right after token `i`,
    /// separated by spaces or a dash.
    fn name_follows(&self, i: usize) -> bool {
        let mut k = i + 1;
        if self.punct(k).is_some_and(Self::is_dash) && self.spaced(k) {
            k += 1;
        } else if !self.spaced(k) {
            return false;
        }
        self.is_word(k) && (self.claimed[k] || self.name_start(k))
    }

    // ---- pass 3: people without a profile ----------------------------------

    fn find_unknown_names(&mut self, free: &[TitleSpan]) {
        let covered = cover(self.toks.len(), free);
        let in_title = |j: usize| covered[j];
        // Where the next run may start: past the last run read.
        let mut next = 0;
        for i in std::mem::take(&mut self.starts.names) {
            if i < next || self.claimed[i] || in_title(i) {
                continue;
            }
            let mut run: SmallVec<[usize; 8]> = smallvec![i];
            while let Some(j) = self.word_after(*run.last().unwrap()) {
                let part = self.toks[j].is_name_like() || self.toks[j].is_initial();
                if self.claimed[j] || !part || in_title(j) {
                    break;
                }
                run.push(j);
            }
            next = *run.last().unwrap() + 1;
            if let Some((first, last, honorific)) = self.person_like(&run, free) {
                self.claim(first, last, None, NameKind::Unknown);
                if let Some(n) = self.names.last_mut() {
                    n.honorific |= honorific;
                }
            }
        }
    }

    /// The part of a capitalised run that is a person's name, when the run
    /// stands in person context.
    fn person_like(&self, run: &[usize], free: &[TitleSpan]) -> Option<(usize, usize, bool)> {
        let mut run = run;
        let mut honorific = false;
        if self.toks[run[0]].in_class(class::HONORIFIC) {
            honorific = true;
            run = &run[1..];
        }
        if run.is_empty() {
            return None;
        }
        if let Some(end) = self.place_at(run[0]) {
            let k = run.iter().position(|&j| j == end)?;
            run = &run[k + 1..];
        }
        // `Đoàn Đại biểu`: the last word opens a phrase that goes on in lower case.
        if let Some((&last, rest)) = run.split_last() {
            if self.title_phrase_at(last).is_some_and(|end| end != last) {
                run = rest;
            }
        }
        if run.len() < 2 {
            return None;
        }
        let listed = self.in_people_list(run[0]) && self.ends_item(*run.last()?);
        honorific |= self.honorific_before(run[0]) || listed;
        // Free titles are in text order: only the nearest before can be next to it.
        let nearest = free.partition_point(|t| t.last_tok < run[0]);
        let pre_title = nearest
            .checked_sub(1)
            .is_some_and(|k| self.adjacent_before(free[k].last_tok, run[0]));
        if !honorific && !pre_title {
            let k = run
                .iter()
                .position(|&j| self.toks[j].in_class(class::FAMILY_NAME))?;
            run = &run[k..];
            if run.len() < 2 || self.post_chain(*run.last()?).is_empty() {
                return None;
            }
        }
        if run.len() > 5 || self.position_at(run[0]).is_some() {
            return None;
        }
        Some((run[0], *run.last()?, honorific))
    }

    /// Token `a` ends something that stands straight before token `b`
    /// (spaces, or a dash between spaces).
    fn adjacent_before(&self, a: usize, b: usize) -> bool {
        let k = a + 1;
        if k == b {
            return self.spaced(k);
        }
        if self.punct(k).is_some_and(Self::is_dash) && k + 1 == b && self.spaced(k) {
            return true;
        }
        // `Bí thư Tỉnh ủy, đồng chí Đặng Xuân Phong`: the honorific between.
        let mut k = k;
        if self.punct(k) == Some(',') {
            k += 1;
        }
        self.honorific_before(b) && self.honorific_start(b).is_some_and(|h| h == k)
    }

    /// The first token of the honorific right before word `i`, if any.
    fn honorific_start(&self, i: usize) -> Option<usize> {
        let p = self.word_before(i)?;
        if self.toks[p].norm() == "chí" {
            return self
                .word_before(p)
                .filter(|&q| self.toks[q].norm() == "đồng");
        }
        self.toks[p].in_class(class::HONORIFIC).then_some(p)
    }

    // ---- assembly ----------------------------------------------------------

    fn assemble(&self, free: &[TitleSpan]) -> Vec<Mention> {
        let chains: Vec<Vec<TitleSpan>> =
            self.names.iter().map(|n| self.post_chain(n.last)).collect();
        let chained = cover(self.toks.len(), chains.iter().flatten());
        let in_chain = |t: &TitleSpan| (t.first_tok..=t.last_tok).any(|k| chained[k]);
        let mut out = Vec::with_capacity(self.names.len());
        for (n, chain) in self.names.iter().zip(chains) {
            let mut pre: Vec<TitleSpan> = Vec::new();
            let mut anchor = n.first;
            // Free titles are in text order: only the nearest one before the
            // anchor can stand next to it.
            loop {
                let nearest = free.partition_point(|t| t.last_tok < anchor);
                let Some(t) = nearest.checked_sub(1).map(|k| &free[k]) else {
                    break;
                };
                if in_chain(t) || !self.joins(t.last_tok, anchor, pre.is_empty()) {
                    break;
                }
                pre.insert(0, t.clone());
                anchor = t.first_tok.min(self.former_start(t));
            }
            let mut honorific = n.honorific;
            if let Some(t) = pre.first() {
                honorific |= self.honorific_before(self.former_start(t));
            }
            // Most names have no title before them: the chain's list is kept.
            let titles = match pre.is_empty() {
                true => chain,
                false => {
                    pre.extend(chain);
                    pre
                }
            };
            out.push(self.mention(n, titles, honorific));
        }
        out
    }

    /// The mention a name span is, with these titles.
    fn mention(&self, n: &NameSpan, titles: Vec<TitleSpan>, honorific: bool) -> Mention {
        let words = || self.toks[n.first..=n.last].iter().filter(|t| t.is_word());
        let mut key = compact_str::CompactString::default();
        for (k, t) in words().enumerate() {
            if k > 0 {
                key.push(' ');
            }
            key.push_str(t.norm());
        }
        Mention {
            start: self.toks[n.first].start,
            end: self.toks[n.last].end,
            key,
            form: n.form,
            kind: n.kind,
            titles,
            honorific,
            ascii_only: words().all(|t| !t.has_diacritics()),
        }
    }

    fn former_start(&self, t: &TitleSpan) -> usize {
        if t.former {
            self.word_before(t.first_tok).unwrap_or(t.first_tok)
        } else {
            t.first_tok
        }
    }

    /// Title ending at `a` belongs before `b`: directly (spaces or dash) when
    /// `direct`, else through a comma (a chain written before the name).
    fn joins(&self, a: usize, b: usize, direct: bool) -> bool {
        if direct {
            return self.adjacent_before(a, b);
        }
        let Some(k) = b.checked_sub(1) else {
            return false;
        };
        self.punct(k) == Some(',') && k.checked_sub(1).is_some_and(|k| k == a)
    }
}

/// Per token, whether one of the titles covers it.
fn cover<'a>(len: usize, titles: impl IntoIterator<Item = &'a TitleSpan>) -> Vec<bool> {
    let mut covered = vec![false; len];
    for t in titles {
        for c in &mut covered[t.first_tok..=t.last_tok] {
            *c = true;
        }
    }
    covered
}

/// Whether `joined` is `words` joined by single spaces (read in one walk,
/// without splitting it).
fn is_joined(joined: &str, words: &[&str]) -> bool {
    let mut rest = joined.as_bytes();
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            match rest.split_first() {
                Some((b' ', after)) => rest = after,
                _ => return false,
            }
        }
        match rest.strip_prefix(w.as_bytes()) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether two words differ by exactly one insertion, deletion,
/// substitution or swap of neighbouring letters.
pub fn one_edit_apart(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return one_edit_apart_in(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_edit_apart_in(&a, &b)
}

fn one_edit_apart_in<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    if a == b {
        return false;
    }
    let prefix = a.iter().zip(b.iter()).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match (ra.len(), rb.len()) {
        (x, y) if x == y => {
            ra[1..] == rb[1..] || (x >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        (x, y) if x + 1 == y => ra == &rb[1..],
        (x, y) if y + 1 == x => &ra[1..] == rb,
        _ => false,
    }
}

/// Names listed in a note's `people:` front matter, read like mentions:
/// each entry matched against the profiles.
pub fn match_listed_name(index: &Index, written: &str) -> (Option<usize>, NameKind) {
    let toks = text::tokenize_words(written);
    if toks.is_empty() {
        return (None, NameKind::Unknown);
    }
    for &fi in index.forms_starting_with(toks[0].norm()) {
        let form = &index.forms[fi];
        if form.norm.len() == toks.len() && toks.iter().zip(&form.norm).all(|(t, w)| t.norm() == *w)
        {
            let exact = toks
                .iter()
                .zip(&form.cased)
                .all(|(t, c)| t.cased() == *c || t.is_all_caps());
            return (
                Some(fi),
                if exact {
                    NameKind::Exact
                } else {
                    NameKind::Near { typo: false }
                },
            );
        }
    }
    // A note lists few names: every form can be compared.
    for (fi, form) in index.forms.iter().enumerate() {
        if form.fold.len() != toks.len() {
            continue;
        }
        let typos = toks
            .iter()
            .zip(&form.fold)
            .filter(|(t, f)| t.fold() != **f)
            .count();
        let close = toks.iter().zip(&form.fold).all(|(t, f)| {
            t.fold() == *f || (f.chars().count() >= 4 && one_edit_apart(t.fold(), f))
        });
        if close && typos <= 1 {
            return (Some(fi), NameKind::Near { typo: typos == 1 });
        }
    }
    (None, NameKind::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_first_word_classes_say_what_its_lookup_says() {
        let index = crate::rules::testing::index();
        let classes = Classes(&index);
        let words = TITLE_WORDS
            .words()
            .iter()
            .chain(crate::lexicon::PLACES)
            .flat_map(|p| p.split(' '))
            .chain(["ban", "tỉnh", "lào", "phong", "xã"]);
        let (mut entries, mut going_on) = (0, 0);
        for w in words {
            let c = classes.classes(w, &text::fold(w));
            let has = |bit: u32| c & bit != 0;
            let title = TITLE_WORDS.phrase(w);
            let place = index.place_phrase(w);
            assert_eq!(has(class::TITLE_WORD_ENTRY), title.entry, "{w}");
            assert_eq!(has(class::TITLE_WORD_GOES_ON), title.goes_on, "{w}");
            assert_eq!(has(class::PLACE_ENTRY), place.entry, "{w}");
            assert_eq!(has(class::PLACE_GOES_ON), place.goes_on, "{w}");
            entries += usize::from(title.entry) + usize::from(place.entry);
            going_on += usize::from(title.goes_on) + usize::from(place.goes_on);
        }
        assert!(entries > 0 && going_on > 0);
    }

    #[test]
    fn related_news_headings_fit_the_word_bound() {
        for h in RELATED_NEWS {
            assert!(h.split(' ').count() <= RELATED_NEWS_MAX_WORDS, "{h}");
        }
        assert!(at_most_words("Tin-liên-quan:", 1));
        assert!(!at_most_words(
            "Các đại biểu dự hội nghị.",
            RELATED_NEWS_MAX_WORDS
        ));
    }

    /// (name, titles) of each mention in `text`.
    fn read(text: &str) -> Vec<(String, Vec<String>)> {
        let index = crate::rules::testing::index();
        recognize(text, 0, &index)
            .into_iter()
            .map(|m| {
                let titles = m
                    .titles
                    .iter()
                    .map(|t| text[t.start..t.end].to_string())
                    .collect();
                (text[m.start..m.end].to_string(), titles)
            })
            .collect()
    }

    /// A title kept by the free-title pass is handed to a chain as long as
    /// no name is claimed where reading it looked; a claim there drops it.
    #[test]
    fn kept_titles_are_dropped_by_claims_in_reach() {
        let index = crate::rules::testing::index();
        let text = "Bí thư Tỉnh ủy nói rằng hôm nay trời đẹp và mọi người đều vui vẻ cả, \
                    từ sáng sớm cho tới chiều muộn ở khắp các bản làng vùng cao.";
        let toks = classified_tokens(text, &index);
        let kept = |r: &Recognizer| r.titles_read.borrow().contains_key(&0);
        let mut r = Recognizer::new(&toks, &index);
        let title = r.read_free_title(0, 0).expect("a title");
        assert!(kept(&r));
        let reach = r.titles_read.borrow()[&0].1;
        assert!(reach > title.last_tok && reach < toks.len(), "{reach}");
        r.claim(reach + 1, reach + 1, None, NameKind::Unknown);
        assert!(kept(&r), "a claim out of reach keeps it");
        r.claim(reach, reach, None, NameKind::Unknown);
        assert!(!kept(&r), "a claim in reach drops it");
        assert!(r.chain_title(0).is_some(), "read again instead");
    }

    fn owned(v: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        v.iter()
            .map(|(n, ts)| (n.to_string(), ts.iter().map(|t| t.to_string()).collect()))
            .collect()
    }

    #[test]
    fn comma_chains_in_a_semicolon_list() {
        let got = read("có các đồng chí: Đặng Xuân Phong, Ủy viên Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy, Trưởng đoàn Đại biểu Quốc hội tỉnh; Lê Văn Nam, Phó Bí thư Tỉnh uỷ; các đồng chí Thường trực HĐND, UBND tỉnh.");
        assert_eq!(
            got,
            owned(&[
                (
                    "Đặng Xuân Phong",
                    &[
                        "Ủy viên Ban Chấp hành Trung ương Đảng",
                        "Bí thư Tỉnh ủy",
                        "Trưởng đoàn Đại biểu Quốc hội tỉnh"
                    ]
                ),
                ("Lê Văn Nam", &["Phó Bí thư Tỉnh uỷ"]),
            ])
        );
    }

    #[test]
    fn chain_runs_into_the_sentence() {
        let got = read("đoàn do đồng chí Đặng Xuân Phong, Bí thư Tỉnh ủy, Trưởng Đoàn Đại biểu Quốc hội tỉnh làm trưởng đoàn đã tới thăm.");
        assert_eq!(
            got,
            owned(&[(
                "Đặng Xuân Phong",
                &["Bí thư Tỉnh ủy", "Trưởng Đoàn Đại biểu Quốc hội tỉnh"]
            )])
        );
    }

    #[test]
    fn titles_before_the_name() {
        assert_eq!(
            read("Chủ tịch UBND tỉnh Lào Cai Trịnh Xuân Trường phát biểu."),
            owned(&[("Trịnh Xuân Trường", &["Chủ tịch UBND tỉnh Lào Cai"])])
        );
        assert_eq!(
            read("Bí thư Tỉnh ủy Lai Châu - Giàng Páo Mỷ tặng quà."),
            owned(&[("Giàng Páo Mỷ", &["Bí thư Tỉnh ủy Lai Châu"])])
        );
        assert_eq!(
            read("Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Giàng Thị Dung kiểm tra."),
            owned(&[(
                "Giàng Thị Dung",
                &["Phó Bí thư Tỉnh ủy", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"]
            )])
        );
        assert_eq!(
            read("Đồng chí Bí thư Tỉnh uỷ Thái Bình Ngô Đông Hải chúc mừng."),
            owned(&[("Ngô Đông Hải", &["Bí thư Tỉnh uỷ Thái Bình"])])
        );
        assert_eq!(
            read("Thủ tướng Chính phủ Phạm Minh Chính chủ trì."),
            owned(&[("Phạm Minh Chính", &["Thủ tướng Chính phủ"])])
        );
    }

    #[test]
    fn title_then_honorific_then_name() {
        assert_eq!(
            read("Phát biểu tại hội nghị, Bí thư Tỉnh ủy, đồng chí Đặng Xuân Phong nhấn mạnh."),
            owned(&[("Đặng Xuân Phong", &["Bí thư Tỉnh ủy"])])
        );
        assert_eq!(
            read("Chủ tịch UBND huyện Bát Xát, ông Sùng A Páo cho biết."),
            owned(&[("Sùng A Páo", &["Chủ tịch UBND huyện Bát Xát"])])
        );
    }

    #[test]
    fn dash_and_parentheses_after_the_name() {
        assert_eq!(
            read("do đồng chí Giàng Thị Dung - Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh làm Trưởng đoàn"),
            owned(&[("Giàng Thị Dung", &["Phó Bí thư Tỉnh ủy", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"])])
        );
        assert_eq!(
            read("ông Đặng Xuân Phong (Bí thư Tỉnh ủy Lào Cai) cho biết"),
            owned(&[("Đặng Xuân Phong", &["Bí thư Tỉnh ủy Lào Cai"])])
        );
        assert_eq!(
            read("anh Nguyễn Văn Thìn - Phó bí thư chi bộ, trưởng thôn Diềm, xã Nghĩa Tâm luôn tiên phong"),
            owned(&[("Nguyễn Văn Thìn", &["Phó bí thư chi bộ", "trưởng thôn Diềm"])])
        );
    }

    #[test]
    fn ranks_former_titles_and_captions() {
        assert_eq!(
            read("Đại tướng Phan Văn Giang, Ủy viên Bộ Chính trị, Bộ trưởng Quốc phòng dự."),
            owned(&[(
                "Phan Văn Giang",
                &["Đại tướng", "Ủy viên Bộ Chính trị", "Bộ trưởng Quốc phòng"]
            )])
        );
        assert_eq!(
            read("Ông Trần Văn Sơn, nguyên Chủ tịch UBND huyện, về thăm."),
            owned(&[("Trần Văn Sơn", &["nguyên Chủ tịch UBND huyện"])])
        );
        assert!(read("3.JPG\nĐồng chí Đặng Xuân Phong phat bieu.jpg\nhttps://x.vn/a").is_empty());
    }

    #[test]
    fn names_listed_after_dong_chi() {
        assert_eq!(
            read("Dự có các đồng chí: Lê Văn Nam, Trần Thị Hoa; Giàng A Tủa. Hà Nội, Lào Cai"),
            owned(&[
                ("Lê Văn Nam", &[]),
                ("Trần Thị Hoa", &[]),
                ("Giàng A Tủa", &[])
            ])
        );
    }

    #[test]
    fn bodies_in_lists_are_not_people() {
        assert!(read("có các đồng chí: Thường trực HĐND, UBND, Đoàn Đại biểu Quốc hội tỉnh; Hà Văn Nam cùng dự.").is_empty());
    }

    #[test]
    fn not_people() {
        assert!(
            read("Tiểu đoàn Hoàng Liên Sơn, Công ty TNHH Hoàng Hùng, tỉnh Lào Cai, Hà Nội.")
                .is_empty()
        );
        assert!(read("Trường trung học phổ thông Trần Phú tại phường Móng Cái.").is_empty());
        assert!(
            read("Đồng chí Bí thư Tỉnh ủy nhấn mạnh: Hai tỉnh Lào Cai và Lai Châu.").is_empty()
        );
    }

    /// White space is read by its presence, not its kind or length: runs
    /// of spaces, tabs and non-breaking spaces read like one space, and a
    /// dash opens a chain only with white space before it.
    #[test]
    fn any_run_of_white_space_reads_like_one_space() {
        let texts = [
            "do đồng chí Giàng Thị Dung - Phó Bí thư Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh làm Trưởng đoàn",
            "ông Đặng Xuân Phong (Bí thư Tỉnh ủy Lào Cai) cho biết",
            "Bí thư Tỉnh ủy, đồng chí Đặng Xuân Phong phát biểu",
            "Các đồng chí: Đặng Xuân Phong, Bí thư Tỉnh ủy; Trịnh Xuân Trường, Chủ tịch UBND tỉnh.",
        ];
        let widened = |t: &str| t.replace(' ', " \u{a0}\t ");
        for text in texts {
            let once = read(text);
            assert!(!once.is_empty(), "{text}");
            let wide = widened(text);
            let again: Vec<(String, Vec<String>)> = read(&wide)
                .into_iter()
                .map(|(name, titles)| {
                    let narrow = |s: String| s.replace(" \u{a0}\t ", " ");
                    (narrow(name), titles.into_iter().map(narrow).collect())
                })
                .collect();
            assert_eq!(once, again, "{wide:?}");
        }
        // `Phong-Bí thư` is not `Phong - Bí thư`.
        assert_eq!(
            read("ông Đặng Xuân Phong -Bí thư Tỉnh ủy cho biết"),
            owned(&[("Đặng Xuân Phong", &["Bí thư Tỉnh ủy"])])
        );
        assert_eq!(
            read("ông Đặng Xuân Phong-Bí thư Tỉnh ủy cho biết"),
            owned(&[("Đặng Xuân Phong", &[])])
        );
    }

    #[test]
    fn joined_words() {
        assert!(is_joined("đặng xuân phong", &["đặng", "xuân", "phong"]));
        assert!(is_joined("phong", &["phong"]));
        assert!(!is_joined("đặng xuân phong", &["đặng", "xuân"]));
        assert!(!is_joined("đặng xuân", &["đặng", "xuân", "phong"]));
        assert!(!is_joined("đặng xuânphong", &["đặng", "xuân", "phong"]));
        assert!(!is_joined("đặng  xuân", &["đặng", "xuân"]));
        assert!(!is_joined("đặng xuân", &["đặng", "xu"]));
    }

    #[test]
    fn one_edit() {
        assert!(one_edit_apart("phogn", "phong"));
        assert!(one_edit_apart("phon", "phong"));
        assert!(one_edit_apart("phongg", "phong"));
        assert!(one_edit_apart("phung", "phong"));
        assert!(!one_edit_apart("phong", "phong"));
        assert!(!one_edit_apart("pohgn", "phong"));
    }
}
