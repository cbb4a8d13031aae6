//! The hover card of a person and the title shown after a bare name.

use super::{chain_on, titles_on};
use crate::analysis::{Analysis, Resolved};
use crate::index::Index;
use crate::mentions::NameKind;
use crate::text::ToneStyle;
use crate::titles::describe_period;

/// Markdown for the person whose name covers byte `offset`, with the
/// byte range of that name.
pub fn hover(
    index: &Index,
    analysis: &Analysis,
    offset: usize,
    style: ToneStyle,
) -> Option<(usize, usize, String)> {
    let r = analysis.mention_at(offset)?;
    let m = &r.mention;
    let card = match (r.person, r.candidates.as_slice()) {
        (Some(p), _) => person_card(index, p, analysis, style),
        (None, []) => format!(
            "**{}**\n\nNo profile in this workspace.",
            m.key
                .split(' ')
                .map(capitalize)
                .collect::<Vec<_>>()
                .join(" ")
        ),
        (None, many) => {
            let mut s = format!(
                "**{}** — {} profiles share this name; a title tells them apart:\n",
                index.profiles[many[0]].name,
                many.len()
            );
            for &p in many {
                let t = chain_on(index, p, analysis.date, style);
                s.push_str(&format!("\n- `{}`: {}", index.profiles[p].id, t));
            }
            s
        }
    };
    Some((m.start, m.end, card))
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The card of a profiled person: name, titles on the document's date, role
/// history, profile path.
pub fn person_card(index: &Index, p: usize, analysis: &Analysis, style: ToneStyle) -> String {
    let profile = &index.profiles[p];
    let mut s = format!("**{}**", profile.name);
    if !profile.aliases.is_empty() {
        s.push_str(&format!(" (also written {})", profile.aliases.join(", ")));
    }
    s.push_str("\n\n");
    let now = titles_on(index, p, analysis.date, style);
    match (analysis.date, now.is_empty()) {
        (Some(d), false) => s.push_str(&format!("On {d}: {}\n", now.join(", "))),
        (Some(d), true) => s.push_str(&format!("On {d}: no title held\n")),
        (None, false) => s.push_str(&format!("Current titles: {}\n", now.join(", "))),
        (None, true) => s.push_str("No current title\n"),
    }
    if !profile.roles.is_empty() {
        s.push_str("\n| Title | Place | When |\n|---|---|---|\n");
        for r in &profile.roles {
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                r.title,
                r.org.as_deref().unwrap_or(""),
                describe_period(r)
            ));
        }
    }
    s.push_str(&format!("\n`{}`", profile.path));
    s
}

/// The title to show after a bare name of a settled person (inlay hint).
pub fn bare_name_title(
    index: &Index,
    r: &Resolved,
    analysis: &Analysis,
    style: ToneStyle,
) -> Option<String> {
    if !r.mention.titles.is_empty() || r.mention.kind == NameKind::Unknown {
        return None;
    }
    let p = r.person?;
    let chain = titles_on(index, p, analysis.date, style);
    chain.first().cloned()
}
