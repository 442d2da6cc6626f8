//! One reader per kind of document: front matter fields → typed struct.
//! Every reader records all of its problems and returns what it could read,
//! so that one `check` run shows every mistake in a file.

use std::collections::BTreeMap;

use crate::check::{Code, Diagnostic};
use crate::load::yaml::{At, Fields, Node, Value};
use crate::model::documents::*;

pub const OBJECTIVE_STATUS: &[&str] = &["active", "achieved", "dropped"];
pub const GOAL_STATUS: &[&str] = &["active", "achieved", "paused", "dropped"];
pub const GOAL_KIND: &[&str] = &["development", "contribution"];
pub const FEEDBACK_KIND: &[&str] = &["appreciation", "suggestion"];
pub const REQUEST_STATUS: &[&str] = &["open", "closed"];
/// The languages the default theme ships words for.
pub const LANGUAGES: &[&str] = &["en", "nl"];

/// Handles and slugs: lowercase letters, digits and `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `2026`, `2026-H1` or `2026-Q3`.
pub fn is_period(s: &str) -> bool {
    let b = s.as_bytes();
    let year = b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => year,
        7 => {
            year && b[4] == b'-'
                && matches!((b[5], b[6]), (b'H', b'1'..=b'2') | (b'Q', b'1'..=b'4'))
        }
        _ => false,
    }
}

fn visibility(f: &mut Fields) -> Option<At<String>> {
    f.choice("visibility", Visibility::NAMES)
}

fn text(f: &mut Fields, name: &'static str) -> String {
    f.string(name).map(|s| s.value).unwrap_or_default()
}

/// A field naming a person or a document: must be a well-formed reference.
fn reference(f: &mut Fields, name: &'static str) -> Option<At<String>> {
    f.string(name)
}

pub fn org(file: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> OrgConfig {
    let mut f = Fields::new(file, node, diags);
    let name = f
        .required_string(
            "name",
            "write the organization's name, e.g. `name: Brightwork Cooperative`",
        )
        .map(|s| s.value)
        .unwrap_or_default();
    let base_url = text(&mut f, "base_url");
    // Any language code: the theme ships `en` and `nl`, and an org adds
    // another with one file, `i18n/<code>.yaml` (English fills the gaps).
    let language = match f.string("language") {
        Some(l)
            if l.value.len() >= 2
                && l.value.len() <= 3
                && l.value.bytes().all(|b| b.is_ascii_lowercase()) =>
        {
            l.value
        }
        Some(l) => {
            let file = f.file().to_string();
            f.diags.push(
                Diagnostic::error(Code::InvalidValue, &file, l.line, l.col, format!("`{}` is not a language code", l.value))
                    .help(format!("write a two-letter code such as `en` or `nl` (built in: {}; others from i18n/<code>.yaml)", LANGUAGES.join(", "))),
            );
            "en".into()
        }
        None => "en".into(),
    };
    let default_visibility = f
        .choice("default_visibility", Visibility::NAMES)
        .map(|s| s.value);
    let theme = f.string("theme").map(|s| s.value);
    let pay_owners = f
        .string_list("pay_owners")
        .into_iter()
        .map(|s| s.value)
        .collect();

    let values = list_of(&mut f, "values", |f, _| Value_ {
        id: f.required_string("id", "give the value a short id, e.g. `id: ownership`"),
        name: text(f, "name"),
        description: text(f, "description"),
    })
    .into_iter()
    .filter_map(|v| {
        let id = v.id?;
        Some(crate::model::documents::Value {
            line: id.line,
            col: id.col,
            id: id.value,
            name: v.name,
            description: v.description,
        })
    })
    .collect();

    let expectations = list_of(&mut f, "expectations", |f, line| {
        let id = f.required_string(
            "id",
            "give the expectation a short id, e.g. `id: announce-work`",
        );
        let value = f.required_string(
            "value",
            "name the value this behaviour serves: one of `values`' ids",
        );
        let behaviour = f
            .required_string("behaviour", "describe what someone can observe you doing")
            .map(|s| s.value)
            .unwrap_or_default();
        (id, value, behaviour, line)
    })
    .into_iter()
    .filter_map(|(id, value, behaviour, _)| {
        let id = id?;
        Some(Expectation {
            line: id.line,
            col: id.col,
            id: id.value,
            value: value?,
            behaviour,
        })
    })
    .collect();

    let cycle = list_of(&mut f, "cycle", |f, line| {
        let id = f.required_string("id", "give the moment a short id, e.g. `id: goal-setting`");
        Moment {
            line: id.as_ref().map_or(line, |i| i.line),
            col: id.as_ref().map_or(1, |i| i.col),
            id: id.map(|s| s.value).unwrap_or_default(),
            name: text(f, "name"),
            when: text(f, "when"),
            purpose: text(f, "purpose"),
            affects_pay: text(f, "affects_pay"),
        }
    })
    .into_iter()
    .filter(|m| !m.id.is_empty())
    .collect();
    f.finish();
    OrgConfig {
        name,
        base_url,
        language,
        default_visibility,
        theme,
        values,
        expectations,
        cycle,
        pay_owners,
        file: file.to_string(),
    }
}

struct Value_ {
    id: Option<At<String>>,
    name: String,
    description: String,
}

/// Reads a list of mappings, each with its own [`Fields`].
fn list_of<T>(
    f: &mut Fields,
    name: &'static str,
    mut read: impl FnMut(&mut Fields, u32) -> T,
) -> Vec<T> {
    let Some(node) = f.node(name) else {
        return Vec::new();
    };
    let Value::Seq(items) = &node.value else {
        f.error(
            Code::WrongType,
            node,
            format!(
                "`{name}` should be a list, found {}",
                node.value.kind_name()
            ),
            format!("write each entry of `{name}` on its own line starting with `- `"),
        );
        return Vec::new();
    };
    let file = f.file();
    let mut out = Vec::new();
    for item in items {
        let mut inner = Fields::new(file, item, f.diags);
        out.push(read(&mut inner, item.line));
        inner.finish();
    }
    out
}

pub fn objective(meta: Meta, node: &Node, diags: &mut Vec<Diagnostic>) -> Objective {
    let mut f = Fields::new(&meta.file, node, diags);
    let title = f
        .required_string(
            "title",
            "give the objective a title, e.g. `title: Grow sustainably`",
        )
        .map(|s| s.value)
        .unwrap_or_default();
    let period = period(&mut f);
    let owner = reference(&mut f, "owner");
    let status = f
        .choice("status", OBJECTIVE_STATUS)
        .map(|s| s.value)
        .unwrap_or_else(|| "active".into());
    let visibility = visibility(&mut f);
    f.finish();
    Objective {
        meta: Meta { visibility, ..meta },
        title,
        period,
        owner,
        status,
    }
}

fn period(f: &mut Fields) -> String {
    let Some(p) = f.string("period") else {
        return String::new();
    };
    if !is_period(&p.value) {
        let file = f.file().to_string();
        f.diags.push(
            Diagnostic::error(
                Code::InvalidPeriod,
                &file,
                p.line,
                p.col,
                format!("`{}` is not a period", p.value),
            )
            .help("write a year (`2026`), a half (`2026-H1`) or a quarter (`2026-Q3`)"),
        );
    }
    p.value
}

pub fn team(meta: Meta, slug: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Team {
    let mut f = Fields::new(&meta.file, node, diags);
    let name = f
        .required_string("name", "give the team a name, e.g. `name: Platform`")
        .map(|s| s.value)
        .unwrap_or_default();
    let mission = text(&mut f, "mission");
    let facilitators = f.string_list("facilitators");
    let visibility = visibility(&mut f);
    f.finish();
    Team {
        meta: Meta { visibility, ..meta },
        slug: slug.to_string(),
        name,
        mission,
        facilitators,
    }
}

pub fn goal(meta: Meta, owner: Owner, node: &Node, diags: &mut Vec<Diagnostic>) -> Goal {
    let personal = matches!(owner, Owner::Person(_));
    let mut f = Fields::new(&meta.file, node, diags);
    let title = f
        .required_string(
            "title",
            "give the goal a title, e.g. `title: CI under ten minutes`",
        )
        .map(|s| s.value)
        .unwrap_or_default();
    let kind = if personal {
        f.choice("kind", GOAL_KIND).map(|s| s.value)
    } else {
        None
    };
    let supports = reference(&mut f, "supports");
    let status = match f.choice("status", GOAL_STATUS) {
        Some(s) => s.value,
        None => "active".into(),
    };
    let due = f.date("due").map(|d| d.value);
    let progress = progress(&mut f);
    let visibility = visibility(&mut f);
    f.finish();
    Goal {
        meta: Meta { visibility, ..meta },
        owner,
        title,
        kind,
        supports,
        status,
        due,
        progress,
    }
}

fn progress(f: &mut Fields) -> Option<At<u8>> {
    let p = f.decimal("progress")?;
    let ok = p.value >= 0.into() && p.value <= 100.into() && p.value.fract().is_zero();
    if !ok {
        let file = f.file().to_string();
        f.diags.push(
            Diagnostic::error(Code::OutOfRange, &file, p.line, p.col, format!("progress `{}` is not a whole number from 0 to 100", p.value))
                .help("write a percentage without the % sign, e.g. `progress: 40`; leave it out to roll it up from supporting goals"),
        );
        return None;
    }
    Some(At {
        value: u8::try_from(p.value.mantissa()).unwrap_or(0) / 10u8.pow(p.value.scale()).max(1),
        line: p.line,
        col: p.col,
    })
}

pub fn person(meta: Meta, handle: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Person {
    let mut fields = BTreeMap::new();
    if let Value::Map(entries) = &node.value {
        for (k, v) in entries {
            if let Some(s) = v.as_scalar_text() {
                fields.insert(k.name.clone(), At::from_node(s.to_string(), v));
            }
        }
    }
    let mut f = Fields::new(&meta.file, node, diags);
    let name = f
        .required_string(
            "name",
            "write the person's full name, e.g. `name: Alice Janssens`",
        )
        .map(|s| s.value)
        .unwrap_or_default();
    let mut teams = f.string_list("teams");
    if let Some(t) = f.string("team") {
        teams.insert(0, t);
    }
    let role = text(&mut f, "role");
    let level = f.string("level");
    let location = f.string("location");
    let fte = f.decimal("fte");
    if let Some(x) = &fte
        && (x.value <= 0.into() || x.value > 1.into())
    {
        let file = f.file().to_string();
        f.diags.push(
            Diagnostic::error(
                Code::OutOfRange,
                &file,
                x.line,
                x.col,
                format!("fte `{}` is outside (0, 1]", x.value),
            )
            .help("write the share of a full-time job, above 0 and at most 1, e.g. `fte: 0.8`"),
        );
    }
    let start = f.date("start").map(|d| d.value);
    let coach = reference(&mut f, "coach");
    let emails = f
        .string_list("emails")
        .into_iter()
        .map(|s| s.value)
        .collect();
    let forge = f.string("forge").map(|s| s.value);
    let visibility = visibility(&mut f);
    f.finish();
    Person {
        meta: Meta { visibility, ..meta },
        handle: handle.to_string(),
        name,
        teams,
        role,
        level,
        location,
        fte,
        start,
        coach,
        emails,
        forge,
        fields,
    }
}

pub fn reflection(
    meta: Meta,
    handle: &str,
    stem: &str,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Reflection {
    let mut f = Fields::new(&meta.file, node, diags);
    let period_field = f.string("period");
    if let Some(p) = &period_field
        && p.value != stem
    {
        let file = f.file().to_string();
        f.diags.push(
            Diagnostic::error(
                Code::InvalidPeriod,
                &file,
                p.line,
                p.col,
                format!(
                    "period `{}` does not match the file name `{stem}.md`",
                    p.value
                ),
            )
            .help(format!(
                "write `period: {stem}`, or rename the file to `{}.md`",
                p.value
            )),
        );
    }
    let date = f.date("date").map(|d| d.value);
    let reviewers = f.string_list("reviewers");
    let moment = reference(&mut f, "moment");
    let visibility = visibility(&mut f);
    f.finish();
    Reflection {
        meta: Meta { visibility, ..meta },
        handle: handle.to_string(),
        period: stem.to_string(),
        date,
        reviewers,
        moment,
    }
}

pub fn feedback(meta: Meta, to: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Feedback {
    let mut f = Fields::new(&meta.file, node, diags);
    let from = f.required_string(
        "from",
        "name who wrote it: a handle, or `external` with `from_name`",
    );
    let from_name = f.string("from_name").map(|s| s.value);
    let date = f.date("date").map(|d| d.value);
    let kind = f
        .choice("kind", FEEDBACK_KIND)
        .map(|s| s.value)
        .unwrap_or_else(|| "appreciation".into());
    let about = reference(&mut f, "about");
    let request = reference(&mut f, "request");
    let context = f.string("context");
    let visibility = visibility(&mut f);
    f.finish();
    if let Some(fr) = &from
        && fr.value == "external"
        && from_name.is_none()
    {
        diags.push(
            Diagnostic::error(
                Code::MissingField,
                &meta.file,
                fr.line,
                fr.col,
                "feedback `from: external` needs a `from_name`",
            )
            .help("add `from_name: Client X` with who wrote it"),
        );
    }
    Feedback {
        meta: Meta { visibility, ..meta },
        to: to.to_string(),
        from: from.unwrap_or(At {
            value: String::new(),
            line: 0,
            col: 0,
        }),
        from_name,
        date,
        kind,
        about,
        request,
        context,
    }
}

pub fn request(meta: Meta, handle: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Request {
    let mut f = Fields::new(&meta.file, node, diags);
    let title = f
        .required_string(
            "title",
            "say what you want feedback on, e.g. `title: How did my first demo go?`",
        )
        .map(|s| s.value)
        .unwrap_or_default();
    let date = f.date("date").map(|d| d.value);
    let asked = f.string_list("asked");
    let about = reference(&mut f, "about");
    let until = f.date("until").map(|d| d.value);
    let status = f
        .choice("status", REQUEST_STATUS)
        .map(|s| s.value)
        .unwrap_or_else(|| "open".into());
    let visibility = visibility(&mut f);
    f.finish();
    Request {
        meta: Meta { visibility, ..meta },
        handle: handle.to_string(),
        title,
        date,
        asked,
        about,
        until,
        status,
    }
}

pub fn page(meta: Meta, node: &Node, diags: &mut Vec<Diagnostic>) -> Page {
    let mut f = Fields::new(&meta.file, node, diags);
    let title = text(&mut f, "title");
    let visibility = visibility(&mut f);
    f.finish();
    Page {
        meta: Meta { visibility, ..meta },
        title,
    }
}

pub fn level(meta: Meta, key: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Level {
    let mut f = Fields::new(&meta.file, node, diags);
    let title = f
        .string("title")
        .map(|s| s.value)
        .unwrap_or_else(|| key.to_string());
    let summary = text(&mut f, "summary");
    let visibility = visibility(&mut f);
    f.finish();
    Level {
        meta: Meta { visibility, ..meta },
        key: key.to_string(),
        title,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_periods() {
        assert!(is_slug("alice") && is_slug("faster-ci") && is_slug("2026-03-04-from-bob"));
        assert!(!is_slug("Alice") && !is_slug("a_b") && !is_slug("") && !is_slug("-a"));
        assert!(is_period("2026") && is_period("2026-H1") && is_period("2026-Q4"));
        assert!(!is_period("2026-H3") && !is_period("26") && !is_period("2026-q1"));
    }
}
