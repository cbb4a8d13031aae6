//! YAML front matter: a first line `---`, YAML, and a closing `---` (or `...`) line.

/// Where the front matter of a file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    pub yaml_start: usize,
    /// 1-based file line of the first YAML line, counting lines as LSP and
    /// YAML do (`\n`, `\r\n` and a lone `\r` each end one).
    pub first_line: usize,
    /// Byte offset where the body after the closing fence starts.
    pub body_start: usize,
}

/// Why a file that opens front matter has none that can be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrontMatterError {
    /// An opening `---` with no closing fence.
    Unterminated,
}

/// Line breaks in `text`: `\n`, `\r\n` and a lone `\r` count one each.
pub fn line_breaks(text: &str) -> usize {
    let b = text.as_bytes();
    (0..b.len())
        .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
        .count()
}

/// The lines of `text`, each with its line break (`\n`, `\r\n` or a lone `\r`).
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = match rest.find(['\r', '\n']) {
            Some(i) if rest[i..].starts_with("\r\n") => i + 2,
            Some(i) => i + 1,
            None => rest.len(),
        };
        let (line, after) = rest.split_at(end);
        rest = after;
        Some(line)
    })
}

fn fence(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n']).trim_end()
}

/// Finds the front matter; `Ok(None)` when the file has none.
pub fn split(text: &str) -> Result<Option<FrontMatter<'_>>, FrontMatterError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[bom..];
    let first_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if fence(&rest[..first_end]) != "---" {
        return Ok(None);
    }
    let yaml_start = bom + first_end;
    let mut pos = yaml_start;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = fence(&text[pos..end]);
        if line == "---" || line == "..." {
            return Ok(Some(FrontMatter {
                yaml: &text[yaml_start..pos],
                yaml_start,
                // The opening fence may hold a lone `\r` (`---\r\r\n`).
                first_line: 1 + line_breaks(&text[..yaml_start]),
                body_start: end,
            }));
        }
        pos = end;
    }
    Err(FrontMatterError::Unterminated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_yaml_between_fences() {
        let fm = split("---\nname: A\n---\nbody").unwrap().unwrap();
        assert_eq!(fm.yaml, "name: A\n");
        assert_eq!(fm.body_start, 16);
        let fm = split("---\r\nname: A\r\n---\r\nbody").unwrap().unwrap();
        assert_eq!(fm.yaml, "name: A\r\n");
        assert_eq!(fm.first_line, 2);
        let fm = split("\u{feff}---\r\r\nname: A\n---\n").unwrap().unwrap();
        assert_eq!(fm.yaml, "name: A\n");
        assert_eq!(fm.first_line, 3, "a lone CR ends a line");
    }

    #[test]
    fn lines_end_at_every_kind_of_break() {
        let l: Vec<_> = lines("a\r\nb\rc\n\nd").collect();
        assert_eq!(l, ["a\r\n", "b\r", "c\n", "\n", "d"]);
        assert_eq!(lines("").count(), 0);
        assert_eq!(line_breaks("a\r\nb\rc\n\nd"), 4);
    }

    #[test]
    fn no_front_matter_and_unterminated() {
        assert_eq!(split("Hello\n---\n"), Ok(None));
        assert_eq!(split("---\nname: A\n"), Err(FrontMatterError::Unterminated));
        assert_eq!(split("---"), Err(FrontMatterError::Unterminated));
    }
}
