//! Writing new source files for people: `openfolio init` and `openfolio new`.
//! The only module that creates files in a repository, and it never
//! overwrites one: every file is created with `create_new`.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::load::kinds::{is_period, is_slug};
use crate::model::documents::Date;

#[derive(Debug, thiserror::Error)]
pub enum AuthorError {
    #[error("refusing to initialise {0}: the directory is not empty")]
    NotEmpty(String),
    #[error("{0} already exists; openfolio never overwrites a file")]
    Exists(String),
    #[error("`{0}` is not a valid {1}: use lowercase letters, digits and `-`")]
    BadName(String, &'static str),
    #[error("`{0}` is not a period: write `2026`, `2026-H1` or `2026-Q3`")]
    BadPeriod(String),
    #[error("`{0}` is not a person in this repository (no people/{0}/index.md)")]
    NoSuchPerson(String),
    #[error("{0} has no org.yaml: run `openfolio init` first or pass the repository directory")]
    NotAnOrg(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

fn create(path: &Path, text: &str) -> Result<(), AuthorError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| AuthorError::Io {
            path: parent.display().to_string(),
            source,
        })?;
    }
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => AuthorError::Exists(path.display().to_string()),
            _ => AuthorError::Io {
                path: path.display().to_string(),
                source,
            },
        })?;
    f.write_all(text.as_bytes())
        .map_err(|source| AuthorError::Io {
            path: path.display().to_string(),
            source,
        })
}

/// Quotes a value for YAML when it needs it.
fn yaml_text(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.starts_with(|c: char| "[]{}&*!|>'\"%@`#,?:- ".contains(c))
        && !matches!(s, "true" | "false" | "null" | "yes" | "no");
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A slug from a title: `Learn Rust!` → `learn-rust`.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.to_lowercase().chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    out.chars()
        .take(60)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

/// Creates a minimal, valid organization repository in `dir`, which must be
/// empty or not exist. Returns the files written.
pub fn init(
    dir: &Path,
    name: &str,
    handle: &str,
    person_name: &str,
    today: Date,
) -> Result<Vec<PathBuf>, AuthorError> {
    if !is_slug(handle) {
        return Err(AuthorError::BadName(handle.into(), "handle"));
    }
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|source| AuthorError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        if entries.next().is_some() {
            return Err(AuthorError::NotEmpty(dir.display().to_string()));
        }
    }
    let year = today.format("%Y").to_string();
    let today = today.to_string();
    let fill = |s: &str| {
        s.replace("{{name}}", &yaml_text(name))
            .replace("{{handle}}", handle)
            .replace("{{person_name}}", &yaml_text(person_name))
            .replace("{{year}}", &year)
            .replace("{{today}}", &today)
    };
    let mut written = Vec::new();
    for (rel, bytes) in crate::embedded::SCAFFOLD {
        let path = dir.join(fill(rel));
        let text = fill(&String::from_utf8_lossy(bytes));
        // README.md takes the name as it is, not as YAML.
        let text = if rel.ends_with("README.md") {
            text.replace(&yaml_text(name), name)
        } else {
            text
        };
        create(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

fn require_org(repo: &Path) -> Result<(), AuthorError> {
    if repo.join("org.yaml").is_file() {
        Ok(())
    } else {
        Err(AuthorError::NotAnOrg(repo.display().to_string()))
    }
}

fn require_person(repo: &Path, handle: &str) -> Result<(), AuthorError> {
    if !is_slug(handle) {
        return Err(AuthorError::BadName(handle.into(), "handle"));
    }
    if repo.join("people").join(handle).join("index.md").is_file() {
        Ok(())
    } else {
        Err(AuthorError::NoSuchPerson(handle.into()))
    }
}

/// `people/<handle>/index.md`.
pub fn new_person(
    repo: &Path,
    handle: &str,
    name: Option<&str>,
    team: Option<&str>,
    today: Date,
) -> Result<PathBuf, AuthorError> {
    require_org(repo)?;
    if !is_slug(handle) {
        return Err(AuthorError::BadName(handle.into(), "handle"));
    }
    let path = repo.join("people").join(handle).join("index.md");
    let name = name.map(str::to_string).unwrap_or_else(|| {
        let mut c = handle.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    });
    // Without --team, the first team of the repository (check says if it is wrong).
    let first_team = std::fs::read_dir(repo.join("teams"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("index.md").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .min();
    let team = team
        .map(str::to_string)
        .or(first_team)
        .unwrap_or_else(|| "CHANGE-ME".into());
    let text = format!(
        "---\nname: {}\nteam: {team}\nrole: \n# level: L1          # a key of the base table in pay/rules.yaml\n# coach: handle       # a colleague who coaches you\nfte: 1\nstart: {}\nemails: []           # the addresses you commit with\n---\nWho you are, and what you want to grow towards.\n",
        yaml_text(&name),
        today.format("%Y-%m-%d")
    );
    create(&path, &text)?;
    Ok(path)
}

/// `people/<handle>/goals/<slug>.md`.
pub fn new_goal(
    repo: &Path,
    handle: &str,
    title: &str,
    kind: &str,
    supports: Option<&str>,
    today: Date,
) -> Result<PathBuf, AuthorError> {
    require_org(repo)?;
    require_person(repo, handle)?;
    let slug = slugify(title);
    if !is_slug(&slug) {
        return Err(AuthorError::BadName(
            title.into(),
            "goal title (it needs letters or digits)",
        ));
    }
    let path = repo
        .join("people")
        .join(handle)
        .join("goals")
        .join(format!("{slug}.md"));
    let supports = supports.map_or_else(
        || "# supports: teams/<team>/goals/<slug>   # a team goal or an objective".to_string(),
        |s| format!("supports: {s}"),
    );
    let text = format!(
        "---\ntitle: {}\nkind: {kind}\n{supports}\nstatus: active\ndue: {}-12-31\nprogress: 0\n---\nWhy this goal matters to you, and how you will know you reached it.\n\n## Plan\n\n- [ ] A first step\n\n## {}\n\nStarted.\n",
        yaml_text(title),
        today.format("%Y"),
        today.format("%Y-%m-%d")
    );
    create(&path, &text)?;
    Ok(path)
}

/// `people/<to>/feedback/<date>-from-<from>.md` (a `-2`, `-3` suffix when one exists).
pub fn new_feedback(
    repo: &Path,
    to: &str,
    from: &str,
    kind: &str,
    about: Option<&str>,
    today: Date,
) -> Result<PathBuf, AuthorError> {
    require_org(repo)?;
    require_person(repo, to)?;
    if from != "external" {
        require_person(repo, from)?;
    }
    let dir = repo.join("people").join(to).join("feedback");
    let base = format!("{}-from-{from}", today.format("%Y-%m-%d"));
    let mut path = dir.join(format!("{base}.md"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{base}-{n}.md"));
        n += 1;
    }
    let about = about.map_or_else(
        || {
            "# about: people/<handle>/goals/<slug>   # a goal, a reflection or an expectation"
                .to_string()
        },
        |a| format!("about: {a}"),
    );
    let from_name = if from == "external" {
        "from_name: CHANGE-ME\n"
    } else {
        ""
    };
    let text = format!(
        "---\nfrom: {from}\n{from_name}date: {}\nkind: {kind}\n{about}\n---\nWhat you saw, when, and what it did. Concrete and observable.\n",
        today.format("%Y-%m-%d")
    );
    create(&path, &text)?;
    Ok(path)
}

/// `people/<handle>/reflections/<period>.md`.
pub fn new_reflection(
    repo: &Path,
    handle: &str,
    period: &str,
    reviewers: &[String],
    moment: Option<&str>,
    today: Date,
) -> Result<PathBuf, AuthorError> {
    require_org(repo)?;
    require_person(repo, handle)?;
    if !is_period(period) {
        return Err(AuthorError::BadPeriod(period.into()));
    }
    for r in reviewers {
        require_person(repo, r)?;
    }
    let path = repo
        .join("people")
        .join(handle)
        .join("reflections")
        .join(format!("{period}.md"));
    let reviewers = if reviewers.is_empty() {
        "reviewers: []   # choose one to three colleagues by handle, e.g. [bob, carol]".to_string()
    } else {
        format!("reviewers: [{}]", reviewers.join(", "))
    };
    let moment = moment.map_or_else(
        || "# moment: year-reflection   # a cycle id from org.yaml".to_string(),
        |m| format!("moment: {m}"),
    );
    let text = format!(
        "---\nperiod: {period}\ndate: {}\n{reviewers}\n{moment}\n---\n## What went well\n\n## What I would do differently\n\n## What I want to grow towards next\n",
        today.format("%Y-%m-%d")
    );
    create(&path, &text)?;
    Ok(path)
}

/// `people/<handle>/requests/<slug>.md`.
pub fn new_request(
    repo: &Path,
    handle: &str,
    title: &str,
    asked: &[String],
    about: Option<&str>,
    today: Date,
) -> Result<PathBuf, AuthorError> {
    require_org(repo)?;
    require_person(repo, handle)?;
    for a in asked {
        require_person(repo, a)?;
    }
    let slug = slugify(title);
    if !is_slug(&slug) {
        return Err(AuthorError::BadName(
            title.into(),
            "request title (it needs letters or digits)",
        ));
    }
    let path = repo
        .join("people")
        .join(handle)
        .join("requests")
        .join(format!("{slug}.md"));
    let about = about.map_or_else(
        || "# about: people/<handle>/goals/<slug>".to_string(),
        |a| format!("about: {a}"),
    );
    let until = today + chrono::Days::new(28);
    let text = format!(
        "---\ntitle: {}\ndate: {}\nasked: [{}]\n{about}\nuntil: {}\nstatus: open\n---\nWhat you would like feedback on, and why now.\n",
        yaml_text(title),
        today.format("%Y-%m-%d"),
        asked.join(", "),
        until.format("%Y-%m-%d")
    );
    create(&path, &text)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_titles() {
        assert_eq!(slugify("Learn Rust!"), "learn-rust");
        assert_eq!(slugify("  CI under 10 minutes "), "ci-under-10-minutes");
        assert_eq!(slugify("Één café"), "een-cafe");
    }

    #[test]
    fn yaml_quoting() {
        assert_eq!(yaml_text("Alice"), "Alice");
        assert_eq!(yaml_text("A: B"), "\"A: B\"");
        assert_eq!(yaml_text("yes"), "\"yes\"");
    }
}
