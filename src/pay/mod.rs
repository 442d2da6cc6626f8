//! Transparent pay: `pay/rules.yaml` typed (`rules`), each person's pay
//! computed step by step with exact decimals (`compute`), the collective
//! bonus shared to the smallest unit (`bonus`), and money formatted per
//! language (`format`). Takes the documents, returns data; it renders nothing.

pub mod bonus;
pub mod compute;
pub mod format;
pub mod rules;

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::check::{Code, Diagnostic, suggest};
use crate::model::documents::{Documents, Person};
use bonus::{BonusSplit, Candidate};
use compute::{Breakdown, PayProblem, Profile};
use rules::{PayRules, Split};

/// Everyone's pay and bonus share, computed from the rules.
#[derive(Debug, Clone, Serialize)]
pub struct PayReport {
    pub rules: PayRules,
    /// By handle, in handle order.
    pub people: BTreeMap<String, Result<Breakdown, PayProblem>>,
    pub bonus: Option<BonusSplit>,
}

impl PayReport {
    pub fn share_of(&self, handle: &str) -> Option<&bonus::Share> {
        self.bonus
            .as_ref()?
            .shares
            .iter()
            .find(|s| s.handle == handle)
    }
}

/// The profile fields of a person, as pay reads them.
pub fn profile(p: &Person) -> Profile {
    Profile {
        handle: p.handle.clone(),
        name: p.name.clone(),
        fields: p
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect(),
    }
}

/// Computes everyone's pay and the bonus split. Always over every person in
/// the repository, whatever the audience, so that shares never depend on who
/// reads the site.
pub fn compute_all(rules: &PayRules, docs: &Documents) -> PayReport {
    let mut people = BTreeMap::new();
    for p in &docs.people {
        people.insert(p.handle.clone(), compute::compute(rules, &profile(p)));
    }
    let bonus = rules.bonus.as_ref().map(|b| {
        let candidates: Vec<Candidate> = docs
            .people
            .iter()
            .map(|p| {
                let weight = match b.split {
                    Split::Equal => Ok(Decimal::ONE),
                    Split::Fte => Ok(p.fte.as_ref().map_or(Decimal::ONE, |f| f.value)),
                    Split::Salary => match &people[&p.handle] {
                        Ok(bd) => Ok(bd.amount),
                        Err(e) => Err(format!("no pay computed: {e}")),
                    },
                    Split::Points => {
                        let level = p.level.as_ref().map(|l| l.value.as_str()).unwrap_or("");
                        b.points
                            .iter()
                            .find(|(k, _)| k == level)
                            .map(|(_, v)| *v)
                            .ok_or_else(|| format!("no points for level `{level}`"))
                    }
                };
                Candidate {
                    handle: p.handle.clone(),
                    start: p.start,
                    weight,
                }
            })
            .collect();
        bonus::split(b, rules.unit(), &candidates)
    });
    PayReport {
        rules: rules.clone(),
        people,
        bonus,
    }
}

/// Checks that pay can be computed for every person, and that level files
/// name levels of the base table. Diagnostics point at the profile field.
pub fn check(rules: &PayRules, docs: &Documents) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut keyed: Vec<(&str, &rules::Table, String)> =
        vec![(rules.base.by.as_str(), &rules.base, "base".to_string())];
    for m in &rules.multipliers {
        keyed.push((m.table.by.as_str(), &m.table, m.name.clone()));
    }
    for p in &docs.people {
        for (field, table, name) in &keyed {
            match p.fields.get(*field) {
                Some(v) if table.get(&v.value).is_none() => {
                    let hint = suggest(&v.value, table.keys())
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                    out.push(
                        Diagnostic::error(
                            Code::UnknownPayKey,
                            &p.meta.file,
                            v.line,
                            v.col,
                            format!("`{}` is not in the {name} table of pay/rules.yaml", v.value),
                        )
                        .help(format!(
                            "{hint}use one of: {}",
                            table.keys().collect::<Vec<_>>().join(", ")
                        )),
                    );
                }
                None => out.push(
                    Diagnostic::warning(
                        Code::MissingPayField,
                        &p.meta.file,
                        2,
                        1,
                        format!("no `{field}`: pay cannot be computed for {}", p.name),
                    )
                    .help(format!(
                        "add `{field}:` with one of: {}",
                        table.keys().collect::<Vec<_>>().join(", ")
                    )),
                ),
                _ => {}
            }
        }
        for s in &rules.steps {
            if !p.fields.contains_key(&s.since) {
                out.push(
                    Diagnostic::warning(
                        Code::MissingPayField,
                        &p.meta.file,
                        2,
                        1,
                        format!(
                            "no `{}` date: pay cannot be computed for {}",
                            s.since, p.name
                        ),
                    )
                    .help(format!("add `{}: YYYY-MM-DD`", s.since)),
                );
            }
        }
        if let (Some(b), Some(level)) = (&rules.bonus, &p.level)
            && b.split == Split::Points
            && !b.points.iter().any(|(k, _)| *k == level.value)
        {
            out.push(
                Diagnostic::error(
                    Code::UnknownPayKey,
                    &p.meta.file,
                    level.line,
                    level.col,
                    format!(
                        "level `{}` has no bonus points in pay/rules.yaml",
                        level.value
                    ),
                )
                .help("add the level to `bonus.points`"),
            );
        }
    }
    for l in &docs.levels {
        if rules.base.get(&l.key).is_none() {
            out.push(
                Diagnostic::error(
                    Code::UnknownPayKey,
                    &l.meta.file,
                    0,
                    0,
                    format!(
                        "level `{}` is not in the base table of pay/rules.yaml",
                        l.key
                    ),
                )
                .help(format!(
                    "name level files after the base table's keys: {}",
                    rules.base.keys().collect::<Vec<_>>().join(", ")
                )),
            );
        }
    }
    out
}
