//! The Vietnamese text layer: tokens over the original bytes, each carrying
//! normalised keys for matching (NFC, one tone-mark placement, case folding,
//! diacritic folding). Every range still points at the original text, so NFD,
//! CRLF or non-breaking spaces in the input never shift a diagnostic.

pub mod abbrev;
pub mod tone;

use compact_str::CompactString;
use smallvec::SmallVec;
use std::borrow::Cow;
use std::cell::RefCell;
use std::ptr::NonNull;
use std::rc::Rc;
use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;

pub use tone::ToneStyle;

/// What a token is. White space is not a token: the token after it is
/// marked [`Token::spaced`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters, digits and combining marks (an abbreviation may keep its dots: `T.Ư`, `TP.`).
    Word,
    /// A line break (`\n`, `\r\n` or `\r`).
    Newline,
    /// Any other single character.
    Punct(char),
}

/// One token of a document, with its byte range in the original text. A
/// word shares its keys with every other token written the same way (see
/// [`WordCache`]): a token is small and cheap to make. Tokens live in a
/// [`Tokens`] list, which keeps their keys alive; they are never taken
/// out of it.
pub struct Token {
    pub start: usize,
    pub end: usize,
    /// The keys of a word (`None` for other tokens), in an [`Arena`] the
    /// token's list holds.
    keys: Option<NonNull<WordKeys>>,
    /// The classes a [`Classify`] gave the word (0 when tokenised without one).
    pub class: u32,
    /// The token's kind, the word's shape and whether white space stands
    /// before it, in one word (see [`Packed`]): a token takes 32 bytes, not
    /// 40, and a document's tokens are walked by every pass.
    packed: Packed,
}

/// What a token is, packed: bits 0–20 the character of a punctuation
/// token, 21–22 the kind, 23–28 the word's [`Shape`], 29 spaced.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Packed(u32);

impl Packed {
    const KIND_SHIFT: u32 = 21;
    const SHAPE_SHIFT: u32 = 23;
    const SPACED: u32 = 1 << 29;
    const CHAR_MASK: u32 = (1 << 21) - 1;
    const SHAPE_MASK: u32 = 0x3F;
    const WORD: u32 = 0;
    const NEWLINE: u32 = 1;
    const PUNCT: u32 = 2;

    fn new(kind: TokKind, spaced: bool) -> Packed {
        let kind = match kind {
            TokKind::Word => Self::WORD << Self::KIND_SHIFT,
            TokKind::Newline => Self::NEWLINE << Self::KIND_SHIFT,
            TokKind::Punct(c) => (Self::PUNCT << Self::KIND_SHIFT) | c as u32,
        };
        Packed(kind | if spaced { Self::SPACED } else { 0 })
    }

    fn kind_code(self) -> u32 {
        (self.0 >> Self::KIND_SHIFT) & 3
    }

    fn kind(self) -> TokKind {
        match self.kind_code() {
            Self::WORD => TokKind::Word,
            Self::NEWLINE => TokKind::Newline,
            _ => TokKind::Punct(
                char::from_u32(self.0 & Self::CHAR_MASK).unwrap_or(char::REPLACEMENT_CHARACTER),
            ),
        }
    }

    fn shape(self) -> Shape {
        Shape(((self.0 >> Self::SHAPE_SHIFT) & Self::SHAPE_MASK) as u8)
    }

    fn with_shape(self, shape: Shape) -> Packed {
        let cleared = self.0 & !(Self::SHAPE_MASK << Self::SHAPE_SHIFT);
        Packed(cleared | (u32::from(shape.0) << Self::SHAPE_SHIFT))
    }

    fn spaced(self) -> bool {
        self.0 & Self::SPACED != 0
    }
}

/// Shape flags of a word, from its cased key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Shape(u8);

impl Shape {
    const CAPITALIZED: u8 = 1;
    const ALL_CAPS: u8 = 2;
    const NAME_LIKE: u8 = 4;
    const INITIAL: u8 = 8;
    const DIACRITICS: u8 = 16;
    const LETTERS: u8 = 32;

    fn of(cased: &str, norm: &str, fold: &str) -> Shape {
        let mut chars = cased.chars();
        let first = chars.next();
        let capitalized = first.is_some_and(is_upper);
        let mut letters = cased.chars().filter(|&c| is_letter(c));
        let all_caps = letters.next().is_some_and(is_upper)
            && letters.clone().next().is_some()
            && letters.all(is_upper);
        let name_like = capitalized && chars.clone().next().is_some() && chars.all(is_lower);
        let mut c = cased.chars();
        let initial = c.next().is_some_and(char::is_uppercase) && c.next().is_none();
        let flags = [
            (capitalized, Self::CAPITALIZED),
            (all_caps, Self::ALL_CAPS),
            (name_like, Self::NAME_LIKE),
            (initial, Self::INITIAL),
            (norm != fold, Self::DIACRITICS),
            (norm.chars().all(is_letter), Self::LETTERS),
        ];
        Shape(
            flags
                .iter()
                .filter(|(on, _)| *on)
                .fold(0, |acc, (_, bit)| acc | bit),
        )
    }

    fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
}

/// Sorts words into classes (a bit set) once per distinct word: the
/// recognizer asks its profile index and word lists here instead of looking
/// every word of every document up again.
pub trait Classify {
    /// Identifies what the classes depend on (e.g. one index build): cached
    /// classes are reused only under the same id.
    fn id(&self) -> u64;
    /// The classes of a word given its lower-case and folded keys.
    fn classes(&self, norm: &str, fold: &str) -> u32;
}

impl Token {
    fn keys(&self) -> Option<&WordKeys> {
        // SAFETY: a token is made only inside a `Tokens` list, which holds
        // the arena its keys were put in, and is never moved or copied out
        // of it (the list hands out shared references only): the arena,
        // which never moves or frees a word before it is dropped itself,
        // outlives this borrow.
        self.keys.map(|k| unsafe { k.as_ref() })
    }
    pub fn is_word(&self) -> bool {
        self.packed.kind_code() == Packed::WORD
    }
    pub fn kind(&self) -> TokKind {
        self.packed.kind()
    }
    /// White space (horizontal: spaces, tabs, non-breaking spaces) stands
    /// right before this token. Prose is half spaces: a flag instead of a
    /// token of their own halves the tokens.
    pub fn spaced(&self) -> bool {
        self.packed.spaced()
    }
    /// NFC, modern tone placement, case kept (empty for non-words).
    pub fn cased(&self) -> &str {
        self.keys().map_or("", |k| &k.cased)
    }
    /// `cased` in lower case: the key for exact matching.
    pub fn norm(&self) -> &str {
        self.keys().map_or("", |k| &k.norm)
    }
    /// [`Token::norm`] as a [`Word`] to keep.
    pub fn norm_word(&self) -> Word {
        self.keys().map_or_else(Word::default, |k| k.norm.clone())
    }
    /// The expansion of a word written as an abbreviation (`UBND`, `T.Ư`, `TP.`).
    pub fn abbreviation(&self) -> Option<&'static str> {
        self.keys().and_then(|k| k.abbreviation)
    }
    /// `norm` without any diacritic, `đ` folded to `d`: the key for fuzzy matching.
    pub fn fold(&self) -> &str {
        self.keys().map_or("", |k| &k.fold)
    }
    /// The word's shape, kept in the token: the recognizer asks it of
    /// most words it looks at, and the keys lie elsewhere in memory.
    fn shape(&self) -> Shape {
        self.packed.shape()
    }
    /// First letter upper case (`Phong`, `UBND`, `Ủy`).
    pub fn is_capitalized(&self) -> bool {
        self.shape().has(Shape::CAPITALIZED)
    }
    /// Every letter upper case and more than one letter (`UBND`, `HĐND`).
    pub fn is_all_caps(&self) -> bool {
        self.shape().has(Shape::ALL_CAPS)
    }
    /// Shaped like a name syllable: `Phong`, `Mỷ` (capital then lower-case letters).
    pub fn is_name_like(&self) -> bool {
        self.shape().has(Shape::NAME_LIKE)
    }
    /// One upper-case letter alone (the `A` of `Sùng A Siềng`).
    pub fn is_initial(&self) -> bool {
        self.shape().has(Shape::INITIAL)
    }
    pub fn has_diacritics(&self) -> bool {
        self.shape().has(Shape::DIACRITICS)
    }
    /// Every character of the word is a letter (no digit, no dot).
    pub fn is_letters(&self) -> bool {
        self.shape().has(Shape::LETTERS)
    }
    /// Whether the classifier the word was tokenised with put it in any of `classes`.
    pub fn in_class(&self, classes: u32) -> bool {
        self.class & classes != 0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("kind", &self.kind())
            .field("start", &self.start)
            .field("end", &self.end)
            .field("keys", &self.keys())
            .field("class", &self.class)
            .field("shape", &self.shape())
            .field("spaced", &self.spaced())
            .finish()
    }
}

/// The tokens of a text, with the arenas their words' keys are in. Tokens
/// share keys without counting references (a count kept per token cost a
/// fifth of tokenising: two writes to the keys' memory per word, one to
/// make and one to drop the token); the list counts one reference per
/// arena instead.
#[derive(Default)]
pub struct Tokens {
    toks: Vec<Token>,
    /// Every arena a token of the list has its keys in: one, or more when
    /// the word cache was emptied while the list was being made.
    arenas: SmallVec<[Rc<Arena>; 1]>,
}

impl Tokens {
    pub fn with_capacity(n: usize) -> Tokens {
        Tokens {
            toks: Vec::with_capacity(n),
            arenas: SmallVec::new(),
        }
    }

    /// Keeps only the tokens `keep` says yes to.
    pub fn retain(&mut self, keep: impl FnMut(&Token) -> bool) {
        self.toks.retain(keep);
    }

    /// Appends a line-break token for every line break in
    /// `text[start..end]` (what tokenising it would give, without the words).
    pub fn push_line_breaks(&mut self, text: &str, start: usize, end: usize) {
        let bytes = text.as_bytes();
        let mut at = start;
        while let Some(i) = memchr::memchr2(b'\n', b'\r', &bytes[at..end]) {
            let from = at + i;
            at = from + 1;
            if bytes[from] == b'\r' && at < end && bytes[at] == b'\n' {
                at += 1;
            }
            self.toks.push(Token {
                start: from,
                end: at,
                keys: None,
                class: 0,
                packed: Packed::new(TokKind::Newline, false),
            });
        }
    }

    /// Makes the list hold `arena` (the word cache's current one).
    fn hold(&mut self, arena: &Rc<Arena>) {
        if !self.arenas.iter().any(|a| Rc::ptr_eq(a, arena)) {
            self.arenas.push(arena.clone());
        }
    }
}

impl std::ops::Deref for Tokens {
    type Target = [Token];
    fn deref(&self) -> &[Token] {
        &self.toks
    }
}

impl<'a> IntoIterator for &'a Tokens {
    type Item = &'a Token;
    type IntoIter = std::slice::Iter<'a, Token>;
    fn into_iter(self) -> Self::IntoIter {
        self.toks.iter()
    }
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.toks.iter()).finish()
    }
}

/// A canonical word kept for matching: short, so stored inline (no heap).
pub type Word = CompactString;

/// Canonical comparison form of a word, case kept: NFC with modern tone placement.
pub fn canonical_cased(word: &str) -> String {
    tone::to_style(word, ToneStyle::Modern)
}

/// Canonical comparison form of a word, lower case.
pub fn canonical(word: &str) -> String {
    lower_nfc(&canonical_cased(word)).into_owned()
}

/// Lower case, composed again where lower case composes and upper case
/// does not (`W` + ring above has no precomposed form, `ẘ` has); title-case
/// letters (`ǅ`) are lowered too.
fn lower_nfc(cased: &str) -> Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    let lower = cased.to_lowercase();
    if lower == cased {
        return Cow::Borrowed(cased);
    }
    match is_nfc_quick(lower.chars()) {
        IsNormalized::Yes => Cow::Owned(lower),
        _ => Cow::Owned(lower.nfc().collect()),
    }
}

/// Lower case without diacritics; `đ` becomes `d`.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == 'đ' || c == 'Đ' {
            out.push('d');
        } else if !is_combining_mark(c) {
            // The base letter of the canonical decomposition.
            let mut base = None;
            unicode_normalization::char::decompose_canonical(c, |d| {
                if base.is_none() {
                    base = Some(d);
                }
            });
            out.extend(base.unwrap_or(c).to_lowercase());
        }
    }
    out
}

/// The pieces of `s` between single spaces, as `s.split(' ')` gives them,
/// found by a plain byte search: `split` sets up a searcher each time,
/// which in the recognizer's hot loops cost more than the pieces it found.
pub fn space_parted(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == b' ') {
            Some(k) => {
                rest = Some(&r[k + 1..]);
                Some(&r[..k])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Words of a phrase in canonical lower-case form, white space of any kind collapsed.
pub fn canonical_words(text: &str) -> Vec<Word> {
    tokenize(text)
        .iter()
        .filter(|t| t.is_word())
        .map(|t| t.norm_word())
        .collect()
}

/// A phrase in canonical lower-case form with single spaces.
pub fn canonical_phrase(text: &str) -> String {
    canonical_words(text).join(" ")
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    letter(c).is_some() || c.is_alphanumeric() || is_combining_mark(c)
}

fn is_space(c: char) -> bool {
    c != '\n' && c != '\r' && (c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}')
}

/// What the keys need to know of a precomposed Latin letter.
#[derive(Clone, Copy)]
struct Letter {
    lower: char,
    /// The folded ASCII letter (`ặ` → `a`, `Đ` → `d`).
    base: u8,
    is_upper: bool,
    is_lower: bool,
}

/// `char::is_alphabetic`, quick for the letters Vietnamese uses.
pub fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        letter(c).is_some() || c.is_alphabetic()
    }
}

/// `char::is_uppercase`, quick for the letters Vietnamese uses.
pub fn is_upper(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_uppercase()
    } else {
        letter(c).map_or_else(|| c.is_uppercase(), |l| l.is_upper)
    }
}

/// `char::is_lowercase`, quick for the letters Vietnamese uses.
pub fn is_lower(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_lowercase()
    } else {
        letter(c).map_or_else(|| c.is_lowercase(), |l| l.is_lower)
    }
}

/// Precomposed letters of Latin-1, Latin Extended-A/B and Latin Extended
/// Additional (every Vietnamese letter), prepared once: looking them up
/// replaces Unicode tables and decomposition for almost every word.
const LETTER_RANGES: [(u32, u32); 2] = [(0xC0, 0x24F), (0x1E00, 0x1EFF)];

fn letter(c: char) -> Option<Letter> {
    static TABLE: OnceLock<Vec<Option<Letter>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        LETTER_RANGES
            .iter()
            .flat_map(|&(lo, hi)| lo..=hi)
            .map(|u| {
                let c = char::from_u32(u)?;
                let mut lower = c.to_lowercase();
                let (l, None) = (lower.next()?, lower.next()) else {
                    return None;
                };
                let base = fold(l.encode_utf8(&mut [0; 4]));
                let base = match base.as_bytes() {
                    [b] if b.is_ascii_alphabetic() => *b,
                    _ => return None,
                };
                (c.is_alphabetic() && !is_combining_mark(c)).then_some(Letter {
                    lower: l,
                    base,
                    is_upper: c.is_uppercase(),
                    is_lower: c.is_lowercase(),
                })
            })
            .collect()
    });
    let u = c as u32;
    let mut offset = 0;
    for (lo, hi) in LETTER_RANGES {
        if (lo..=hi).contains(&u) {
            return table[offset + (u - lo) as usize];
        }
        offset += (hi - lo + 1) as usize;
    }
    None
}

/// The three keys of a word made of ASCII letters, digits and precomposed
/// letters with no movable tone mark: the word itself is then NFC in the
/// modern placement, and each key is a per-character mapping. `None` sends
/// the word to [`slow_keys`].
fn fast_keys(word: &str) -> Option<(Cow<'_, str>, CompactString, CompactString)> {
    // The folded key is one ASCII byte per character.
    let mut buf = [0u8; 48];
    let mut len = 0;
    let (mut upper, mut ascii) = (false, true);
    for c in word.chars() {
        let slot = buf.get_mut(len)?;
        if c.is_ascii() {
            if !c.is_ascii_alphanumeric() {
                return None;
            }
            upper |= c.is_ascii_uppercase();
            *slot = c.to_ascii_lowercase() as u8;
        } else {
            let l = letter(c)?;
            ascii = false;
            upper |= l.is_upper;
            *slot = l.base;
        }
        len += 1;
    }
    let f = &buf[..len];
    if !ascii
        && f.len() >= 2
        && matches!(
            (f[f.len() - 2], f[f.len() - 1]),
            (b'o', b'a') | (b'o', b'e') | (b'u', b'y')
        )
    {
        return None;
    }
    let norm = if !upper {
        CompactString::from(word)
    } else {
        word.chars()
            .map(|c| match letter(c) {
                Some(l) => l.lower,
                None => c.to_ascii_lowercase(),
            })
            .collect()
    };
    // Only ASCII letters and digits went into the folded key.
    let folded = CompactString::from_utf8(f).ok()?;
    Some((Cow::Borrowed(word), norm, folded))
}

/// The three keys of any word: NFC, tone placement, Unicode case mapping.
fn slow_keys(word: &str) -> (Cow<'_, str>, CompactString, CompactString) {
    let cased = tone::to_style_cow(word, ToneStyle::Modern);
    let norm = CompactString::from(lower_nfc(&cased));
    let folded = if norm.is_ascii() {
        norm.clone()
    } else {
        CompactString::from(fold(&norm))
    };
    (cased, norm, folded)
}

/// The keys and shape of one written word.
#[derive(Debug)]
struct WordKeys {
    cased: Word,
    norm: Word,
    fold: Word,
    shape: Shape,
    /// The expansion of a word written as an abbreviation (`UBND`, `T.Ư`).
    abbreviation: Option<&'static str>,
}

impl WordKeys {
    fn of(word: &str) -> WordKeys {
        let (cased, norm, fold) = fast_keys(word).unwrap_or_else(|| slow_keys(word));
        let shape = Shape::of(&cased, &norm, &fold);
        WordKeys {
            // Written in capitals or with a dot, as abbreviations are.
            abbreviation: (shape.has(Shape::ALL_CAPS) || norm.contains('.'))
                .then(|| abbrev::expand(&norm))
                .flatten(),
            shape,
            cased: Word::from(cased),
            norm,
            fold,
        }
    }
}

/// Where the word cache keeps words' keys: each is put once and stays
/// where it is until the arena is dropped, which happens when the cache
/// was emptied and the last token list holding the arena is dropped.
#[derive(Default)]
struct Arena {
    words: RefCell<Vec<NonNull<WordKeys>>>,
}

impl Arena {
    fn put(&self, keys: WordKeys) -> NonNull<WordKeys> {
        let keys = NonNull::from(Box::leak(Box::new(keys)));
        self.words.borrow_mut().push(keys);
        keys
    }
}

impl Drop for Arena {
    fn drop(&mut self) {
        for keys in self.words.get_mut().drain(..) {
            // SAFETY: made by `Box::leak` in `put`, freed only here, once;
            // nothing refers to the arena's words any more.
            drop(unsafe { Box::from_raw(keys.as_ptr()) });
        }
    }
}

/// A word's keys in the cache (in its arena), with its classes under the
/// classifier with id `class_of`, and its shape: a copy of the one in its
/// keys, so that a token gets it without a look at them (the tokenizer
/// does this for every word).
struct Cached {
    keys: NonNull<WordKeys>,
    class: u32,
    shape: Shape,
    class_of: u64,
}

impl Cached {
    /// The word's keys and its classes under `classify` (id `id`).
    /// Without a classifier the word has no classes, and the classes kept
    /// stay: text tokenised plainly between documents (titles, noise
    /// lines) does not make every word be classed again.
    fn keys(
        &mut self,
        classify: Option<&dyn Classify>,
        id: u64,
    ) -> (NonNull<WordKeys>, u32, Shape) {
        let Some(classify) = classify else {
            return (self.keys, 0, self.shape);
        };
        if self.class_of != id {
            self.reclass(classify, id);
        }
        (self.keys, self.class, self.shape)
    }

    /// Classes the word under another classifier (a new index): rare.
    #[cold]
    #[inline(never)]
    fn reclass(&mut self, classify: &dyn Classify, id: u64) {
        // SAFETY: the cache holds the arena of its words.
        let keys = unsafe { self.keys.as_ref() };
        self.class = classify.classes(&keys.norm, &keys.fold);
        self.class_of = id;
    }
}

/// The id under which words carry no classes.
const NO_CLASSIFIER: u64 = u64::MAX;

/// Words seen by this thread, by their written form: a newsroom writes the
/// same few thousand syllables over and over, so their keys, shape and
/// classes are worked out once and shared by their tokens. Bounded: emptied
/// when it grows past [`WORD_CACHE_LIMIT`] (a server typing random text for
/// days), when it starts a new arena; token lists keep the arenas of the
/// keys they share.
#[derive(Default)]
struct WordCache {
    /// Short words by a few bits of their packed bytes, two to a set,
    /// with what a token needs of them: most words are found here with
    /// one multiplication and a comparison or two, before the maps below.
    front: FrontTable,
    arena: Rc<Arena>,
    /// Words of up to 16 bytes (almost all), by their bytes packed in an
    /// integer: hashing and comparing them is a few instructions.
    short: rustc_hash::FxHashMap<u128, Cached>,
    long: rustc_hash::FxHashMap<CompactString, Cached>,
    /// The [`not_plain_marks`] of the text being tokenised (kept to be
    /// reused: one list per call would be an allocation per document).
    marks: Vec<u64>,
}

/// A word of the [`FrontTable`]: its packed bytes (0 for an empty
/// slot: no word packs to 0) and what its tokens get.
#[derive(Clone, Copy)]
struct FrontSlot {
    key: u128,
    keys: Option<NonNull<WordKeys>>,
    /// The word's classes under the classifier the table was filled for.
    class: u32,
    shape: Shape,
}

/// The front of the word cache: 2,048 slots of 32 bytes in sets of two,
/// each word in the set its bytes hash to (two ways: with one, two
/// frequent words of the same slot kept throwing each other out). Its
/// classes are those of one classifier ([`FrontTable::id`]): under
/// another, the table is emptied.
struct FrontTable {
    slots: Box<[FrontSlot; FRONT_SLOTS]>,
    id: u64,
}

const FRONT_SLOTS: usize = 2048;

impl Default for FrontTable {
    fn default() -> Self {
        FrontTable {
            slots: Box::new([FrontSlot::EMPTY; FRONT_SLOTS]),
            id: NO_CLASSIFIER,
        }
    }
}

impl FrontSlot {
    const EMPTY: FrontSlot = FrontSlot {
        key: 0,
        keys: None,
        class: 0,
        shape: Shape(0),
    };
}

impl FrontTable {
    /// The first slot of the set of a word packed as `key`.
    #[inline]
    fn set(key: u128) -> usize {
        const SETS: usize = FRONT_SLOTS / 2;
        let mixed = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        2 * (mixed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - SETS.trailing_zeros())) as usize
    }

    /// The slot holding the word packed as `key`.
    #[inline]
    fn find(&self, key: u128) -> Option<&FrontSlot> {
        let set = Self::set(key);
        let ways = &self.slots[set..set + 2];
        ways.iter().find(|s| s.key == key)
    }

    /// Puts a word first in its set; the word that was first moves second.
    fn put(&mut self, slot: FrontSlot) {
        let set = Self::set(slot.key);
        self.slots[set + 1] = self.slots[set];
        self.slots[set] = slot;
    }

    fn clear(&mut self, id: u64) {
        self.slots.fill(FrontSlot::EMPTY);
        self.id = id;
    }
}

/// Words a thread keeps (about 160 bytes each: some 2.6 MB). Vietnamese
/// has a few thousand syllables; emptying the cache when names, numbers
/// and foreign words fill it costs a few milliseconds of recomputing.
const WORD_CACHE_LIMIT: usize = 16_384;

thread_local! {
    static WORD_CACHE: std::cell::RefCell<WordCache> = std::cell::RefCell::new(WordCache::default());
}

/// The bytes `start..end` of `text` (a word of up to 16 bytes) in one
/// integer, zero padded. Words never hold a NUL byte, so the padding cannot
/// make two words alike.
fn packed(text: &[u8], start: usize, end: usize) -> Option<u128> {
    let len = end - start;
    if len > 16 {
        return None;
    }
    // One sixteen-byte load where the text goes on that far: bytes copied
    // one by one into a buffer and read back whole stall the processor.
    let Some(wide) = text[start..].first_chunk::<16>() else {
        let mut buf = [0u8; 16];
        buf[..len].copy_from_slice(&text[start..end]);
        return Some(u128::from_le_bytes(buf));
    };
    Some(u128::from_le_bytes(*wide) & PACKED_MASKS[len])
}

/// `PACKED_MASKS[n]` keeps the low `n` bytes of a packed word.
static PACKED_MASKS: [u128; 17] = {
    let mut masks = [0u128; 17];
    let mut n = 1;
    while n <= 16 {
        masks[n] = u128::MAX >> (8 * (16 - n));
        n += 1;
    }
    masks
};

impl WordCache {
    /// The keys and classes (from `classify`, whose id is `id`, when
    /// given) of the word written `text[start..end]`, when it is in the
    /// front table (the common case: one multiplication and a comparison
    /// or two). The table's classes must be those of `id` when `classify`
    /// is given (see [`WordCache::front_for`]); without a classifier the
    /// class is 0.
    #[inline]
    fn front_keys(
        &self,
        key: Option<u128>,
        classify: Option<&dyn Classify>,
    ) -> Option<(NonNull<WordKeys>, u32, Shape)> {
        let slot = self.front.find(key?)?;
        let class = if classify.is_some() { slot.class } else { 0 };
        Some((slot.keys?, class, slot.shape))
    }

    /// Makes the front table's classes those of the classifier `id` (a
    /// tokenisation with a classifier starts here, so that a word found in
    /// the table need not be asked which classifier it was classed by).
    fn front_for(&mut self, id: u64) {
        if self.front.id != id {
            self.front.clear(id);
        }
    }

    /// The keys and classes of a word [`WordCache::front_keys`] did not
    /// find. The front table then gets it (short words only, and only
    /// when classed: the table is made this classifier's first, as a full
    /// cache empties it).
    #[inline(never)]
    fn keys_behind_front(
        &mut self,
        text: &str,
        (start, end): (usize, usize),
        key: Option<u128>,
        classify: Option<&dyn Classify>,
        id: u64,
    ) -> (NonNull<WordKeys>, u32, Shape) {
        let found = match key {
            Some(k) => self.short.get_mut(&k),
            None => self.long.get_mut(&text[start..end]),
        };
        let (keys, class, shape) = match found {
            Some(cached) => cached.keys(classify, id),
            None => self.insert_new(&text[start..end], key, classify, id),
        };
        if let (Some(k), Some(_)) = (key, classify) {
            if self.front.id != id {
                self.front.clear(id);
            }
            self.front.put(FrontSlot {
                key: k,
                keys: Some(keys),
                class,
                shape,
            });
        }
        (keys, class, shape)
    }

    /// Works out the keys of a word not in the cache (`key`: its packed
    /// bytes when short) and keeps them. A full cache is emptied first and
    /// gets a new arena: the caller's list must then hold it.
    #[cold]
    #[inline(never)]
    fn insert_new(
        &mut self,
        word: &str,
        key: Option<u128>,
        classify: Option<&dyn Classify>,
        id: u64,
    ) -> (NonNull<WordKeys>, u32, Shape) {
        if self.len() >= WORD_CACHE_LIMIT {
            self.short.clear();
            self.long.clear();
            self.front.clear(NO_CLASSIFIER);
            self.arena = Rc::default();
        }
        let keys = WordKeys::of(word);
        let mut cached = Cached {
            shape: keys.shape,
            keys: self.arena.put(keys),
            class: 0,
            class_of: NO_CLASSIFIER,
        };
        let keys = cached.keys(classify, id);
        match key {
            Some(k) => {
                self.short.insert(k, cached);
            }
            None => {
                self.long.insert(CompactString::from(word), cached);
            }
        }
        keys
    }

    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }
}

/// Byte classes of ASCII for the tokenizer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ascii {
    Word,
    Space,
    Newline,
    Other,
}

const fn ascii_class(b: u8) -> Ascii {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => Ascii::Word,
        b'\n' | b'\r' => Ascii::Newline,
        // What `char::is_whitespace` says of ASCII, line breaks aside.
        b' ' | b'\t' | 0x0b | 0x0c => Ascii::Space,
        _ => Ascii::Other,
    }
}

static ASCII_CLASS: [Ascii; 128] = {
    let mut t = [Ascii::Other; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = ascii_class(b as u8);
        b += 1;
    }
    t
};

/// The length of the character at byte `at` when it is white space (not
/// a line break). What follows a space is most often a letter, told from
/// its first bytes without decoding it.
fn space_len(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let b = *bytes.get(at)?;
    if b.is_ascii() {
        return (ASCII_CLASS[b as usize] == Ascii::Space).then_some(1);
    }
    if vietnamese_letter_len(bytes, at).is_some() {
        return None;
    }
    let c = text[at..].chars().next()?;
    is_space(c).then(|| c.len_utf8())
}

/// Whether the character at byte `at` continues a word, and its length.
fn word_char_len(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let b = *bytes.get(at)?;
    if b.is_ascii() {
        return (ASCII_CLASS[b as usize] == Ascii::Word).then_some(1);
    }
    if let Some(n) = vietnamese_letter_len(bytes, at) {
        return Some(n);
    }
    let c = text[at..].chars().next()?;
    is_word_char(c).then(|| c.len_utf8())
}

/// The length of the character at byte `at` (not ASCII) when its first
/// bytes alone show it is a word character of the blocks Vietnamese is
/// written in: Latin-1 letters (U+00C0–U+00FF but `×`, `÷`), Latin
/// Extended-A/B and IPA (U+0100–U+027F), combining marks (U+0300–U+036F)
/// and Latin Extended Additional (U+1E00–U+1EFF). Most words of a document
/// are read here without decoding a character.
fn vietnamese_letter_len(bytes: &[u8], at: usize) -> Option<usize> {
    match (bytes[at], *bytes.get(at + 1)?) {
        (0xC3, 0x80..=0xBF) => (!matches!(bytes[at + 1], 0x97 | 0xB7)).then_some(2),
        (0xC4..=0xC9 | 0xCC, 0x80..=0xBF) | (0xCD, 0x80..=0xAF) => Some(2),
        (0xE1, 0xB8..=0xBB) => matches!(bytes.get(at + 2)?, 0x80..=0xBF).then_some(3),
        _ => None,
    }
}

/// Whether byte `b`, followed by `next`, starts a character that is not
/// one of the word characters told by their first two bytes (see
/// [`vietnamese_letter_len`]): ASCII letters and digits, Latin-1 letters,
/// Latin Extended-A/B and IPA, combining marks and Latin Extended
/// Additional. Bytes inside a character (0x80–0xBF) are never marked.
/// The byte conditions are those of `vietnamese_letter_len`, written out
/// for any byte pair (that function also asks a continuation byte after
/// the first), so that the SSE2 version can be held to this one for
/// every pair.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn not_plain(b: u8, next: u8) -> bool {
    let inside = b & 0xC0 == 0x80;
    let plain = b.is_ascii_alphanumeric()
        || matches!(b, 0xC4..=0xC9 | 0xCC)
        || (b == 0xC3 && !matches!(next, 0x97 | 0xB7))
        || (b == 0xCD && matches!(next, 0x80..=0xAF))
        || (b == 0xE1 && matches!(next, 0xB8..=0xBB));
    !(plain || inside)
}

/// The lanes of `$v` (bytes) that are plain in [`not_plain`]'s sense, `$next`
/// holding the byte after each, as a vector of all-ones lanes: one
/// writing of its byte conditions for the SSE2 and the AVX2 marks, given
/// each one's intrinsics (`set1`, `sub`, `min_epu8`, `cmpeq`, `and`, `or`,
/// `andnot`).
#[cfg(target_arch = "x86_64")]
macro_rules! plain_lanes {
    ($v:expr, $next:expr, $set1:ident, $sub:ident, $min:ident, $eq:ident,
     $and:ident, $or:ident, $andnot:ident) => {{
        let (v, next) = ($v, $next);
        let byte = |b: u8| $set1(b as i8);
        // Unsigned `lo <= x <= lo + n`, lane by lane.
        let within = |x, lo: u8, n: u8| {
            let d = $sub(x, byte(lo));
            $eq($min(d, byte(n)), d)
        };
        let is = |x, b: u8| $eq(x, byte(b));
        let inside = is($and(v, byte(0xC0)), 0x80);
        let alnum = $or(within($or(v, byte(0x20)), b'a', 25), within(v, b'0', 9));
        let two_byte = $or(within(v, 0xC4, 5), is(v, 0xCC));
        let latin1 = $andnot($or(is(next, 0x97), is(next, 0xB7)), is(v, 0xC3));
        let marks = $and(is(v, 0xCD), within(next, 0x80, 0x2F));
        let extended = $and(is(v, 0xE1), within(next, 0xB8, 3));
        $or(
            $or($or(alnum, two_byte), $or(latin1, marks)),
            $or(extended, inside),
        )
    }};
}

/// [`not_plain`] of the sixteen bytes at `chunk[..16]` (`chunk[16]` is the
/// byte after them), as the low bits of the result.
#[cfg(target_arch = "x86_64")]
fn not_plain_16(chunk: &[u8; 17]) -> u16 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of x86_64; both loads read inside `chunk`.
    unsafe {
        let plain = plain_lanes!(
            _mm_loadu_si128(chunk.as_ptr().cast()),
            _mm_loadu_si128(chunk.as_ptr().add(1).cast()),
            _mm_set1_epi8,
            _mm_sub_epi8,
            _mm_min_epu8,
            _mm_cmpeq_epi8,
            _mm_and_si128,
            _mm_or_si128,
            _mm_andnot_si128
        );
        !(_mm_movemask_epi8(plain) as u16)
    }
}

/// [`not_plain`] of the thirty-two bytes at `chunk[..32]` (`chunk[32]` is
/// the byte after them), as the bits of the result: [`not_plain_16`]'s
/// steps on twice the lanes.
///
/// # Safety
/// The processor must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn not_plain_32(chunk: &[u8; 33]) -> u32 {
    use std::arch::x86_64::*;
    // SAFETY: both loads read inside `chunk`; the caller vouches for AVX2.
    unsafe {
        let plain = plain_lanes!(
            _mm256_loadu_si256(chunk.as_ptr().cast()),
            _mm256_loadu_si256(chunk.as_ptr().add(1).cast()),
            _mm256_set1_epi8,
            _mm256_sub_epi8,
            _mm256_min_epu8,
            _mm256_cmpeq_epi8,
            _mm256_and_si256,
            _mm256_or_si256,
            _mm256_andnot_si256
        );
        !(_mm256_movemask_epi8(plain) as u32)
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn not_plain_16(chunk: &[u8; 17]) -> u16 {
    (0..16).fold(0, |m, i| {
        m | (u16::from(not_plain(chunk[i], chunk[i + 1])) << i)
    })
}

/// Marks, one bit a byte (bit `i % 64` of `marks[i / 64]`), where `bytes`
/// has a character that is not plainly a word character (see
/// [`not_plain`]), and at `bytes.len()`: a word runs to the next mark
/// without its letters being read one by one.
fn not_plain_marks(bytes: &[u8], marks: &mut Vec<u64>) {
    marks.clear();
    marks.resize(bytes.len() / 64 + 1, 0);
    let mut at = 0;
    // Thirty-two bytes at a time where the processor can, then sixteen,
    // while the byte after them is there too.
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        while at + 32 < bytes.len() {
            let chunk: &[u8; 33] = bytes[at..at + 33].try_into().expect("33 bytes");
            // SAFETY: the processor has AVX2, as just asked.
            let found = unsafe { not_plain_32(chunk) };
            marks[at / 64] |= u64::from(found) << (at % 64);
            at += 32;
        }
    }
    while at + 16 < bytes.len() {
        let chunk: &[u8; 17] = bytes[at..at + 17].try_into().expect("17 bytes");
        marks[at / 64] |= u64::from(not_plain_16(chunk)) << (at % 64);
        at += 16;
    }
    // The last one to sixteen bytes, from a copy padded with NUL (after
    // the last byte, as `not_plain` is asked of it, comes 0).
    let tail = bytes.len() - at;
    if tail > 0 {
        let mut chunk = [0u8; 17];
        chunk[..tail].copy_from_slice(&bytes[at..]);
        let within = ((1u32 << tail) - 1) as u16;
        marks[at / 64] |= u64::from(not_plain_16(&chunk) & within) << (at % 64);
    }
    marks[bytes.len() / 64] |= 1 << (bytes.len() % 64);
}

/// Whether byte `at` (at most the end of the text) is marked.
#[inline]
fn is_marked(marks: &[u64], at: usize) -> bool {
    marks[at / 64] & (1 << (at % 64)) != 0
}

/// Whether byte `at` is a space followed by a plain letter: the space
/// most tokens are followed by, passed over without being read as a token.
#[inline]
fn one_space_then_plain(bytes: &[u8], marks: &[u64], at: usize) -> bool {
    bytes.get(at) == Some(&b' ') && !is_marked(marks, at + 1)
}

/// The first marked byte at or after `from` (at most the end of the text).
#[inline]
fn next_mark(marks: &[u64], from: usize) -> usize {
    let mut w = from / 64;
    let mut m = marks[w] & (u64::MAX << (from % 64));
    while m == 0 {
        w += 1;
        m = marks[w];
    }
    w * 64 + m.trailing_zeros() as usize
}

/// Room for the tokens of `len` bytes of Vietnamese prose: about one token
/// per five bytes (a word of four or five bytes and the space before it;
/// punctuation), so that the token list is not copied as it grows.
pub fn token_estimate(len: usize) -> usize {
    len / 4 + 16
}

/// Splits text into tokens. Dots inside an abbreviation stay in the word
/// (`T.Ư`, `TP.`) so that the abbreviation table can see them.
pub fn tokenize(text: &str) -> Tokens {
    let mut tokens = Tokens::with_capacity(token_estimate(text.len()));
    tokenize_into(text, 0, &mut tokens, None);
    tokens
}

/// The word tokens of `text` (punctuation and line breaks left out).
pub fn tokenize_words(text: &str) -> Tokens {
    let mut tokens = tokenize(text);
    tokens.retain(Token::is_word);
    tokens
}

/// A token that starts with a marked character (see [`not_plain_marks`]).
enum Marked {
    /// White space up to this byte.
    Space(usize),
    /// A word, whose first character ends at this byte.
    Word(usize),
    /// A line break or a punctuation token, ending at this byte.
    Other(TokKind, usize),
    /// No character (the end of the text).
    End,
}

/// What the token at byte `at` (a marked character) is, read without the
/// marks.
#[inline]
fn marked_token(text: &str, at: usize) -> Marked {
    let bytes = text.as_bytes();
    let b = bytes[at];
    if b.is_ascii() {
        let mut end = at + 1;
        return match ASCII_CLASS[b as usize] {
            Ascii::Word => Marked::Word(end),
            Ascii::Space => {
                // Most spaces stand alone before an ASCII letter.
                if !bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
                    while let Some(n) = space_len(text, end) {
                        end += n;
                    }
                }
                Marked::Space(end)
            }
            Ascii::Newline => {
                if b == b'\r' && bytes.get(end) == Some(&b'\n') {
                    end += 1;
                }
                Marked::Other(TokKind::Newline, end)
            }
            Ascii::Other => Marked::Other(TokKind::Punct(b as char), end),
        };
    }
    if let Some(n) = vietnamese_letter_len(bytes, at) {
        return Marked::Word(at + n);
    }
    let Some(c) = text[at..].chars().next() else {
        return Marked::End;
    };
    let mut end = at + c.len_utf8();
    if is_word_char(c) {
        Marked::Word(end)
    } else if is_space(c) {
        while let Some(n) = space_len(text, end) {
            end += n;
        }
        Marked::Space(end)
    } else {
        Marked::Other(TokKind::Punct(c), end)
    }
}

/// Where the word starting at byte `start` ends, read on from `from`
/// (inside it, after its first character): plain word characters up to
/// the next mark, then what is marked, character by character.
#[inline]
fn word_end(text: &str, marks: &[u64], start: usize, from: usize) -> usize {
    let mut at = from;
    loop {
        at = next_mark(marks, at);
        if let Some(n) = word_char_len(text, at) {
            at += n;
        } else if text.as_bytes().get(at) == Some(&b'.')
            && abbrev::keeps_dot(&text[start..at], &text[at + 1..])
        {
            at += 1;
        } else {
            return at;
        }
    }
}

/// The keys, classes and shape of the word `text[start..end]`: from the
/// front table, else from the rest of the cache (whose emptying for a
/// new word starts an arena `list` must hold).
#[inline]
fn word_keys(
    cache: &mut WordCache,
    list: &mut Tokens,
    text: &str,
    (start, end): (usize, usize),
    classify: Option<&dyn Classify>,
    id: u64,
) -> (NonNull<WordKeys>, u32, Shape) {
    let key = packed(text.as_bytes(), start, end);
    if let Some(found) = cache.front_keys(key, classify) {
        return found;
    }
    let before = Rc::as_ptr(&cache.arena);
    let found = cache.keys_behind_front(text, (start, end), key, classify, id);
    if !std::ptr::eq(before, Rc::as_ptr(&cache.arena)) {
        // The cache was emptied for this word: a new arena.
        list.hold(&cache.arena);
    }
    found
}

/// Appends the tokens of `text` to `tokens`, their ranges shifted by
/// `offset` (where `text` starts in the document); words get their classes
/// from `classify` when given.
pub fn tokenize_into(
    text: &str,
    offset: usize,
    list: &mut Tokens,
    classify: Option<&dyn Classify>,
) {
    let id = classify.map_or(NO_CLASSIFIER, |c| c.id());
    WORD_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        list.hold(&cache.arena);
        let bytes = text.as_bytes();
        if classify.is_some() {
            cache.front_for(id);
        }
        let mut marks = std::mem::take(&mut cache.marks);
        not_plain_marks(bytes, &mut marks);
        let mut at = 0;
        let mut spaced = false;
        while at < bytes.len() {
            let start = at;
            // Where the word starting here is read on from (past its first
            // character): most tokens are words opening with a plain
            // letter, which is unmarked.
            let mut from = at;
            if is_marked(&marks, at) {
                match marked_token(text, at) {
                    Marked::Space(end) => {
                        at = end;
                        spaced = true;
                        continue;
                    }
                    Marked::Word(after_first) => from = after_first,
                    Marked::Other(kind, end) => {
                        list.toks.push(Token {
                            start: start + offset,
                            end: end + offset,
                            keys: None,
                            class: 0,
                            packed: Packed::new(kind, spaced),
                        });
                        at = end;
                        // One space before a plain letter is passed over here.
                        spaced = one_space_then_plain(bytes, &marks, at);
                        at += usize::from(spaced);
                        continue;
                    }
                    Marked::End => break,
                }
            }
            // A run of words, each but the first opening with a plain
            // letter after one space: the spaces are passed over here, not
            // read as tokens would be.
            let mut start = start;
            loop {
                at = word_end(text, &marks, start, from);
                let (keys, class, shape) =
                    word_keys(&mut cache, list, text, (start, at), classify, id);
                list.toks.push(Token {
                    start: start + offset,
                    end: at + offset,
                    keys: Some(keys),
                    class,
                    packed: Packed::new(TokKind::Word, spaced).with_shape(shape),
                });
                spaced = one_space_then_plain(bytes, &marks, at);
                if !spaced {
                    break;
                }
                at += 1;
                start = at;
                from = at;
            }
        }
        cache.marks = marks;
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn vietnamese_letter_bytes_agree_with_word_chars() {
        for (lo, hi) in [(0x80, 0x7FF), (0x1D00, 0x1FFF)] {
            for c in (lo..=hi).filter_map(char::from_u32) {
                let s = c.to_string();
                if let Some(n) = vietnamese_letter_len(s.as_bytes(), 0) {
                    assert!(is_word_char(c), "{c:?} is not a word character");
                    assert_eq!(n, c.len_utf8(), "{c:?}");
                }
            }
        }
        for c in ['à', 'ư', 'Đ', 'ặ', 'ỹ', '\u{301}', '\u{323}'] {
            assert!(
                vietnamese_letter_len(c.to_string().as_bytes(), 0).is_some(),
                "{c:?}"
            );
        }
    }

    /// Tokens as the tokenizer's rules define them, read one character
    /// at a time: (start, end, kind, spaced).
    fn tokens_char_by_char(text: &str) -> Vec<(usize, usize, TokKind, bool)> {
        let mut out = Vec::new();
        let mut chars = text.char_indices().peekable();
        let mut spaced = false;
        while let Some((start, c)) = chars.next() {
            let kind = if is_space(c) {
                spaced = true;
                continue;
            } else if c == '\n' || c == '\r' {
                if c == '\r' && chars.peek().is_some_and(|&(_, n)| n == '\n') {
                    chars.next();
                }
                TokKind::Newline
            } else if is_word_char(c) {
                loop {
                    let at = chars.peek().map_or(text.len(), |&(i, _)| i);
                    match chars.peek() {
                        Some(&(_, n)) if is_word_char(n) => {}
                        Some(&(_, '.')) if abbrev::keeps_dot(&text[start..at], &text[at + 1..]) => {
                        }
                        _ => break,
                    }
                    chars.next();
                }
                TokKind::Word
            } else {
                TokKind::Punct(c)
            };
            let end = chars.peek().map_or(text.len(), |&(i, _)| i);
            out.push((start, end, kind, spaced));
            spaced = false;
        }
        out
    }

    /// Text mixing the characters the tokenizer tells apart by their
    /// bytes: letters of every block it reads quickly and the ones next to
    /// them it must decode (`×`, Greek, Phonetic Extensions, `ª`), spaces,
    /// dots, quotes and digits.
    fn mixed_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let pieces = [
            "a", "Z", "7", " ", "  ", "\u{a0}", "\u{2003}", "\t", "\n", "\r\n", "\r", ".", ",",
            "TP", "T", "Ư", "à", "Ằ", "×", "÷", "ÿ", "Đ", "ư", "ɐ", "ʰ", "\u{301}", "\u{36f}", "Ͱ",
            "ͷ", "\u{37e}", "ᴀ", "ᐁ", "ạ", "ỹ", "\u{1dc0}", "ª", "µ", "“", "”", "–", "😀", "中",
            "\u{feff}", "\u{200b}",
        ];
        prop::collection::vec(prop::sample::select(pieces.to_vec()), 0..60).prop_map(|p| p.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn tokens_are_those_read_char_by_char(text in mixed_text()) {
            let toks: Vec<_> = tokenize(&text)
                .iter()
                .map(|t| (t.start, t.end, t.kind(), t.spaced()))
                .collect();
            proptest::prop_assert_eq!(toks, tokens_char_by_char(&text));
        }
    }

    /// Holds `mark` (the marks of the first `N - 1` bytes of a block,
    /// its last byte the one after them) to `not_plain` for every byte
    /// pair at each of `lanes`.
    fn assert_marks_every_pair<const N: usize>(lanes: &[usize], mark: impl Fn(&[u8; N]) -> u32) {
        let mut chunk = [b'a'; N];
        for b in 0..=255u8 {
            for next in 0..=255u8 {
                for &lane in lanes {
                    chunk[lane] = b;
                    chunk[lane + 1] = next;
                    let mask = mark(&chunk);
                    for i in 0..N - 1 {
                        let expected = not_plain(chunk[i], chunk[i + 1]);
                        assert_eq!(mask >> i & 1 == 1, expected, "{b:#x} {next:#x} lane {lane}");
                    }
                    chunk[lane] = b'a';
                    chunk[lane + 1] = b'a';
                }
            }
        }
    }

    #[test]
    fn word_ends_are_marked_alike_sixteen_bytes_at_a_time() {
        // Every byte pair at every lane, and the byte after the block.
        assert_marks_every_pair::<17>(&[0, 7, 15], |c| u32::from(not_plain_16(c)));
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn word_ends_are_marked_alike_thirty_two_bytes_at_a_time() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        // Lanes of both halves, and the byte after the block.
        // SAFETY: the processor has AVX2, as asked above.
        assert_marks_every_pair::<33>(&[0, 15, 16, 31], |c| unsafe { not_plain_32(c) });
    }

    #[test]
    fn every_byte_is_marked_as_not_plain_says_whatever_the_length() {
        let sample = "Bí thư Tỉnh ủy, Đặng\u{0301} X. 12×3 — ";
        let bytes: Vec<u8> = sample.bytes().cycle().take(200).collect();
        let mut marks = Vec::new();
        for len in 0..bytes.len() {
            for start in [0, 1, 5] {
                let part = &bytes[start.min(len)..len];
                not_plain_marks(part, &mut marks);
                for i in 0..=part.len() {
                    let expected = i == part.len()
                        || not_plain(part[i], part.get(i + 1).copied().unwrap_or(0));
                    assert_eq!(
                        marks[i / 64] >> (i % 64) & 1 == 1,
                        expected,
                        "{len} {start} {i}"
                    );
                }
            }
        }
    }

    #[test]
    fn plain_bytes_are_the_word_characters_read_without_decoding() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let s = format!("{c}a");
            let b = s.as_bytes();
            if !not_plain(b[0], b[1]) {
                assert!(is_word_char(c), "{c:?}");
                assert_eq!(
                    vietnamese_letter_len(b, 0).unwrap_or(1),
                    c.len_utf8(),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn nfd_and_nfc_give_the_same_keys() {
        let nfc = "Đặng Xuân Phong";
        let nfd: String = nfc.nfd().collect();
        let a: Vec<_> = tokenize(nfc)
            .iter()
            .map(|t| t.cased().to_string())
            .collect();
        let b: Vec<_> = tokenize(&nfd)
            .iter()
            .map(|t| t.cased().to_string())
            .collect();
        assert_eq!(a, b);
    }

    #[test]
    fn ranges_point_at_original_bytes() {
        let text = "Ông\u{a0}Lê\r\nBà";
        let toks = tokenize(text);
        let words: Vec<_> = toks
            .iter()
            .filter(|t| t.is_word())
            .map(|t| &text[t.start..t.end])
            .collect();
        assert_eq!(words, ["Ông", "Lê", "Bà"]);
        assert!(toks
            .iter()
            .any(|t| t.kind() == TokKind::Newline && t.end - t.start == 2));
    }

    #[test]
    fn space_parted_splits_as_split_does() {
        for s in [
            "",
            " ",
            "a",
            "ủy ban nhân dân",
            " a",
            "a ",
            "a  b",
            "Đặng Xuân Phong",
        ] {
            let split: Vec<&str> = s.split(' ').collect();
            assert_eq!(space_parted(s).collect::<Vec<_>>(), split, "{s:?}");
        }
    }

    #[test]
    fn fold_drops_diacritics_and_d_stroke() {
        assert_eq!(fold("Đặng Xuân Phong"), "dang xuan phong");
        assert_eq!(fold("Tỉnh uỷ"), "tinh uy");
    }

    #[test]
    fn abbreviation_dots_stay_in_the_word() {
        let words: Vec<_> = tokenize_words("TW, T.Ư và TP. Hà Nội.")
            .iter()
            .map(|t| t.cased().to_string())
            .collect();
        assert_eq!(words, ["TW", "T.Ư", "và", "TP.", "Hà", "Nội"]);
    }

    /// The quick per-letter keys agree with the Unicode path for every
    /// letter of the table, alone and in Vietnamese-shaped syllables.
    #[test]
    fn fast_keys_agree_with_slow_keys() {
        let letters: Vec<char> = LETTER_RANGES
            .iter()
            .flat_map(|&(lo, hi)| lo..=hi)
            .filter_map(char::from_u32)
            .collect();
        let mut checked = 0;
        for &c in &letters {
            for word in [
                format!("{c}"),
                format!("Th{c}"),
                format!("{c}y"),
                format!("o{c}"),
                format!("u{c}"),
                format!("Ng{c}n"),
                format!("QU{c}"),
            ] {
                if let Some(fast) = fast_keys(&word) {
                    assert_eq!(fast, slow_keys(&word), "{word}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 2000, "only {checked} words took the quick path");
    }

    /// Classes cached per thread follow the classifier they came from: a
    /// rebuilt index (another id) gets its own, and no classifier gives none.
    #[test]
    fn cached_classes_follow_the_classifier() {
        struct ByLength(u64);
        impl Classify for ByLength {
            fn id(&self) -> u64 {
                self.0
            }
            fn classes(&self, norm: &str, _fold: &str) -> u32 {
                norm.chars().count() as u32 * self.0 as u32
            }
        }
        let classes = |classify: Option<&dyn Classify>| {
            let mut toks = Tokens::default();
            tokenize_into("Phong Lê", 0, &mut toks, classify);
            toks.iter()
                .filter(|t| t.is_word())
                .map(|t| t.class)
                .collect::<Vec<_>>()
        };
        assert_eq!(classes(Some(&ByLength(1))), [5, 2]);
        assert_eq!(classes(Some(&ByLength(3))), [15, 6]);
        assert_eq!(classes(None), [0, 0]);
        assert_eq!(classes(Some(&ByLength(1))), [5, 2]);
    }

    /// Words found in the front table after the cache was emptied under
    /// a classifier are the new arena's, with their classes: the table
    /// is emptied with the cache.
    #[test]
    fn front_table_is_emptied_with_the_cache() {
        struct Letters;
        impl Classify for Letters {
            fn id(&self) -> u64 {
                77
            }
            fn classes(&self, norm: &str, _fold: &str) -> u32 {
                norm.chars().count() as u32
            }
        }
        let text = "Đặng Xuân Phong Bí thư Tỉnh uỷ";
        let read = |toks: &Tokens| {
            toks.iter()
                .filter(|t| t.is_word())
                .map(|t| (t.norm().to_string(), t.class))
                .collect::<Vec<_>>()
        };
        let mut first = Tokens::default();
        tokenize_into(text, 0, &mut first, Some(&Letters));
        let expected = read(&first);
        drop(first);
        let filler: String = (0..WORD_CACHE_LIMIT + 10)
            .map(|n| format!("f{n} "))
            .collect();
        let mut filled = Tokens::default();
        tokenize_into(&filler, 0, &mut filled, Some(&Letters));
        drop(filled);
        // The first arena is gone with its lists; the words come anew.
        let mut again = Tokens::default();
        tokenize_into(text, 0, &mut again, Some(&Letters));
        assert_eq!(read(&again), expected);
        assert_eq!(again.arenas.len(), 1);
        WORD_CACHE.with_borrow(|c| {
            assert!(Rc::ptr_eq(&c.arena, &again.arenas[0]));
            for slot in c.front.slots.iter().filter(|s| s.key != 0) {
                let keys = slot.keys.expect("a filled slot has keys");
                let owned = c.arena.words.borrow().contains(&keys);
                assert!(owned, "a front slot points outside the current arena");
            }
        });
    }

    /// A word met again gets the same keys and shape as the first time,
    /// also after the cache was emptied for growing past its limit.
    #[test]
    fn cached_keys_equal_fresh_keys() {
        let text = "Uỷ viên Ban Thường vụ Tỉnh uỷ Đặng Xuân Phong, UBND T.Ư, \
                    Nghiêngnghiêngnghiêng (a word of more than sixteen bytes)";
        let first: Vec<_> = tokenize(text).iter().map(|t| format!("{t:?}")).collect();
        let again: Vec<_> = tokenize(text).iter().map(|t| format!("{t:?}")).collect();
        assert_eq!(first, again);
        let filler: String = (0..WORD_CACHE_LIMIT + 10)
            .map(|n| format!("w{n} "))
            .collect();
        tokenize(&filler);
        WORD_CACHE.with_borrow(|c| assert!(c.len() <= WORD_CACHE_LIMIT));
        let after: Vec<_> = tokenize(text).iter().map(|t| format!("{t:?}")).collect();
        assert_eq!(first, after);
    }

    /// A list keeps the arena its keys are in when the cache is emptied
    /// while the list lives, also in the middle of making it; the arena
    /// goes when the cache and the last list holding it are done with it.
    #[test]
    fn token_lists_keep_their_keys_across_cache_resets() {
        let text = "Uỷ viên Ban Thường vụ Tỉnh uỷ Đặng Xuân Phong";
        let norms = |toks: &[Token]| {
            toks.iter()
                .map(|t| t.norm().to_string())
                .collect::<Vec<_>>()
        };
        let before = tokenize(text);
        let expected = norms(&before);
        let first_arena = Rc::downgrade(&before.arenas[0]);
        let filler: String = (0..2 * WORD_CACHE_LIMIT + 10)
            .map(|n| format!("x{n} "))
            .collect();
        let mut across = tokenize(text);
        tokenize_into(&filler, text.len(), &mut across, None);
        tokenize_into(text, 0, &mut across, None);
        assert!(across.arenas.len() >= 3, "the cache was emptied twice");
        let n = expected.len();
        assert_eq!(norms(&across[..n]), expected);
        assert_eq!(norms(&across[across.len() - n..]), expected);
        assert_eq!(norms(&before), expected);
        assert!(first_arena.upgrade().is_some(), "held by the lists");
        drop(before);
        drop(across);
        assert!(
            first_arena.upgrade().is_none(),
            "dropped with the last list"
        );
    }

    /// A word's packed key is the same whether the text goes on after it
    /// (one wide load) or ends with it (copied), and differs from its
    /// neighbours'.
    #[test]
    fn packed_keys_do_not_depend_on_what_follows() {
        let long = "Nguyễn Văn Thường, Phó Chủ tịch UBND tỉnh";
        for (start, end) in [(0, 9), (10, 14), (15, 24), (0, 16), (0, 17)] {
            let word = &long.as_bytes()[start..end];
            assert_eq!(
                packed(long.as_bytes(), start, end),
                packed(word, 0, word.len()),
                "{start}..{end}"
            );
        }
        assert_eq!(packed(long.as_bytes(), 0, 17), None, "over sixteen bytes");
        assert_ne!(packed(b"Phong", 0, 4), packed(b"Phong", 0, 5));
    }

    /// A token's kind, shape and spaced flag come back as they were put
    /// in one word, for every kind and the widest character.
    #[test]
    fn packed_tokens_keep_kind_shape_and_spacing() {
        let all_shapes = Shape(Packed::SHAPE_MASK as u8);
        for kind in [
            TokKind::Word,
            TokKind::Newline,
            TokKind::Punct(','),
            TokKind::Punct('—'),
            TokKind::Punct('\u{10FFFF}'),
        ] {
            for spaced in [false, true] {
                for shape in [Shape::default(), Shape(Shape::LETTERS), all_shapes] {
                    let p = Packed::new(kind, spaced).with_shape(shape);
                    assert_eq!((p.kind(), p.spaced(), p.shape()), (kind, spaced, shape));
                }
            }
        }
        assert_eq!(std::mem::size_of::<Token>(), 32);
    }

    #[test]
    fn shapes() {
        let t = &tokenize("UBND")[0];
        assert!(t.is_all_caps() && !t.is_name_like());
        let t = &tokenize("Mỷ")[0];
        assert!(t.is_name_like() && t.is_capitalized());
    }
}
