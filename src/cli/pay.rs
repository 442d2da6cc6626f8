//! `openfolio pay explain|export`: the pay computation in the terminal, and a
//! CSV for payroll.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;

use crate::pay::compute::{plain, plain_rounded, short};
use crate::pipeline;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
    /// The organization repository (default: the current directory).
    #[arg(short = 'C', long, global = true, default_value = ".")]
    repo: PathBuf,
    /// Compute from the repository as it was at a git revision or date.
    #[arg(long, global = true)]
    at: Option<String>,
}

#[derive(Subcommand)]
enum What {
    /// Print each step of one person's pay and bonus share.
    Explain { handle: String },
    /// Print everyone's pay for payroll.
    Export {
        #[arg(long, value_parser = ["csv"], default_value = "csv")]
        format: String,
    },
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let source = pipeline::open_source(&a.repo, a.at.as_deref(), None)?;
    let checked = pipeline::check(source.as_ref(), crate::source::DEFAULT_MAX_FILE_SIZE)?;
    if checked.has_errors(false) {
        super::print_diagnostics(&checked, super::Format::Text, false);
        return Ok(1);
    }
    let rules = checked
        .pay_rules
        .as_ref()
        .context("this repository has no pay/rules.yaml")?;
    let report = crate::pay::compute_all(rules, &checked.documents);
    match a.what {
        What::Explain { handle } => {
            let Some(person) = checked.documents.people.iter().find(|p| p.handle == handle) else {
                bail!("`{handle}` is not a person in this repository");
            };
            println!("{} ({handle})", person.name);
            match &report.people[&handle] {
                Ok(b) => {
                    println!("{}", b.explain(rules));
                    println!(
                        "Pay: {} per month, {} per year ({})",
                        plain(b.monthly),
                        plain(b.yearly),
                        rules.currency
                    );
                }
                Err(e) => println!("No pay computed: {e}"),
            }
            if let Some(bonus) = &report.bonus {
                match bonus.share_of(&handle) {
                    Some(s) => println!(
                        "Bonus share: pool {} × weight {} / total weight {} = {} → rounded down {}{} = {} {}",
                        plain(bonus.pool),
                        short(s.weight),
                        short(bonus.total_weight),
                        s.exact.round_dp(6).normalize(),
                        plain(s.floor),
                        if s.extra.is_zero() {
                            String::new()
                        } else {
                            format!(" + {} from the remainder", plain(s.extra))
                        },
                        plain(s.share),
                        rules.currency
                    ),
                    None => {
                        let reason = bonus
                            .ineligible
                            .iter()
                            .find(|i| i.handle == handle)
                            .map(|i| i.reason.as_str())
                            .unwrap_or("");
                        println!("Bonus share: not eligible ({reason})");
                    }
                }
                println!("{}", crate::pay::bonus::TIE_RULE);
            }
        }
        What::Export { .. } => {
            println!("handle,name,level,fte,pay_per_month,pay_per_year,bonus_share,currency");
            for p in &checked.documents.people {
                let level = p
                    .fields
                    .get(&rules.base.by)
                    .map(|v| v.value.as_str())
                    .unwrap_or("");
                let fte = p
                    .fte
                    .as_ref()
                    .map(|f| short(f.value))
                    .unwrap_or_else(|| "1".into());
                let (m, y) = match &report.people[&p.handle] {
                    Ok(b) => (
                        plain_rounded(b.monthly, rules.unit()),
                        plain_rounded(b.yearly, rules.unit()),
                    ),
                    Err(_) => (String::new(), String::new()),
                };
                let share = report
                    .share_of(&p.handle)
                    .map(|s| plain_rounded(s.share, rules.unit()))
                    .unwrap_or_default();
                println!(
                    "{},{},{},{},{},{},{},{}",
                    csv(&p.handle),
                    csv(&p.name),
                    csv(level),
                    fte,
                    m,
                    y,
                    share,
                    rules.currency
                );
            }
        }
    }
    Ok(0)
}

/// A CSV field, quoted when it needs to be; never starting with a formula sign.
fn csv(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
