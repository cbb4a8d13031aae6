//! Diagnostics as the core produces them: byte ranges into the original
//! text, a code from SPEC §4, and the quick-fix text as plain data.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The diagnostic codes of SPEC §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    TitleMismatch,
    TitleOutdated,
    TitleInconsistent,
    TitleVariant,
    NameMisspelled,
    UnknownPerson,
    AmbiguousPerson,
    ProfileInvalid,
}

impl Code {
    pub const ALL: [Code; 8] = [
        Code::TitleMismatch,
        Code::TitleOutdated,
        Code::TitleInconsistent,
        Code::TitleVariant,
        Code::NameMisspelled,
        Code::UnknownPerson,
        Code::AmbiguousPerson,
        Code::ProfileInvalid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::TitleMismatch => "title-mismatch",
            Code::TitleOutdated => "title-outdated",
            Code::TitleInconsistent => "title-inconsistent",
            Code::TitleVariant => "title-variant",
            Code::NameMisspelled => "name-misspelled",
            Code::UnknownPerson => "unknown-person",
            Code::AmbiguousPerson => "ambiguous-person",
            Code::ProfileInvalid => "profile-invalid",
        }
    }

    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn default_severity(self) -> Severity {
        match self {
            Code::TitleMismatch
            | Code::TitleOutdated
            | Code::TitleInconsistent
            | Code::NameMisspelled => Severity::Warning,
            Code::TitleVariant | Code::AmbiguousPerson => Severity::Information,
            Code::UnknownPerson => Severity::Hint,
            Code::ProfileInvalid => Severity::Error,
        }
    }

    /// One line on what the code means (SARIF rule text, README).
    pub fn description(self) -> &'static str {
        match self {
            Code::TitleMismatch => "A profiled person is given a title they never held.",
            Code::TitleOutdated => {
                "A profiled person is given a title they held, but not on the document's date."
            }
            Code::TitleInconsistent => {
                "One person is given contradictory titles within a document."
            }
            Code::TitleVariant => "A correct title written in a form other than the house style.",
            Code::NameMisspelled => "A near miss of a profiled name or alias.",
            Code::UnknownPerson => {
                "A person introduced with a title or honorific who has no profile."
            }
            Code::AmbiguousPerson => {
                "A name that matches several profiles, not settled by its titles."
            }
            Code::ProfileInvalid => "A profile file that cannot be used.",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Severity of a reported diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

/// A finding in one file. `start..end` are byte offsets into the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub start: usize,
    pub end: usize,
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// The replacement text for `start..end` that the quick fix writes.
    pub fix: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, start: usize, end: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            start,
            end,
            code,
            severity: code.default_severity(),
            message: message.into(),
            fix: None,
        }
    }

    pub fn with_fix(mut self, fix: Option<String>) -> Self {
        self.fix = fix;
        self
    }
}
