//! Generates a newsroom workspace of any size for benchmarks: profiles with
//! dated role histories, articles of realistic length with title chains in
//! the shapes of SPEC §4 (and a share of wrong or outdated titles), and a
//! `names.txt` with every name. Deterministic for a given seed.
//!
//! `cargo run --release --example gen_workspace -- OUT --people 10000 --articles 100000 [--seed 1] [--words 400]`

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Đào", "Mai", "Cao", "Lương", "Tô", "Hà", "Lâm",
    "Đoàn", "Vương", "Giàng", "Sùng", "Vàng", "Thào", "Lầu", "Mùa", "Hạng", "Lò", "Cầm", "Lường",
    "Quàng", "Bàn", "Triệu", "Chảo", "Tẩn",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Xuân", "Hoàng", "Minh", "Quốc", "Đức", "Thanh", "Hữu", "Ngọc", "Tiến", "Khắc",
    "Trúc", "Đông", "Quang", "Thu", "Hồng", "Mạnh", "Huy", "Anh", "Công", "Đình", "Bá", "Kim",
    "Páo", "Seo", "A", "Thành", "Hải", "Phương",
];
const GIVEN: &[&str] = &[
    "Phong",
    "Cường",
    "Trường",
    "Giang",
    "Khánh",
    "Dung",
    "Hải",
    "Thành",
    "Thận",
    "Mỷ",
    "Lương",
    "Dũng",
    "Thọ",
    "Yến",
    "Sơn",
    "Lâm",
    "Chính",
    "Hùng",
    "Tuấn",
    "Lan",
    "Hoa",
    "Nam",
    "Bình",
    "Hòa",
    "Thủy",
    "Quý",
    "Đạt",
    "Hiếu",
    "Long",
    "Minh",
    "Nga",
    "Oanh",
    "Phúc",
    "Quân",
    "Tâm",
    "Thắng",
    "Trung",
    "Vinh",
    "Xuân",
    "Yên",
    "Anh",
    "Bảo",
    "Chiến",
    "Duy",
    "Hà",
    "Khoa",
    "Linh",
    "Mai",
    "Nhung",
    "Phát",
    "Sang",
    "Tài",
    "Uyên",
    "Việt",
    "Toàn",
    "Tùng",
    "Đông",
    "Hưng",
    "Kiên",
    "Lộc",
];
const PROVINCES: &[&str] = &[
    "Lào Cai",
    "Yên Bái",
    "Lai Châu",
    "Điện Biên",
    "Sơn La",
    "Hà Giang",
    "Tuyên Quang",
    "Thái Bình",
    "Bến Tre",
    "Nam Định",
    "Ninh Bình",
    "Thanh Hóa",
    "Nghệ An",
    "Quảng Ninh",
    "Bắc Giang",
    "Phú Thọ",
    "Cao Bằng",
    "Lạng Sơn",
    "Hòa Bình",
    "Hà Tĩnh",
];
const TITLES: &[&str] = &[
    "Bí thư Tỉnh ủy",
    "Phó Bí thư Tỉnh ủy",
    "Phó Bí thư Thường trực Tỉnh ủy",
    "Chủ tịch UBND tỉnh",
    "Phó Chủ tịch UBND tỉnh",
    "Phó Chủ tịch Thường trực UBND tỉnh",
    "Chủ tịch HĐND tỉnh",
    "Phó Chủ tịch HĐND tỉnh",
    "Ủy viên Ban Thường vụ Tỉnh ủy",
    "Trưởng đoàn Đại biểu Quốc hội tỉnh",
    "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
    "Giám đốc Sở Tài chính",
    "Giám đốc Sở Y tế",
    "Trưởng Ban Tuyên giáo Tỉnh ủy",
];
const FILLER: &[&str] = &[
    "Hội nghị đã đánh giá kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội của tỉnh",
    "các đại biểu thảo luận về công tác xây dựng Đảng và hệ thống chính trị",
    "tỉnh tập trung đẩy mạnh cải cách hành chính, thu hút đầu tư vào các khu công nghiệp",
    "nhiều mô hình nông nghiệp ứng dụng công nghệ cao được nhân rộng ở các huyện vùng cao",
    "công tác bảo đảm an ninh, trật tự trên tuyến biên giới tiếp tục được giữ vững",
    "du lịch cộng đồng ở Sa Pa, Bắc Hà thu hút đông đảo du khách trong và ngoài nước",
    "chương trình mục tiêu quốc gia về xây dựng nông thôn mới đạt nhiều kết quả tích cực",
    "ngành giáo dục quan tâm nâng cao chất lượng dạy và học ở các trường vùng khó khăn",
    "hai bên thống nhất tăng cường trao đổi kinh nghiệm, phối hợp tổ chức các hoạt động",
    "đời sống vật chất và tinh thần của Nhân dân các dân tộc từng bước được cải thiện",
];

/// xorshift64*: small, fast and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, list: &'a [&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

struct Person {
    name: String,
    id: String,
    /// (title, province, from year, to year)
    roles: Vec<(&'static str, &'static str, u32, Option<u32>)>,
}

fn slug(name: &str) -> String {
    roster::ide::profile_stub::slug(name)
}

fn people(rng: &mut Rng, n: usize) -> Vec<Person> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let mut name = format!("{} {}", rng.pick(FAMILY), rng.pick(MIDDLE));
        if rng.below(5) == 0 {
            name.push(' ');
            name.push_str(rng.pick(MIDDLE));
        }
        name.push(' ');
        name.push_str(rng.pick(GIVEN));
        let mut id = slug(&name);
        let mut k = 2;
        while !seen.insert(id.clone()) {
            id = format!("{}-{k}", slug(&name));
            k += 1;
        }
        let province = PROVINCES[rng.below(PROVINCES.len())];
        let mut roles = Vec::new();
        let mut year = 2010 + rng.below(10) as u32;
        for r in 0..1 + rng.below(3) {
            let title = TITLES[rng.below(TITLES.len())];
            let last = r == 2 || rng.below(2) == 0;
            let to = if last {
                None
            } else {
                Some(year + 2 + rng.below(4) as u32)
            };
            roles.push((title, province, year, to));
            match to {
                Some(t) => year = t + 1,
                None => break,
            }
        }
        out.push(Person { name, id, roles });
    }
    out
}

fn write_profile(dir: &Path, p: &Person) -> std::io::Result<()> {
    let mut s = format!("---\nname: {}\nroles:\n", p.name);
    for (title, org, from, to) in &p.roles {
        let _ = write!(s, "  - title: {title}\n    org: {org}\n    from: {from}\n");
        if let Some(to) = to {
            let _ = writeln!(s, "    to: {to}");
        }
    }
    s.push_str("---\nHồ sơ tạo tự động cho đo hiệu năng.\n");
    std::fs::write(dir.join(format!("{}.md", p.id)), s)
}

/// One mention in a SPEC shape; a share of titles are wrong or outdated.
fn mention(rng: &mut Rng, p: &Person, year: u32) -> String {
    let held: Vec<&str> = p
        .roles
        .iter()
        .filter(|(_, _, f, t)| *f <= year && t.is_none_or(|t| year <= t))
        .map(|r| r.0)
        .collect();
    let title = if held.is_empty() || rng.below(10) == 0 {
        TITLES[rng.below(TITLES.len())].to_string()
    } else {
        held.join(", ")
    };
    let first = title.split(", ").next().unwrap_or("").to_string();
    match rng.below(5) {
        0 => format!("đồng chí {}, {}", p.name, title),
        1 => format!("{} {}", first, p.name),
        2 => format!("{} - {}", p.name, title),
        3 => format!("ông {} ({})", p.name, first),
        _ => format!("{}, {}", p.name, title),
    }
}

fn article(rng: &mut Rng, people: &[Person], words: usize) -> (String, u32) {
    let year = 2015 + rng.below(11) as u32;
    let mut s = format!(
        "---\ndate: {year}-{:02}-{:02}\n---\n# Tin hoạt động\n\n",
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let mut count = 0;
    while count < words {
        let mut para = String::new();
        for _ in 0..3 {
            let f = rng.pick(FILLER);
            count += f.split(' ').count();
            let sentence = if rng.below(2) == 0 {
                let p = &people[rng.below(people.len())];
                let m = mention(rng, p, year);
                count += m.split(' ').count();
                format!("Theo {m}, {f}. ")
            } else {
                let mut c = f.chars();
                let first: String = c
                    .next()
                    .map(|x| x.to_uppercase().collect())
                    .unwrap_or_default();
                format!("{first}{}. ", c.as_str())
            };
            para.push_str(&sentence);
        }
        s.push_str(para.trim_end());
        s.push_str("\n\n");
        if rng.below(6) == 0 {
            s.push_str(&format!(
                "{}.JPG\nCác đại biểu dự hội nghị.\n\n",
                1 + rng.below(9)
            ));
        }
    }
    (s, year)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut out: Option<PathBuf> = None;
    let (mut n_people, mut n_articles, mut seed, mut words) =
        (1000usize, 1000usize, 1u64, 400usize);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        match a.as_str() {
            "--people" => n_people = value() as usize,
            "--articles" => n_articles = value() as usize,
            "--seed" => seed = value().max(1),
            "--words" => words = value() as usize,
            other => out = Some(PathBuf::from(other)),
        }
    }
    let Some(out) = out else {
        eprintln!("usage: gen_workspace OUT [--people N] [--articles M] [--seed S] [--words W]");
        std::process::exit(2);
    };
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    std::fs::create_dir_all(out.join("people"))?;
    let people = people(&mut rng, n_people.max(1));
    let mut names = String::new();
    for p in &people {
        write_profile(&out.join("people"), p)?;
        names.push_str(&p.name);
        names.push('\n');
    }
    std::fs::write(out.join("names.txt"), names)?;
    std::fs::write(
        out.join("roster.toml"),
        "profiles = [\"people\"]\ndocuments = [\"articles\"]\n",
    )?;
    for i in 0..n_articles {
        let (text, year) = article(&mut rng, &people, words);
        let dir = out
            .join("articles")
            .join(format!("{year}"))
            .join(format!("{:03}", i % 1000));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(format!("bai-{i:06}.md")), text)?;
    }
    eprintln!(
        "{} profiles, {n_articles} articles in {}",
        people.len(),
        out.display()
    );
    Ok(())
}
