//! Generates a synthetic organization repository that follows openfolio's
//! content model, for benchmarks and for trying the site at scale.
//!
//! ```text
//! cargo run --release --example gen-org -- --people 1000 --out /tmp/org [--seed 7] [--git]
//! ```
//!
//! The output is deterministic: the same seed and number of people give
//! byte-identical files (and, with `--git`, identical commits). With `--git`
//! the history is written through `git fast-import`: every file is added by a
//! commit of the person it belongs to (feedback by its `from`), a third of the
//! goals are edited in later commits, and some commits carry `Reviewed-by:`
//! trailers.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use clap::Parser;
use rayon::prelude::*;

#[derive(Parser)]
#[command(about = "Generate a synthetic openfolio organization repository")]
struct Args {
    /// How many people the organization has.
    #[arg(long)]
    people: usize,
    /// The directory to write to: must be empty or not exist.
    #[arg(long)]
    out: PathBuf,
    /// Seed of the pseudo-random generator: same seed, same output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also write a git history (through `git fast-import`).
    #[arg(long)]
    git: bool,
}

// ---------------------------------------------------------------------------
// Randomness and dates
// ---------------------------------------------------------------------------

/// splitmix64: tiny, fast and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6a09_e667_f3bc_c908)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// lo..=hi.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, w: &[u32]) -> usize {
        let total: u32 = w.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &wi) in w.iter().enumerate() {
            if x < wi {
                return i;
            }
            x -= wi;
        }
        w.len() - 1
    }

    /// `lo..=hi` distinct elements of `xs`.
    fn sample_in<T: Copy + PartialEq>(&mut self, xs: &[T], lo: usize, hi: usize) -> Vec<T> {
        let k = self.range(lo as i64, hi as i64) as usize;
        self.sample(xs, k)
    }

    /// `k` distinct elements of `xs` (fewer when `xs` is shorter), in draw order.
    fn sample<T: Copy + PartialEq>(&mut self, xs: &[T], k: usize) -> Vec<T> {
        let mut pool: Vec<T> = xs.to_vec();
        let mut out = Vec::new();
        while out.len() < k && !pool.is_empty() {
            let i = self.below(pool.len());
            out.push(pool.swap_remove(i));
        }
        out
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The last day anything happens: history ends on 2026-11-01.
fn last_day() -> NaiveDate {
    ymd(2026, 10, 31)
}

fn rand_date(rng: &mut Rng, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    let span = (hi - lo).num_days().max(0);
    lo + Duration::days(rng.range(0, span))
}

/// Moves a weekend day to a neighbouring weekday inside lo..=hi, when there is one.
fn workday(d: NaiveDate, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    let (fwd, back) = match d.weekday() {
        Weekday::Sat => (2, 1),
        Weekday::Sun => (1, 2),
        _ => return d,
    };
    let f = d + Duration::days(fwd);
    let b = d - Duration::days(back);
    if f <= hi {
        f
    } else if b >= lo {
        b
    } else {
        d
    }
}

fn rand_workday(rng: &mut Rng, lo: NaiveDate, hi: NaiveDate) -> NaiveDate {
    workday(rand_date(rng, lo, hi), lo, hi)
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

const ORG_NAMES: &[&str] = &[
    "Northwind Cooperative",
    "Kestrel Works",
    "Lindenhof Collective",
    "Tidewater Engineering",
    "Brightline Cooperative",
    "Harbour & Hill",
];

const FIRST: &[&str] = &[
    "Alice",
    "Bob",
    "Chen",
    "Dries",
    "Emma",
    "Farah",
    "Gijs",
    "Hana",
    "Inês",
    "Jonas",
    "Karin",
    "Lotte",
    "Mehdi",
    "Noor",
    "Olga",
    "Pieter",
    "Quinten",
    "Rosa",
    "Sanne",
    "Tomás",
    "Ulla",
    "Vincent",
    "Wout",
    "Xiu",
    "Yara",
    "Zoë",
    "Amara",
    "Bram",
    "Camille",
    "Daan",
    "Elif",
    "Femke",
    "Goran",
    "Hugo",
    "Ilse",
    "Jasper",
    "Kofi",
    "Lena",
    "Milan",
    "Nadia",
    "Oscar",
    "Priya",
    "Rik",
    "Sofia",
    "Thijs",
    "Uma",
    "Victor",
    "Wendy",
    "Yusuf",
    "Zeynep",
    "Anouk",
    "Bart",
    "Charlotte",
    "Dimitri",
    "Eva",
    "Floor",
    "Gert",
    "Hatice",
    "Ivo",
    "Julia",
];

const LAST: &[&str] = &[
    "Janssens",
    "Peeters",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Dupont",
    "de Vries",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "Okafor",
    "Nakamura",
    "García",
    "Kowalski",
    "Yılmaz",
    "Haddad",
    "Novak",
    "Rossi",
    "Schmidt",
    "Andersen",
    "Silva",
    "Costa",
    "Nguyen",
    "Kaya",
    "El Amrani",
    "Osei",
    "Lindqvist",
    "Fernandes",
    "Moreau",
    "Popescu",
    "Horvat",
    "Sato",
];

const ROLES: &[&str] = &[
    "Software engineer",
    "Software engineer",
    "Software engineer",
    "Frontend developer",
    "Product designer",
    "Data engineer",
    "Data analyst",
    "Tester",
    "Product owner",
    "Site reliability engineer",
    "Technical writer",
    "Support engineer",
];

const LOCATIONS: &[&str] = &["Ghent", "Brussels", "Amsterdam"];
const FTES: &[&str] = &["1", "0.8", "0.9", "0.6"];

const AREAS: &[&str] = &[
    "Platform",
    "Data",
    "Product",
    "Payments",
    "Search",
    "Mobile",
    "Identity",
    "Billing",
    "Growth",
    "Onboarding",
    "Reporting",
    "Infrastructure",
    "Security",
    "Design System",
    "Checkout",
    "Logistics",
    "Support Tools",
    "Integrations",
    "Analytics",
    "Messaging",
    "Scheduling",
    "Client Portal",
    "Documents",
    "Notifications",
    "Pricing",
    "Catalogue",
    "Quality",
    "Developer Experience",
    "Observability",
    "Accessibility",
    "Research",
    "Operations",
];

const QUALIFIERS: &[&str] = &[
    "North", "South", "East", "West", "Core", "Edge", "Next", "Labs", "Web", "Apps", "Flow", "Ops",
];

const SYSTEMS: &[&str] = &[
    "deploy pipeline",
    "billing service",
    "search index",
    "client portal",
    "mobile app",
    "data warehouse",
    "monitoring stack",
    "design system",
    "API gateway",
    "onboarding flow",
    "reporting module",
    "integration test suite",
    "release process",
    "on-call rota",
    "identity service",
    "message queue",
    "invoice exporter",
    "documentation site",
    "staging environment",
    "analytics dashboard",
    "booking screens",
    "notification service",
    "nightly import",
    "pricing engine",
];

const TOOLS: &[&str] = &[
    "Rust",
    "Kubernetes",
    "Terraform",
    "PostgreSQL",
    "Kafka",
    "React",
    "TypeScript",
    "Python",
    "Grafana",
    "Figma",
    "dbt",
    "Airflow",
    "Go",
    "Elixir",
    "OpenTelemetry",
    "Playwright",
];

const SKILLS: &[&str] = &[
    "facilitation",
    "public speaking",
    "technical writing",
    "pairing",
    "coaching",
    "estimating",
    "incident command",
    "accessibility testing",
    "data modelling",
    "client conversations",
    "product discovery",
    "performance tuning",
    "saying no",
    "code review",
];

const CLIENTS: &[&str] = &[
    "Harbourline Logistics",
    "Greenfield Bank",
    "Mosa Health",
    "Vierkant Retail",
    "Polder Energy",
    "Northgate Insurance",
    "Lumen Schools",
    "Atlas Rail",
    "Dune Hotels",
    "Meridian Care",
];

const RITUALS: &[&str] = &[
    "retrospective",
    "planning",
    "incident review",
    "demo",
    "learning Friday",
    "architecture review",
    "stand-up",
];

const METRICS: &[&str] = &[
    "Median build time (min)",
    "Open bugs",
    "Pages per second",
    "Failed deploys per month",
    "Support tickets per week",
    "p95 latency (ms)",
    "Test coverage (%)",
    "Time to first review (h)",
];

const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

const REPOS: &[&str] = &[
    "api",
    "web",
    "infra",
    "pipelines",
    "handbook",
    "app",
    "etl",
    "docs",
];

const GENERIC: &[&str] = &[
    "Most of the work this month went into the {system}, not into anything new.",
    "{Mate} and I paired on the {system} on {weekday}s, which helped more than any document would have.",
    "The {ritual} on {weekday} took {mins} minutes instead of an hour, because the notes were written beforehand.",
    "Most of the open questions from {client} are answered now; the rest wait for their IT department.",
    "I underestimated how much of the {system} nobody in the team understands anymore.",
    "We wrote down the three decisions we kept making again, with the reason for each.",
    "The team agreed to stop starting new work on Thursdays and finish what is open instead.",
    "Moving the {system} to {tool} took longer than planned, and nobody noticed the switch, which is the point.",
    "Half of the time went into things that were not on any board, mostly helping {client}.",
    "I keep a short list of what I learned each week; it is more useful than I expected.",
    "The numbers look better than they feel: the hard part is still ahead.",
    "A colleague from another team asked how we did it, so I wrote a page in the handbook.",
    "It is easy to say yes to every request; this quarter I said no twice and explained why.",
    "We removed {n} steps from the {system} that nobody could explain.",
    "After {n} weeks of measuring, the slowest part was not where we thought it was.",
    "The {ritual} showed that we were solving the same problem in three places.",
    "I asked {mate} to review the plan before I started, and the plan got shorter.",
    "The first version was ugly and it worked; the second one is less ugly and works better.",
    "We had one bad week in the middle, after an incident in the {system}.",
    "Writing things down in the open channel saved us at least one meeting a week.",
    "The client demo for {client} went well, and their questions gave us next month's work.",
    "Nothing here is finished, but every part of it is now smaller than it was.",
    "We spent a day deleting code, and it was the most productive day of the month.",
    "I learned more from the two failed attempts than from the one that worked.",
    "{Mate} pointed out that the documentation was three versions behind, and was right.",
    "On-call was quiet, which gave us room to finally clean up the {system}.",
    "The new dashboard shows the {metric} at a glance, so we stopped guessing.",
    "We tried {tool} for two weeks and went back, with a clear list of why.",
    "The biggest risk is that only two people know how this works; we are fixing that.",
    "I moved my focus hours to the morning and protect them in my calendar.",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "September",
    "October",
    "November",
];

const CHECKIN_DETAIL: &[&str] = &[
    "The {metric} went from {n}0 to {n}0 in a month, and I do not fully trust the change yet.",
    "{Mate} took over the tests, so I could focus on the {system}.",
    "I spent about {n} hours on this since the last check-in, less than planned.",
    "The coaching check-in helped me cut the plan in two.",
    "The next step touches the data of {client}, which needs more care.",
    "I wrote a short note in the handbook about what I learned so far.",
    "We found {n} places where the {system} did the same thing in different ways.",
    "Most of the time went into understanding the old code, not changing it.",
    "I asked in the channel who else depends on the {system}; more people than I thought.",
    "The {ritual} gave me two good ideas and one bad one; I am trying the good ones.",
    "{Mate} asked whether this was still worth doing. A fair question, and the answer is yes, for now.",
    "There was a week in {month} where nothing happened, because of on-call.",
    "I am keeping the due date, and I will say so here if it moves.",
];

const DONE_MEANS: &[&str] = &[
    "**Done means:** someone else on the team can change the {system} without asking me.",
    "**Done means:** the {metric} is half of what it was in January, for three months in a row.",
    "**Done means:** I have done it three times, and asked for feedback each time.",
    "**Done means:** the handbook page exists and people use it.",
    "**Done means:** {client} signs off on it without a second round.",
    "**Done means:** nobody on the team needs to think about the {system} on a Friday afternoon.",
];

const FEEDBACK_SITUATION: &[&str] = &[
    "Last {weekday} we had the {ritual} about the {system}, and it could easily have gone sideways.",
    "When {client} called about the outage of the {system}, you were the first to pick up.",
    "During the handover of the {system} you sat with me for most of an afternoon.",
    "In the review of my change to the {system} you took the time to explain, not only to approve.",
    "At the {ritual} last week the discussion went in circles for twenty minutes.",
    "When the release of the {system} slipped by a week, you were the one who told {client}.",
    "In the planning on {weekday} you proposed to drop two items from the board.",
    "During your on-call week in {month} the {system} failed twice at night.",
    "When I joined the team, you were the one who explained how the {system} really works.",
    "In the pull request for the {system} you wrote a description that made the review easy.",
    "In {month} we worked together on the {system} for {client}.",
];

const FEEDBACK_IMPACT: &[&str] = &[
    "Because of that, we shipped on time and nobody had to work in the evening.",
    "It meant I could stop worrying and focus on my own part.",
    "The client noticed, and said so in the next meeting.",
    "I understood the {system} better after that hour than after a month of reading.",
    "It changed how I prepare for the {ritual} myself.",
    "It cost you time, and it saved the team more.",
    "Two people who were quiet before spoke up afterwards.",
    "{Mate} told me later it was the first time the {ritual} felt useful.",
];

const SUGGESTION_IMPACT: &[&str] = &[
    "The effect was that two of us did the same work twice.",
    "I think people stopped asking questions because of it.",
    "It made the decision feel like it was already made before the meeting.",
    "It left {mate} waiting for a day without knowing why.",
    "None of this is a big deal on its own, but it adds up over a month.",
    "I do not think you meant it that way, and I am sure it was not seen that way by everyone.",
];

const PROFILE_WORK: &[&str] = &[
    "Most of my time goes to the {system}: keeping it running, and making it a little simpler every month.",
    "I work closely with {client}, and I translate what they ask into work the team can pick up.",
    "I take part in the on-call rota and in the {ritual} of the team.",
    "I review a lot of changes to the {system}, and I try to make every review a small lesson, for one of us.",
    "Lately I spend more time on {skill} than on building things, and I like it more than I expected.",
    "I keep the documentation of the {system} up to date, which mostly means deleting what is no longer true.",
];

const HOBBIES: &[&str] = &[
    "Outside work I sing in a choir and cycle too far on Sundays.",
    "Outside work I am learning to bake bread, with mixed results.",
    "Outside work I have two small children, which explains the coffee.",
    "Outside work I play football badly and chess a little better.",
    "Outside work I volunteer at a repair café once a month.",
    "Outside work I read science fiction and grow tomatoes on a balcony.",
];

const ENERGY: &[&str] = &[
    "Good, mostly. There was one week in {month} where I worked every evening; I told my coach afterwards instead of before.",
    "Better than last year. Keeping Friday afternoons free for learning helps.",
    "Up and down. On-call weeks cost more than I admit, and I want to talk about that.",
    "Steady. Working {fte_days} suits me, and the team respects it.",
    "Low in spring, better since the summer, after we dropped two projects.",
];

const REQUEST_CONTEXT: &[&str] = &[
    "I tried a different approach this time, and I cannot judge from the inside whether it worked.",
    "You were all there, and you each saw a different part of it.",
    "It is part of what I want to learn this year, so honest answers help me more than kind ones.",
    "I would rather hear it now than in my reflection.",
    "This was the first time I did it without {mate} next to me.",
];

const GOAL_WHY: &[&str] = &[
    "The {system} is where a lot of our time disappears, and everyone knows it.",
    "Clients like {client} notice when the {system} is slow long before we do.",
    "I want to be someone the team can rely on for {skill}, not only for code.",
    "Last year I avoided {skill}; this year I want to get comfortable with it.",
    "Only {mate} really knows the {system}, and that is a risk for all of us.",
    "Every week someone asks a question about the {system} that the documentation should answer.",
    "Learning {tool} properly would let me help with the parts of our stack I now stay away from.",
    "Our {ritual}s are useful, but they depend too much on who happens to be in the room.",
    "The way we do this now costs the team about {n} hours a week.",
    "I am growing towards the next level, and this is the part of it I find hardest.",
    "This is the piece of the team goal that nobody picked up yet, so I did.",
    "It is boring work, and boring work is exactly what keeps getting postponed.",
];

const PLAN_ITEMS: &[&str] = &[
    "Measure where the time goes, for a month",
    "Write a one-page plan and ask {mate} to review it",
    "Pair with {mate} on the first part",
    "Read the documentation of {tool} front to back",
    "Remove what nobody uses from the {system}",
    "Present what I learned at a learning Friday",
    "Write a page for the handbook",
    "Run the {ritual} twice with the new format",
    "Ask three colleagues for feedback",
    "Hand the {system} over to someone else on the team",
    "Fix the {n} oldest bugs in the {system}",
    "Move the {system} to {tool}",
    "Agree on a definition of done with {client}",
    "Take the course on {skill}",
    "Automate the manual steps of the {system}",
    "Write tests for the parts that break most",
];

const CHECKIN_START: &[&str] = &[
    "Wrote the plan and shared it in the team channel.",
    "Started. The first step is measuring, so that we know what to improve.",
    "Agreed with my coach on what done looks like for this goal.",
    "First week on this: more reading than doing, as planned.",
    "Kick-off with {mate}; we split the work in three parts.",
];

const CHECKIN_MID: &[&str] = &[
    "Slower than planned: the {system} needed attention first, which was the right choice.",
    "The first part is done and in production since {weekday}.",
    "{Mate} reviewed the approach and found a simpler way; I rewrote half of it.",
    "Gave the talk at the learning Friday; {n} people came and asked good questions.",
    "Blocked for two weeks on access to the {system}; it is sorted now.",
    "The measurements are in, and the result surprised everyone.",
    "I dropped one item from the plan because it no longer made sense.",
    "Halfway there, with the harder half ahead.",
    "Paired with {mate} twice this month; that is where most of the progress came from.",
    "The client demo for {client} gave useful feedback on this.",
];

const CHECKIN_DONE: &[&str] = &[
    "Done. The last part went in this week, and the team has taken it over.",
    "Achieved: the handbook page is written and two people have used it without asking me.",
    "Finished, a little later than planned but with fewer loose ends than I feared.",
];

const CHECKIN_DROP: &[&str] = &[
    "Dropping this goal: the team goal it served was changed, and the work is no longer needed.",
    "I stop here. It turned out {mate} was already doing the same, and doing it better.",
    "Dropped after talking it through with my coach: other work matters more this year.",
];

const CHECKIN_PAUSE: &[&str] = &[
    "Paused until the migration of the {system} is done; picking it up again after that.",
    "Paused: on-call and the work for {client} take all my time for now.",
    "Putting this on hold for a few months; I say so here so that nobody waits for it.",
];

const NEXT_STEPS: &[&str] = &[
    "finish the write-up",
    "ask {mate} for a review",
    "measure again in four weeks",
    "show it at the next {ritual}",
    "update the handbook page",
    "check with {client} whether it helps",
    "remove the old version of the {system}",
];

const DEV_TITLES: &[&str] = &[
    "Learn enough {tool} to maintain our tools",
    "Get better at {skill}",
    "Facilitate the team {ritual}",
    "Give a talk about the {system}",
    "Mentor a new colleague",
    "Write more in public",
    "Speak up in planning",
    "Lead my first client demo",
    "Become a confident code reviewer",
    "Run blameless incident reviews",
    "Learn the basics of {skill}",
    "Be on call without a safety net",
];

const CONTRIB_TITLES: &[&str] = &[
    "Make the {system} twice as fast",
    "Move the {system} to {tool}",
    "Document the {system}",
    "Halve the incidents in the {system}",
    "Automate the manual steps of the {system}",
    "Cut the open bugs in the {system}",
    "Rebuild the {system} for {client}",
    "Add tests to the {system}",
    "Hand over the {system}",
    "Measure the {system} properly",
];

const TEAM_GOAL_TITLES: &[&str] = &[
    "A {system} that nobody complains about",
    "Ship the new {system}",
    "Every release without downtime",
    "Half the support tickets",
    "Self-service for the {system}",
    "Keep {client} as a happy client",
    "Fewer handovers in the {system}",
    "Everyone can deploy on a Friday",
    "Accessible {system}",
    "One source of truth for the {system}",
];

const TEAM_GOAL_BODY: &[&str] = &[
    "This goal is about the {system}, which every client touches at some point.",
    "We measure it every month and show the number at the {ritual}.",
    "When this is done, nobody should need to ask the team for help with it.",
    "The work is split between personal goals; the progress rolls up from them when it is not set here.",
    "{client} asked for this twice last year, and they were right.",
    "We keep the scope small on purpose: finish one thing before the next.",
    "The hardest part is not technical: it is agreeing on what good enough means.",
    "Anyone in the team can pick up a part; say so in the channel when you do.",
];

const MISSIONS: &[&str] = &[
    "Make the {system} something every other team can rely on.",
    "Give clients a version of the {system} they do not have to think about.",
    "Numbers that clients and colleagues can trust.",
    "Help every team ship small changes, safely and often.",
    "Turn what clients tell us into work that matters.",
    "Keep our services fast, safe and boring.",
];

const TEAM_BODY: &[&str] = &[
    "We plan every two weeks on {weekday} morning, in the open channel.",
    "Anyone can put work on our board; we say within a day whether we pick it up.",
    "On-call rotates weekly, and nobody is on call two weeks in a row.",
    "We keep a short list of questions we are working on, each with someone who asked it.",
    "Our biggest client at the moment is {client}, and most of our work touches the {system}.",
    "We try to finish work before we start new work, and we are not always good at it.",
    "Once a month we hold an open {ritual} that anyone in the organization may join.",
    "The facilitator runs the planning and coaches; they do not assign work or decide alone.",
];

const PROFILE_INTRO: &[&str] = &[
    "I joined in {year} and have worked on the {system} for most of that time.",
    "Before this I worked for {client}, so I know what it is like on the other side of the table.",
    "I like the unglamorous work that makes everyone else faster.",
    "Most days you will find me somewhere between the {system} and a whiteboard.",
    "I came for the {tool} work and stayed for the people.",
    "I care about work that is finished, not only started.",
    "I work best in the morning and with a clear question.",
    "I moved into this role after a few years of {skill} in another team.",
];

const PROFILE_GROW: &[&str] = &[
    "This year I want to get better at {skill}.",
    "Further out, I want to grow towards making the team around me better, not only my own work.",
    "I am learning {tool}, slowly and with a lot of help.",
    "I want fewer things that only I know how to do.",
    "I would like to take on more of the client conversations, starting with {client}.",
];

const ASK_ME: &[&str] = &[
    "the {system}",
    "{tool}",
    "{skill}",
    "our history with {client}",
    "where to find the good coffee near the office",
    "git when it has gone wrong",
    "how the {ritual} works",
    "board games",
    "cycling to work in the rain",
];

const WORK_STYLE: &[&str] = &[
    "I prefer a message in the channel over a direct message.",
    "I do not read mail after six, and I do not expect you to.",
    "If I look busy, ask anyway.",
    "I like to pair on anything that takes more than a day.",
    "I write things down; ask me for the link.",
    "I am at the office on {weekday}s.",
];

const APPRECIATION_OPEN: &[&str] = &[
    "{Who}, thank you for the way you handled the {system} last month.",
    "I want to say this out loud, {Who}: your work on the {system} made my week easier.",
    "Thank you for stepping in at the {ritual} when nobody else did.",
    "{Who}, you probably do not know how much your help with {client} mattered.",
    "A short thank you, {Who}, for something you may have forgotten already.",
];

const APPRECIATION: &[&str] = &[
    "You explained the {system} in a way that made me want to ask the next question.",
    "When the deploy broke on {weekday}, you said so in the channel before anyone asked, and fixed it with two others instead of alone.",
    "Your notes from the {ritual} were the only ones anybody read.",
    "You said no to a request from {client} and explained why so clearly that they thanked you for it.",
    "I saw you leave the documentation better than you found it, again.",
    "You gave me room to try it my way, and only stepped in when I asked.",
    "The review you did on my change had {n} comments, all of them fair and all of them useful.",
    "You noticed I was overloaded before I did, and said so kindly.",
    "Your demo was the first time I understood what the {system} is for.",
    "You made the new colleague feel welcome in their first week.",
    "It was calm in the room because you were calm.",
];

const SUGGESTION_OPEN: &[&str] = &[
    "{Who}, one thing I would like you to try.",
    "You asked for honest feedback, so here it is.",
    "A suggestion, {Who}, meant kindly.",
    "Something I noticed, {Who}, and I think it is worth saying.",
];

const SUGGESTION: &[&str] = &[
    "In the {ritual} you answered your own questions before anyone else could.",
    "When you fix the {system} alone, nobody else learns how it works.",
    "Your messages in the channel are long; the decision is often in the last line.",
    "You say yes to almost everything, and then the evenings pay for it.",
    "I would have liked to hear about the delay earlier than the day before the demo.",
    "Let the silences last longer; three seconds is not enough for everyone to decide to speak.",
    "Try writing the plan down before you start, even in five lines.",
    "Ask for a review earlier, when the change is still small.",
    "The reason for the decision was clear to you, but not written anywhere.",
    "You could hand over more of the {system} to people who want to learn it.",
];

const TRY_ITEMS: &[&str] = &[
    "say in the channel when you pick something up",
    "ask who wants to pair before you start",
    "write the decision and its reason in the handbook",
    "end the {ritual} with who does what",
    "block an afternoon a week for focus",
    "let someone else present at the next demo",
];

const APPRECIATION_CLOSE: &[&str] = &[
    "Keep doing this.",
    "Thank you.",
    "I will steal this.",
    "I told my coach about it too; this kind of thing should be seen.",
    "Thanks again, and see you at the next {ritual}.",
];

const SUGGESTION_CLOSE: &[&str] = &[
    "Happy to talk about it over coffee.",
    "I am curious what you think of this.",
    "Ask me if anything here is unclear.",
    "Tell me if I got this wrong; I only saw part of it.",
    "I would be glad to pair on it, if that helps.",
];

const REFLECT_WELL: &[&str] = &[
    "The part I am proudest of is the {system}: it is smaller, faster and better understood than a year ago.",
    "I got better at {skill}, slowly, and with help from {mate}.",
    "I finished more of what I started than the year before.",
    "The work for {client} went well, and they asked us back.",
    "I asked for feedback more often, and I used it.",
];

const REFLECT_NOT: &[&str] = &[
    "I said yes to too much in spring, and learning was what gave way.",
    "I kept some work to myself that someone else should have learned to do.",
    "I told my coach about a hard week afterwards instead of before.",
    "The {system} work took twice as long as I said it would.",
    "I avoided the conversation about priorities for too long.",
];

const REFLECT_NEXT: &[&str] = &[
    "Next, I want to spend more time on {skill} and less on firefighting.",
    "I want to hand over the {system} to someone who wants to learn it.",
    "I want to protect one morning a week for learning {tool}.",
    "I want to run the {ritual} at least once without preparing alone.",
];

const REFLECT_LEVEL: &[&str] = &[
    "I am not proposing a level change this time; I think I will be ready when I make others better as reliably as I make things work.",
    "I am proposing a level change, and I would like my reviewers to tell me where they disagree.",
    "No level change for now. I would like to know what you think is missing.",
];

const REFLECT_QUESTION: &[&str] = &[
    "Where do you see me making things better for other people, and where do I still take work that someone else should learn to do?",
    "What should I stop doing?",
    "Which of my goals would you drop if you were me?",
    "When did I help you most this year, and when was I in the way?",
];

const REQUEST_TITLES: &[&str] = &[
    "How did my demo of the {system} land?",
    "What did you think of the new {ritual} format?",
    "Was my plan for the {system} clear?",
    "How did the handover of the {system} go for you?",
    "Feedback on my first month in the team",
    "How am I doing as facilitator of the {ritual}?",
    "What should I change in how I review code?",
];

const REQUEST_QUESTIONS: &[&str] = &[
    "What was unclear to someone who did not build it?",
    "Did I spend the time on the right things?",
    "What should I keep doing?",
    "When did I talk when I should have listened?",
    "Is there anything you would change before we go further?",
    "What would you have done differently?",
    "Did anyone feel left out of the decision?",
];

const VALUES: &[(&str, &str, &str)] = &[
    (
        "ownership",
        "Ownership",
        "We finish what we start, or say out loud that we stop.",
    ),
    (
        "openness",
        "Openness",
        "Information, decisions and pay are public inside the organization unless there is a reason they cannot be.",
    ),
    (
        "care",
        "Care",
        "We look after each other, our clients and our own energy.",
    ),
    (
        "craft",
        "Craft",
        "We build things that last and keep learning how to build them better.",
    ),
];

const EXPECTATIONS: &[(&str, &str, &str)] = &[
    (
        "announce-work",
        "ownership",
        "You say in the team channel when you pick up or drop a piece of work.",
    ),
    (
        "decisions-in-writing",
        "openness",
        "A decision that affects others is written down where everyone can find it, with the reason and who made it.",
    ),
    (
        "ask-for-feedback",
        "openness",
        "At least once a quarter you ask colleagues for feedback on something you chose.",
    ),
    (
        "sustainable-pace",
        "care",
        "You work the hours of your agreed fte, and you tell your coach early when that is not possible.",
    ),
    (
        "leave-it-better",
        "craft",
        "You leave code, documentation and processes a little better than you found them.",
    ),
];

/// (id, name, when, purpose, affects_pay)
const CYCLE: &[(&str, &str, &str, &str, &str)] = &[
    (
        "goal-setting",
        "Goal setting",
        "January",
        "Each person writes two to four goals and links them to a team goal or an objective.",
        "No. Pay follows pay/rules.yaml only.",
    ),
    (
        "mid-year-reflection",
        "Mid-year reflection",
        "June",
        "A short self-evaluation of the first half year, shared with one to three reviewers you choose.",
        "No.",
    ),
    (
        "year-reflection",
        "Year reflection",
        "December",
        "A self-evaluation of the year, read and answered by reviewers the person chose. A level change is proposed here, by the person.",
        "Only through a level change you propose yourself, and the collective bonus pool.",
    ),
];

/// (slug, title, period, status)
const OBJECTIVES: &[(&str, &str, &str, &str)] = &[
    (
        "2026-sustainable-growth",
        "Grow sustainably",
        "2026",
        "active",
    ),
    (
        "2026-reliable-services",
        "Services our clients can rely on",
        "2026",
        "active",
    ),
    (
        "2026-learning-culture",
        "Learn in the open",
        "2026",
        "active",
    ),
    (
        "2026-fewer-handovers",
        "Fewer handovers, more ownership",
        "2026",
        "active",
    ),
    (
        "2025-happy-clients",
        "Clients who come back",
        "2025",
        "achieved",
    ),
];

const OBJECTIVE_BODY: &[&str] = &[
    "This objective is what the assembly chose to focus on for the period, after a long discussion about what we can do well at once.",
    "Teams link their goals to it; the progress on this page is rolled up from theirs.",
    "We look at it again at the year reflection and decide whether it stays.",
    "It is deliberately broad: each team decides what it means for their own work.",
    "If your work does not fit any objective, that is worth a conversation, not a problem.",
    "Success is not a number here, but we watch the {metric} of every team as a signal.",
];

const OBJECTIVE_MORE: &[&str] = &[
    "Every team writes two or three goals that support one of the objectives, and personal goals support those.",
    "The facilitators meet once a quarter to see where the teams get stuck, and to share what works.",
    "We would rather drop a goal in the open than keep one that nobody works on.",
    "Clients like {client} are part of the reason this objective exists.",
    "The first months showed that the {system} is where most teams meet this objective.",
    "A goal that supports this objective should say how it will be measured, in one line.",
];

const LEVELS: &[(&str, &str, &str, u32)] = &[
    (
        "Learning",
        "Does well-defined work with help, and learns how we work.",
        "Everyone starts somewhere. At L1 you are expected to learn, and to ask.",
        2800,
    ),
    (
        "Contributing",
        "Delivers well-defined work on their own and asks for help in time.",
        "What changes from L1: you need less help with the work itself, and you know when to ask.",
        3300,
    ),
    (
        "Independent",
        "Plans and delivers their own work; helps others do the same.",
        "What changes from L2: you own a whole piece of work, from the question to the result.",
        3900,
    ),
    (
        "Multiplying",
        "Makes the team around them better, not only their own work.",
        "What changes from L3: your impact is measured by what the team does, not what you do.",
        4600,
    ),
    (
        "Shaping",
        "Shapes the direction of the organization with its members.",
        "What changes from L4: your work is the organization's direction, not one team's.",
        5400,
    ),
];

const LEVEL_BEHAVIOURS: &[&[&str]] = &[
    &[
        "You finish small, well-described tasks, with a colleague reviewing your work.",
        "You ask for help when you are stuck for more than half a day.",
        "You say in the team channel what you picked up and what you dropped.",
        "You write down what you learned, so the next newcomer finds it.",
    ],
    &[
        "You deliver a well-described piece of work without daily help.",
        "You review colleagues' work and your comments are specific.",
        "You say early when something will take longer than planned.",
        "You take part in on-call with a colleague as backup.",
    ],
    &[
        "You plan and deliver a team goal, or a large part of one, and say early when it will not work.",
        "Clients and colleagues come to you for a part of our work, and you answer or send them on.",
        "You help a colleague at L1 or L2 grow, in pairing, reviews or coaching.",
        "You improve how the team works, not only what it makes.",
    ],
    &[
        "You facilitate a team, or you are the person a team leans on for a whole area.",
        "You make yourself unnecessary for the things you built, on purpose.",
        "You coach two or more colleagues and they say it helps.",
        "You resolve disagreements between teams instead of working around them.",
    ],
    &[
        "You facilitate an organization objective from proposal to result.",
        "You are trusted by clients with the relationship, not only the project.",
        "You make room for others to lead, and step back when they can.",
        "You help the assembly make hard decisions, such as dropping work or changing pay rules.",
    ],
];

// ---------------------------------------------------------------------------
// The organization as data
// ---------------------------------------------------------------------------

struct Person {
    handle: String,
    focus: &'static str,
    name: String,
    first: &'static str,
    email: String,
    team: usize,
    second: Option<usize>,
    role: &'static str,
    level: u8,
    location: &'static str,
    fte: &'static str,
    start: NaiveDate,
    /// When the profile enters the repository.
    joined: NaiveDate,
    coach: Option<usize>,
    forge: String,
    goals: Vec<usize>,
    reflections: Vec<usize>,
    requests: Vec<usize>,
    feedback: Vec<usize>,
}

struct Team {
    slug: String,
    focus: &'static str,
    name: String,
    members: Vec<usize>,
    facilitators: Vec<usize>,
    goals: Vec<usize>,
}

struct TeamGoal {
    team: usize,
    slug: String,
    title: String,
    objective: usize,
    status: &'static str,
    due: NaiveDate,
    progress: Option<u8>,
}

#[derive(Clone, Copy)]
enum Supports {
    Team(usize),
    Objective(usize),
}

struct Goal {
    owner: usize,
    focus: &'static str,
    slug: String,
    title: String,
    kind: &'static str,
    supports: Supports,
    status: &'static str,
    due: NaiveDate,
    progress: Option<u8>,
    checkins: Vec<NaiveDate>,
    /// How many of the check-ins were added by later commits (0: written at once).
    edits: usize,
}

impl Goal {
    /// Check-ins in the first committed version.
    fn first_len(&self) -> usize {
        self.checkins.len() - self.edits
    }

    /// When the goal enters the repository.
    fn available(&self) -> NaiveDate {
        self.checkins[self.first_len() - 1]
    }

    /// Progress in the version with `c` check-ins.
    fn progress_at(&self, c: usize) -> Option<u8> {
        let p = self.progress?;
        let n = self.checkins.len();
        if c >= n {
            return Some(p);
        }
        let v = u32::from(p) * c as u32 / n as u32;
        Some((v / 5 * 5) as u8)
    }

    fn status_at(&self, c: usize) -> &'static str {
        if c >= self.checkins.len() {
            self.status
        } else {
            "active"
        }
    }
}

struct Reflection {
    period: &'static str,
    date: NaiveDate,
    reviewers: Vec<usize>,
    moment: &'static str,
    visibility: Option<&'static str>,
}

struct Request {
    slug: String,
    title: String,
    date: NaiveDate,
    asked: Vec<usize>,
    about: Option<usize>,
    until: Option<NaiveDate>,
    status: &'static str,
}

#[derive(Clone, Copy, PartialEq)]
enum About {
    Nothing,
    Goal(usize),
    Reflection(usize),
    Request(usize),
    Expectation(usize),
}

struct Feedback {
    to: usize,
    from: usize,
    date: NaiveDate,
    kind: &'static str,
    about: About,
    request: Option<usize>,
    context: Option<String>,
    visibility: Option<&'static str>,
    file: String,
}

struct Org {
    name: &'static str,
    people: Vec<Person>,
    teams: Vec<Team>,
    objective_owners: Vec<Option<usize>>,
    team_goals: Vec<TeamGoal>,
    goals: Vec<Goal>,
    reflections: Vec<Reflection>,
    requests: Vec<Request>,
    feedback: Vec<Feedback>,
}

// ---------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------

/// ASCII letters for handles: `Inês de Vries` → `ines-de-vries`.
fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ı' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    let mut cut: String = trimmed.chars().take(50).collect();
    while cut.ends_with('-') {
        cut.pop();
    }
    cut
}

/// A slug not yet in `taken` (adds `-2`, `-3`, … when needed), and takes it.
fn unique(base: String, taken: &mut BTreeSet<String>) -> String {
    let mut s = base.clone();
    let mut i = 2;
    while taken.contains(&s) {
        s = format!("{base}-{i}");
        i += 1;
    }
    taken.insert(s.clone());
    s
}

/// A YAML scalar, quoted when a plain one would be misread.
fn yaml(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.starts_with(|c: char| "[]{}&*!|>'\"%@`#,?:- ".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        );
    if plain {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn list(items: &[&str]) -> String {
    format!("[{}]", items.join(", "))
}

/// What the placeholders in the vocabulary are filled with.
struct Cx<'a> {
    /// First names of colleagues, for `{mate}`.
    mates: &'a [&'static str],
    /// The person spoken to, for `{who}`.
    who: &'a str,
    year: i32,
    /// The system a document is mostly about (empty: any).
    focus: &'static str,
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Fills `{placeholder}`s of a vocabulary line; `{Mate}`, `{Who}` capitalised.
fn fill(rng: &mut Rng, t: &str, cx: &Cx, out: &mut String) {
    let mut rest = t;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let j = i + rest[i..].find('}').expect("closed placeholder");
        let key = &rest[i + 1..j];
        match key {
            "system" => {
                if !cx.focus.is_empty() && rng.chance(0.75) {
                    out.push_str(cx.focus)
                } else {
                    out.push_str(rng.pick(SYSTEMS))
                }
            }
            "tool" => out.push_str(rng.pick(TOOLS)),
            "skill" => out.push_str(rng.pick(SKILLS)),
            "client" => out.push_str(rng.pick(CLIENTS)),
            "ritual" => out.push_str(rng.pick(RITUALS)),
            "metric" => out.push_str(&rng.pick(METRICS).to_lowercase()),
            "weekday" => out.push_str(rng.pick(WEEKDAYS)),
            "month" => out.push_str(rng.pick(MONTHS)),
            "fte_days" => out.push_str(rng.pick(&["four days a week", "part-time", "full-time"])),
            "n" => {
                let _ = write!(out, "{}", rng.range(2, 12));
            }
            "mins" => {
                let _ = write!(out, "{}", rng.range(3, 8) * 5);
            }
            "year" => {
                let _ = write!(out, "{}", cx.year);
            }
            "mate" | "Mate" => {
                let m = if cx.mates.is_empty() {
                    "a colleague"
                } else {
                    rng.pick(cx.mates)
                };
                if key == "Mate" {
                    out.push_str(&capitalise(m));
                } else {
                    out.push_str(m);
                }
            }
            "who" | "Who" => out.push_str(cx.who),
            other => panic!("unknown placeholder {other}"),
        }
        rest = &rest[j + 1..];
    }
    out.push_str(rest);
}

fn filled(rng: &mut Rng, t: &str, cx: &Cx) -> String {
    let mut s = String::new();
    fill(rng, t, cx, &mut s);
    s
}

fn filled_pick(rng: &mut Rng, pool: &[&str], cx: &Cx) -> String {
    let t = rng.pick(pool);
    filled(rng, t, cx)
}

fn fill_pick(rng: &mut Rng, pool: &[&str], cx: &Cx, out: &mut String) {
    let t = rng.pick(pool);
    fill(rng, t, cx, out);
}

/// Whether a word at the start of a line would change the Markdown block.
fn risky_line_start(word: &str) -> bool {
    let b = word.as_bytes();
    if b.is_empty() {
        return false;
    }
    if matches!(
        b[0],
        b'-' | b'+' | b'*' | b'#' | b'>' | b'=' | b'|' | b'`' | b'~'
    ) {
        return true;
    }
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0 && matches!(b.get(digits), Some(b'.') | Some(b')'))
}

/// Hard-wraps text at about 76 columns, as people do in Markdown files.
fn wrap(text: &str, out: &mut String) {
    let mut col = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if col > 0 && col + 1 + len > 76 && !risky_line_start(word) {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += len;
    }
    out.push('\n');
}

/// A paragraph of `lo..=hi` distinct sentences from `pool`, plus `extra` ones.
fn para(rng: &mut Rng, pool: &[&str], lo: usize, hi: usize, cx: &Cx, out: &mut String) {
    let k = rng.range(lo as i64, hi as i64) as usize;
    let idx: Vec<usize> = (0..pool.len()).collect();
    let chosen = rng.sample(&idx, k);
    let mut text = String::new();
    for (n, i) in chosen.into_iter().enumerate() {
        if n > 0 {
            text.push(' ');
        }
        fill(rng, pool[i], cx, &mut text);
    }
    wrap(&text, out);
}

/// `lo..=hi` distinct sentences of `pool`, filled.
fn pick_sentences(rng: &mut Rng, pool: &[&str], lo: usize, hi: usize, cx: &Cx) -> Vec<String> {
    let idx: Vec<usize> = (0..pool.len()).collect();
    rng.sample_in(&idx, lo, hi)
        .into_iter()
        .map(|i| filled(rng, pool[i], cx))
        .collect()
}

/// Appends `k.0..=k.1` distinct sentences of `pool`, each after a space.
fn sentences(rng: &mut Rng, pool: &[&str], k: (usize, usize), cx: &Cx, out: &mut String) {
    let idx: Vec<usize> = (0..pool.len()).collect();
    for i in rng.sample_in(&idx, k.0, k.1) {
        out.push(' ');
        fill(rng, pool[i], cx, out);
    }
}

/// Like `para`, with a given sentence first and `k.0..=k.1` from `pool` after it.
fn para_with(
    rng: &mut Rng,
    first: &str,
    pool: &[&str],
    k: (usize, usize),
    cx: &Cx,
    out: &mut String,
) {
    let idx: Vec<usize> = (0..pool.len()).collect();
    let chosen = rng.sample_in(&idx, k.0, k.1);
    let mut text = first.to_string();
    for i in chosen {
        if !text.is_empty() {
            text.push(' ');
        }
        fill(rng, pool[i], cx, &mut text);
    }
    wrap(&text, out);
}

fn bullets(rng: &mut Rng, pool: &[&str], k: (usize, usize), cx: &Cx, out: &mut String) {
    let idx: Vec<usize> = (0..pool.len()).collect();
    for i in rng.sample_in(&idx, k.0, k.1) {
        out.push_str("- ");
        let s = filled(rng, pool[i], cx);
        out.push_str(&capitalise(&s));
        out.push('\n');
    }
}

fn metric_table(rng: &mut Rng, out: &mut String) {
    let idx: Vec<usize> = (0..METRICS.len()).collect();
    out.push_str("| Measure | Before | Now |\n|---|---:|---:|\n");
    for i in rng.sample_in(&idx, 2, 4) {
        let before = rng.range(10, 90);
        let now = (before * rng.range(40, 95) / 100).max(1);
        let _ = writeln!(out, "| {} | {before} | {now} |", METRICS[i]);
    }
}

fn rng_range(rng: &mut Rng, lo: usize, hi: usize) -> usize {
    rng.range(lo as i64, hi as i64) as usize
}

// ---------------------------------------------------------------------------
// Building the organization
// ---------------------------------------------------------------------------

fn build_org(n: usize, rng: &mut Rng) -> Org {
    let name = rng.pick(ORG_NAMES);
    let n_teams = n.div_ceil(8).max(1);

    // People.
    let mut people = Vec::with_capacity(n);
    for i in 0..n {
        let first = rng.pick(FIRST);
        let last = rng.pick(LAST);
        let handle = format!("{}-{}-{:03}", slugify(first), slugify(last), i + 1);
        let level = 1 + rng.weighted(&[15, 25, 30, 20, 10]) as u8;
        let start = if i == 0 {
            ymd(2012, 3, 1)
        } else if rng.chance(0.8) {
            // Older starts are rarer: the later of two draws.
            let a = rand_date(rng, ymd(2012, 1, 1), ymd(2024, 12, 31));
            let b = rand_date(rng, ymd(2012, 1, 1), ymd(2024, 12, 31));
            a.max(b)
        } else {
            rand_date(rng, ymd(2025, 1, 6), ymd(2026, 6, 30))
        };
        let start = workday(start, ymd(2012, 1, 1), ymd(2026, 6, 30));
        let forge = format!(
            "{}{}{}",
            &slugify(first)[..1],
            slugify(last).replace('-', ""),
            i + 1
        );
        people.push(Person {
            focus: "",
            email: format!("{handle}@example.org"),
            handle,
            name: format!("{first} {last}"),
            first,
            team: i * n_teams / n,
            second: None,
            role: rng.pick(ROLES),
            level,
            location: LOCATIONS[rng.weighted(&[50, 30, 20])],
            fte: FTES[rng.weighted(&[70, 17, 7, 6])],
            start,
            joined: start,
            coach: None,
            forge,
            goals: Vec::new(),
            reflections: Vec::new(),
            requests: Vec::new(),
            feedback: Vec::new(),
        });
    }

    // Teams.
    let mut teams: Vec<Team> = (0..n_teams)
        .map(|t| {
            let (slug, name) = if t < AREAS.len() {
                (slugify(AREAS[t]), AREAS[t].to_string())
            } else if t < AREAS.len() * (1 + QUALIFIERS.len()) {
                let k = t - AREAS.len();
                let area = AREAS[k % AREAS.len()];
                let q = QUALIFIERS[k / AREAS.len()];
                let name = format!("{area} {q}");
                (slugify(&name), name)
            } else {
                (format!("team-{:04}", t + 1), format!("Team {}", t + 1))
            };
            Team {
                slug,
                focus: rng.pick(SYSTEMS),
                name,
                members: Vec::new(),
                facilitators: Vec::new(),
                goals: Vec::new(),
            }
        })
        .collect();
    for (i, p) in people.iter().enumerate() {
        teams[p.team].members.push(i);
    }
    for team in &mut teams {
        let members = team.members.clone();
        let mut facs = vec![members[0]];
        if members.len() >= 9 && rng.chance(0.3) {
            facs.push(members[1]);
        }
        for &f in &facs {
            let p = &mut people[f];
            p.level = p.level.max(3);
            if p.start > ymd(2023, 12, 31) {
                p.start = workday(
                    rand_date(rng, ymd(2015, 1, 1), ymd(2023, 12, 31)),
                    ymd(2015, 1, 1),
                    ymd(2023, 12, 31),
                );
            }
        }
        team.facilitators = facs;
    }
    if n_teams > 1 {
        for (i, p) in people.iter_mut().enumerate() {
            if rng.chance(0.02) {
                let t = p.team;
                let other = (t + 1 + rng.below(n_teams - 1)) % n_teams;
                p.second = Some(other);
                teams[other].members.push(i);
            }
        }
    }

    // Coaches, focus, and the day each person enters the repository.
    for (i, p) in people.iter_mut().enumerate() {
        p.focus = if rng.chance(0.6) {
            teams[p.team].focus
        } else {
            rng.pick(SYSTEMS)
        };
        let t = p.team;
        let facs = &teams[t].facilitators;
        let coach = if !facs.contains(&i) {
            Some(facs[0])
        } else if n_teams > 1 {
            let other = (t + 1 + rng.below(n_teams - 1)) % n_teams;
            Some(teams[other].facilitators[0])
        } else {
            teams[t].members.iter().copied().find(|&m| m != i)
        };
        p.coach = coach;
        p.joined = if p.start < ymd(2025, 1, 6) {
            rand_workday(rng, ymd(2025, 1, 6), ymd(2025, 1, 31))
        } else {
            p.start
        };
    }

    // Objective owners: some facilitators.
    let objective_owners = (0..OBJECTIVES.len())
        .map(|_| {
            if rng.chance(0.6) {
                let t = rng.below(n_teams);
                Some(teams[t].facilitators[0])
            } else {
                None
            }
        })
        .collect();

    // Team goals.
    let mut team_goals = Vec::new();
    for (t, team) in teams.iter_mut().enumerate() {
        let k = rng_range(rng, 2, 3);
        let mut taken = BTreeSet::new();
        let cx = Cx {
            mates: &[],
            who: "",
            year: 2026,
            focus: team.focus,
        };
        for _ in 0..k {
            let title = capitalise(&filled_pick(rng, TEAM_GOAL_TITLES, &cx));
            let slug = unique(slugify(&title), &mut taken);
            let objective = rng.weighted(&[25, 25, 20, 15, 15]);
            let period = OBJECTIVES[objective].2;
            let due = if period == "2025" {
                ymd(2025, 12, 31)
            } else {
                rng.pick(&[ymd(2026, 6, 30), ymd(2026, 9, 30), ymd(2026, 12, 31)])
            };
            let status = if period == "2025" {
                ["achieved", "achieved", "dropped"][rng.below(3)]
            } else {
                ["active", "active", "active", "active", "achieved", "paused"][rng.below(6)]
            };
            let progress = if status == "achieved" {
                Some(100)
            } else if rng.chance(0.5) {
                Some((rng.range(2, 18) * 5) as u8)
            } else {
                None
            };
            team.goals.push(team_goals.len());
            team_goals.push(TeamGoal {
                team: t,
                slug,
                title,
                objective,
                status,
                due,
                progress,
            });
        }
    }

    // Personal goals.
    let dues = [
        ymd(2025, 6, 30),
        ymd(2025, 12, 31),
        ymd(2026, 3, 31),
        ymd(2026, 6, 30),
        ymd(2026, 9, 30),
        ymd(2026, 12, 31),
    ];
    let mut goals: Vec<Goal> = Vec::new();
    for i in 0..n {
        let count = rng_range(rng, 3, 5);
        let mut taken = BTreeSet::new();
        let mates = first_names(&people, &teams[people[i].team].members, i);
        for _ in 0..count {
            let focus = if rng.chance(0.5) {
                people[i].focus
            } else {
                rng.pick(SYSTEMS)
            };
            let cx = Cx {
                mates: &mates,
                who: "",
                year: 2026,
                focus,
            };
            let development = rng.chance(0.45);
            let kind = if development {
                "development"
            } else {
                "contribution"
            };
            let pool = if development {
                DEV_TITLES
            } else {
                CONTRIB_TITLES
            };
            let title = capitalise(&filled_pick(rng, pool, &cx));
            let slug = unique(slugify(&title), &mut taken);
            let joined = people[i].joined;
            let possible: Vec<NaiveDate> = dues
                .iter()
                .copied()
                .filter(|d| *d >= joined + Duration::days(100))
                .collect();
            let weights: Vec<u32> = possible
                .iter()
                .map(|d| if d.year() == 2025 { 3 } else { 4 })
                .collect();
            let due = possible[rng.weighted(&weights)];
            let setting = if due.year() == 2025 {
                rand_workday(rng, ymd(2025, 1, 6), ymd(2025, 2, 7))
            } else {
                rand_workday(rng, ymd(2026, 1, 5), ymd(2026, 2, 6))
            };
            let created = setting.max(joined);
            let team_goal_pool: Vec<usize> = {
                let mut v = teams[people[i].team].goals.clone();
                if let Some(s) = people[i].second
                    && rng.chance(0.5)
                {
                    v = teams[s].goals.clone();
                }
                v
            };
            let supports = if rng.chance(if development { 0.5 } else { 0.85 }) {
                Supports::Team(rng.pick(&team_goal_pool))
            } else if development {
                Supports::Objective(rng.pick(&[2, 2, 3, 0]))
            } else {
                Supports::Objective(rng.below(OBJECTIVES.len()))
            };
            let status = if due < ymd(2026, 6, 1) {
                ["active", "achieved", "paused", "dropped"][rng.weighted(&[15, 55, 10, 20])]
            } else {
                ["active", "achieved", "paused", "dropped"][rng.weighted(&[70, 12, 10, 8])]
            };
            let edited = rng.chance(1.0 / 3.0);
            let mut n_checkins = if edited {
                rng_range(rng, 3, 4)
            } else {
                [1, 2, 2, 3, 4][rng.below(5)]
            };
            let window_end = (due + Duration::days(21)).min(last_day());
            let window = (window_end - created).num_days().max(0) as usize;
            n_checkins = n_checkins.min(window + 1).max(1);
            let mut dates = BTreeSet::new();
            dates.insert(created);
            let mut tries = 0;
            while dates.len() < n_checkins && tries < 50 {
                let d = rand_workday(rng, created + Duration::days(1), window_end);
                if d > created {
                    dates.insert(d);
                }
                tries += 1;
            }
            let checkins: Vec<NaiveDate> = dates.into_iter().collect();
            let mut edits = if edited {
                rng_range(rng, 2, 3).min(checkins.len() - 1)
            } else {
                0
            };
            if edits < 2 {
                edits = 0;
            }
            let progress = match status {
                "achieved" => Some(100),
                _ if edits == 0 && rng.chance(0.15) => None,
                "active" => Some((rng.range(2, 19) * 5) as u8),
                "paused" => Some((rng.range(2, 12) * 5) as u8),
                _ => Some((rng.range(0, 8) * 5) as u8),
            };
            people[i].goals.push(goals.len());
            goals.push(Goal {
                owner: i,
                focus,
                slug,
                title,
                kind,
                supports,
                status,
                due,
                progress,
                checkins,
                edits,
            });
        }
    }

    // Reflections.
    let mut reflections = Vec::new();
    for (i, p) in people.iter_mut().enumerate() {
        let t = p.team;
        let mut mates: Vec<usize> = teams[t]
            .members
            .iter()
            .copied()
            .filter(|&m| m != i)
            .collect();
        if mates.is_empty() {
            mates = (0..n).filter(|&m| m != i).collect();
        }
        for (period, moment, lo, hi, before) in [
            (
                "2025",
                "year-reflection",
                ymd(2025, 12, 1),
                ymd(2025, 12, 19),
                ymd(2025, 9, 1),
            ),
            (
                "2026-H1",
                "mid-year-reflection",
                ymd(2026, 6, 8),
                ymd(2026, 6, 30),
                ymd(2026, 3, 1),
            ),
        ] {
            if p.joined > before || !rng.chance(0.96) || mates.is_empty() {
                continue;
            }
            let k = rng_range(rng, 1, 3);
            let mut reviewers = Vec::new();
            if let Some(c) = p.coach
                && rng.chance(0.7)
            {
                reviewers.push(c);
            }
            for m in rng.sample(&mates, k) {
                if reviewers.len() < k && !reviewers.contains(&m) {
                    reviewers.push(m);
                }
            }
            if reviewers.is_empty() {
                reviewers.push(mates[0]);
            }
            let visibility = rng.chance(0.15).then_some("team");
            p.reflections.push(reflections.len());
            reflections.push(Reflection {
                period,
                date: rand_workday(rng, lo, hi),
                reviewers,
                moment,
                visibility,
            });
        }
    }

    // Requests.
    let mut requests = Vec::new();
    for i in 0..n {
        let count = [0, 1, 2][rng.weighted(&[55, 35, 10])];
        let mates = other_members(&people, &teams, i);
        if mates.is_empty() {
            continue;
        }
        let names = first_names(&people, &teams[people[i].team].members, i);
        let cx = Cx {
            mates: &names,
            who: "",
            year: 2026,
            focus: people[i].focus,
        };
        let mut taken = BTreeSet::new();
        for _ in 0..count {
            let lo = people[i].joined + Duration::days(30);
            let hi = ymd(2026, 10, 10);
            if lo > hi {
                break;
            }
            let date = rand_workday(rng, lo, hi);
            let title = filled_pick(rng, REQUEST_TITLES, &cx);
            let slug = unique(slugify(&title), &mut taken);
            let asked = rng.sample_in(&mates, 2, 3);
            let options: Vec<usize> = people[i]
                .goals
                .iter()
                .copied()
                .filter(|&g| goals[g].available() < date)
                .collect();
            let about = if !options.is_empty() && rng.chance(0.6) {
                Some(rng.pick(&options))
            } else {
                None
            };
            let until = rng
                .chance(0.8)
                .then(|| date + Duration::days(rng.range(14, 30)));
            let status = match until {
                Some(u) if u < ymd(2026, 10, 15) => "closed",
                None if date < ymd(2026, 9, 1) => "closed",
                _ => "open",
            };
            people[i].requests.push(requests.len());
            requests.push(Request {
                slug,
                title,
                date,
                asked,
                about,
                until,
                status,
            });
        }
    }

    let mut org = Org {
        name,
        people,
        teams,
        objective_owners,
        team_goals,
        goals,
        reflections,
        requests,
        feedback: Vec::new(),
    };
    build_feedback(&mut org, rng);
    org
}

/// Everyone in `i`'s first team but `i`; everyone else when that is nobody.
fn other_members(people: &[Person], teams: &[Team], i: usize) -> Vec<usize> {
    let v: Vec<usize> = teams[people[i].team]
        .members
        .iter()
        .copied()
        .filter(|&m| m != i)
        .collect();
    if v.is_empty() {
        (0..people.len()).filter(|&m| m != i).collect()
    } else {
        v
    }
}

fn first_names(people: &[Person], members: &[usize], but: usize) -> Vec<&'static str> {
    members
        .iter()
        .filter(|&&m| m != but)
        .map(|&m| people[m].first)
        .collect()
}

fn build_feedback(org: &mut Org, rng: &mut Rng) {
    let n = org.people.len();
    if n < 2 {
        return;
    }
    let earliest = ymd(2025, 1, 15);
    let mut all: Vec<Feedback> = Vec::new();
    for to in 0..n {
        let target = rng_range(rng, 6, 14);
        let mut mine: Vec<Feedback> = Vec::new();
        let blank = |from: usize, date: NaiveDate, rng: &mut Rng| Feedback {
            to,
            from,
            date,
            kind: if rng.chance(0.65) {
                "appreciation"
            } else {
                "suggestion"
            },
            about: About::Nothing,
            request: None,
            context: None,
            visibility: None,
            file: String::new(),
        };
        // Reviewers answer reflections.
        for &r in &org.people[to].reflections {
            let refl = &org.reflections[r];
            for &rv in &refl.reviewers {
                if rng.chance(0.5) && mine.len() < target {
                    let lo = refl.date + Duration::days(1);
                    let hi = (refl.date + Duration::days(14)).min(last_day());
                    let mut f = blank(rv, rand_workday(rng, lo, hi), rng);
                    f.about = About::Reflection(r);
                    mine.push(f);
                }
            }
        }
        // Colleagues answer requests.
        for &q in &org.people[to].requests {
            let req = &org.requests[q];
            for &a in &req.asked {
                if rng.chance(0.7) && mine.len() < target {
                    let lo = (req.date + Duration::days(1)).max(org.people[a].joined);
                    let hi = req
                        .until
                        .unwrap_or(req.date + Duration::days(21))
                        .min(last_day());
                    if lo > hi {
                        continue;
                    }
                    let mut f = blank(a, rand_workday(rng, lo, hi), rng);
                    f.request = Some(q);
                    f.about = match req.about {
                        Some(g) => About::Goal(g),
                        None => About::Request(q),
                    };
                    mine.push(f);
                }
            }
        }
        // The rest: mostly from teammates.
        let mates = other_members(&org.people, &org.teams, to);
        let mut tries = 0;
        while mine.len() < target && tries < target * 4 {
            tries += 1;
            let from = if rng.chance(0.75) {
                rng.pick(&mates)
            } else {
                let f = rng.below(n - 1);
                if f >= to { f + 1 } else { f }
            };
            let lo = org.people[to]
                .joined
                .max(org.people[from].joined)
                .max(earliest)
                + Duration::days(7);
            if lo > last_day() {
                continue;
            }
            let date = rand_workday(rng, lo, last_day());
            let mut f = blank(from, date, rng);
            let x = rng.below(100);
            if x < 35 {
                let options: Vec<usize> = org.people[to]
                    .goals
                    .iter()
                    .copied()
                    .filter(|&g| org.goals[g].available() < date)
                    .collect();
                if !options.is_empty() {
                    f.about = About::Goal(rng.pick(&options));
                }
            } else if x < 42 {
                f.about = About::Expectation(rng.below(EXPECTATIONS.len()));
            }
            mine.push(f);
        }
        mine.sort_by_key(|f| (f.date, f.from));
        let mut taken = BTreeSet::new();
        for mut f in mine {
            if rng.chance(0.2) {
                let team = &org.teams[org.people[f.from].team].slug;
                f.context = Some(format!(
                    "https://git.example.org/{team}/{}/pull/{}",
                    rng.pick(REPOS),
                    rng.range(10, 2400)
                ));
            }
            let v = rng.below(100);
            f.visibility = if v < 6 {
                Some("team")
            } else if v < 8 {
                Some("private")
            } else {
                None
            };
            let base = format!(
                "{}-from-{}",
                f.date.format("%Y-%m-%d"),
                org.people[f.from].handle
            );
            f.file = format!("{}.md", unique(base, &mut taken));
            org.people[to].feedback.push(all.len());
            all.push(f);
        }
    }
    org.feedback = all;
}

// ---------------------------------------------------------------------------
// Rendering files
// ---------------------------------------------------------------------------

/// One file of the output; `text` is its final content.
struct File {
    path: String,
    text: String,
}

/// A commit of the generated history.
struct Event {
    date: NaiveDate,
    author: usize,
    /// Events of the same person on the same day with a group merge into one commit.
    group: bool,
    subject: String,
    reviewers: Vec<usize>,
    files: Vec<(String, Blob)>,
}

enum Blob {
    /// The final content: index into the files.
    Final(usize),
    /// An earlier version.
    Text(String),
}

struct Out {
    files: Vec<File>,
    /// Only filled with `--git`.
    events: Vec<Event>,
    git: bool,
    /// Randomness for the history only, so that the files are the same with
    /// and without `--git`.
    grng: Rng,
}

impl Out {
    fn add(&mut self, path: String, text: String) -> usize {
        self.files.push(File { path, text });
        self.files.len() - 1
    }

    fn event(
        &mut self,
        date: NaiveDate,
        author: usize,
        subject: String,
        files: Vec<(String, Blob)>,
    ) {
        if self.git {
            self.events.push(Event {
                date,
                author,
                group: false,
                subject,
                reviewers: Vec::new(),
                files,
            });
        }
    }

    fn last_event(&mut self) -> Option<&mut Event> {
        if self.git {
            self.events.last_mut()
        } else {
            None
        }
    }
}

fn front(fields: &[(&str, String)]) -> String {
    let mut s = String::from("---\n");
    for (k, v) in fields {
        let _ = writeln!(s, "{k}: {v}");
    }
    s.push_str("---\n\n");
    s
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn render(org: &Org, rng: &mut Rng, git: bool, seed: u64) -> Out {
    let mut out = Out {
        files: Vec::new(),
        events: Vec::new(),
        git,
        grng: Rng::new(seed ^ 0x0067_6974_6869_7374),
    };
    let founder = 0;
    let mut first_files = Vec::new();

    // org.yaml
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# {} — a synthetic organization written by openfolio's gen-org example.\n",
        org.name
    );
    let _ = writeln!(y, "name: {}", yaml(org.name));
    y.push_str(
        "base_url: https://people.example.org/\nlanguage: en\ndefault_visibility: org\n\nvalues:\n",
    );
    for (id, name, desc) in VALUES {
        let _ = writeln!(
            y,
            "  - id: {id}\n    name: {name}\n    description: {}",
            yaml(desc)
        );
    }
    y.push_str("\nexpectations:\n");
    for (id, value, b) in EXPECTATIONS {
        let _ = writeln!(
            y,
            "  - id: {id}\n    value: {value}\n    behaviour: {}",
            yaml(b)
        );
    }
    y.push_str("\ncycle:\n");
    for (id, name, when, purpose, affects) in CYCLE {
        let _ = writeln!(
            y,
            "  - id: {id}\n    name: {name}\n    when: {when}\n    purpose: {}\n    affects_pay: {}",
            yaml(purpose),
            yaml(affects)
        );
    }
    let i = out.add("org.yaml".into(), y);
    first_files.push(("org.yaml".to_string(), Blob::Final(i)));

    let readme = format!(
        "# {}\n\nA synthetic organization generated by `cargo run --example gen-org` \
         ({} people, {} teams). Everything in it is made up.\n",
        org.name,
        org.people.len(),
        org.teams.len()
    );
    let i = out.add("README.md".into(), readme);
    first_files.push(("README.md".to_string(), Blob::Final(i)));

    // Pay.
    let n = org.people.len();
    let rules = |year: i32, pool: usize| {
        format!(
            "# Pay rules of {}, as voted by the general assembly.\n\
             #\n#   pay = base[level] × location multiplier × (1 + 2% × years, at most 10) × fte\n\n\
             currency: EUR\nper: month\npublish: individual\n\n\
             base:\n  by: level\n  table: {{ L1: 2800, L2: 3300, L3: 3900, L4: 4600, L5: 5400 }}\n\n\
             multipliers:\n  - name: Location\n    by: location\n    table: {{ Ghent: 1.00, Brussels: 1.05, Amsterdam: 1.10 }}\n\n\
             steps:\n  - name: Seniority\n    since: start\n    percent_per_year: 2\n    max_years: 10\n    as_of: {year}-01-01\n\n\
             scale_by: fte\nround_to: 1\n\n\
             bonus:\n  pool: {pool}\n  eligible: {{ min_months: 6, as_of: {year}-12-31 }}\n  split: fte\n  points: {{ L1: 1, L2: 1.2, L3: 1.5, L4: 1.8, L5: 2.2 }}\n",
            org.name
        )
    };
    let rules_2025 = rules(2025, n * 800);
    let rules_2026 = rules(2026, n * 900);
    let rules_idx = out.add("pay/rules.yaml".into(), rules_2026);
    first_files.push(("pay/rules.yaml".to_string(), Blob::Text(rules_2025)));
    let pay_index = format!(
        "---\ntitle: How pay works here\n---\n\n\
At {} everybody can see what everybody earns, and why. A secret pay system asks\n\
you to trust that it is fair; a published one lets you check.\n\n\
## Why pay is transparent\n\n\
- **No negotiation.** Your pay follows from a few facts in your profile — your\n  level, your location, your start date and your fte — and from the rules in\n  [`rules.yaml`](rules.yaml).\n\
- **No surprises.** If you change your fte or move to another office, you can\n  compute your new pay before you ask for it.\n\
- **No link to performance reviews.** Goals, reflections and feedback are for\n  growth, not for pay. Besides time, only a level change changes your pay, and\n  you propose that yourself (see the [levels](levels/L1.md)).\n\n\
## How the formula works\n\n\
1. Start from the base amount of your level: [L1](levels/L1.md) to [L5](levels/L5.md).\n\
2. Multiply by the multiplier of your location.\n\
3. Add 2% for every year since you started, for at most ten years.\n\
4. Multiply by your fte, and round to whole euros.\n\n\
## The bonus\n\n\
Once a year the assembly sets aside a pool from the result. It is shared in\n\
proportion to fte among everyone who has been with us for at least six months.\n\n\
## Changing the rules\n\n\
Anyone may propose a change to `rules.yaml` by pull request. The assembly\n\
discusses the open proposals at the pay rules review and votes; a change takes\n\
effect on the first of January after.\n",
        org.name
    );
    let i = out.add("pay/index.md".into(), pay_index);
    first_files.push(("pay/index.md".to_string(), Blob::Final(i)));
    for (k, (word, summary, intro, _)) in LEVELS.iter().enumerate() {
        let mut t = format!(
            "---\ntitle: L{} — {word}\nsummary: {}\n---\n\n{intro}\n\n",
            k + 1,
            yaml(summary)
        );
        for b in LEVEL_BEHAVIOURS[k] {
            let _ = writeln!(t, "- {b}");
        }
        if k + 1 < LEVELS.len() {
            let _ = write!(t, "\nThe next step is [L{}](L{}.md).\n", k + 2, k + 2);
        }
        let path = format!("pay/levels/L{}.md", k + 1);
        let i = out.add(path.clone(), t);
        first_files.push((path, Blob::Final(i)));
    }

    // Objectives.
    let none: [&str; 0] = [];
    let cx0 = Cx {
        mates: &none,
        who: "",
        year: 2026,
        focus: "",
    };
    for (k, (slug, title, period, status)) in OBJECTIVES.iter().enumerate() {
        let mut fm = vec![("title", yaml(title)), ("period", period.to_string())];
        if let Some(o) = org.objective_owners[k] {
            fm.push(("owner", org.people[o].handle.clone()));
        }
        fm.push(("status", status.to_string()));
        let mut t = front(&fm);
        para(rng, OBJECTIVE_BODY, 2, 3, &cx0, &mut t);
        t.push('\n');
        para(rng, OBJECTIVE_MORE, 2, 3, &cx0, &mut t);
        t.push_str("\n**How we will know:**\n\n");
        let idx: Vec<usize> = (0..METRICS.len()).collect();
        for m in rng.sample_in(&idx, 2, 3) {
            let _ = writeln!(t, "- {} of every team, each quarter", METRICS[m]);
        }
        if let Some(o) = org.objective_owners[k] {
            let p = &org.people[o];
            let _ = write!(
                t,
                "\n[{}](../people/{}/index.md) facilitates this objective. Ask them, or\nput your question in the open channel.\n",
                p.name, p.handle
            );
        }
        let path = format!("objectives/{slug}.md");
        let i = out.add(path.clone(), t);
        first_files.push((path, Blob::Final(i)));
    }
    out.event(
        ymd(2025, 1, 2),
        founder,
        format!("Start the repository of {}", org.name),
        first_files,
    );
    if n > 1
        && let Some(e) = out.last_event()
    {
        e.reviewers.push(1);
    }
    out.event(
        ymd(2025, 10, 20),
        founder,
        "Pay rules for 2026, as voted by the general assembly".into(),
        vec![("pay/rules.yaml".into(), Blob::Final(rules_idx))],
    );
    if n > 2
        && let Some(e) = out.last_event()
    {
        e.reviewers.extend([1, 2]);
    }

    // Teams and team goals.
    for (t, team) in org.teams.iter().enumerate() {
        let mates = first_names(&org.people, &team.members, usize::MAX);
        let cx = Cx {
            mates: &mates,
            who: "",
            year: 2026,
            focus: team.focus,
        };
        let facs: Vec<&str> = team
            .facilitators
            .iter()
            .map(|&f| org.people[f].handle.as_str())
            .collect();
        let mission = filled_pick(rng, MISSIONS, &cx);
        let mut text = front(&[
            ("name", yaml(&team.name)),
            ("mission", yaml(&mission)),
            ("facilitators", list(&facs)),
        ]);
        let body = pick_sentences(rng, TEAM_BODY, 4, 6, &cx);
        wrap(&body[..2].join(" "), &mut text);
        text.push('\n');
        wrap(
            &format!("**How we work.** {}", body[2..].join(" ")),
            &mut text,
        );
        text.push_str("\n## Goals\n\n");
        for &g in &team.goals {
            let tg = &org.team_goals[g];
            let _ = writeln!(text, "- [{}](goals/{}.md)", tg.title, tg.slug);
        }
        text.push_str("\n## Who we are\n\n");
        for &m in &team.members {
            let p = &org.people[m];
            let role = if team.facilitators.contains(&m) {
                format!("{}, facilitator", p.role)
            } else {
                p.role.to_string()
            };
            let _ = writeln!(
                text,
                "- [{}](../../people/{}/index.md) — {role}",
                p.name, p.handle
            );
        }
        let path = format!("teams/{}/index.md", team.slug);
        let i = out.add(path.clone(), text);
        let mut files = vec![(path, Blob::Final(i))];
        for &g in &team.goals {
            let tg = &org.team_goals[g];
            let (oslug, otitle, _, _) = OBJECTIVES[tg.objective];
            let mut fm = vec![
                ("title", yaml(&tg.title)),
                ("supports", format!("objectives/{oslug}")),
                ("status", tg.status.to_string()),
                ("due", date(tg.due)),
            ];
            if let Some(p) = tg.progress {
                fm.push(("progress", p.to_string()));
            }
            let mut text = front(&fm);
            para(rng, TEAM_GOAL_BODY, 2, 4, &cx, &mut text);
            text.push('\n');
            para(rng, GENERIC, 2, 3, &cx, &mut text);
            text.push('\n');
            wrap(
                &format!(
                    "This is how {} contributes to [{otitle}](../../../objectives/{oslug}.md).",
                    team.name
                ),
                &mut text,
            );
            text.push('\n');
            let measure = filled(
                rng,
                "**Measure:** the {metric} of the {system}, every month.",
                &cx,
            );
            wrap(&measure, &mut text);
            if rng.chance(0.5) {
                text.push_str("\n## Milestones\n\n");
                bullets(rng, PLAN_ITEMS, (2, 4), &cx, &mut text);
            }
            if tg.progress.is_none() {
                text.push_str(
                    "\nThe progress of this goal is not set by hand: it is rolled up from the\npersonal goals that support it.\n",
                );
            }
            let path = format!("teams/{}/goals/{}.md", team.slug, tg.slug);
            let i = out.add(path.clone(), text);
            files.push((path, Blob::Final(i)));
        }
        let author = team.facilitators[0];
        out.event(
            ymd(2025, 1, 2 + (t % 2) as u32),
            author,
            format!("Add team {} and its goals", team.name),
            files,
        );
    }

    // People.
    for (i, p) in org.people.iter().enumerate() {
        render_person(org, rng, &mut out, i, p);
    }
    out
}

fn render_person(org: &Org, rng: &mut Rng, out: &mut Out, i: usize, p: &Person) {
    let team = &org.teams[p.team];
    let mates = first_names(&org.people, &team.members, i);
    let cx = Cx {
        mates: &mates,
        who: "",
        year: p.start.year(),
        focus: p.focus,
    };
    let base = format!("people/{}", p.handle);

    // Profile.
    let mut fm = vec![("name", yaml(&p.name))];
    match p.second {
        Some(s) => fm.push(("teams", list(&[&team.slug, &org.teams[s].slug]))),
        None => fm.push(("team", team.slug.clone())),
    }
    fm.push(("role", yaml(p.role)));
    fm.push(("level", format!("L{}", p.level)));
    fm.push(("location", p.location.to_string()));
    fm.push(("fte", p.fte.to_string()));
    fm.push(("start", date(p.start)));
    if let Some(c) = p.coach {
        fm.push(("coach", org.people[c].handle.clone()));
    }
    fm.push(("emails", format!("[{}]", p.email)));
    fm.push(("forge", p.forge.clone()));
    let mut text = front(&fm);
    let intro = format!(
        "I am {} in [{}](../../teams/{}/index.md).",
        article(p.role),
        team.name,
        team.slug
    );
    para_with(rng, &intro, PROFILE_INTRO, (2, 3), &cx, &mut text);
    text.push('\n');
    let mut grow = String::new();
    fill_pick(rng, PROFILE_GROW, &cx, &mut grow);
    if !p.goals.is_empty() {
        let g = &org.goals[rng.pick(&p.goals)];
        let _ = write!(
            grow,
            " Right now that means [{}](goals/{}.md).",
            lower_first(&g.title),
            g.slug
        );
    }
    if let Some(c) = p.coach {
        let c = &org.people[c];
        let _ = write!(
            grow,
            " [{}](../{}/index.md) is my coach.",
            c.first, c.handle
        );
    }
    wrap(&grow, &mut text);
    text.push('\n');
    let mut work = String::from("**What I work on.**");
    for k in rng.sample_in(&(0..PROFILE_WORK.len()).collect::<Vec<_>>(), 2, 3) {
        work.push(' ');
        fill(rng, PROFILE_WORK[k], &cx, &mut work);
    }
    wrap(&work, &mut text);
    text.push_str("\n**How I like to work.**\n\n");
    bullets(rng, WORK_STYLE, (2, 4), &cx, &mut text);
    if rng.chance(0.6) {
        text.push('\n');
        let h = filled_pick(rng, HOBBIES, &cx);
        wrap(&h, &mut text);
    }
    text.push('\n');
    let idx: Vec<usize> = (0..ASK_ME.len()).collect();
    let asks: Vec<String> = rng
        .sample(&idx, 3)
        .into_iter()
        .map(|k| filled(rng, ASK_ME[k], &cx))
        .collect();
    let ask = format!("Ask me about: {}, {} and {}.", asks[0], asks[1], asks[2]);
    wrap(&ask, &mut text);
    let path = format!("{base}/index.md");
    let idx = out.add(path.clone(), text);
    out.event(
        p.joined,
        i,
        format!("Add the profile of {}", p.name),
        vec![(path, Blob::Final(idx))],
    );
    let fac = team.facilitators[0];
    let reviewed = out.grng.chance(0.4);
    if let Some(e) = out.last_event() {
        e.group = true;
        if reviewed && fac != i {
            e.reviewers.push(fac);
        }
    }

    // Goals.
    for &g in &p.goals {
        render_goal(org, rng, out, &cx, g);
    }

    // Reflections.
    for &r in &p.reflections {
        let refl = &org.reflections[r];
        let reviewers: Vec<&str> = refl
            .reviewers
            .iter()
            .map(|&h| org.people[h].handle.as_str())
            .collect();
        let mut fm = vec![
            ("period", refl.period.to_string()),
            ("date", date(refl.date)),
            ("reviewers", list(&reviewers)),
            ("moment", refl.moment.to_string()),
        ];
        if let Some(v) = refl.visibility {
            fm.push(("visibility", v.to_string()));
        }
        let mut text = front(&fm);
        let names: Vec<&str> = refl
            .reviewers
            .iter()
            .map(|&h| org.people[h].first)
            .collect();
        let opening = format!(
            "{} I asked {} to read this.",
            if refl.period == "2025" {
                "A look back at my year."
            } else {
                "Half a year in."
            },
            join_names(&names)
        );
        para_with(rng, &opening, GENERIC, (2, 4), &cx, &mut text);
        let done: Vec<usize> = p
            .goals
            .iter()
            .copied()
            .filter(|&g| org.goals[g].available() <= refl.date)
            .collect();
        let mut s = String::from("**What went well.**");
        sentences(rng, REFLECT_WELL, (1, 2), &cx, &mut s);
        if let Some(&g) = done.first() {
            let g = &org.goals[g];
            let _ = write!(
                s,
                " My goal to [{}](../goals/{}.md) is the clearest example.",
                lower_first(&g.title),
                g.slug
            );
        }
        sentences(rng, GENERIC, (2, 3), &cx, &mut s);
        text.push('\n');
        wrap(&s, &mut text);
        let mut s = String::from("**What did not.**");
        sentences(rng, REFLECT_NOT, (1, 2), &cx, &mut s);
        sentences(rng, GENERIC, (1, 2), &cx, &mut s);
        let earlier: Vec<usize> = p
            .feedback
            .iter()
            .copied()
            .filter(|&f| org.feedback[f].date < refl.date)
            .collect();
        if let Some(&f) = earlier.last() {
            let f = &org.feedback[f];
            let _ = write!(
                s,
                " {} [said it plainly](../feedback/{}), and I needed to hear it.",
                org.people[f.from].first, f.file
            );
        }
        text.push('\n');
        wrap(&s, &mut text);
        if done.len() > 1 && rng.chance(0.5) {
            text.push_str("\n| Goal | Status | Progress |\n|---|---|---:|\n");
            for &g in &done {
                let g = &org.goals[g];
                let c = g.checkins.iter().filter(|d| **d <= refl.date).count();
                let prog = g
                    .progress_at(c)
                    .map(|x| format!("{x}%"))
                    .unwrap_or_else(|| "—".into());
                let _ = writeln!(text, "| {} | {} | {prog} |", g.title, g.status_at(c));
            }
        }
        let mut s = String::from("**Energy.**");
        sentences(rng, ENERGY, (1, 1), &cx, &mut s);
        text.push('\n');
        wrap(&s, &mut text);
        let mut s = String::from("**What I want next.**");
        sentences(rng, REFLECT_NEXT, (1, 2), &cx, &mut s);
        sentences(rng, GENERIC, (1, 2), &cx, &mut s);
        text.push('\n');
        wrap(&s, &mut text);
        let mut s = String::from("**Level.**");
        sentences(rng, REFLECT_LEVEL, (1, 1), &cx, &mut s);
        text.push('\n');
        wrap(&s, &mut text);
        let mut s = String::from("**Question to my reviewers:**");
        sentences(rng, REFLECT_QUESTION, (1, 1), &cx, &mut s);
        text.push('\n');
        wrap(&s, &mut text);
        let path = format!("{base}/reflections/{}.md", refl.period);
        let idx = out.add(path.clone(), text);
        out.event(
            refl.date,
            i,
            format!("Reflection {}", refl.period),
            vec![(path, Blob::Final(idx))],
        );
        let first_reviewer = refl.reviewers[0];
        let reviewed = out.grng.chance(0.5);
        if reviewed && let Some(e) = out.last_event() {
            e.reviewers.push(first_reviewer);
        }
    }

    // Requests.
    for &q in &p.requests {
        let req = &org.requests[q];
        let asked: Vec<&str> = req
            .asked
            .iter()
            .map(|&h| org.people[h].handle.as_str())
            .collect();
        let mut fm = vec![
            ("title", yaml(&req.title)),
            ("date", date(req.date)),
            ("asked", list(&asked)),
        ];
        if let Some(g) = req.about {
            fm.push(("about", format!("{base}/goals/{}", org.goals[g].slug)));
        }
        if let Some(u) = req.until {
            fm.push(("until", date(u)));
        }
        fm.push(("status", req.status.to_string()));
        let mut text = front(&fm);
        let names: Vec<&str> = req.asked.iter().map(|&h| org.people[h].first).collect();
        let mut s = format!("{}, I would like your view on this.", join_names(&names));
        if let Some(g) = req.about {
            let g = &org.goals[g];
            let _ = write!(
                s,
                " It is part of [{}](../goals/{}.md).",
                lower_first(&g.title),
                g.slug
            );
        }
        sentences(rng, REQUEST_CONTEXT, (1, 2), &cx, &mut s);
        sentences(rng, GENERIC, (1, 2), &cx, &mut s);
        wrap(&s, &mut text);
        text.push_str("\nWhat I would like to know:\n\n");
        let idx: Vec<usize> = (0..REQUEST_QUESTIONS.len()).collect();
        for (k, j) in rng.sample_in(&idx, 2, 4).into_iter().enumerate() {
            let _ = writeln!(text, "{}. {}", k + 1, REQUEST_QUESTIONS[j]);
        }
        text.push_str("\nShort answers are fine.");
        if req.status == "closed" {
            text.push_str(" Closed: thank you, the answers are in my feedback.");
        }
        text.push('\n');
        let path = format!("{base}/requests/{}.md", req.slug);
        let idx = out.add(path.clone(), text);
        out.event(
            req.date,
            i,
            format!("Ask {} for feedback: {}", join_names(&names), req.title),
            vec![(path, Blob::Final(idx))],
        );
    }

    // Feedback received.
    for &f in &p.feedback {
        render_feedback(org, rng, out, f);
    }
}

fn render_goal(org: &Org, rng: &mut Rng, out: &mut Out, cx: &Cx, g: usize) {
    let goal = &org.goals[g];
    let p = &org.people[goal.owner];
    let cx = &Cx {
        mates: cx.mates,
        who: cx.who,
        year: cx.year,
        focus: goal.focus,
    };
    let supports = match goal.supports {
        Supports::Team(t) => {
            let tg = &org.team_goals[t];
            (
                format!("teams/{}/goals/{}", org.teams[tg.team].slug, tg.slug),
                format!(
                    "It is my part of our team goal [{}](../../../teams/{}/goals/{}.md).",
                    lower_first(&tg.title),
                    org.teams[tg.team].slug,
                    tg.slug
                ),
            )
        }
        Supports::Objective(o) => {
            let (slug, title, _, _) = OBJECTIVES[o];
            (
                format!("objectives/{slug}"),
                format!("It supports the objective [{title}](../../../objectives/{slug}.md)."),
            )
        }
    };
    // Texts shared by every version.
    let mut why = String::new();
    para_with(rng, "", GOAL_WHY, (2, 3), cx, &mut why);
    let mut why2 = String::new();
    para_with(rng, &supports.1, GENERIC, (1, 2), cx, &mut why2);
    if goal.checkins.len() <= 2 || (goal.checkins.len() == 3 && rng.chance(0.3)) {
        why2.push('\n');
        para(rng, GENERIC, 2, 3, cx, &mut why2);
    }
    why2.push('\n');
    let done_means = filled_pick(rng, DONE_MEANS, cx);
    wrap(&done_means, &mut why2);
    let idx: Vec<usize> = (0..PLAN_ITEMS.len()).collect();
    let plan: Vec<String> = rng
        .sample_in(&idx, 3, 5)
        .into_iter()
        .map(|k| filled(rng, PLAN_ITEMS[k], cx))
        .collect();
    let n = goal.checkins.len();
    let table_at = rng.chance(0.12).then(|| rng.below(n));
    let mut checkins = Vec::with_capacity(n);
    for (k, d) in goal.checkins.iter().enumerate() {
        let mut c = format!("## {}\n\n", date(*d));
        let last = k + 1 == n;
        let pool = if last {
            match goal.status {
                "achieved" => CHECKIN_DONE,
                "dropped" => CHECKIN_DROP,
                "paused" => CHECKIN_PAUSE,
                _ if k == 0 => CHECKIN_START,
                _ => CHECKIN_MID,
            }
        } else if k == 0 {
            CHECKIN_START
        } else {
            CHECKIN_MID
        };
        let mut s = filled_pick(rng, pool, cx);
        sentences(rng, CHECKIN_DETAIL, (1, 2), cx, &mut s);
        sentences(rng, GENERIC, (0, 2), cx, &mut s);
        if let Some(pr) = goal.progress_at(k + 1)
            && rng.chance(0.6)
        {
            let _ = write!(s, " I set progress to {pr}.");
        }
        wrap(&s, &mut c);
        if table_at == Some(k) {
            c.push('\n');
            metric_table(rng, &mut c);
        }
        if rng.chance(0.2) {
            c.push_str("\nNext:\n\n");
            bullets(rng, NEXT_STEPS, (2, 3), cx, &mut c);
        }
        checkins.push(c);
    }
    let version = |c: usize| -> String {
        let mut fm = vec![
            ("title", yaml(&goal.title)),
            ("kind", goal.kind.to_string()),
            ("supports", supports.0.clone()),
            ("status", goal.status_at(c).to_string()),
            ("due", date(goal.due)),
        ];
        let progress = goal.progress_at(c);
        if let Some(pr) = progress {
            fm.push(("progress", pr.to_string()));
        }
        let mut t = front(&fm);
        t.push_str("## Why\n\n");
        t.push_str(&why);
        t.push('\n');
        t.push_str(&why2);
        t.push_str("\n## Plan\n\n");
        let ticked = match (goal.status_at(c), progress) {
            ("achieved", _) => plan.len(),
            (_, Some(pr)) => plan.len() * usize::from(pr) / 100,
            (_, None) => c.saturating_sub(1).min(plan.len()),
        };
        for (k, item) in plan.iter().enumerate() {
            let _ = writeln!(t, "- [{}] {item}", if k < ticked { 'x' } else { ' ' });
        }
        for ci in &checkins[..c] {
            t.push('\n');
            t.push_str(ci);
        }
        t
    };
    let path = format!("people/{}/goals/{}.md", p.handle, goal.slug);
    let fin = out.add(path.clone(), version(n));
    if out.git {
        let first = goal.first_len();
        for c in first..=n {
            let blob = if c == n {
                Blob::Final(fin)
            } else {
                Blob::Text(version(c))
            };
            let subject = if c == first {
                format!("Add goal: {}", goal.title)
            } else if c == n && goal.status != "active" {
                format!("{}: {}", goal.title, goal.status)
            } else {
                match goal.progress_at(c) {
                    Some(pr) => format!("Check-in on {}: progress {pr}", goal.slug),
                    None => format!("Check-in on {}", goal.slug),
                }
            };
            out.event(
                goal.checkins[c - 1],
                goal.owner,
                subject,
                vec![(path.clone(), blob)],
            );
            let coach = p.coach;
            let reviewed = out.grng.chance(0.35);
            if let Some(e) = out.last_event() {
                e.group = c == first;
                if c > first
                    && reviewed
                    && let Some(coach) = coach
                {
                    e.reviewers.push(coach);
                }
            }
        }
    }
}

fn render_feedback(org: &Org, rng: &mut Rng, out: &mut Out, f: usize) {
    let fb = &org.feedback[f];
    let to = &org.people[fb.to];
    let from = &org.people[fb.from];
    let base = format!("people/{}", to.handle);
    let mates = first_names(&org.people, &org.teams[from.team].members, fb.from);
    let cx = Cx {
        mates: &mates,
        who: to.first,
        year: fb.date.year(),
        focus: to.focus,
    };
    let mut fm = vec![
        ("from", from.handle.clone()),
        ("date", date(fb.date)),
        ("kind", fb.kind.to_string()),
    ];
    match fb.about {
        About::Nothing => {}
        About::Goal(g) => fm.push(("about", format!("{base}/goals/{}", org.goals[g].slug))),
        About::Reflection(r) => fm.push((
            "about",
            format!("{base}/reflections/{}", org.reflections[r].period),
        )),
        About::Request(q) => {
            fm.push(("about", format!("{base}/requests/{}", org.requests[q].slug)))
        }
        About::Expectation(e) => fm.push(("about", EXPECTATIONS[e].0.to_string())),
    }
    if let Some(q) = fb.request {
        fm.push((
            "request",
            format!("{base}/requests/{}", org.requests[q].slug),
        ));
    }
    if let Some(c) = &fb.context {
        fm.push(("context", c.clone()));
    }
    if let Some(v) = fb.visibility {
        fm.push(("visibility", v.to_string()));
    }
    let mut text = front(&fm);
    let appreciation = fb.kind == "appreciation";
    let (open, pool, items_pool) = if appreciation {
        (APPRECIATION_OPEN, APPRECIATION, APPRECIATION)
    } else {
        (SUGGESTION_OPEN, SUGGESTION, TRY_ITEMS)
    };
    let mut first = filled_pick(rng, open, &cx);
    match fb.about {
        About::Goal(g) => {
            let g = &org.goals[g];
            let _ = write!(
                first,
                " This is about [your goal to {}](../goals/{}.md).",
                lower_first(&g.title),
                g.slug
            );
        }
        About::Reflection(r) => {
            let _ = write!(
                first,
                " You asked for this in [your reflection](../reflections/{}.md).",
                org.reflections[r].period
            );
        }
        About::Request(q) => {
            let _ = write!(
                first,
                " You asked: [{}](../requests/{}.md)",
                org.requests[q].title, org.requests[q].slug
            );
            if !org.requests[q].title.ends_with('?') {
                first.push('.');
            }
        }
        About::Expectation(e) => {
            let _ = write!(
                first,
                " It is about what we expect of each other: {}",
                lower_first(EXPECTATIONS[e].2)
            );
        }
        About::Nothing => {}
    }
    sentences(rng, FEEDBACK_SITUATION, (1, 1), &cx, &mut first);
    let own = pick_sentences(rng, pool, 3, 5, &cx);
    let general = pick_sentences(rng, GENERIC, 4, 7, &cx);
    let (own_first, general_first) = (rng_range(rng, 2, 3), rng_range(rng, 2, 3));
    for x in &own[..own_first] {
        first.push(' ');
        first.push_str(x);
    }
    wrap(&first, &mut text);
    text.push('\n');
    let mut s = String::new();
    let impact = if appreciation {
        FEEDBACK_IMPACT
    } else {
        SUGGESTION_IMPACT
    };
    sentences(rng, impact, (1, 2), &cx, &mut s);
    for x in &general[..general_first] {
        s.push(' ');
        s.push_str(x);
    }
    wrap(&s, &mut text);
    if rng.chance(0.35) {
        text.push_str(if appreciation {
            "\nWhat I noticed in particular:\n\n"
        } else {
            "\nThings I would try:\n\n"
        });
        bullets(rng, items_pool, (2, 3), &cx, &mut text);
    }
    let rest: Vec<&String> = own[own_first..]
        .iter()
        .chain(&general[general_first..])
        .collect();
    if !rest.is_empty() {
        let joined: Vec<&str> = rest.iter().map(|x| x.as_str()).collect();
        text.push('\n');
        wrap(&joined.join(" "), &mut text);
    }
    text.push('\n');
    let mut close = filled_pick(
        rng,
        if appreciation {
            APPRECIATION_CLOSE
        } else {
            SUGGESTION_CLOSE
        },
        &cx,
    );
    if rng.chance(0.15) {
        let _ = write!(close, " — [{}](../../{}/index.md)", from.first, from.handle);
    }
    wrap(&close, &mut text);
    let path = format!("{base}/feedback/{}", fb.file);
    let idx = out.add(path.clone(), text);
    let subject = match fb.about {
        About::Goal(g) => format!(
            "Feedback for {} on {}",
            to.first,
            lower_first(&org.goals[g].title)
        ),
        About::Reflection(r) => format!(
            "Feedback for {} on the {} reflection",
            to.first, org.reflections[r].period
        ),
        _ => format!("Feedback for {}", to.first),
    };
    out.event(fb.date, fb.from, subject, vec![(path, Blob::Final(idx))]);
    let reviewed = out.grng.chance(0.15);
    if reviewed && let Some(e) = out.last_event() {
        e.reviewers.push(fb.to);
    }
}

fn article(role: &str) -> String {
    let lower = lower_first(role);
    if lower.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {lower}")
    } else {
        format!("a {lower}")
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn join_names(names: &[&str]) -> String {
    match names {
        [] => "nobody".into(),
        [a] => a.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

fn check_out_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(format!("{} exists and is not a directory", dir.display()));
        }
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "refusing to write into {}: the directory is not empty",
                dir.display()
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

fn write_files(dir: &Path, files: &[File]) -> Result<(), String> {
    let dirs: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for d in dirs {
        std::fs::create_dir_all(dir.join(d)).map_err(|e| format!("cannot create {d}: {e}"))?;
    }
    files.par_iter().try_for_each(|f| {
        std::fs::write(dir.join(&f.path), &f.text)
            .map_err(|e| format!("cannot write {}: {e}", f.path))
    })
}

/// Seconds east of UTC: CET in winter, CEST from April to October.
fn offset(d: NaiveDate) -> i32 {
    let last_sunday = |m: u32| {
        let end = ymd(d.year(), m + 1, 1) - Duration::days(1);
        end - Duration::days(i64::from(end.weekday().num_days_from_sunday()))
    };
    if d >= last_sunday(3) && d < last_sunday(10) {
        7200
    } else {
        3600
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<(), String> {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .status()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("git {} failed: {status}", args.join(" ")))
    }
}

/// Writes the history with `git fast-import` and checks out its last commit.
/// Returns the number of commits.
fn write_git(dir: &Path, org: &Org, out: Out, seed: u64) -> Result<usize, String> {
    let Out { files, events, .. } = out;
    let mut rng = Rng::new(seed ^ 0x5eed_0f91);
    // A time of day for each commit; a person's grouped changes of one day
    // share one.
    let mut group_time: BTreeMap<(usize, NaiveDate), i64> = BTreeMap::new();
    let mut timed: Vec<(i64, usize, usize, Event)> = Vec::with_capacity(events.len());
    for (seq, e) in events.into_iter().enumerate() {
        let random_secs = |rng: &mut Rng| {
            let hour = [
                8, 9, 9, 10, 10, 11, 11, 13, 14, 14, 15, 15, 16, 16, 17, 18, 20,
            ][rng.below(17)];
            hour * 3600 + rng.range(0, 59) * 60 + rng.range(0, 59)
        };
        let secs = if e.group {
            let s = random_secs(&mut rng);
            *group_time.entry((e.author, e.date)).or_insert(s)
        } else {
            random_secs(&mut rng)
        };
        let local = e
            .date
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc()
            .timestamp()
            + secs;
        let ts = local - i64::from(offset(e.date));
        timed.push((ts, e.author, seq, e));
    }
    timed.sort_by_key(|(ts, author, seq, _)| (*ts, *author, *seq));

    // Merge a person's grouped changes of one moment into one commit.
    let mut commits: Vec<(i64, Event, Vec<String>)> = Vec::new();
    for (ts, _, _, e) in timed {
        if let Some((lts, last, subjects)) = commits.last_mut()
            && e.group
            && last.group
            && *lts == ts
            && last.author == e.author
        {
            subjects.push(e.subject);
            last.files.extend(e.files);
            for r in e.reviewers {
                if !last.reviewers.contains(&r) {
                    last.reviewers.push(r);
                }
            }
            continue;
        }
        let subjects = vec![e.subject.clone()];
        commits.push((ts, e, subjects));
    }

    git(dir, &["-c", "init.defaultBranch=main", "init", "-q"])?;
    git(dir, &["symbolic-ref", "HEAD", "refs/heads/main"])?;
    let mut child = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["fast-import", "--quiet", "--date-format=raw"])
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git fast-import: {e}"))?;
    let stdin = child.stdin.take().expect("piped stdin");
    let mut w = std::io::BufWriter::with_capacity(1 << 20, stdin);
    let count = commits.len();
    let io = |e: std::io::Error| format!("writing to git fast-import: {e}");
    let started = std::time::Instant::now();
    for (n, (ts, e, subjects)) in commits.iter().enumerate() {
        // fast-import reads as fast as it writes (the pipe is full), so this
        // is its progress too: at 10,000 people the history takes a while.
        if n > 0 && n % 20_000 == 0 {
            eprintln!(
                "gen-org: {n} of {count} commits written to git fast-import ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
        let message = commit_message(org, e, subjects);
        let who = &org.people[e.author];
        let off = offset(e.date);
        let tz = format!("+{:02}{:02}", off / 3600, off % 3600 / 60);
        write!(
            w,
            "commit refs/heads/main\nauthor {} <{}> {ts} {tz}\ncommitter {} <{}> {ts} {tz}\ndata {}\n{message}\n",
            who.name,
            who.email,
            who.name,
            who.email,
            message.len()
        )
        .map_err(io)?;
        for (path, blob) in &e.files {
            let text = match blob {
                Blob::Final(i) => files[*i].text.as_str(),
                Blob::Text(t) => t.as_str(),
            };
            write!(w, "M 100644 inline {path}\ndata {}\n", text.len()).map_err(io)?;
            w.write_all(text.as_bytes()).map_err(io)?;
            w.write_all(b"\n").map_err(io)?;
        }
        w.write_all(b"\n").map_err(io)?;
    }
    w.flush().map_err(io)?;
    drop(w);
    let status = child.wait().map_err(|e| format!("git fast-import: {e}"))?;
    if !status.success() {
        return Err(format!("git fast-import failed: {status}"));
    }
    git(dir, &["reset", "--hard", "-q"])?;
    Ok(count)
}

fn commit_message(org: &Org, e: &Event, subjects: &[String]) -> String {
    let mut m = if subjects.len() == 1 {
        subjects[0].clone()
    } else {
        let goals = subjects
            .iter()
            .filter(|s| s.starts_with("Add goal"))
            .count();
        let head = if subjects[0].starts_with("Add the profile") {
            format!(
                "{} and {goals} goal{}",
                subjects[0],
                if goals == 1 { "" } else { "s" }
            )
        } else {
            format!("Goals for {}", e.date.year())
        };
        let mut m = format!("{head}\n\n");
        for s in subjects {
            let _ = writeln!(m, "- {s}");
        }
        m.trim_end().to_string()
    };
    if !e.reviewers.is_empty() {
        m.push_str("\n\n");
        for &r in &e.reviewers {
            let p = &org.people[r];
            let _ = writeln!(m, "Reviewed-by: {} <{}>", p.name, p.email);
        }
        m.truncate(m.trim_end().len());
    }
    m.push('\n');
    m
}

fn main() {
    let args = Args::parse();
    if args.people == 0 {
        eprintln!("gen-org: --people must be at least 1");
        std::process::exit(2);
    }
    if let Err(e) = check_out_dir(&args.out) {
        eprintln!("gen-org: {e}");
        std::process::exit(1);
    }
    let started = Instant::now();
    let mut rng = Rng::new(args.seed);
    let org = build_org(args.people, &mut rng);
    let out = render(&org, &mut rng, args.git, args.seed);
    let n_files = out.files.len();
    let bytes: usize = out.files.iter().map(|f| f.text.len()).sum();
    let result = if args.git {
        write_git(&args.out, &org, out, args.seed).map(Some)
    } else {
        write_files(&args.out, &out.files).map(|()| None)
    };
    match result {
        Ok(commits) => {
            let commits = commits
                .map(|c| format!(", {c} commits"))
                .unwrap_or_default();
            eprintln!(
                "gen-org: {} people, {} teams, {n_files} files, {bytes} bytes ({:.1} MB){commits}, seed {}, in {:.2}s → {}",
                org.people.len(),
                org.teams.len(),
                bytes as f64 / 1e6,
                args.seed,
                started.elapsed().as_secs_f64(),
                args.out.display()
            );
        }
        Err(e) => {
            eprintln!("gen-org: {e}");
            std::process::exit(1);
        }
    }
}
