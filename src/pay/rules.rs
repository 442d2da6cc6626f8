//! `pay/rules.yaml` as typed rules, with every problem reported at its line.

use rust_decimal::Decimal;

use crate::check::{Code, Diagnostic};
use crate::load::yaml::{At, Fields, Node, Value, parse_decimal};
use crate::model::documents::Date;

/// Which period the amounts of the rules are given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Per {
    Month,
    Year,
}

/// What the site publishes: every person's pay, or only the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Publish {
    Individual,
    Rules,
}

/// How the bonus pool is shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Equal,
    Fte,
    Salary,
    Points,
}

/// A table keyed by a profile field, in the order it was written.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Table {
    pub by: String,
    pub entries: Vec<(String, Decimal)>,
    #[serde(skip)]
    pub line: u32,
}

impl Table {
    pub fn get(&self, key: &str) -> Option<Decimal> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(k, _)| k.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Multiplier {
    pub name: String,
    pub table: Table,
}

/// A percentage per whole year since a profile date, capped.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Step {
    pub name: String,
    pub since: String,
    pub percent_per_year: Decimal,
    pub max_years: u32,
    pub as_of: Date,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Bonus {
    pub pool: Decimal,
    pub min_months: u32,
    pub as_of: Date,
    pub split: Split,
    /// Level → points, for `split: points`.
    pub points: Vec<(String, Decimal)>,
}

/// The whole of `pay/rules.yaml`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PayRules {
    pub currency: String,
    pub per: Per,
    pub publish: Publish,
    pub base: Table,
    pub multipliers: Vec<Multiplier>,
    pub steps: Vec<Step>,
    pub scale_by: Option<String>,
    pub round_to: Decimal,
    pub bonus: Option<Bonus>,
}

impl PayRules {
    /// The smallest unit of the currency (cents for most; whole units for
    /// currencies without minor units).
    pub fn unit(&self) -> Decimal {
        match self.currency.as_str() {
            "JPY" | "KRW" | "ISK" | "CLP" | "VND" | "UGX" | "XOF" | "XAF" | "PYG" | "RWF" => {
                Decimal::ONE
            }
            _ => Decimal::new(1, 2),
        }
    }
}

const PER: &[&str] = &["month", "year"];
const PUBLISH: &[&str] = &["individual", "rules"];
const SPLIT: &[&str] = &["equal", "fte", "salary", "points"];

/// Reads the rules; `None` when there is no usable base table (the
/// diagnostics say why). A build refuses rules with errors either way.
pub fn parse(file: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<PayRules> {
    let mut f = Fields::new(file, node, diags);
    let currency = f
        .string("currency")
        .map(|c| c.value)
        .unwrap_or_else(|| "EUR".into());
    let per = match f.choice("per", PER).map(|p| p.value).as_deref() {
        Some("year") => Per::Year,
        _ => Per::Month,
    };
    let publish = match f.choice("publish", PUBLISH).map(|p| p.value).as_deref() {
        Some("rules") => Publish::Rules,
        _ => Publish::Individual,
    };
    let base = match f.node("base") {
        Some(n) => table_of(file, n, "base", f.diags),
        None => {
            f.missing(
                "base",
                "add `base:` with `by: level` and a `table:` of amounts per level",
            );
            None
        }
    };
    let mut multipliers = Vec::new();
    if let Some(n) = f.node("multipliers") {
        for item in seq(file, n, "multipliers", f.diags) {
            let mut m = Fields::new(file, item, f.diags);
            let name = m.string("name").map(|s| s.value).unwrap_or_default();
            m.node("by");
            m.node("table");
            m.finish();
            if let Some(table) = table_of(file, item, "multiplier", f.diags) {
                for (key, value) in &table.entries {
                    let _ = key;
                    if *value < Decimal::new(5, 1) || *value > Decimal::TWO {
                        let at = item.get("table").and_then(|t| t.get(key)).unwrap_or(item);
                        f.diags.push(
                            Diagnostic::warning(Code::SuspiciousPayRule, file, at.line, at.col, format!("multiplier {value} for `{key}` is outside 0.5–2"))
                                .help("a multiplier is a factor like 1.05 (5 % more), not a percentage; check for a typo"),
                        );
                    }
                }
                multipliers.push(Multiplier { name, table });
            }
        }
    }
    let mut steps = Vec::new();
    if let Some(n) = f.node("steps") {
        for item in seq(file, n, "steps", f.diags) {
            let mut s = Fields::new(file, item, f.diags);
            let name = s.string("name").map(|s| s.value).unwrap_or_default();
            let since = s.required_string(
                "since",
                "name the profile date field the years count from, e.g. `since: start`",
            );
            let pct = non_negative(&mut s, "percent_per_year");
            let max = non_negative(&mut s, "max_years");
            let as_of = s.date("as_of");
            if as_of.is_none() && item.get("as_of").is_none() {
                s.missing(
                    "as_of",
                    "write the date on which years are counted, e.g. `as_of: 2026-01-01`",
                );
            }
            s.finish();
            if let (Some(since), Some(pct), Some(as_of)) = (since, pct, as_of) {
                let max_years = max
                    .map(|m| m.value.trunc().try_into().unwrap_or(u32::MAX))
                    .unwrap_or(u32::MAX);
                steps.push(Step {
                    name,
                    since: since.value,
                    percent_per_year: pct.value,
                    max_years,
                    as_of: as_of.value,
                });
            }
        }
    }
    let scale_by = f.string("scale_by").map(|s| s.value);
    let round_to = match f.decimal("round_to") {
        Some(r) if r.value > Decimal::ZERO => r.value,
        Some(r) => {
            let file = f.file().to_string();
            f.diags.push(
                Diagnostic::error(Code::InvalidPayRule, &file, r.line, r.col, format!("round_to must be above 0, found {}", r.value))
                    .help("write the unit the final amount is rounded to: 1 for whole amounts, 0.01 for cents"),
            );
            Decimal::ONE
        }
        None => Decimal::new(1, 2),
    };
    let bonus = f.node("bonus").and_then(|n| bonus(file, n, f.diags));
    f.finish();
    if let Some(b) = &base {
        increasing(file, node, b, diags);
    }
    let rules = PayRules {
        currency,
        per,
        publish,
        base: base?,
        multipliers,
        steps,
        scale_by,
        round_to,
        bonus,
    };
    if let Some(b) = &rules.bonus {
        let unit = rules.unit();
        if (b.pool / unit).fract() != Decimal::ZERO {
            let at = node
                .get("bonus")
                .and_then(|n| n.get("pool"))
                .unwrap_or(node);
            diags.push(
                Diagnostic::error(
                    Code::InvalidPayRule,
                    file,
                    at.line,
                    at.col,
                    format!(
                        "the pool {} is not a whole number of {} {}",
                        b.pool, unit, rules.currency
                    ),
                )
                .help("write the pool to the smallest unit of the currency (cents for EUR)"),
            );
        }
    }
    // Returned even when parts were wrong (the diagnostics say what), so that
    // profiles can still be checked against the tables.
    Some(rules)
}

fn seq<'a>(file: &str, n: &'a Node, what: &str, diags: &mut Vec<Diagnostic>) -> &'a [Node] {
    match &n.value {
        Value::Seq(items) => items,
        other => {
            diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    file,
                    n.line,
                    n.col,
                    format!("`{what}` should be a list, found {}", other.kind_name()),
                )
                .help(format!(
                    "write each entry of `{what}` on its own line starting with `- `"
                )),
            );
            &[]
        }
    }
}

fn non_negative(f: &mut Fields, name: &'static str) -> Option<At<Decimal>> {
    let v = f.decimal(name)?;
    if v.value < Decimal::ZERO {
        let file = f.file().to_string();
        f.diags.push(
            Diagnostic::error(
                Code::InvalidPayRule,
                &file,
                v.line,
                v.col,
                format!("`{name}` cannot be negative ({})", v.value),
            )
            .help("write a number of 0 or more"),
        );
        return None;
    }
    Some(v)
}

/// Reads `by:` and `table:` of a mapping (the base, or a multiplier).
fn table_of(file: &str, n: &Node, what: &str, diags: &mut Vec<Diagnostic>) -> Option<Table> {
    let by = n.get("by").and_then(Node::as_scalar_text);
    if by.is_none() {
        diags.push(
            Diagnostic::error(
                Code::MissingField,
                file,
                n.line,
                n.col,
                format!("the {what} table needs `by:`"),
            )
            .help("name the profile field the table is keyed by, e.g. `by: level`"),
        );
    }
    let Some(t) = n.get("table") else {
        diags.push(
            Diagnostic::error(
                Code::MissingField,
                file,
                n.line,
                n.col,
                format!("the {what} needs a `table:`"),
            )
            .help("write `table: { L1: 2800, L2: 3300 }`"),
        );
        return None;
    };
    let Value::Map(entries) = &t.value else {
        diags.push(
            Diagnostic::error(
                Code::WrongType,
                file,
                t.line,
                t.col,
                format!("`table` should be a mapping, found {}", t.value.kind_name()),
            )
            .help("write `table: { L1: 2800, L2: 3300 }`"),
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (k, v) in entries {
        match parse_decimal(v) {
            Some(d) if d >= Decimal::ZERO => out.push((k.name.clone(), d)),
            Some(d) => {
                ok = false;
                diags.push(
                    Diagnostic::error(
                        Code::InvalidPayRule,
                        file,
                        v.line,
                        v.col,
                        format!("`{}` has a negative amount ({d})", k.name),
                    )
                    .help("amounts and factors cannot be negative"),
                );
            }
            None => {
                ok = false;
                let text = v.as_scalar_text().unwrap_or("");
                let help = if text.matches('.').count() > 1 || text.contains(',') {
                    format!("`{text}` looks like a typo; write a plain number such as 1.05")
                } else {
                    "write a plain number, without quotes or currency".to_string()
                };
                diags.push(
                    Diagnostic::error(
                        Code::WrongType,
                        file,
                        v.line,
                        v.col,
                        format!(
                            "`{}` should be a number, found {}",
                            k.name,
                            v.value.kind_name()
                        ),
                    )
                    .help(help),
                );
            }
        }
    }
    (ok && by.is_some()).then(|| Table {
        by: by.unwrap_or_default().to_string(),
        entries: out,
        line: t.line,
    })
}

fn bonus(file: &str, n: &Node, diags: &mut Vec<Diagnostic>) -> Option<Bonus> {
    let mut f = Fields::new(file, n, diags);
    let pool = non_negative(&mut f, "pool");
    if n.get("pool").is_none() {
        f.missing("pool", "write the amount to share, e.g. `pool: 90000`");
    }
    let split = match f.choice("split", SPLIT).map(|s| s.value).as_deref() {
        Some("equal") => Split::Equal,
        Some("salary") => Split::Salary,
        Some("points") => Split::Points,
        _ => Split::Fte,
    };
    let mut points = Vec::new();
    if let Some(p) = f.node("points") {
        match &p.value {
            Value::Map(entries) => {
                for (k, v) in entries {
                    match parse_decimal(v) {
                        Some(d) if d >= Decimal::ZERO => points.push((k.name.clone(), d)),
                        _ => f.error(
                            Code::InvalidPayRule,
                            v,
                            format!("points for `{}` should be a number of 0 or more", k.name),
                            "write e.g. `L3: 1.5`".into(),
                        ),
                    }
                }
            }
            _ => f.error(
                Code::WrongType,
                p,
                "`points` should be a mapping of level → points".into(),
                "write `points: { L1: 1, L2: 1.2 }`".into(),
            ),
        }
    }
    if split == Split::Points && points.is_empty() {
        let at = n.get("split").unwrap_or(n);
        f.error(
            Code::InvalidPayRule,
            at,
            "`split: points` needs a `points` table".into(),
            "add `points: { L1: 1, L2: 1.2, … }` with every level".into(),
        );
    }
    let (mut min_months, mut as_of) = (0u32, None);
    match f.node("eligible") {
        Some(e) => {
            let mut ef = Fields::new(file, e, f.diags);
            min_months = non_negative(&mut ef, "min_months")
                .map(|m| m.value.trunc().try_into().unwrap_or(0))
                .unwrap_or(0);
            as_of = ef.date("as_of").map(|d| d.value);
            if e.get("as_of").is_none() {
                ef.missing(
                    "as_of",
                    "write the date eligibility is counted on, e.g. `as_of: 2026-12-31`",
                );
            }
            ef.finish();
        }
        None => f.missing(
            "eligible",
            "write `eligible: { min_months: 6, as_of: 2026-12-31 }`",
        ),
    }
    f.finish();
    Some(Bonus {
        pool: pool?.value,
        min_months,
        as_of: as_of?,
        split,
        points,
    })
}

/// Warns when the base table does not grow with the level order.
fn increasing(file: &str, node: &Node, base: &Table, diags: &mut Vec<Diagnostic>) {
    for pair in base.entries.windows(2) {
        if pair[1].1 < pair[0].1 {
            let at = node
                .get("base")
                .and_then(|b| b.get("table"))
                .and_then(|t| t.get(&pair[1].0))
                .unwrap_or(node);
            diags.push(
                Diagnostic::warning(Code::SuspiciousPayRule, file, at.line, at.col, format!("{} ({}) is below {} ({})", pair[1].0, pair[1].1, pair[0].0, pair[0].1))
                    .help("the base table is read in order, lowest level first; check the amounts or the order"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml;

    fn rules(text: &str) -> (Option<PayRules>, Vec<Diagnostic>) {
        let node = yaml::parse(text, 0).unwrap();
        let mut d = Vec::new();
        (parse("pay/rules.yaml", &node, &mut d), d)
    }

    const GOOD: &str = "currency: EUR\nper: month\npublish: individual\nbase:\n  by: level\n  table: { L1: 2800, L2: 3300 }\nmultipliers:\n  - name: Location\n    by: location\n    table: { Ghent: 1.00, Brussels: 1.05 }\nsteps:\n  - name: Seniority\n    since: start\n    percent_per_year: 2\n    max_years: 10\n    as_of: 2026-01-01\nscale_by: fte\nround_to: 1\nbonus:\n  pool: 90000\n  eligible: { min_months: 6, as_of: 2026-12-31 }\n  split: fte\n";

    #[test]
    fn reads_the_content_model_example() {
        let (r, d) = rules(GOOD);
        assert!(d.is_empty(), "{d:?}");
        let r = r.unwrap();
        assert_eq!(r.base.get("L2"), Some(Decimal::new(3300, 0)));
        assert_eq!(
            r.multipliers[0].table.get("Brussels"),
            Some(Decimal::new(105, 2))
        );
        assert_eq!(r.steps[0].max_years, 10);
        assert_eq!(r.bonus.unwrap().split, Split::Fte);
    }

    #[test]
    fn reports_each_problem_at_its_line() {
        let bad = GOOD
            .replace("per: month", "per: week")
            .replace("L2: 3300", "L2: 2000")
            .replace("split: fte", "split: points")
            .replace("1.00", "\"0.0.5\"");
        let (_, d) = rules(&bad);
        let codes: Vec<_> = d.iter().map(|x| (x.code.id().0, x.line)).collect();
        assert!(codes.contains(&("E005", 2)), "{codes:?}");
        assert!(
            codes.contains(&("W105", 6)),
            "base not increasing: {codes:?}"
        );
        assert!(codes.contains(&("E004", 10)), "{codes:?}");
        assert!(
            codes.contains(&("E021", 22)),
            "points without a table: {codes:?}"
        );
        assert!(
            d.iter()
                .any(|x| x.help.as_deref().is_some_and(|h| h.contains("0.0.5"))),
            "{d:?}"
        );
        let (r, d) = rules(&GOOD.replace("Brussels: 1.05", "Brussels: 105"));
        assert!(r.is_some(), "a suspicious multiplier is a warning");
        assert_eq!((d[0].code.id().0, d[0].line), ("W105", 10));
    }
}
