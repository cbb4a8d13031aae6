//! Word lists of Vietnamese officialdom: positions, ranks, bodies, places,
//! family names and honorifics. All entries are canonical lower case (NFC,
//! modern tone placement), so they compare directly with `Token::norm`.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// What a phrase of whole words is to a list of phrases: an entry, the
/// start of a longer entry, or both — one lookup per word read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhraseKind {
    /// The phrase is an entry.
    pub entry: bool,
    /// Some entry goes on past the phrase.
    pub goes_on: bool,
}

/// Phrases by what they are to a list (see [`PhraseKind`]): every entry
/// and every leading run of its words.
#[derive(Debug, Clone, Default)]
pub struct PhraseTable(FxHashMap<String, PhraseKind>);

impl PhraseTable {
    pub fn insert(&mut self, phrase: &str) {
        for leading in leading_phrases(phrase) {
            self.0.entry(leading.to_string()).or_default().goes_on = true;
        }
        self.0.entry(phrase.to_string()).or_default().entry = true;
    }

    pub fn get(&self, phrase: &str) -> PhraseKind {
        self.0.get(phrase).copied().unwrap_or_default()
    }
}

/// A word list looked up once per word of a document: its tables are
/// built on first use.
pub struct WordSet {
    words: &'static [&'static str],
    /// First words of the entries.
    first: OnceLock<FxHashSet<&'static str>>,
    /// Entries and the leading words of entries that go on past them
    /// (`ban`, `ban chấp` of `ban chấp hành`).
    phrases: OnceLock<PhraseTable>,
}

/// The phrases of whole words a phrase goes on past: `ban`, `ban chấp`
/// of `ban chấp hành`.
fn leading_phrases(phrase: &str) -> impl Iterator<Item = &str> {
    phrase.match_indices(' ').map(|(at, _)| &phrase[..at])
}

impl WordSet {
    const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            first: OnceLock::new(),
            phrases: OnceLock::new(),
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.phrase(word).entry
    }

    /// Whether some entry starts with this word (entries may be phrases).
    pub fn starts_some(&self, word: &str) -> bool {
        self.first
            .get_or_init(|| {
                self.words
                    .iter()
                    .filter_map(|w| w.split(' ').next())
                    .collect()
            })
            .contains(word)
    }

    /// What this phrase of whole words is to the list.
    pub fn phrase(&self, phrase: &str) -> PhraseKind {
        self.phrases
            .get_or_init(|| {
                let mut table = PhraseTable::default();
                for w in self.words {
                    table.insert(w);
                }
                table
            })
            .get(phrase)
    }

    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }
}

/// Positions that open a title. `Phó` and `Thường trực` combine with these
/// (see [`crate::titles`]), so only the plain forms are listed.
pub const POSITIONS: &[&str] = &[
    "tổng bí thư",
    "thường trực ban bí thư",
    "bí thư thứ nhất",
    "bí thư",
    "chủ tịch nước",
    "chủ tịch",
    "ủy viên",
    "trưởng đoàn",
    "trưởng ban",
    "trưởng phòng",
    "trưởng thôn",
    "trưởng bản",
    "trưởng khoa",
    "trưởng công an",
    "tổng giám đốc",
    "giám đốc",
    "thủ tướng",
    "bộ trưởng",
    "thứ trưởng",
    "chủ nhiệm",
    "chánh văn phòng",
    "chánh thanh tra",
    "chánh án",
    "viện trưởng",
    "đại sứ",
    "tổng lãnh sự",
    "châu trưởng",
    "tổng thư ký",
    "tổng kiểm toán nhà nước",
    "thống đốc",
    "tư lệnh",
    "chính ủy",
    "chỉ huy trưởng",
    "tổng cục trưởng",
    "cục trưởng",
    "vụ trưởng",
    "hiệu trưởng",
    "thị trưởng",
    "tỉnh trưởng",
    "chủ tịch hội đồng quản trị",
];

/// Military and police ranks: they stand before the chain and take no body.
pub const RANKS: &[&str] = &[
    "đại tướng",
    "thượng tướng",
    "trung tướng",
    "thiếu tướng",
    "đại tá",
    "thượng tá",
    "trung tá",
    "thiếu tá",
];

/// Words before a title meaning "former".
pub const FORMER: &[&str] = &["nguyên", "cựu"];

/// Lower-case words and phrases that may continue a title after its
/// position (`Đoàn đại biểu Quốc hội`, `Ban chấp hành`, `UBND tỉnh`).
/// A lower-case word not listed here ends the title (`... tỉnh làm trưởng đoàn`).
pub static TITLE_WORDS: WordSet = WordSet::new(&[
    "ban chấp hành",
    "ban thường vụ",
    "ban chỉ đạo",
    "ban bí thư",
    "bộ chính trị",
    "đại biểu quốc hội",
    "đại biểu",
    "quốc hội",
    "trung ương",
    "thường trực",
    "thường vụ",
    "chấp hành",
    "ủy ban nhân dân",
    "ủy ban",
    "nhân dân",
    "hội đồng",
    "mặt trận tổ quốc",
    "mặt trận",
    "tổ quốc",
    "việt nam",
    "chính phủ",
    "chính trị",
    "bầu cử",
    "tỉnh ủy",
    "thành ủy",
    "huyện ủy",
    "đảng ủy",
    "quân ủy",
    "đảng",
    "đoàn",
    "ban",
    "bộ",
    "sở",
    "chi bộ",
    "quốc phòng",
    "công an",
    "văn phòng",
    "tuyên giáo",
    "dân vận",
    "nội chính",
    "khóa",
    "ủy",
    "tỉnh",
    "huyện",
    "xã",
    "phường",
    "thị xã",
    "thị trấn",
    "thành phố",
    "thôn",
    "bản",
    "châu",
    "đặc mệnh toàn quyền",
    "chuyên trách",
    "dự khuyết",
    // Lower-case syllables inside the names of ministries, courts and other
    // bodies (`Bộ Giao thông vận tải`, `Tòa án nhân dân tối cao`).
    "vận tải",
    "nông thôn",
    "đào tạo",
    "công nghệ",
    "truyền thông",
    "môi trường",
    "du lịch",
    "xã hội",
    "đầu tư",
    "tối cao",
    "thương binh",
    "tôn giáo",
    "kiểm sát",
    "tòa án",
    "quân sự",
    "biên phòng",
    "kiểm toán",
    "thanh tra",
    "tư pháp",
    "nội vụ",
    "ngoại giao",
    "tài chính",
    "y tế",
    "xây dựng",
    "công thương",
]);

/// Lower-case words that never continue a title: the verbs and function
/// words that follow one in running text (`... Tỉnh ủy Lào Cai phát biểu`).
pub static NOT_IN_TITLES: WordSet = WordSet::new(&[
    "làm", "là", "đã", "đang", "sẽ", "vừa", "cũng", "và", "với", "tại", "về", "của", "cho", "có",
    "được", "bị", "phát", "nhấn", "chủ", "dự", "tham", "đến", "thăm", "trao", "tặng", "ký", "kiểm",
    "cùng", "khẳng", "nêu", "chúc", "đề", "yêu", "thống", "tiếp", "chia", "báo", "gửi", "trả",
    "nói", "trong", "theo", "từ", "khi", "lên", "tới", "đi", "ra", "vào", "chỉ", "lãnh", "đón",
    "hỏi", "mong", "cảm", "ghi", "đánh", "bày", "gặp", "họp", "xem", "viên", "nghe", "này", "đó",
    "ấy", "nay", "thì", "mà", "nên", "để", "vì", "do", "bởi", "như", "sau", "trước", "rồi", "lại",
    "còn", "đều", "luôn", "rất", "năm", "ngày", "tháng", "chiều", "sáng", "tối", "trưa",
]);

/// Administrative units: a capitalised run after one of these is a place.
pub const ADMIN_UNITS: &[&str] = &[
    "tỉnh",
    "huyện",
    "xã",
    "phường",
    "thị xã",
    "thị trấn",
    "thành phố",
    "thôn",
    "bản",
    "châu",
    "quận",
];

/// Bodies whose titles can be judged against a profile. A title on any
/// other body (`Ban Chỉ đạo ...`, `Ủy ban bầu cử tỉnh`) is an ad-hoc office a
/// profile rarely lists, so it is never called wrong. Bodies of the
/// workspace's own profiles are added at run time.
pub const STANDARD_BODIES: &[&str] = &[
    "bộ chính trị",
    "ban bí thư",
    "ban chấp hành trung ương đảng",
    "quân ủy trung ương",
    "quốc hội",
    "chính phủ",
    "nước",
    "tỉnh ủy",
    "thành ủy",
    "huyện ủy",
    "đảng ủy",
    "ban thường vụ tỉnh ủy",
    "ban thường vụ thành ủy",
    "ban thường vụ huyện ủy",
    "hội đồng nhân dân tỉnh",
    "hội đồng nhân dân thành phố",
    "hội đồng nhân dân huyện",
    "hội đồng nhân dân xã",
    "ủy ban nhân dân tỉnh",
    "ủy ban nhân dân thành phố",
    "ủy ban nhân dân huyện",
    "ủy ban nhân dân xã",
    "ủy ban mặt trận tổ quốc việt nam tỉnh",
    "đoàn đại biểu quốc hội tỉnh",
    "đoàn đại biểu quốc hội thành phố",
];

/// Honorifics that introduce a person.
pub static HONORIFICS: WordSet = WordSet::new(&["đồng chí", "ông", "bà", "ngài"]);

/// Common Vietnamese family names (DOMAIN), used to tell a name from a body
/// or place when capitalised words run together.
pub static FAMILY_NAMES: WordSet = WordSet::new(&[
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ",
    "hồ", "ngô", "dương", "lý", "đinh", "trịnh", "đào", "mai", "cao", "lương", "tô", "hà", "lâm",
    "đoàn", "vương", "giàng", "sùng", "vàng", "thào", "lầu", "mùa", "hạng", "lò", "cầm", "lường",
    "quàng", "bàn", "triệu", "chảo", "tẩn", "lù", "la", "lại", "tạ", "thái", "kiều", "khổng",
    "quách", "nông", "lục", "hầu", "đàm", "chu", "châu", "tăng", "thân", "mạc", "lã", "doãn", "âu",
    "nghiêm", "phùng", "tống", "trương", "ninh", "đồng", "tráng", "ma", "hứa", "lưu", "giáp",
    "khuất", "vi", "sầm", "lộc", "lừ", "mào", "tòng", "điêu", "khoàng", "lèo", "sìn", "phàn",
    "chẻo", "vừ", "xồng", "ly", "lỳ", "hờ", "mã", "hảng", "cứ", "sần", "dền", "phù",
]);

/// Places: provinces and cities (before and after the 2025 mergers),
/// countries seen next to titles. Profile `org`s are added at run time.
pub const PLACES: &[&str] = &[
    "an giang",
    "bà rịa - vũng tàu",
    "bắc giang",
    "bắc kạn",
    "bạc liêu",
    "bắc ninh",
    "bến tre",
    "bình định",
    "bình dương",
    "bình phước",
    "bình thuận",
    "cà mau",
    "cần thơ",
    "cao bằng",
    "đà nẵng",
    "đắk lắk",
    "đắk nông",
    "điện biên",
    "đồng nai",
    "đồng tháp",
    "gia lai",
    "hà giang",
    "hà nam",
    "hà nội",
    "hà tĩnh",
    "hải dương",
    "hải phòng",
    "hậu giang",
    "hòa bình",
    "hưng yên",
    "khánh hòa",
    "kiên giang",
    "kon tum",
    "lai châu",
    "lâm đồng",
    "lạng sơn",
    "lào cai",
    "long an",
    "nam định",
    "nghệ an",
    "ninh bình",
    "ninh thuận",
    "phú thọ",
    "phú yên",
    "quảng bình",
    "quảng nam",
    "quảng ngãi",
    "quảng ninh",
    "quảng trị",
    "sóc trăng",
    "sơn la",
    "tây ninh",
    "thái bình",
    "thái nguyên",
    "thanh hóa",
    "thừa thiên huế",
    "huế",
    "tiền giang",
    "hồ chí minh",
    "thành phố hồ chí minh",
    "trà vinh",
    "tuyên quang",
    "vĩnh long",
    "vĩnh phúc",
    "yên bái",
    "việt nam",
    "trung quốc",
    "lào",
    "campuchia",
    "hoa kỳ",
    "nhật bản",
    "hàn quốc",
    "nga",
    "pháp",
    "sa pa",
    "bát xát",
    "văn bàn",
    "bảo yên",
    "bảo thắng",
    "bắc hà",
    "mường khương",
    "si ma cai",
    "bảo hà",
    "văn sơn",
    "vân nam",
    "quảng tây",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_extends_only_entries_that_go_on_past_it() {
        assert!(TITLE_WORDS.phrase("ban").goes_on);
        assert!(TITLE_WORDS.phrase("ban chấp").goes_on);
        assert!(!TITLE_WORDS.phrase("ban chấp hành").goes_on);
        assert!(!TITLE_WORDS.phrase("ba").goes_on);
        assert!(!TITLE_WORDS.phrase("ban ch").goes_on);
    }
}
