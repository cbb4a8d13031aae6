//! `roster`: officials' names and titles in Vietnamese news text.
//!
//! The analysis core knows nothing of editors or protocols: a workspace
//! [`index::Index`] and a document's text go in, [`diagnostic::Diagnostic`]s
//! (byte ranges, codes, fix texts) come out. The command line
//! ([`cli`]) and, later, the language server are thin layers over it.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod document;
pub mod frontmatter;
pub mod ide;
pub mod index;
pub mod lexicon;
pub mod lsp;
pub mod mentions;
pub mod output;
pub mod profile;
pub mod rules;
pub mod text;
pub mod titles;
pub mod workspace;
