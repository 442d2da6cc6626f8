//! The command line: argument parsing and printing only, one file per
//! command. Exit status: 0 clean, 1 the repository has errors, 2 openfolio
//! itself could not run.

mod build;
mod check;
mod codeowners;
mod diff;
mod export;
mod init;
mod new;
mod pay;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::pipeline::Checked;

#[derive(Parser)]
#[command(
    name = "openfolio",
    version,
    about = "Portfolios, goals, feedback and transparent pay, from a git repository of Markdown files."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the repository and build the site into an output directory.
    Build(build::Args),
    /// Check the repository without writing anything.
    Check(check::Args),
    /// Write CODEOWNERS: people own their folders, facilitators their team's.
    Codeowners(codeowners::Args),
    /// What changed between two revisions: goals, feedback, reflections, pay.
    Diff(diff::Args),
    /// Print everything the site shows as JSON.
    Export(export::Args),
    /// Create a new, valid organization repository.
    Init(init::Args),
    /// Create a new document with its front matter filled in.
    New(new::Args),
    /// Explain or export pay computed from pay/rules.yaml.
    Pay(pay::Args),
    /// Build into memory, serve on localhost, and rebuild on every change.
    Serve(serve::Args),
}

/// Runs the command line and returns the exit status.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::Init(a) => init::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Export(a) => export::run(a),
        Command::Codeowners(a) => codeowners::run(a),
        Command::New(a) => new::run(a),
        Command::Pay(a) => pay::run(a),
        Command::Serve(a) => serve::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            2
        }
    }
}

/// `--format` for diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Prints every diagnostic, then a summary line; text to stderr, JSON to stdout.
pub fn print_diagnostics(checked: &Checked, format: Format, deny_warnings: bool) {
    match format {
        Format::Json => {
            let all: Vec<_> = checked
                .diagnostics
                .iter()
                .map(|d| {
                    let mut j = d.to_json();
                    if deny_warnings {
                        j["severity"] = "error".into();
                    }
                    j
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&all).unwrap_or_default());
        }
        Format::Text => {
            for d in &checked.diagnostics {
                let text = checked.texts.get(&d.file).map(|t| &**t);
                eprintln!("{}", d.render(text));
            }
            let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = checked.diagnostics.len() - errors;
            if errors + warnings > 0 {
                eprintln!("{errors} error(s), {warnings} warning(s)");
            }
        }
    }
}

/// What could not be known (no git history, a shallow clone), said once.
pub fn print_notes(checked: &Checked) {
    for note in checked.history.iter().flat_map(|h| h.notes.iter()) {
        eprintln!("note: {note}");
    }
}

/// The repository argument shared by commands, defaulting to the current directory.
pub fn repo_or_cwd(dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| PathBuf::from("."))
}
