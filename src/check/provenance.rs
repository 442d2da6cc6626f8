//! What git history says about the repository: feedback committed by someone
//! other than its `from`, and commit authors that match no person.

use std::collections::HashSet;

use super::{Code, Diagnostic};
use crate::history::{History, Provenance};
use crate::model::documents::Documents;

pub fn check(history: &History, docs: &Documents) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in &docs.feedback {
        if f.is_external() || f.from.value.is_empty() {
            continue;
        }
        if let Provenance::Unverified { by } = history.provenance(&f.meta.file, &f.from.value) {
            let who = by
                .handle
                .clone()
                .unwrap_or_else(|| format!("{} <{}>", by.name, by.email));
            out.push(
                Diagnostic::warning(Code::UnverifiedFeedback, &f.meta.file, f.from.line, f.from.col, format!("feedback from `{}` was committed by {who}", f.from.value))
                    .help(format!("feedback is verified when `{}` commits it; ask them to, or to confirm it in the pull request", f.from.value)),
            );
        }
    }
    let mut seen = HashSet::new();
    for (path, changes) in &history.files {
        for c in changes {
            let a = &history.commits[c.commit].author;
            if a.handle.is_none() && !a.email.is_empty() && seen.insert(a.email.to_lowercase()) {
                out.push(
                    Diagnostic::warning(Code::UnknownAuthor, path, 0, 0, format!("commits by {} <{}> match no person", a.name, a.email))
                        .help("add the address to `emails:` in that person's profile (people/<handle>/index.md)"),
                );
            }
        }
    }
    out
}
