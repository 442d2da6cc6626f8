//! What a diagnostic is, its stable codes, and how it is printed.

use std::fmt::Write as _;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Stable diagnostic codes: CI scripts and people search for them, so a code
/// never changes meaning. Errors are `E0xx`, warnings `W1xx`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    YamlSyntax,
    MissingFrontMatter,
    MissingField,
    WrongType,
    InvalidValue,
    InvalidDate,
    InvalidPeriod,
    OutOfRange,
    InvalidName,
    DuplicateId,
    DuplicateField,
    UnknownPerson,
    UnknownReference,
    WrongReferenceKind,
    SelfReview,
    SelfFeedback,
    BrokenLink,
    NotUtf8,
    FileTooLarge,
    UnknownPayKey,
    InvalidPayRule,
    UnknownField,
    TooManyExpectations,
    StrayFile,
    SkippedSymlink,
    SuspiciousPayRule,
    UnsafeStatic,
    UnverifiedFeedback,
    UnknownAuthor,
    MissingForge,
    MissingPayField,
    SupportCycle,
}

impl Code {
    /// The code and its short name, as printed: `E012 unknown-person`.
    pub fn id(self) -> (&'static str, &'static str) {
        use Code::*;
        match self {
            YamlSyntax => ("E001", "yaml-syntax"),
            MissingFrontMatter => ("E002", "missing-front-matter"),
            MissingField => ("E003", "missing-field"),
            WrongType => ("E004", "wrong-type"),
            InvalidValue => ("E005", "invalid-value"),
            InvalidDate => ("E006", "invalid-date"),
            InvalidPeriod => ("E007", "invalid-period"),
            OutOfRange => ("E008", "out-of-range"),
            InvalidName => ("E009", "invalid-name"),
            DuplicateId => ("E010", "duplicate-id"),
            DuplicateField => ("E011", "duplicate-field"),
            UnknownPerson => ("E012", "unknown-person"),
            UnknownReference => ("E013", "unknown-reference"),
            WrongReferenceKind => ("E014", "wrong-reference-kind"),
            SelfReview => ("E015", "self-review"),
            SelfFeedback => ("E016", "self-feedback"),
            BrokenLink => ("E017", "broken-link"),
            NotUtf8 => ("E018", "not-utf8"),
            FileTooLarge => ("E019", "file-too-large"),
            UnknownPayKey => ("E020", "unknown-pay-key"),
            InvalidPayRule => ("E021", "invalid-pay-rule"),
            UnsafeStatic => ("W106", "unsafe-static-file"),
            UnverifiedFeedback => ("W107", "unverified-feedback"),
            UnknownAuthor => ("W108", "unknown-author"),
            MissingForge => ("W109", "missing-forge"),
            MissingPayField => ("W110", "missing-pay-field"),
            SupportCycle => ("E023", "support-cycle"),
            UnknownField => ("W101", "unknown-field"),
            TooManyExpectations => ("W102", "too-many-expectations"),
            StrayFile => ("W103", "stray-file"),
            SkippedSymlink => ("W104", "skipped-symlink"),
            SuspiciousPayRule => ("W105", "suspicious-pay-rule"),
        }
    }
}

/// One finding about the repository, at a file, line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Path relative to the repository root, with `/` separators.
    pub file: String,
    /// 1-based; 0 when the finding is about the whole file.
    pub line: u32,
    pub col: u32,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: &str, line: u32, col: u32, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file, line, col, message.into())
    }

    pub fn warning(
        code: Code,
        file: &str,
        line: u32,
        col: u32,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, file, line, col, message.into())
    }

    fn new(
        severity: Severity,
        code: Code,
        file: &str,
        line: u32,
        col: u32,
        message: String,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            file: file.to_string(),
            line,
            col,
            message,
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Prints like a compiler: header, location, the source line with a
    /// marker under the column, and the help line. `source` is the file's
    /// text when it could be read.
    pub fn render(&self, source: Option<&str>) -> String {
        let (code, name) = self.code.id();
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{sev}[{code} {name}]: {}\n", self.message);
        if self.line == 0 {
            let _ = writeln!(out, "  --> {}", self.file);
        } else {
            let _ = writeln!(out, "  --> {}:{}:{}", self.file, self.line, self.col);
        }
        if let Some(text) = source.and_then(|s| s.lines().nth(self.line.saturating_sub(1) as usize))
            && self.line > 0
        {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let shown = text.replace('\t', " ");
            let marker_at = shown
                .chars()
                .take(self.col.saturating_sub(1) as usize)
                .count();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {shown}");
            let _ = writeln!(out, "{pad} | {}^", " ".repeat(marker_at));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  = help: {help}");
        }
        out
    }

    /// One JSON object for CI annotations.
    pub fn to_json(&self) -> serde_json::Value {
        let (code, name) = self.code.id();
        serde_json::json!({
            "code": code,
            "name": name,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "message": self.message,
            "help": self.help,
        })
    }
}

/// The nearest candidate to a likely typo, if any is close enough.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggest("bobb", ["alice", "bob", "carol"]), Some("bob"));
        assert_eq!(suggest("statsu", ["status", "title"]), Some("status"));
        assert_eq!(suggest("zzz", ["alice", "bob"]), None);
    }

    #[test]
    fn renders_source_line_with_marker() {
        let d = Diagnostic::error(
            Code::UnknownPerson,
            "people/a/index.md",
            2,
            7,
            "`bobb` is not a person",
        )
        .help("did you mean `bob`?");
        let out = d.render(Some("---\ncoach: bobb\n---\n"));
        assert!(out.contains("error[E012 unknown-person]"), "{out}");
        assert!(out.contains("--> people/a/index.md:2:7"));
        assert!(out.contains("2 | coach: bobb"));
        assert!(out.contains("  |       ^"), "{out}");
    }
}
