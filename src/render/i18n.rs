//! The theme's own words (menus, labels, headings, dates) in the site's
//! language. Translations are YAML files: the theme's `i18n/<lang>.yaml`,
//! which an org can override or extend with its own `i18n/<lang>.yaml`.
//! A missing word falls back to English, then to its key.

use chrono::Datelike;

use crate::load::yaml::{self, Node, Value};
use crate::model::documents::Date;

/// The words of one language, as a tree (`status.active`).
#[derive(Debug, Clone)]
pub struct Words {
    tree: serde_json::Value,
    fallback: serde_json::Value,
    pub language: String,
    /// Every word by its dotted key, looked up once (pages ask for words
    /// hundreds of thousands of times).
    flat: crate::model::HashMap<String, String>,
    /// The names of the months, January first.
    months: [String; 12],
    date_format: String,
}

impl Words {
    /// `primary` and `english` are the YAML texts of the language and of
    /// English (the fallback).
    pub fn new(language: &str, primary: &[&str], english: &[&str]) -> Words {
        // Each layer overrides single words of the ones before it.
        let layered = |texts: &[&str]| {
            let mut tree = serde_json::Value::Null;
            for text in texts {
                if let Ok(n) = yaml::parse(text, 0) {
                    merge(&mut tree, &to_json(&n));
                }
            }
            tree
        };
        let mut words = Words {
            tree: layered(primary),
            fallback: layered(english),
            language: language.to_string(),
            flat: Default::default(),
            months: Default::default(),
            date_format: String::new(),
        };
        let mut keys = Vec::new();
        string_keys(&words.fallback, "", &mut keys);
        string_keys(&words.tree, "", &mut keys);
        words.flat = keys
            .into_iter()
            .map(|k| {
                let word = words.lookup_word(&k);
                (k, word)
            })
            .collect();
        for (i, month) in words.months.iter_mut().enumerate() {
            *month = Self::lookup(&words.tree, "months")
                .or_else(|| Self::lookup(&words.fallback, "months"))
                .and_then(|m| m.get(i))
                .and_then(|m| m.as_str())
                .map_or_else(|| (i + 1).to_string(), str::to_string);
        }
        words.date_format = words.get("date_format");
        words
    }

    fn lookup<'a>(tree: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
        key.split('.').try_fold(tree, |t, k| t.get(k))
    }

    /// The word for `key` (`nav.people`), or the key itself.
    pub fn get(&self, key: &str) -> String {
        match self.flat.get(key) {
            Some(word) => word.clone(),
            None => key.rsplit('.').next().unwrap_or(key).to_string(),
        }
    }

    /// [`Words::get`] from the trees.
    fn lookup_word(&self, key: &str) -> String {
        Self::lookup(&self.tree, key)
            .or_else(|| Self::lookup(&self.fallback, key))
            .and_then(|v| v.as_str())
            .map_or_else(
                || key.rsplit('.').next().unwrap_or(key).to_string(),
                str::to_string,
            )
    }

    /// The whole tree, English filled in where the language has no word, for
    /// templates (`{{ t.nav.people }}`).
    pub fn for_templates(&self) -> serde_json::Value {
        let mut merged = self.fallback.clone();
        merge(&mut merged, &self.tree);
        merged
    }

    /// `4 March 2026` / `4 maart 2026`.
    pub fn date(&self, d: Date) -> String {
        use std::fmt::Write;
        // One pass over the format: a site shows hundreds of thousands of dates.
        let mut out = String::with_capacity(self.date_format.len() + 12);
        let mut rest = self.date_format.as_str();
        while let Some(at) = rest.find('{') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            if let Some(r) = rest.strip_prefix("{day}") {
                let _ = write!(out, "{}", d.day());
                rest = r;
            } else if let Some(r) = rest.strip_prefix("{month}") {
                out.push_str(&self.months[d.month0() as usize]);
                rest = r;
            } else if let Some(r) = rest.strip_prefix("{year}") {
                let _ = write!(out, "{}", d.year());
                rest = r;
            } else {
                out.push('{');
                rest = &rest[1..];
            }
        }
        out.push_str(rest);
        out
    }
}

/// The dotted keys of every string in `tree`.
fn string_keys(tree: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
    match tree {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                string_keys(v, &key, out);
            }
        }
        serde_json::Value::String(_) => out.push(prefix.to_string()),
        _ => {}
    }
}

fn merge(base: &mut serde_json::Value, over: &serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                merge(b.entry(k.clone()).or_insert(serde_json::Value::Null), v);
            }
        }
        (b, o) if !o.is_null() => *b = o.clone(),
        _ => {}
    }
}

fn to_json(n: &Node) -> serde_json::Value {
    match &n.value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(s) | Value::Str(s) => serde_json::Value::String(s.clone()),
        Value::Seq(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fall_back_to_english() {
        let en = "nav:\n  people: People\n  teams: Teams\nmonths: [January, February, March]\ndate_format: \"{day} {month} {year}\"\n";
        let nl = "nav:\n  people: Mensen\nmonths: [januari, februari, maart]\n";
        let w = Words::new("nl", &[nl], &[en, "nav:\n  teams: Teams\n"]);
        assert_eq!(w.get("nav.people"), "Mensen");
        assert_eq!(w.get("nav.teams"), "Teams");
        assert_eq!(
            w.date(Date::from_ymd_opt(2026, 3, 4).unwrap()),
            "4 maart 2026"
        );
        assert_eq!(w.for_templates()["nav"]["teams"], "Teams");
    }
}
