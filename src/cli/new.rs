//! `openfolio new person|goal|feedback|reflection|request`: creates a
//! correctly named file with its front matter filled in, and prints its path.

use std::path::PathBuf;

use clap::Subcommand;

use crate::author;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
    /// The organization repository (default: the current directory).
    #[arg(short = 'C', long, global = true, default_value = ".")]
    repo: PathBuf,
}

#[derive(Subcommand)]
enum What {
    /// A person: people/HANDLE/index.md.
    Person {
        handle: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        team: Option<String>,
    },
    /// A personal goal: people/HANDLE/goals/<slug of TITLE>.md.
    Goal {
        handle: String,
        title: String,
        /// development or contribution.
        #[arg(long, default_value = "development", value_parser = ["development", "contribution"])]
        kind: String,
        /// The team goal or objective it supports.
        #[arg(long)]
        supports: Option<String>,
    },
    /// Feedback: people/TO/feedback/<date>-from-FROM.md.
    Feedback {
        #[arg(long)]
        to: String,
        /// A handle, or `external`.
        #[arg(long)]
        from: String,
        /// appreciation or suggestion.
        #[arg(long, default_value = "appreciation", value_parser = ["appreciation", "suggestion"])]
        kind: String,
        /// The goal, reflection or expectation it is about.
        #[arg(long)]
        about: Option<String>,
    },
    /// A reflection: people/HANDLE/reflections/PERIOD.md.
    Reflection {
        handle: String,
        /// `2026`, `2026-H1` or `2026-Q3`.
        period: String,
        /// The reviewers you choose, comma separated.
        #[arg(long, value_delimiter = ',')]
        reviewers: Vec<String>,
        /// The cycle moment (an id from org.yaml).
        #[arg(long)]
        moment: Option<String>,
    },
    /// A feedback request: people/HANDLE/requests/<slug of TITLE>.md.
    Request {
        handle: String,
        title: String,
        /// The people asked, comma separated.
        #[arg(long, value_delimiter = ',', required = true)]
        asked: Vec<String>,
        #[arg(long)]
        about: Option<String>,
    },
}

pub fn run(a: Args) -> anyhow::Result<i32> {
    let today = chrono::Local::now().date_naive();
    let repo = &a.repo;
    let path = match a.what {
        What::Person { handle, name, team } => {
            author::new_person(repo, &handle, name.as_deref(), team.as_deref(), today)?
        }
        What::Goal {
            handle,
            title,
            kind,
            supports,
        } => author::new_goal(repo, &handle, &title, &kind, supports.as_deref(), today)?,
        What::Feedback {
            to,
            from,
            kind,
            about,
        } => author::new_feedback(repo, &to, &from, &kind, about.as_deref(), today)?,
        What::Reflection {
            handle,
            period,
            reviewers,
            moment,
        } => author::new_reflection(repo, &handle, &period, &reviewers, moment.as_deref(), today)?,
        What::Request {
            handle,
            title,
            asked,
            about,
        } => author::new_request(repo, &handle, &title, &asked, about.as_deref(), today)?,
    };
    println!("{}", path.display());
    Ok(0)
}
