//! Progress roll-up: a goal or objective without an explicit `progress` takes
//! the average progress of the goals that support it (recursively), leaving
//! out dropped goals. Each id is computed once (memoised), so the whole pass
//! is linear in the number of goals.

use super::HashMap;

use super::{DocRef, Org};

pub fn progress(org: &Org) -> HashMap<String, Option<u8>> {
    let mut memo: HashMap<String, Option<u8>> = HashMap::default();
    let ids: Vec<String> = org
        .docs
        .objectives
        .iter()
        .map(|o| o.meta.id.clone())
        .chain(org.docs.team_goals.iter().map(|g| g.meta.id.clone()))
        .chain(org.docs.goals.iter().map(|g| g.meta.id.clone()))
        .collect();
    for id in ids {
        let mut visiting = Vec::new();
        compute(org, &id, &mut memo, &mut visiting);
    }
    memo
}

fn compute(
    org: &Org,
    id: &str,
    memo: &mut HashMap<String, Option<u8>>,
    visiting: &mut Vec<String>,
) -> Option<u8> {
    if let Some(p) = memo.get(id) {
        return *p;
    }
    if visiting.iter().any(|v| v == id) {
        return None; // a cycle of `supports`; `check` reports it
    }
    let explicit = match org.index.ids.get(id) {
        Some(DocRef::TeamGoal(i)) => {
            let g = &org.docs.team_goals[*i];
            if g.status == "achieved" {
                Some(g.progress.as_ref().map_or(100, |p| p.value))
            } else {
                g.progress.as_ref().map(|p| p.value)
            }
        }
        Some(DocRef::Goal(i)) => {
            let g = &org.docs.goals[*i];
            if g.status == "achieved" {
                Some(g.progress.as_ref().map_or(100, |p| p.value))
            } else {
                g.progress.as_ref().map(|p| p.value)
            }
        }
        Some(DocRef::Objective(i)) if org.docs.objectives[*i].status == "achieved" => Some(100),
        _ => None,
    };
    let result = explicit.or_else(|| {
        visiting.push(id.to_string());
        let mut sum = 0u32;
        let mut n = 0u32;
        for s in org.index.supporters.get(id).into_iter().flatten() {
            let (sid, status) = match s {
                DocRef::TeamGoal(i) => (
                    &org.docs.team_goals[*i].meta.id,
                    &org.docs.team_goals[*i].status,
                ),
                DocRef::Goal(i) => (&org.docs.goals[*i].meta.id, &org.docs.goals[*i].status),
                _ => continue,
            };
            if status == "dropped" {
                continue;
            }
            if let Some(p) = compute(org, sid, memo, visiting) {
                sum += u32::from(p);
                n += 1;
            }
        }
        visiting.pop();
        (n > 0).then(|| ((sum + n / 2) / n) as u8)
    });
    memo.insert(id.to_string(), result);
    result
}
