//! Editor features on top of the analysis, still free of protocol types:
//! completion, hover cards, profile stubs, titles for inlay hints. The LSP
//! layer converts their byte offsets and plain data into LSP messages.

pub mod completion;
pub mod hover;
pub mod profile_stub;

use crate::date::Day;
use crate::index::Index;
use crate::text::ToneStyle;
use crate::titles;

/// The titles person `p` holds on `date` (all when undated), in profile
/// order, in house style.
pub fn titles_on(index: &Index, p: usize, date: Option<Day>, style: ToneStyle) -> Vec<String> {
    index.profiles[p]
        .roles
        .iter()
        .filter(|r| titles::held_on(r, date))
        .filter(|r| date.is_some() || r.to.is_none())
        .map(|r| titles::render(r, style))
        .collect()
}

/// The title chain of person `p` on `date`, joined the way articles write it.
pub fn chain_on(index: &Index, p: usize, date: Option<Day>, style: ToneStyle) -> String {
    titles_on(index, p, date, style).join(", ")
}
