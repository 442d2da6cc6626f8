//! The collective bonus: who is eligible, each person's weight, and shares
//! that add up to the pool exactly, to the smallest unit of the currency.
//!
//! Shares are computed with the largest-remainder method: every exact share
//! is rounded down to the unit, and the units left over are given one each
//! to the largest remainders; equal remainders go in order of handle (a–z).

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::compute::whole_months;
use super::rules::{Bonus, Split};
use crate::model::documents::Date;

/// What the split needs to know of one person.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub handle: String,
    pub start: Option<Date>,
    /// The person's weight under the rule's split, or why there is none.
    pub weight: Result<Decimal, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    pub handle: String,
    pub weight: Decimal,
    /// pool × weight / total weight, before rounding (28 significant digits).
    pub exact: Decimal,
    /// The exact share rounded down to the unit.
    pub floor: Decimal,
    /// 0 or one unit from the remainder.
    pub extra: Decimal,
    pub share: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ineligible {
    pub handle: String,
    /// In English, for the command line.
    pub reason: String,
    /// The same as data, for pages in any language.
    pub why: Why,
}

/// Why someone has no bonus share.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Why {
    NoStart,
    StartsAfter { as_of: Date },
    TooFewMonths { months: u32, min: u32, as_of: Date },
    NoWeight,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BonusSplit {
    pub pool: Decimal,
    pub unit: Decimal,
    pub split: Split,
    pub total_weight: Decimal,
    pub shares: Vec<Share>,
    pub ineligible: Vec<Ineligible>,
    /// How many units were left after rounding down, given out by remainder.
    pub remainder_units: u64,
}

impl BonusSplit {
    /// The share of `handle`, when they have one (shares are sorted by handle).
    pub fn share_of(&self, handle: &str) -> Option<&Share> {
        let i = self
            .shares
            .binary_search_by(|s| s.handle.as_str().cmp(handle))
            .ok()?;
        self.shares.get(i)
    }

    /// Why `handle` has no share, when they are left out (sorted by handle).
    pub fn ineligible_of(&self, handle: &str) -> Option<&Ineligible> {
        let i = self
            .ineligible
            .binary_search_by(|x| x.handle.as_str().cmp(handle))
            .ok()?;
        self.ineligible.get(i)
    }
}

/// The rule for ties, as the pay page states it.
pub const TIE_RULE: &str = "Each share is first rounded down to the smallest unit; the units left over go one each to the largest remainders, and equal remainders go in alphabetical order of handle.";

/// Shares `bonus.pool` among `people`.
pub fn split(bonus: &Bonus, unit: Decimal, people: &[Candidate]) -> BonusSplit {
    let mut eligible: Vec<(&str, Decimal)> = Vec::new();
    let mut ineligible = Vec::new();
    for p in people {
        let months = match p.start {
            None => Err(("no start date in the profile".to_string(), Why::NoStart)),
            Some(s) if s > bonus.as_of => Err((
                format!("starts after {}", bonus.as_of),
                Why::StartsAfter { as_of: bonus.as_of },
            )),
            Some(s) => {
                let m = whole_months(s, bonus.as_of);
                if m < bonus.min_months {
                    Err((
                        format!(
                            "{m} months on {}, fewer than {}",
                            bonus.as_of, bonus.min_months
                        ),
                        Why::TooFewMonths {
                            months: m,
                            min: bonus.min_months,
                            as_of: bonus.as_of,
                        },
                    ))
                } else {
                    Ok(m)
                }
            }
        };
        match (months, &p.weight) {
            (Err((reason, why)), _) => ineligible.push(Ineligible {
                handle: p.handle.clone(),
                reason,
                why,
            }),
            (Ok(_), Err(reason)) => ineligible.push(Ineligible {
                handle: p.handle.clone(),
                reason: reason.clone(),
                why: Why::NoWeight,
            }),
            (Ok(_), Ok(w)) => eligible.push((p.handle.as_str(), *w)),
        }
    }
    eligible.sort_by(|a, b| a.0.cmp(b.0));
    let total: Decimal = eligible.iter().map(|(_, w)| *w).sum();
    let mut shares: Vec<Share> = eligible
        .iter()
        .map(|(h, w)| {
            let exact = if total.is_zero() {
                Decimal::ZERO
            } else {
                (bonus.pool * *w / total).round_dp(20)
            };
            let floor = ((exact / unit).floor() * unit).normalize();
            Share {
                handle: h.to_string(),
                weight: *w,
                exact,
                floor,
                extra: Decimal::ZERO,
                share: floor,
            }
        })
        .collect();
    let floors: Decimal = shares.iter().map(|s| s.floor).sum();
    let units = if total.is_zero() {
        Decimal::ZERO
    } else {
        ((bonus.pool - floors) / unit).round_dp_with_strategy(0, RoundingStrategy::ToZero)
    };
    let remainder_units: u64 = units.try_into().unwrap_or(0);
    let mut order: Vec<usize> = (0..shares.len())
        .filter(|&i| !shares[i].weight.is_zero())
        .collect();
    order.sort_by(|&a, &b| {
        let ra = shares[a].exact - shares[a].floor;
        let rb = shares[b].exact - shares[b].floor;
        rb.cmp(&ra)
            .then_with(|| shares[a].handle.cmp(&shares[b].handle))
    });
    if !order.is_empty() {
        for k in 0..remainder_units as usize {
            let i = order[k % order.len()];
            shares[i].extra += unit;
        }
    }
    for s in &mut shares {
        s.share = (s.floor + s.extra).normalize();
        s.extra = s.extra.normalize();
    }
    ineligible.sort_by(|a, b| a.handle.cmp(&b.handle));
    BonusSplit {
        pool: bonus.pool,
        unit,
        split: bonus.split,
        total_weight: total,
        shares,
        ineligible,
        remainder_units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bonus(pool: i64) -> Bonus {
        Bonus {
            pool: Decimal::new(pool, 0),
            min_months: 6,
            as_of: Date::from_ymd_opt(2026, 12, 31).unwrap(),
            split: Split::Fte,
            points: vec![],
        }
    }

    fn cand(h: &str, start: &str, w: Decimal) -> Candidate {
        Candidate {
            handle: h.into(),
            start: Date::parse_from_str(start, "%Y-%m-%d").ok(),
            weight: Ok(w),
        }
    }

    #[test]
    fn thirds_add_up_and_ties_go_by_handle() {
        let people = [
            cand("carol", "2020-01-01", Decimal::ONE),
            cand("alice", "2020-01-01", Decimal::ONE),
            cand("bob", "2020-01-01", Decimal::ONE),
        ];
        let s = split(&bonus(100), Decimal::new(1, 2), &people);
        let got: Vec<(String, String)> = s
            .shares
            .iter()
            .map(|x| (x.handle.clone(), x.share.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("alice".into(), "33.34".into()),
                ("bob".into(), "33.33".into()),
                ("carol".into(), "33.33".into())
            ]
        );
        assert_eq!(s.remainder_units, 1);
    }

    #[test]
    fn ineligible_people_are_listed_with_the_reason() {
        let people = [
            cand("alice", "2020-01-01", Decimal::ONE),
            cand("new", "2026-09-01", Decimal::ONE),
            Candidate {
                handle: "nostart".into(),
                start: None,
                weight: Ok(Decimal::ONE),
            },
        ];
        let s = split(&bonus(1000), Decimal::new(1, 2), &people);
        assert_eq!(s.shares.len(), 1);
        assert_eq!(s.shares[0].share, Decimal::new(1000, 0));
        assert_eq!(s.ineligible.len(), 2);
        assert!(
            s.ineligible[0].reason.contains("3 months"),
            "{:?}",
            s.ineligible
        );
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Shares add up to the pool to the cent, are never negative, and are
        /// each within one unit of the exact share.
        #[test]
        fn shares_add_up_to_the_pool(pool_cents in 0i64..1_000_000_000, weights in proptest::collection::vec(0u32..5000, 1..60), split_equal in any::<bool>()) {
            let bonus = Bonus { pool: Decimal::new(pool_cents, 2), min_months: 0, as_of: Date::from_ymd_opt(2026, 12, 31).unwrap(), split: if split_equal { Split::Equal } else { Split::Fte }, points: vec![] };
            let people: Vec<Candidate> = weights.iter().enumerate().map(|(i, w)| Candidate {
                handle: format!("p{i:03}"),
                start: Date::from_ymd_opt(2020, 1, 1),
                weight: Ok(if split_equal { Decimal::ONE } else { Decimal::new(i64::from(*w), 3) }),
            }).collect();
            let s = split(&bonus, Decimal::new(1, 2), &people);
            let total: Decimal = s.shares.iter().map(|x| x.share).sum();
            if s.total_weight.is_zero() {
                prop_assert!(total.is_zero());
            } else {
                prop_assert_eq!(total, bonus.pool);
            }
            for x in &s.shares {
                prop_assert!(x.share >= Decimal::ZERO);
                prop_assert!((x.share - x.exact).abs() < Decimal::new(1, 2) + Decimal::new(1, 15));
                prop_assert_eq!((x.share / Decimal::new(1, 2)).fract(), Decimal::ZERO);
            }
        }
    }
}
