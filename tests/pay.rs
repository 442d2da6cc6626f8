//! Pay: the golden table of example-org, the calculator against the Rust
//! computation, publishing only rules, and pay diagnostics.

mod common;

use std::collections::BTreeMap;

use common::*;
use openfolio::pay::compute::{Profile, compute, plain};
use openfolio::pay::rules::PayRules;
use openfolio::source::WorkTree;
use serde_json::json;

fn rules_of(dir: &std::path::Path) -> (PayRules, openfolio::pipeline::Checked) {
    let source = WorkTree::new(dir).unwrap();
    let checked =
        openfolio::pipeline::check(&source, openfolio::source::DEFAULT_MAX_FILE_SIZE).unwrap();
    (checked.pay_rules.clone().expect("valid pay rules"), checked)
}

#[test]
fn example_org_pay_table_matches_the_golden_file() {
    let o = bin()
        .args(["pay", "-C"])
        .arg(example_org())
        .args(["export", "--format", "csv"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let got = String::from_utf8(o.stdout).unwrap();
    let golden = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/example-org-pay.csv"),
    )
    .unwrap();
    assert_eq!(
        got, golden,
        "pay changed: if on purpose, regenerate tests/golden/example-org-pay.csv with `openfolio pay -C example-org export`"
    );
    // The bonus column adds up to the pool to the cent.
    let cents: i64 = got
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(6))
        .filter(|s| !s.is_empty())
        .map(|s| s.replace('.', "").parse::<i64>().unwrap())
        .sum();
    assert_eq!(cents, 9_000_000);
}

#[test]
fn pay_explain_shows_every_step() {
    let o = bin()
        .args(["pay", "-C"])
        .arg(example_org())
        .args(["explain", "emma"])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("Base for level L3: 3900.00 → × Location Amsterdam 1.10 = 4290.00 → Seniority 6 years × 2 % = +12 % → 4804.80 → × FTE 0.8 = 3843.84 → rounded to 1: 3844"), "{out}");
    assert!(
        out.contains("Bonus share: pool 90000.00 × weight 0.8 / total weight 9.9"),
        "{out}"
    );
}

/// Every case the calculator must agree on: example-org's people and a grid,
/// under the example's rules and under rules that stress rounding.
fn cases(rules: &PayRules, extra_people: &[Profile]) -> serde_json::Value {
    let mut out = Vec::new();
    let step = rules.steps.first();
    let mut profiles: Vec<(Profile, serde_json::Value)> = Vec::new();
    let years_list = [0u32, 1, 3, 5, 9, 10, 11, 25];
    let ftes = [
        "0.1", "0.33", "0.5", "0.6", "0.75", "0.8", "0.9", "0.95", "1",
    ];
    for (level, _) in &rules.base.entries {
        for (loc, _) in rules
            .multipliers
            .first()
            .map(|m| m.table.entries.clone())
            .unwrap_or_default()
        {
            for years in years_list {
                for fte in ftes {
                    let mut fields = BTreeMap::new();
                    fields.insert(rules.base.by.clone(), level.clone());
                    if let Some(m) = rules.multipliers.first() {
                        fields.insert(m.table.by.clone(), loc.clone());
                    }
                    if let Some(s) = step {
                        let start = s.as_of.with_year(s.as_of.year() - years as i32).unwrap();
                        fields.insert(s.since.clone(), start.format("%Y-%m-%d").to_string());
                    }
                    fields.insert("fte".into(), fte.into());
                    let inputs = json!({
                        "base": level,
                        "multipliers": rules.multipliers.first().map(|m| json!({ m.name.clone(): loc })).unwrap_or(json!({})),
                        "years": step.map(|s| json!({ s.name.clone(): years })).unwrap_or(json!({})),
                        "scale": fte,
                    });
                    profiles.push((
                        Profile {
                            handle: "grid".into(),
                            name: "Grid".into(),
                            fields,
                        },
                        inputs,
                    ));
                }
            }
        }
    }
    for p in extra_people {
        let years = step
            .map(|s| {
                openfolio::pay::compute::whole_years(
                    chrono::NaiveDate::parse_from_str(&p.fields[&s.since], "%Y-%m-%d").unwrap(),
                    s.as_of,
                )
            })
            .unwrap_or(0);
        let inputs = json!({
            "base": p.fields[&rules.base.by],
            "multipliers": rules.multipliers.iter().map(|m| (m.name.clone(), json!(p.fields[&m.table.by]))).collect::<serde_json::Map<_, _>>(),
            "years": step.map(|s| json!({ s.name.clone(): years })).unwrap_or(json!({})),
            "scale": p.fields.get("fte").cloned().unwrap_or_else(|| "1".into()),
        });
        profiles.push((p.clone(), inputs));
    }
    for (p, inputs) in profiles {
        let b = compute(rules, &p).expect("computable");
        out.push(json!({"who": p.handle, "inputs": inputs, "expected": {"amount": b.amount.normalize().to_string(), "monthly": b.monthly.normalize().to_string(), "yearly": b.yearly.normalize().to_string(), "exact": b.exact.normalize().to_string()}}));
    }
    json!(out)
}

use chrono::Datelike;

const HARNESS: &str = r#"
const fs = require("fs");
const calc = require(process.argv[2]);
const rules = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const cases = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
const norm = (t) => calc.toText(calc.dec(t));
let bad = 0;
for (const c of cases) {
  const r = calc.compute(rules, c.inputs);
  for (const k of ["amount", "monthly", "yearly", "exact"]) {
    if (norm(r[k]) !== norm(c.expected[k])) {
      bad++;
      if (bad < 10) console.log("MISMATCH", c.who, JSON.stringify(c.inputs), k, r[k], "!=", c.expected[k]);
    }
  }
}
console.log(`${cases.length} cases, ${bad} mismatches`);
process.exit(bad ? 1 : 0);
"#;

fn run_calculator(rules_json: &std::path::Path, cases: &serde_json::Value) {
    let tmp = tempfile::tempdir().unwrap();
    let harness = tmp.path().join("harness.js");
    std::fs::write(&harness, HARNESS).unwrap();
    let cases_file = tmp.path().join("cases.json");
    std::fs::write(&cases_file, cases.to_string()).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("themes/default/static/pay-calculator.js");
    let o = std::process::Command::new("node")
        .arg(&harness)
        .arg(&script)
        .arg(rules_json)
        .arg(&cases_file)
        .output()
        .expect("node is needed to test the pay calculator (.ci/run installs it)");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "calculator disagrees with Rust:\n{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains(" 0 mismatches"), "{out}");
}

#[test]
fn the_calculator_gives_exactly_the_rust_result() {
    // example-org: every person, and a grid of every level × location × years × fte.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let o = bin()
        .arg("build")
        .arg(example_org())
        .arg("--output")
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let (rules, checked) = rules_of(&example_org());
    let people: Vec<Profile> = checked
        .documents
        .people
        .iter()
        .map(openfolio::pay::profile)
        .collect();
    let c = cases(&rules, &people);
    assert!(c.as_array().unwrap().len() > 500);
    run_calculator(&site.join("pay/rules.json"), &c);

    // Rules that stress rounding: yearly amounts, odd factors, round to 0.05.
    let f = Fixture::minimal();
    f.write("pay/rules.yaml", "currency: EUR\nper: year\npublish: individual\nbase:\n  by: level\n  table: { L1: 33333.33, L3: 47017 }\nmultipliers:\n  - name: Region\n    by: location\n    table: { North: 0.973, South: 1.0375 }\nsteps:\n  - name: Experience\n    since: start\n    percent_per_year: 1.75\n    max_years: 12\n    as_of: 2026-01-01\nscale_by: fte\nround_to: 0.05\n");
    f.write("people/alice/index.md", "---\nname: Alice Janssens\nteam: core\nrole: Engineer\nlevel: L3\nlocation: South\nfte: 0.83\nstart: 2019-03-01\ncoach: bob\n---\nAlice.\n");
    f.write("people/bob/index.md", "---\nname: Bob Peeters\nteam: core\nlevel: L1\nlocation: North\nstart: 2001-01-01\n---\nBob.\n");
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (rules, checked) = rules_of(f.path());
    let people: Vec<Profile> = checked
        .documents
        .people
        .iter()
        .map(openfolio::pay::profile)
        .collect();
    run_calculator(
        &f.path().join("public/pay/rules.json"),
        &cases(&rules, &people),
    );
}

#[test]
fn with_publish_rules_no_individual_amount_appears_anywhere() {
    let f = Fixture::minimal();
    let mut extra = String::new();
    for i in 0..6 {
        extra.push_str(&i.to_string());
        f.write(&format!("people/p{i}/index.md"), &format!("---\nname: Person {i}\nteam: core\nlevel: L2\nstart: 20{:02}-02-01\nfte: 0.{}\n---\n", 10 + i, 5 + i % 4));
    }
    f.write("pay/rules.yaml", "currency: EUR\nper: month\npublish: rules\nbase:\n  by: level\n  table: { L2: 3317, L3: 3911 }\nsteps:\n  - name: Seniority\n    since: start\n    percent_per_year: 2\n    max_years: 10\n    as_of: 2026-01-01\nscale_by: fte\nround_to: 1\nbonus:\n  pool: 12345.67\n  eligible: { min_months: 6, as_of: 2026-12-31 }\n  split: fte\n");
    f.write("people/alice/index.md", "---\nname: Alice Janssens\nteam: core\nlevel: L3\nfte: 1\nstart: 2021-03-01\ncoach: bob\n---\nAlice.\n");
    f.write(
        "people/bob/index.md",
        "---\nname: Bob Peeters\nteam: core\nlevel: L3\nstart: 2020-03-01\n---\nBob.\n",
    );
    let o = f.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (rules, checked) = rules_of(f.path());
    let report = openfolio::pay::compute_all(&rules, &checked.documents);
    let mut secrets = Vec::new();
    for (h, r) in &report.people {
        let b = r.as_ref().unwrap();
        for amount in [b.monthly, b.yearly] {
            secrets.push((
                h.clone(),
                openfolio::pay::format::money(amount, "EUR", rules.unit(), "en"),
            ));
            secrets.push((h.clone(), plain(amount)));
        }
    }
    for s in &report.bonus.as_ref().unwrap().shares {
        secrets.push((
            s.handle.clone(),
            openfolio::pay::format::money(s.share, "EUR", rules.unit(), "en"),
        ));
        secrets.push((s.handle.clone(), plain(s.share)));
    }
    for file in f.site().files() {
        let text = read_text(&file);
        for (h, s) in &secrets {
            assert!(
                !text.contains(s.as_str()),
                "{h}'s amount {s} appears in {}",
                file.display()
            );
        }
    }
    let pay = f.site().page("/pay/");
    assert!(
        pay.contains("Average"),
        "aggregates over groups of at least five"
    );
    assert!(pay.contains("pay-calculator"));
    assert!(!f.site().page("/people/alice/").contains("id=\"pay\""));
}

#[test]
fn pay_problems_are_reported_at_their_line() {
    let f = Fixture::minimal();
    f.write("pay/rules.yaml", "currency: EUR\nper: month\nbase:\n  by: level\n  table: { L1: 2800, L3: 3900 }\nmultipliers:\n  - name: Location\n    by: location\n    table: { Ghent: 1.00 }\nround_to: 1\nbonus:\n  pool: -5\n  eligible: { min_months: 6, as_of: 2026-12-31 }\n  split: points\n");
    f.write("people/alice/index.md", "---\nname: Alice Janssens\nteam: core\nlevel: L4\nlocation: Gent\nfte: 1\nstart: 2021-03-01\ncoach: bob\n---\nAlice.\n");
    f.write("pay/levels/L9.md", "---\ntitle: L9\n---\n");
    let o = f.check(&["--format", "json"]);
    let diags: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let find = |code: &str, file: &str| {
        diags
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code && d["file"] == file)
            .cloned()
            .unwrap_or_else(|| panic!("{code} {file} in {diags:#}"))
    };
    let d = find("E020", "people/alice/index.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(8))
    );
    let loc = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E020" && d["line"] == 5)
        .expect("location");
    assert!(
        loc["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `Ghent`?")
    );
    assert_eq!(find("E021", "pay/rules.yaml")["line"], 12);
    find("E020", "pay/levels/L9.md");
    assert!(
        diags
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "E021" && d["line"] == 14),
        "split points without points: {diags:#}"
    );
}
