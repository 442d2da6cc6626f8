//! What changed between two versions of the repository, in the domain's
//! words: goals added, changed, achieved, dropped; feedback received per
//! person; reflections added; and the effect of rule or profile changes on
//! everyone's pay and bonus share. Takes two sets of documents, returns data.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::model::documents::{Documents, Goal};
use crate::pay::PayReport;

#[derive(Debug, Default, Serialize)]
pub struct GoalChange {
    pub id: String,
    pub title: String,
    pub what: String,
}

#[derive(Debug, Default, Serialize)]
pub struct PayChange {
    pub handle: String,
    pub name: String,
    pub old: Option<Decimal>,
    pub new: Option<Decimal>,
    pub old_bonus: Option<Decimal>,
    pub new_bonus: Option<Decimal>,
}

/// The differences, grouped as a reviewer reads them.
#[derive(Debug, Default, Serialize)]
pub struct DomainDiff {
    pub goals_added: Vec<GoalChange>,
    pub goals_achieved: Vec<GoalChange>,
    pub goals_dropped: Vec<GoalChange>,
    pub goals_changed: Vec<GoalChange>,
    pub goals_removed: Vec<GoalChange>,
    /// Recipient handle → feedback ids added.
    pub feedback: BTreeMap<String, Vec<String>>,
    pub reflections_added: Vec<String>,
    pub people_added: Vec<String>,
    pub people_removed: Vec<String>,
    /// Whether `pay/rules.yaml` changed.
    pub rules_changed: bool,
    /// Everyone whose pay or bonus share changed.
    pub pay: Vec<PayChange>,
    pub currency: String,
}

impl DomainDiff {
    pub fn is_empty(&self) -> bool {
        self.goals_added.is_empty()
            && self.goals_achieved.is_empty()
            && self.goals_dropped.is_empty()
            && self.goals_changed.is_empty()
            && self.goals_removed.is_empty()
            && self.feedback.is_empty()
            && self.reflections_added.is_empty()
            && self.people_added.is_empty()
            && self.people_removed.is_empty()
            && self.pay.is_empty()
    }
}

fn goals(d: &Documents) -> HashMap<&str, &Goal> {
    d.goals
        .iter()
        .chain(&d.team_goals)
        .map(|g| (g.meta.id.as_str(), g))
        .collect()
}

/// Compares two versions; `old_pay`/`new_pay` are the pay reports of each,
/// when they have pay rules.
pub fn compare(
    old: &Documents,
    new: &Documents,
    old_pay: Option<&PayReport>,
    new_pay: Option<&PayReport>,
    rules_changed: bool,
) -> DomainDiff {
    let mut d = DomainDiff {
        rules_changed,
        ..DomainDiff::default()
    };
    let (og, ng) = (goals(old), goals(new));
    let mut ids: Vec<&str> = ng.keys().copied().collect();
    ids.sort();
    for id in ids {
        let g = ng[id];
        let change = |what: String| GoalChange {
            id: id.to_string(),
            title: g.title.clone(),
            what,
        };
        match og.get(id) {
            None => d.goals_added.push(change(g.status.clone())),
            Some(o) => {
                if o.status != g.status && g.status == "achieved" {
                    d.goals_achieved
                        .push(change(format!("{} → achieved", o.status)));
                } else if o.status != g.status && g.status == "dropped" {
                    d.goals_dropped
                        .push(change(format!("{} → dropped", o.status)));
                } else {
                    let mut what = Vec::new();
                    if o.status != g.status {
                        what.push(format!("status {} → {}", o.status, g.status));
                    }
                    let (op, np) = (
                        o.progress.as_ref().map(|p| p.value),
                        g.progress.as_ref().map(|p| p.value),
                    );
                    if op != np {
                        what.push(format!(
                            "progress {} → {}",
                            op.map_or("—".into(), |p| format!("{p}%")),
                            np.map_or("—".into(), |p| format!("{p}%"))
                        ));
                    }
                    if o.due != g.due {
                        what.push(format!(
                            "due {} → {}",
                            o.due.map_or("—".into(), |x| x.to_string()),
                            g.due.map_or("—".into(), |x| x.to_string())
                        ));
                    }
                    if o.title != g.title {
                        what.push(format!("title “{}” → “{}”", o.title, g.title));
                    }
                    if o.supports.as_ref().map(|s| &s.value)
                        != g.supports.as_ref().map(|s| &s.value)
                    {
                        what.push("supports another goal".into());
                    }
                    if !what.is_empty() {
                        d.goals_changed.push(change(what.join(", ")));
                    }
                }
            }
        }
    }
    let mut removed: Vec<&&Goal> = og
        .iter()
        .filter(|(id, _)| !ng.contains_key(*id))
        .map(|(_, g)| g)
        .collect();
    removed.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    for g in removed {
        d.goals_removed.push(GoalChange {
            id: g.meta.id.clone(),
            title: g.title.clone(),
            what: "removed".into(),
        });
    }
    let old_fb: std::collections::HashSet<&str> =
        old.feedback.iter().map(|f| f.meta.id.as_str()).collect();
    for f in &new.feedback {
        if !old_fb.contains(f.meta.id.as_str()) {
            d.feedback
                .entry(f.to.clone())
                .or_default()
                .push(f.meta.id.clone());
        }
    }
    let old_refl: std::collections::HashSet<&str> =
        old.reflections.iter().map(|r| r.meta.id.as_str()).collect();
    d.reflections_added = new
        .reflections
        .iter()
        .filter(|r| !old_refl.contains(r.meta.id.as_str()))
        .map(|r| r.meta.id.clone())
        .collect();
    let old_people: std::collections::HashSet<&str> =
        old.people.iter().map(|p| p.handle.as_str()).collect();
    let new_people: std::collections::HashSet<&str> =
        new.people.iter().map(|p| p.handle.as_str()).collect();
    d.people_added = new
        .people
        .iter()
        .filter(|p| !old_people.contains(p.handle.as_str()))
        .map(|p| p.handle.clone())
        .collect();
    d.people_removed = old
        .people
        .iter()
        .filter(|p| !new_people.contains(p.handle.as_str()))
        .map(|p| p.handle.clone())
        .collect();

    let amount = |r: Option<&PayReport>, h: &str| {
        r.and_then(|r| r.people.get(h))
            .and_then(|x| x.as_ref().ok())
            .map(|b| b.monthly)
    };
    let share = |r: Option<&PayReport>, h: &str| r.and_then(|r| r.share_of(h)).map(|s| s.share);
    let mut handles: Vec<&str> = old_people.union(&new_people).copied().collect();
    handles.sort();
    let names: HashMap<&str, &str> = old
        .people
        .iter()
        .chain(&new.people)
        .map(|p| (p.handle.as_str(), p.name.as_str()))
        .collect();
    for h in handles {
        let c = PayChange {
            handle: h.to_string(),
            name: names.get(h).copied().unwrap_or(h).to_string(),
            old: amount(old_pay, h),
            new: amount(new_pay, h),
            old_bonus: share(old_pay, h),
            new_bonus: share(new_pay, h),
        };
        if c.old != c.new || c.old_bonus != c.new_bonus {
            d.pay.push(c);
        }
    }
    d.currency = new_pay
        .or(old_pay)
        .map(|r| r.rules.currency.clone())
        .unwrap_or_default();
    d
}
