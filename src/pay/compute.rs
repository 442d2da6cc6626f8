//! One person's pay, step by step, with exact decimals. Every step keeps the
//! rule it came from, so the site can show the computation as lines a person
//! can follow with a pencil.

use std::collections::BTreeMap;

use chrono::Datelike;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::rules::{PayRules, Per};
use crate::model::documents::Date;

/// The profile fields pay depends on, as text (`level: L3`, `fte: 0.8`).
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub handle: String,
    pub name: String,
    pub fields: BTreeMap<String, String>,
}

impl Profile {
    fn date(&self, field: &str) -> Option<Date> {
        self.fields
            .get(field)
            .and_then(|s| Date::parse_from_str(s, "%Y-%m-%d").ok())
    }
}

/// One line of a breakdown: `× Location Brussels 1.05 = 4 095.00`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// What the step is: `Base for level L3`, `Location Brussels`, `Seniority`.
    pub label: String,
    /// The operation, as text with exact numbers: `× 1.05`, `4 years × 2 % = +8 %`.
    pub operation: String,
    /// The amount after this step, exact.
    pub value: Decimal,
    /// The same step as data, for pages that word it in their own language.
    pub step: StepInfo,
}

/// What a line of a breakdown did, as data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum StepInfo {
    Base {
        field: String,
        key: String,
    },
    Multiplier {
        name: String,
        key: String,
        factor: Decimal,
    },
    Years {
        name: String,
        years: u32,
        counted: u32,
        max_years: u32,
        percent_per_year: Decimal,
        percent: Decimal,
    },
    Scale {
        field: String,
        factor: Decimal,
    },
}

/// Pay of one person, with how it was computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    pub lines: Vec<Line>,
    /// Before rounding.
    pub exact: Decimal,
    /// Rounded to `round_to`: the pay, per `per` of the rules.
    pub amount: Decimal,
    pub monthly: Decimal,
    pub yearly: Decimal,
}

/// Why no pay could be computed for a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
pub enum PayProblem {
    #[error("no `{0}` in the profile")]
    MissingField(String),
    #[error("`{value}` is not in the {table} table (`{field}`)")]
    UnknownKey {
        table: String,
        field: String,
        value: String,
    },
    #[error("`{field}: {value}` is not a date")]
    BadDate { field: String, value: String },
    #[error("`{field}: {value}` is not a number")]
    BadNumber { field: String, value: String },
}

/// Whole years from `since` to `as_of` (0 when `since` is later).
pub fn whole_years(since: Date, as_of: Date) -> u32 {
    if since > as_of {
        return 0;
    }
    let mut years = as_of.year() - since.year();
    if (as_of.month(), as_of.day()) < (since.month(), since.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// Whole months from `since` to `as_of` (0 when `since` is later).
pub fn whole_months(since: Date, as_of: Date) -> u32 {
    if since > as_of {
        return 0;
    }
    let mut months =
        (as_of.year() - since.year()) * 12 + as_of.month() as i32 - since.month() as i32;
    if as_of.day() < since.day() {
        months -= 1;
    }
    months.max(0) as u32
}

/// Rounds half away from zero to a multiple of `unit` (`round_to`).
pub fn round_to(value: Decimal, unit: Decimal) -> Decimal {
    ((value / unit).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero) * unit)
        .normalize()
}

/// Text of a decimal as written in a breakdown: at least two decimals.
pub fn plain(d: Decimal) -> String {
    let mut d = d.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

/// Text of a factor or percentage: as short as exact (`1.05`, `0.8`, `2`).
pub fn short(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Computes the pay of one person.
pub fn compute(rules: &PayRules, p: &Profile) -> Result<Breakdown, PayProblem> {
    let field = |name: &str| {
        p.fields
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    };
    let key =
        field(&rules.base.by).ok_or_else(|| PayProblem::MissingField(rules.base.by.clone()))?;
    let base = rules.base.get(key).ok_or_else(|| PayProblem::UnknownKey {
        table: "base".into(),
        field: rules.base.by.clone(),
        value: key.into(),
    })?;
    let mut lines = vec![Line {
        label: format!("Base for {} {key}", rules.base.by),
        operation: String::new(),
        value: base,
        step: StepInfo::Base {
            field: rules.base.by.clone(),
            key: key.to_string(),
        },
    }];
    let mut value = base;
    for m in &rules.multipliers {
        let k = field(&m.table.by).ok_or_else(|| PayProblem::MissingField(m.table.by.clone()))?;
        let factor = m.table.get(k).ok_or_else(|| PayProblem::UnknownKey {
            table: m.name.clone(),
            field: m.table.by.clone(),
            value: k.into(),
        })?;
        value *= factor;
        // The factor as written in the rules (`1.10`), so it can be found there.
        lines.push(Line {
            label: format!("{} {k}", m.name),
            operation: format!("× {factor}"),
            value,
            step: StepInfo::Multiplier {
                name: m.name.clone(),
                key: k.to_string(),
                factor,
            },
        });
    }
    for s in &rules.steps {
        let text = field(&s.since).ok_or_else(|| PayProblem::MissingField(s.since.clone()))?;
        let since = p.date(&s.since).ok_or_else(|| PayProblem::BadDate {
            field: s.since.clone(),
            value: text.into(),
        })?;
        let years = whole_years(since, s.as_of);
        let counted = years.min(s.max_years);
        let pct = s.percent_per_year * Decimal::from(counted);
        value *= Decimal::ONE + pct / Decimal::ONE_HUNDRED;
        let capped = if counted < years {
            format!(" (at most {})", s.max_years)
        } else {
            String::new()
        };
        lines.push(Line {
            label: s.name.clone(),
            operation: format!(
                "{counted} years{capped} × {} % = +{} %",
                short(s.percent_per_year),
                short(pct)
            ),
            value,
            step: StepInfo::Years {
                name: s.name.clone(),
                years,
                counted,
                max_years: s.max_years,
                percent_per_year: s.percent_per_year,
                percent: pct,
            },
        });
    }
    if let Some(scale) = &rules.scale_by {
        let factor = match field(scale) {
            Some(t) => t.parse::<Decimal>().map_err(|_| PayProblem::BadNumber {
                field: scale.clone(),
                value: t.into(),
            })?,
            None => Decimal::ONE,
        };
        value *= factor;
        lines.push(Line {
            label: scale.to_uppercase(),
            operation: format!("× {}", short(factor)),
            value,
            step: StepInfo::Scale {
                field: scale.clone(),
                factor,
            },
        });
    }
    let amount = round_to(value, rules.round_to);
    let cents = rules.unit().scale();
    let (monthly, yearly) = match rules.per {
        Per::Month => (amount, amount * Decimal::from(12)),
        Per::Year => (
            (amount / Decimal::from(12))
                .round_dp_with_strategy(cents, RoundingStrategy::MidpointAwayFromZero),
            amount,
        ),
    };
    Ok(Breakdown {
        lines,
        exact: value,
        amount,
        monthly: monthly.normalize(),
        yearly: yearly.normalize(),
    })
}

impl Breakdown {
    /// One line of text, as `pay explain` prints and the issue describes:
    /// `Base for level L3: 3900.00 → × Location Brussels 1.05 = 4095.00 → …`.
    pub fn explain(&self, rules: &PayRules) -> String {
        let mut parts = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            if i == 0 {
                parts.push(format!("{}: {}", l.label, plain(l.value)));
            } else if l.operation.starts_with('×') {
                parts.push(format!(
                    "{} {} {} = {}",
                    "×",
                    l.label,
                    l.operation.trim_start_matches("× "),
                    plain(l.value)
                ));
            } else {
                parts.push(format!("{} {} → {}", l.label, l.operation, plain(l.value)));
            }
        }
        parts.push(format!(
            "rounded to {}: {}",
            short(rules.round_to),
            plain_rounded(self.amount, rules.round_to)
        ));
        parts.join(" → ")
    }
}

/// The rounded amount with as many decimals as `round_to` has.
pub fn plain_rounded(d: Decimal, round_to: Decimal) -> String {
    let mut d = d;
    d.rescale(round_to.normalize().scale());
    d.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pay::rules::*;

    pub fn sample() -> PayRules {
        PayRules {
            currency: "EUR".into(),
            per: Per::Month,
            publish: Publish::Individual,
            base: Table {
                by: "level".into(),
                entries: vec![
                    ("L1".into(), Decimal::new(2800, 0)),
                    ("L3".into(), Decimal::new(3900, 0)),
                ],
                line: 1,
            },
            multipliers: vec![Multiplier {
                name: "Location".into(),
                table: Table {
                    by: "location".into(),
                    entries: vec![
                        ("Ghent".into(), Decimal::ONE),
                        ("Brussels".into(), Decimal::new(105, 2)),
                    ],
                    line: 2,
                },
            }],
            steps: vec![Step {
                name: "Seniority".into(),
                since: "start".into(),
                percent_per_year: Decimal::TWO,
                max_years: 10,
                as_of: Date::from_ymd_opt(2026, 1, 1).unwrap(),
            }],
            scale_by: Some("fte".into()),
            round_to: Decimal::ONE,
            bonus: None,
        }
    }

    fn person(level: &str, location: &str, start: &str, fte: &str) -> Profile {
        let mut fields = BTreeMap::new();
        for (k, v) in [
            ("level", level),
            ("location", location),
            ("start", start),
            ("fte", fte),
        ] {
            fields.insert(k.to_string(), v.to_string());
        }
        Profile {
            handle: "x".into(),
            name: "X".into(),
            fields,
        }
    }

    #[test]
    fn the_issue_example_step_by_step() {
        let r = sample();
        let b = compute(&r, &person("L3", "Brussels", "2021-06-01", "0.8")).unwrap();
        let values: Vec<String> = b.lines.iter().map(|l| plain(l.value)).collect();
        assert_eq!(values, ["3900.00", "4095.00", "4422.60", "3538.08"]);
        assert_eq!(b.amount, Decimal::new(3538, 0));
        assert_eq!(b.yearly, Decimal::new(42456, 0));
        assert_eq!(
            b.explain(&r),
            "Base for level L3: 3900.00 → × Location Brussels 1.05 = 4095.00 → Seniority 4 years × 2 % = +8 % → 4422.60 → × FTE 0.8 = 3538.08 → rounded to 1: 3538"
        );
    }

    #[test]
    fn seniority_counts_whole_years_and_is_capped() {
        let d = |s| Date::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(whole_years(d("2021-01-01"), d("2026-01-01")), 5);
        assert_eq!(whole_years(d("2021-01-02"), d("2026-01-01")), 4);
        assert_eq!(whole_years(d("2027-01-01"), d("2026-01-01")), 0);
        let b = compute(&sample(), &person("L1", "Ghent", "2001-01-01", "1")).unwrap();
        assert_eq!(
            b.exact,
            Decimal::new(3360, 0),
            "2800 × 1.20, capped at 10 years"
        );
        assert!(b.lines[2].operation.contains("at most 10"));
    }

    #[test]
    fn whole_months_for_eligibility() {
        let d = |s| Date::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(whole_months(d("2026-06-30"), d("2026-12-31")), 6);
        assert_eq!(whole_months(d("2026-07-01"), d("2026-12-31")), 5);
        assert_eq!(whole_months(d("2026-07-31"), d("2026-12-30")), 4);
    }

    #[test]
    fn rounding_is_half_away_from_zero_to_the_unit() {
        assert_eq!(
            round_to(Decimal::new(35385, 1), Decimal::ONE),
            Decimal::new(3539, 0)
        );
        assert_eq!(
            round_to(Decimal::new(35384, 1), Decimal::ONE),
            Decimal::new(3538, 0)
        );
        assert_eq!(
            round_to(Decimal::new(123456, 3), Decimal::new(1, 2)),
            Decimal::new(12346, 2)
        );
        assert_eq!(
            round_to(Decimal::new(1237, 0), Decimal::new(5, 0)),
            Decimal::new(1235, 0)
        );
        assert_eq!(
            round_to(Decimal::new(12375, 1), Decimal::new(5, 0)),
            Decimal::new(1240, 0)
        );
    }

    #[test]
    fn problems_name_the_field() {
        let r = sample();
        assert_eq!(
            compute(&r, &person("L9", "Ghent", "2020-01-01", "1")),
            Err(PayProblem::UnknownKey {
                table: "base".into(),
                field: "level".into(),
                value: "L9".into()
            })
        );
        let mut p = person("L1", "Ghent", "2020-01-01", "1");
        p.fields.remove("location");
        assert_eq!(
            compute(&r, &p),
            Err(PayProblem::MissingField("location".into()))
        );
    }

    #[test]
    fn yearly_rules_give_a_monthly_figure_to_the_cent() {
        let mut r = sample();
        r.per = Per::Year;
        r.base.entries[0].1 = Decimal::new(40001, 0);
        r.steps.clear();
        let b = compute(&r, &person("L1", "Ghent", "2020-01-01", "1")).unwrap();
        assert_eq!(b.yearly, Decimal::new(40001, 0));
        assert_eq!(b.monthly, Decimal::new(333342, 2));
    }
}
