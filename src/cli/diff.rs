//! `openfolio diff REV1 [REV2]`: what changed, in the domain's words, for a
//! terminal or (`--format markdown`) for a pull request.

use std::fmt::Write as _;
use std::path::PathBuf;

use rust_decimal::Decimal;

use crate::diff::{DomainDiff, compare};
use crate::pay::compute::plain;
use crate::pipeline;

#[derive(clap::Args)]
pub struct Args {
    /// The old revision (a commit, branch, tag or date YYYY-MM-DD).
    rev1: String,
    /// The new revision (default: the working tree).
    rev2: Option<String>,
    /// The organization repository (default: the current directory).
    #[arg(short = 'C', long, default_value = ".")]
    repo: PathBuf,
    #[arg(long, value_parser = ["text", "markdown"], default_value = "text")]
    format: String,
    /// Who may read the output (it is often pasted in a pull request):
    /// documents outside the audience are left out, and individual pay
    /// changes are only listed when the rules publish individual pay.
    #[arg(long, default_value = "org")]
    audience: crate::audience::Audience,
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let load = |at: Option<&str>| -> anyhow::Result<(pipeline::Checked, Vec<u8>)> {
        let source = pipeline::open_source(&a.repo, at, None)?;
        let rules = source.read("pay/rules.yaml").unwrap_or_default();
        Ok((
            pipeline::check(source.as_ref(), crate::source::DEFAULT_MAX_FILE_SIZE)?,
            rules,
        ))
    };
    let (old, old_rules) = load(Some(&a.rev1))?;
    let (new, new_rules) = load(a.rev2.as_deref())?;
    let old_pay = old
        .pay_rules
        .as_ref()
        .map(|r| crate::pay::compute_all(r, &old.documents));
    let new_pay = new
        .pay_rules
        .as_ref()
        .map(|r| crate::pay::compute_all(r, &new.documents));
    // Pay is computed over everyone (as the site does); what is shown is
    // limited to the audience and to what the rules publish.
    let old_docs = crate::audience::select(&old.documents, &a.audience);
    let new_docs = crate::audience::select(&new.documents, &a.audience);
    let mut d = compare(
        &old_docs,
        &new_docs,
        old_pay.as_ref(),
        new_pay.as_ref(),
        old_rules != new_rules,
    );
    let individual = |c: &pipeline::Checked| {
        c.pay_rules
            .as_ref()
            .is_none_or(|r| r.publish == crate::pay::rules::Publish::Individual)
    };
    let published = individual(&old) && individual(&new);
    if !published && !d.pay.is_empty() {
        eprintln!(
            "note: {} people's pay or bonus share changes; amounts are not listed because pay/rules.yaml publishes only the rules",
            d.pay.len()
        );
        d.pay.clear();
    }
    let to = a.rev2.as_deref().unwrap_or("the working tree");
    print!(
        "{}",
        if a.format == "markdown" {
            markdown(&d, &a.rev1, to)
        } else {
            text(&d, &a.rev1, to)
        }
    );
    Ok(0)
}

fn money(d: Option<Decimal>) -> String {
    d.map_or_else(|| "—".into(), plain)
}

fn delta(old: Option<Decimal>, new: Option<Decimal>) -> String {
    match (old, new) {
        (Some(o), Some(n)) => {
            let x = n - o;
            if x >= Decimal::ZERO {
                format!("+{}", plain(x))
            } else {
                plain(x)
            }
        }
        _ => "—".into(),
    }
}

/// The goal sections both formats print, in order.
fn goal_sections(d: &DomainDiff) -> [(&'static str, &[crate::diff::GoalChange]); 5] {
    [
        ("Goals added", &d.goals_added),
        ("Goals achieved", &d.goals_achieved),
        ("Goals dropped", &d.goals_dropped),
        ("Goals changed", &d.goals_changed),
        ("Goals removed", &d.goals_removed),
    ]
}

fn text(d: &DomainDiff, from: &str, to: &str) -> String {
    let mut s = format!("Changes from {from} to {to}\n");
    if d.is_empty() {
        s.push_str("  nothing that changes goals, feedback, reflections, people or pay\n");
        return s;
    }
    let mut section = |title: &str, items: &[crate::diff::GoalChange]| {
        if !items.is_empty() {
            let _ = writeln!(s, "\n{title}:");
            for g in items {
                let _ = writeln!(s, "  {} ({}): {}", g.title, g.id, g.what);
            }
        }
    };
    for (title, items) in goal_sections(d) {
        section(title, items);
    }
    if !d.feedback.is_empty() {
        let _ = writeln!(s, "\nFeedback received:");
        for (h, ids) in &d.feedback {
            let _ = writeln!(s, "  {h}: {} new", ids.len());
        }
    }
    for (title, list) in [
        ("Reflections added", &d.reflections_added),
        ("People added", &d.people_added),
        ("People removed", &d.people_removed),
    ] {
        if !list.is_empty() {
            let _ = writeln!(s, "\n{title}:\n  {}", list.join("\n  "));
        }
    }
    if !d.pay.is_empty() {
        let _ = writeln!(
            s,
            "\nPay per month and bonus share ({}){}:",
            d.currency,
            if d.rules_changed {
                ", pay/rules.yaml changed"
            } else {
                ""
            }
        );
        for p in &d.pay {
            let _ = writeln!(
                s,
                "  {:<24} pay {} → {} ({})   bonus {} → {} ({})",
                p.name,
                money(p.old),
                money(p.new),
                delta(p.old, p.new),
                money(p.old_bonus),
                money(p.new_bonus),
                delta(p.old_bonus, p.new_bonus)
            );
        }
    }
    s
}

fn markdown(d: &DomainDiff, from: &str, to: &str) -> String {
    let mut s = format!("### What this changes (from `{from}` to {to})\n\n");
    if d.is_empty() {
        s.push_str("Nothing that changes goals, feedback, reflections, people or pay.\n");
        return s;
    }
    let mut section = |title: &str, items: &[crate::diff::GoalChange]| {
        if !items.is_empty() {
            let _ = writeln!(s, "**{title}**\n");
            for g in items {
                let _ = writeln!(s, "- {} (`{}`): {}", g.title, g.id, g.what);
            }
            s.push('\n');
        }
    };
    for (title, items) in goal_sections(d) {
        section(title, items);
    }
    if !d.feedback.is_empty() {
        s.push_str("**Feedback received**\n\n");
        for (h, ids) in &d.feedback {
            let _ = writeln!(s, "- `{h}`: {} new", ids.len());
        }
        s.push('\n');
    }
    for (title, list) in [
        ("Reflections added", &d.reflections_added),
        ("People added", &d.people_added),
        ("People removed", &d.people_removed),
    ] {
        if !list.is_empty() {
            let _ = writeln!(s, "**{title}**\n");
            for x in list.iter() {
                let _ = writeln!(s, "- `{x}`");
            }
            s.push('\n');
        }
    }
    if !d.pay.is_empty() {
        let _ = writeln!(
            s,
            "**Pay per month and bonus share ({})**{}\n",
            d.currency,
            if d.rules_changed {
                " — `pay/rules.yaml` changed"
            } else {
                ""
            }
        );
        s.push_str("| Person | Pay before | Pay after | Difference | Bonus before | Bonus after | Difference |\n|---|---:|---:|---:|---:|---:|---:|\n");
        for p in &d.pay {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                p.name,
                money(p.old),
                money(p.new),
                delta(p.old, p.new),
                money(p.old_bonus),
                money(p.new_bonus),
                delta(p.old_bonus, p.new_bonus)
            );
        }
    }
    s
}
