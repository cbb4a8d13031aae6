//! `roster.toml` (SPEC §5). A broken file yields a [`ConfigError`] with its
//! position, and the defaults are used.

use crate::diagnostic::{Code, Severity};
use crate::text::ToneStyle;
use serde::Deserialize;
use std::collections::HashMap;

/// How an undated document is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Undated {
    /// Any title ever held is accepted.
    #[default]
    History,
    /// Checked as of today's date.
    Today,
}

/// `style.abbreviations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AbbreviationPolicy {
    /// Writing `UBND` where the profile spells it out, or the reverse, is a variant.
    #[default]
    AsProfile,
    /// Both forms are fine.
    Any,
}

/// A per-code severity override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeveritySetting {
    Error,
    Warning,
    Information,
    Hint,
    Off,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Style {
    pub tone_marks: ToneStyle,
    pub abbreviations: AbbreviationPolicy,
}

/// The workspace configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub profiles: Vec<String>,
    /// `None`: every document outside the profile folders.
    pub documents: Option<Vec<String>>,
    pub undated: Undated,
    pub style: Style,
    pub severity: HashMap<String, SeveritySetting>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            profiles: vec!["people".into()],
            documents: None,
            undated: Undated::default(),
            style: Style::default(),
            severity: HashMap::new(),
        }
    }
}

/// What is wrong with a configuration, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Config {
    /// Parses `roster.toml` text.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ConfigError {
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        for key in config.severity.keys() {
            if Code::parse(key).is_none() {
                let offset = text.find(key.as_str()).unwrap_or(0);
                let (line, column) = line_col(text, offset);
                return Err(ConfigError {
                    line,
                    column,
                    message: format!("unknown diagnostic code `{key}` in [severity]"),
                });
            }
        }
        Ok(config)
    }

    /// The severity a code is reported with, or `None` when it is off.
    pub fn severity_of(&self, code: Code) -> Option<Severity> {
        match self.severity.get(code.as_str()) {
            None => Some(code.default_severity()),
            Some(SeveritySetting::Off) => None,
            Some(SeveritySetting::Error) => Some(Severity::Error),
            Some(SeveritySetting::Warning) => Some(Severity::Warning),
            Some(SeveritySetting::Information) => Some(Severity::Information),
            Some(SeveritySetting::Hint) => Some(Severity::Hint),
        }
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key() {
        let c = Config::parse(
            "profiles = [\"p\"]\ndocuments = [\"a\"]\nundated = \"today\"\n[style]\ntone_marks = \"traditional\"\nabbreviations = \"any\"\n[severity]\nunknown-person = \"off\"\n",
        )
        .unwrap();
        assert_eq!(c.profiles, ["p"]);
        assert_eq!(c.undated, Undated::Today);
        assert_eq!(c.style.tone_marks, ToneStyle::Traditional);
        assert_eq!(c.severity_of(Code::UnknownPerson), None);
        assert_eq!(c.severity_of(Code::TitleMismatch), Some(Severity::Warning));
    }

    #[test]
    fn reports_position_of_errors() {
        let e = Config::parse("profiles = [\"p\"]\nundated = \"sometimes\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Config::parse("[severity]\nno-such-code = \"off\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
    }
}
