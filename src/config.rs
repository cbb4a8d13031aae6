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
        if config.severity.keys().any(|k| Code::parse(k).is_none()) {
            // The first unknown code in the file, not the first in the map's
            // (random) order: the same file always gets the same error.
            let (offset, key) = unknown_severity_key(text).unwrap_or_else(|| {
                let mut unknown: Vec<&String> = config
                    .severity
                    .keys()
                    .filter(|k| Code::parse(k).is_none())
                    .collect();
                unknown.sort();
                (
                    text.find(unknown[0].as_str()).unwrap_or(0),
                    unknown[0].clone(),
                )
            });
            let (line, column) = line_col(text, offset);
            return Err(ConfigError {
                line,
                column,
                message: format!("unknown diagnostic code `{key}` in [severity]"),
            });
        }
        if let Err((key, entry, message)) = config.check_folders() {
            let offset = text
                .find(&format!("\"{entry}\""))
                .or_else(|| text.find(&format!("'{entry}'")))
                .or_else(|| text.find(&format!("{entry:?}")))
                .or_else(|| text.find(key))
                .unwrap_or(0);
            let (line, column) = line_col(text, offset);
            return Err(ConfigError {
                line,
                column,
                message,
            });
        }
        Ok(config)
    }

    /// `profiles` and `documents` name folders inside the workspace:
    /// relative, with no `..`. roster reads nothing outside the workspace,
    /// and "create profile" writes into the first profile folder.
    fn check_folders(&self) -> Result<(), (&'static str, String, String)> {
        let lists = [
            ("profiles", Some(&self.profiles)),
            ("documents", self.documents.as_ref()),
        ];
        for (key, list) in lists {
            for entry in list.into_iter().flatten() {
                let outside = std::path::Path::new(entry).components().any(|c| {
                    !matches!(
                        c,
                        std::path::Component::Normal(_) | std::path::Component::CurDir
                    )
                });
                if outside || entry.contains('\\') {
                    return Err((
                        key,
                        entry.clone(),
                        format!(
                            "`{key}` entry \"{entry}\" is not a folder inside the workspace \
                             (write a relative path with `/`, without `..`)"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The configuration in force: editor settings (LSP
    /// `initializationOptions` or `workspace/configuration`, same keys as
    /// `roster.toml`) with `roster.toml` winning key by key. Editor settings
    /// that do not parse are ignored; a broken `roster.toml` is reported and
    /// left out.
    pub fn resolve(
        editor: Option<&serde_json::Value>,
        toml_text: Option<&str>,
    ) -> (Config, Option<ConfigError>) {
        const KEYS: [&str; 5] = ["profiles", "documents", "undated", "style", "severity"];
        let mut base = serde_json::Map::new();
        if let Some(serde_json::Value::Object(map)) = editor {
            for key in KEYS {
                if let Some(v) = map.get(key).filter(|v| !v.is_null()) {
                    base.insert(key.to_string(), v.clone());
                }
            }
        }
        let base = serde_json::Value::Object(base);
        let editor_config = serde_json::from_value::<Config>(base.clone())
            .ok()
            .filter(|c| c.severity.keys().all(|k| Code::parse(k).is_some()))
            .filter(|c| c.check_folders().is_ok());
        let base = if editor_config.is_some() {
            base
        } else {
            serde_json::json!({})
        };
        let Some(text) = toml_text else {
            return (editor_config.unwrap_or_default(), None);
        };
        if let Err(e) = Config::parse(text) {
            return (editor_config.unwrap_or_default(), Some(e));
        }
        let file: serde_json::Value = toml::from_str::<toml::Table>(text)
            .ok()
            .and_then(|t| serde_json::to_value(t).ok())
            .unwrap_or_default();
        let merged = merge(base, file);
        match serde_json::from_value::<Config>(merged) {
            Ok(c) => (c, None),
            Err(e) => (
                editor_config.unwrap_or_default(),
                Some(ConfigError {
                    line: 1,
                    column: 1,
                    message: e.to_string(),
                }),
            ),
        }
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

/// The `[severity]` key that is not a diagnostic code and comes first in
/// the file, with the byte offset where it is written.
fn unknown_severity_key(text: &str) -> Option<(usize, String)> {
    #[derive(Deserialize)]
    struct Keys {
        #[serde(default)]
        severity: HashMap<toml::Spanned<String>, serde::de::IgnoredAny>,
    }
    let keys: Keys = toml::from_str(text).ok()?;
    keys.severity
        .into_keys()
        .map(|k| (k.span().start, k.into_inner()))
        .filter(|(_, k)| Code::parse(k).is_none())
        .min()
}

/// `over` on top of `base`, objects merged key by key.
fn merge(base: serde_json::Value, over: serde_json::Value) -> serde_json::Value {
    match (base, over) {
        (serde_json::Value::Object(mut b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                let merged = match b.remove(&k) {
                    Some(old) => merge(old, v),
                    None => v,
                };
                b.insert(k, merged);
            }
            serde_json::Value::Object(b)
        }
        (_, over) => over,
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
    fn roster_toml_wins_over_editor_settings_key_by_key() {
        let editor = serde_json::json!({
            "undated": "today",
            "style": {"tone_marks": "traditional", "abbreviations": "any"},
            "severity": {"unknown-person": "off"},
            "inlayHints": true
        });
        let (c, e) = Config::resolve(Some(&editor), Some("[style]\ntone_marks = \"modern\"\n"));
        assert!(e.is_none());
        assert_eq!(c.undated, Undated::Today);
        assert_eq!(c.style.tone_marks, ToneStyle::Modern);
        assert_eq!(c.style.abbreviations, AbbreviationPolicy::Any);
        assert_eq!(c.severity_of(Code::UnknownPerson), None);
        let (c, e) = Config::resolve(Some(&editor), Some("undated = 3\n"));
        assert!(e.is_some());
        assert_eq!(c.undated, Undated::Today, "editor settings still apply");
        let (c, _) = Config::resolve(Some(&serde_json::json!({"undated": "never"})), None);
        assert_eq!(c, Config::default(), "bad editor settings are ignored");
    }

    #[test]
    fn reports_position_of_errors() {
        let e = Config::parse("profiles = [\"p\"]\nundated = \"sometimes\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Config::parse("[severity]\nno-such-code = \"off\"\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
    }

    #[test]
    fn folders_must_lie_inside_the_workspace() {
        for bad in ["../elsewhere", "people/../..", "/etc", "a\\..\\b"] {
            let text = format!("undated = \"history\"\nprofiles = [\"people\", {bad:?}]\n");
            let e = Config::parse(&text).unwrap_err();
            assert_eq!(e.line, 2, "{bad}: {e:?}");
            assert!(e.message.contains("inside the workspace"), "{e:?}");
            let e = Config::parse(&format!("documents = [{bad:?}]\n")).unwrap_err();
            assert!(e.message.contains("`documents`"), "{e:?}");
        }
        let ok = Config::parse("profiles = [\"./staff/people\"]\ndocuments = [\".\"]\n").unwrap();
        assert_eq!(ok.profiles, ["./staff/people"]);
        // Editor settings pointing outside are ignored like any bad setting.
        let editor = serde_json::json!({"profiles": ["../x"]});
        assert_eq!(Config::resolve(Some(&editor), None).0, Config::default());
    }

    #[test]
    fn the_first_unknown_code_in_the_file_is_reported() {
        // Found by the config fuzz target: the error depended on hash order.
        let text = "# not-a-code in a comment\n[severity]\nzz-late = \"off\"\n\"not-a-code\" = \"off\"\naa = \"off\"\ntitle-variant = \"off\"\n";
        for _ in 0..20 {
            let e = Config::parse(text).unwrap_err();
            assert_eq!((e.line, e.column), (3, 1), "{e:?}");
            assert!(e.message.contains("`zz-late`"), "{e:?}");
        }
        let e = Config::parse("severity = { title-variant = \"off\", bad = \"off\" }").unwrap_err();
        assert_eq!((e.line, e.column), (1, 37), "{e:?}");
    }
}
