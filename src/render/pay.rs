//! Views of pay for the templates: the rules as tables, everyone's pay (when
//! published), statistics, a person's breakdown, the level ladder, and the
//! JSON the calculator reads. All amounts are formatted here, per language.

use rust_decimal::Decimal;
use serde_json::{Value as Json, json};

use super::views::Views;
use crate::pay::compute::{plain, short};
use crate::pay::format::{money, number};
use crate::pay::rules::{PayRules, Per, Publish, Split};
use crate::pay::{PayReport, bonus::TIE_RULE};

/// Groups smaller than this never get an aggregate of their own when only
/// the rules are published, so no individual amount can be inferred.
pub const MIN_GROUP: usize = 5;

/// Where the pay numbers come from, so a printed page can be traced back.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Version {
    /// First 12 hex digits of the SHA-256 of `pay/rules.yaml`.
    pub hash: String,
    /// The git commit the site was built from, when known.
    pub commit: Option<String>,
}

impl Views<'_> {
    fn money(&self, rules: &PayRules, d: Decimal) -> String {
        money(d, &rules.currency, rules.unit(), &self.words.language)
    }

    /// The rules as readable tables.
    pub fn pay_rules(&self, report: &PayReport) -> Json {
        let r = &report.rules;
        let w = self.words;
        let base: Vec<Json> = r
            .base
            .entries
            .iter()
            .map(|(k, v)| {
                let url = self
                    .org
                    .index
                    .levels
                    .get(k)
                    .map(|&i| self.url(&self.org.docs.levels[i].meta.id));
                json!({"key": k, "amount": self.money(r, *v), "url": url})
            })
            .collect();
        let multipliers: Vec<Json> = r
            .multipliers
            .iter()
            .map(|m| json!({"name": m.name, "by": m.table.by, "rows": m.table.entries.iter().map(|(k, v)| json!({"key": k, "factor": number(*v, v.scale(), &w.language)})).collect::<Vec<_>>()}))
            .collect();
        let steps: Vec<Json> = r
            .steps
            .iter()
            .map(|s| json!({"name": s.name, "since": s.since, "percent": short(s.percent_per_year), "max_years": s.max_years, "as_of": self.date(Some(s.as_of))}))
            .collect();
        let bonus = r.bonus.as_ref().map(|b| {
            json!({
                "pool": self.money(r, b.pool),
                "min_months": b.min_months,
                "as_of": self.date(Some(b.as_of)),
                "split": w.get(&format!("pay.split_{}", split_name(b.split))),
                "split_key": split_name(b.split),
                "points": b.points.iter().map(|(k, v)| json!({"key": k, "points": short(*v)})).collect::<Vec<_>>(),
                "tie_rule": TIE_RULE,
            })
        });
        json!({
            "currency": r.currency,
            "per": w.get(if r.per == Per::Month { "pay.per_month" } else { "pay.per_year" }),
            "individual": r.publish == Publish::Individual,
            "base_by": r.base.by,
            "base": base,
            "multipliers": multipliers,
            "steps": steps,
            "scale_by": r.scale_by,
            "round_to": short(r.round_to),
            "bonus": bonus,
        })
    }

    /// Everyone's pay and bonus share (only when individual pay is published),
    /// with totals; and statistics per level (groups of at least five when
    /// only the rules are published).
    pub fn pay_table(&self, report: &PayReport) -> Json {
        let r = &report.rules;
        let individual = r.publish == Publish::Individual;
        let mut rows = Vec::new();
        let mut problems = Vec::new();
        let mut by_level: std::collections::BTreeMap<String, Vec<Decimal>> = Default::default();
        let (mut sum_month, mut sum_year, mut sum_bonus) =
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for p in &self.org.docs.people {
            let Some(result) = report.people.get(&p.handle) else {
                continue;
            };
            match result {
                Ok(b) => {
                    let level = p
                        .fields
                        .get(&r.base.by)
                        .map(|v| v.value.clone())
                        .unwrap_or_default();
                    // Statistics compare full-time pay, so part-time work does not read as lower pay.
                    let mut full_time = crate::pay::profile(p);
                    if let Some(scale) = &r.scale_by {
                        full_time.fields.insert(scale.clone(), "1".into());
                    }
                    let fte_pay = crate::pay::compute::compute(r, &full_time)
                        .map(|x| x.monthly)
                        .unwrap_or(b.monthly);
                    by_level.entry(level.clone()).or_default().push(fte_pay);
                    sum_month += b.monthly;
                    sum_year += b.yearly;
                    let share = report.share_of(&p.handle).map(|s| s.share);
                    sum_bonus += share.unwrap_or_default();
                    rows.push(json!({
                        "person": self.person_link(&p.handle),
                        "level": level,
                        "fte": p.fte.as_ref().map(|f| short(f.value)),
                        "monthly": self.money(r, b.monthly),
                        "yearly": self.money(r, b.yearly),
                        "bonus": share.map(|s| self.money(r, s)),
                        "breakdown": format!("{}#pay", self.url(&p.meta.id)),
                    }));
                }
                Err(e) => problems
                    .push(json!({"person": self.person_link(&p.handle), "problem": e.to_string()})),
            }
        }
        let order: Vec<&str> = r.base.keys().collect();
        let chart = individual.then(|| {
            let bands: Vec<(String, Decimal, Decimal, Vec<Decimal>)> = r
                .base
                .entries
                .iter()
                .map(|(level, base)| {
                    let (lo, hi) = self.band(r, *base);
                    (
                        level.clone(),
                        lo,
                        hi,
                        by_level.get(level).cloned().unwrap_or_default(),
                    )
                })
                .collect();
            self.band_chart(&bands)
        });
        let mut stats: Vec<(usize, Json)> = by_level
            .into_iter()
            .filter(|(_, v)| individual || v.len() >= MIN_GROUP)
            .map(|(level, mut v)| {
                v.sort();
                let n = v.len();
                let pos = order.iter().position(|k| *k == level).unwrap_or(usize::MAX);
                if !individual {
                    // Only an average: a median or an extreme of a group is one person's pay.
                    let mean = v.iter().copied().sum::<Decimal>() / Decimal::from(n);
                    return (pos, json!({"level": level, "count": n, "mean": self.money(r, mean)}));
                }
                let median = if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / Decimal::TWO };
                (pos, json!({"level": level, "count": n, "median": self.money(r, median), "min": self.money(r, v[0]), "max": self.money(r, v[n - 1])}))
            })
            .collect();
        stats.sort_by_key(|(pos, _)| *pos);
        let bonus = report.bonus.as_ref().map(|b| {
            json!({
                "total": self.money(r, b.shares.iter().map(|s| s.share).sum()),
                "pool": self.money(r, b.pool),
                "adds_up": b.shares.iter().map(|s| s.share).sum::<Decimal>() == b.pool || b.shares.is_empty(),
                "eligible": b.shares.len(),
                "ineligible": b.ineligible.iter().filter(|i| self.org.person(&i.handle).is_some()).map(|i| json!({"person": self.person_link(&i.handle), "reason": self.why(i)})).collect::<Vec<_>>(),
            })
        });
        json!({
            "individual": individual,
            "rows": if individual { rows } else { Vec::new() },
            "problems": if individual { problems } else { Vec::new() },
            "totals": if individual { json!({"monthly": self.money(r, sum_month), "yearly": self.money(r, sum_year), "bonus": self.money(r, sum_bonus)}) } else { Json::Null },
            "stats": stats.into_iter().map(|(_, s)| s).collect::<Vec<_>>(),
            "chart": chart,
            "min_group": MIN_GROUP,
            "bonus": bonus,
        })
    }

    /// One person's breakdown for their portfolio, when individual pay is published.
    pub fn pay_breakdown(&self, report: &PayReport, handle: &str) -> Json {
        let r = &report.rules;
        if r.publish != Publish::Individual {
            return Json::Null;
        }
        let Some(result) = report.people.get(handle) else {
            return Json::Null;
        };
        let bonus = report.bonus.as_ref().map(|b| match b.share_of(handle) {
            Some(s) => json!({
                "share": self.money(r, s.share),
                "formula": format!(
                    "{} × {} / {} = {} → {} {}{}",
                    plain(b.pool),
                    short(s.weight),
                    short(b.total_weight),
                    s.exact.round_dp(6).normalize(),
                    plain(s.floor),
                    if s.extra.is_zero() { String::new() } else { format!("+ {} ", plain(s.extra)) },
                    format!("= {}", plain(s.share)),
                ),
                "weight": short(s.weight),
            }),
            None => json!({
                "reason": b.ineligible_of(handle).map(|i| self.why(i)).unwrap_or_default(),
            }),
        });
        match result {
            Ok(b) => json!({
                "lines": b.lines.iter().map(|l| self.pay_line(l)).collect::<Vec<_>>(),
                "round_to": short(r.round_to),
                "amount": self.money(r, b.amount),
                "monthly": self.money(r, b.monthly),
                "yearly": self.money(r, b.yearly),
                "per": self.words.get(if r.per == Per::Month { "pay.per_month" } else { "pay.per_year" }),
                "bonus": bonus,
            }),
            Err(e) => json!({"problem": e.to_string(), "bonus": bonus}),
        }
    }

    /// Why someone has no bonus share, in the site's language.
    fn why(&self, i: &crate::pay::bonus::Ineligible) -> String {
        use crate::pay::bonus::Why;
        let w = self.words;
        match &i.why {
            Why::NoStart => w.get("pay.why_no_start"),
            Why::StartsAfter { as_of } => w
                .get("pay.why_starts_after")
                .replace("{date}", &w.date(*as_of)),
            Why::TooFewMonths { months, min, as_of } => w
                .get("pay.why_months")
                .replace("{months}", &months.to_string())
                .replace("{min}", &min.to_string())
                .replace("{date}", &w.date(*as_of)),
            Why::NoWeight => i.reason.clone(),
        }
    }

    /// One line of a breakdown in the site's language.
    fn pay_line(&self, l: &crate::pay::compute::Line) -> Json {
        use crate::pay::compute::StepInfo;
        let w = self.words;
        let lang = w.language.as_str();
        let exact = |d: Decimal| number(d, d.scale(), lang);
        let (label, operation) = match &l.step {
            StepInfo::Base { field, key } => (
                w.get("pay.line_base")
                    .replace("{field}", field)
                    .replace("{key}", key),
                String::new(),
            ),
            StepInfo::Multiplier { name, key, factor } => {
                (format!("{name} {key}"), format!("× {}", exact(*factor)))
            }
            StepInfo::Years {
                name,
                years,
                counted,
                max_years,
                percent_per_year,
                percent,
            } => {
                let pattern = if counted < years {
                    w.get("pay.line_years_capped")
                } else {
                    w.get("pay.line_years")
                };
                let op = pattern
                    .replace("{years}", &counted.to_string())
                    .replace("{max}", &max_years.to_string())
                    .replace("{pct}", &exact(percent_per_year.normalize()))
                    .replace("{total}", &exact(percent.normalize()));
                (name.clone(), op)
            }
            StepInfo::Scale { field, factor } => {
                let label = if field == "fte" {
                    w.get("pay.fte")
                } else {
                    field.clone()
                };
                (label, format!("× {}", exact(factor.normalize())))
            }
        };
        let v = l.value.normalize();
        json!({"label": label, "operation": operation, "value": number(v, v.scale().max(2), lang)})
    }

    /// The band of a level: lowest and highest pay a full-time person at that
    /// level can have under the rules (multipliers and steps at their extremes).
    fn band(&self, r: &PayRules, base: Decimal) -> (Decimal, Decimal) {
        let (mut lo, mut hi) = (base, base);
        for m in &r.multipliers {
            let min = m
                .table
                .entries
                .iter()
                .map(|(_, v)| *v)
                .min()
                .unwrap_or(Decimal::ONE);
            let max = m
                .table
                .entries
                .iter()
                .map(|(_, v)| *v)
                .max()
                .unwrap_or(Decimal::ONE);
            lo *= min;
            hi *= max;
        }
        for s in &r.steps {
            let years = if s.max_years == u32::MAX {
                40
            } else {
                s.max_years
            };
            hi *= Decimal::ONE + s.percent_per_year * Decimal::from(years) / Decimal::ONE_HUNDRED;
        }
        (
            crate::pay::compute::round_to(lo, r.round_to),
            crate::pay::compute::round_to(hi, r.round_to),
        )
    }

    /// The ladder of levels in base-table order, with bands and the pages
    /// that compare adjacent levels.
    pub fn ladder(&self, report: Option<&PayReport>) -> Vec<Json> {
        let d = &self.org.docs;
        let keys: Vec<String> = match report {
            Some(rep) => rep.rules.base.keys().map(str::to_string).collect(),
            None => d.levels.iter().map(|l| l.key.clone()).collect(),
        };
        let mut out = Vec::new();
        let mut prev: Option<String> = None;
        for key in keys {
            let level = self.org.index.levels.get(&key).map(|&i| &d.levels[i]);
            let band = report.and_then(|rep| {
                let r = &rep.rules;
                r.base.get(&key).map(|b| {
                    let (lo, hi) = self.band(r, b);
                    json!({"base": self.money(r, b), "min": self.money(r, lo), "max": self.money(r, hi)})
                })
            });
            out.push(json!({
                "key": key,
                "title": level.map_or_else(|| key.clone(), |l| l.title.clone()),
                "summary": level.map(|l| l.summary.clone()),
                "url": level.map(|l| self.url(&l.meta.id)),
                "band": band,
                "from_previous": prev.as_ref().map(|p| format!("{}pay/levels/{p}-to-{key}/", self.base)),
            }));
            prev = Some(key);
        }
        out
    }
}

fn split_name(s: Split) -> &'static str {
    match s {
        Split::Equal => "equal",
        Split::Fte => "fte",
        Split::Salary => "salary",
        Split::Points => "points",
    }
}

/// The rules as the calculator reads them: every number as exact text.
pub fn calculator_json(r: &PayRules) -> String {
    let table = |t: &crate::pay::rules::Table| json!({"by": t.by, "entries": t.entries.iter().map(|(k, v)| json!([k, v.normalize().to_string()])).collect::<Vec<_>>()});
    let j = json!({
        "currency": r.currency,
        "per": if r.per == Per::Month { "month" } else { "year" },
        "unit": r.unit().normalize().to_string(),
        "base": table(&r.base),
        "multipliers": r.multipliers.iter().map(|m| json!({"name": m.name, "table": table(&m.table)})).collect::<Vec<_>>(),
        "steps": r.steps.iter().map(|s| json!({"name": s.name, "since": s.since, "percent_per_year": s.percent_per_year.normalize().to_string(), "max_years": if s.max_years == u32::MAX { Json::Null } else { json!(s.max_years) }, "as_of": s.as_of.to_string()})).collect::<Vec<_>>(),
        "scale_by": r.scale_by,
        "round_to": r.round_to.normalize().to_string(),
    });
    serde_json::to_string_pretty(&j).unwrap_or_default()
}
