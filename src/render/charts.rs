//! Charts as data for inline SVG: the geometry is computed here (bars, dots,
//! axes in a fixed viewBox), the markup is the theme's (`charts.html`). Every
//! chart carries its own text alternative: a title, a description and the
//! numbers as a table.

use chrono::{Datelike, Months};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use serde_json::{Value as Json, json};

use super::views::Views;
use crate::model::documents::Date;

/// Width and height of every chart's viewBox; the CSS scales it.
const W: u32 = 600;
const BAR_H: u32 = 22;

#[derive(Debug, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: String,
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

/// The twelve months ending with `today`'s month, oldest first.
fn last_twelve_months(today: Date) -> Vec<Date> {
    let first = today.with_day(1).unwrap_or(today);
    (0..12)
        .rev()
        .filter_map(|i| first.checked_sub_months(Months::new(i)))
        .collect()
}

impl Views<'_> {
    fn month_label(&self, d: Date) -> String {
        let name = self.words.date(d);
        // "4 March 2026" → "Mar 26": the short form of the month and year.
        let month: String = name
            .split_whitespace()
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(3)
            .collect();
        format!("{month} {}", d.format("%y"))
    }

    /// Horizontal bars of progress, one per goal (a roll-up at a glance).
    pub fn progress_chart(&self, title: &str, goals: &[(String, Option<u8>)]) -> Json {
        let label_w = 220;
        let bars: Vec<Bar> = goals
            .iter()
            .enumerate()
            .map(|(i, (label, p))| Bar {
                label: label.clone(),
                value: p.map_or_else(|| "—".into(), |p| format!("{p}%")),
                x: label_w,
                y: i as u32 * (BAR_H + 8),
                width: u32::from(p.unwrap_or(0)) * (W - label_w - 60) / 100,
                height: BAR_H,
            })
            .collect();
        json!({
            "kind": "progress",
            "title": title,
            "width": W,
            "height": (goals.len() as u32 * (BAR_H + 8)).max(BAR_H),
            "label_width": label_w,
            "track_width": W - label_w - 60,
            "bars": bars,
            "columns": [self.words.get("goal.title_column"), self.words.get("goal.progress")],
        })
    }

    /// Vertical bars of a count per month over the last twelve months.
    pub fn monthly_chart(&self, title: &str, dates: &[Date], today: Date) -> Json {
        let months = last_twelve_months(today);
        let counts: Vec<usize> = months
            .iter()
            .map(|m| {
                dates
                    .iter()
                    .filter(|d| d.year() == m.year() && d.month() == m.month())
                    .count()
            })
            .collect();
        let max = counts.iter().copied().max().unwrap_or(0).max(1);
        let plot_h = 120u32;
        let col = W / 12;
        let bars: Vec<Bar> = months
            .iter()
            .zip(&counts)
            .enumerate()
            .map(|(i, (m, c))| {
                let h = (*c as u32) * plot_h / max as u32;
                Bar {
                    label: self.month_label(*m),
                    value: c.to_string(),
                    x: i as u32 * col + 8,
                    y: plot_h - h,
                    width: col - 16,
                    height: h,
                }
            })
            .collect();
        json!({
            "kind": "monthly",
            "title": title,
            "width": W,
            "height": plot_h + 24,
            "plot_height": plot_h,
            "column": col,
            "bars": bars,
            "total": counts.iter().sum::<usize>(),
            "columns": [self.words.get("chart.month"), self.words.get("chart.count")],
        })
    }

    /// A person's year: goals (from the first to the last dated check-in, or
    /// to the due date) as lines, feedback received as dots, on one axis.
    pub fn timeline_chart(
        &self,
        title: &str,
        goals: &[(String, Vec<Date>, Option<Date>)],
        feedback: &[(String, Date)],
        today: Date,
    ) -> Json {
        let months = last_twelve_months(today);
        let start = months[0];
        let end = today.checked_add_months(Months::new(1)).unwrap_or(today);
        let span = (end - start).num_days().max(1) as f64;
        let label_w = 200u32;
        let track = W - label_w - 10;
        let x = |d: Date| -> u32 {
            let off = (d - start).num_days().clamp(0, span as i64) as f64;
            label_w + (off / span * f64::from(track)).round() as u32
        };
        let row = 20u32;
        let mut rows = Vec::new();
        for (i, (label, checkins, due)) in goals.iter().enumerate() {
            let first = checkins.iter().min().copied();
            let last = checkins.iter().max().copied().or(*due);
            let (Some(a), Some(b)) = (first.or(*due), last) else {
                continue;
            };
            if b < start {
                continue;
            }
            rows.push(json!({
                "label": label,
                "y": 22 + i as u32 * row,
                "x1": x(a.max(start)),
                "x2": x(b.min(end)).max(x(a.max(start)) + 2),
                "dots": checkins.iter().filter(|d| **d >= start).map(|d| x(*d)).collect::<Vec<_>>(),
                "from": self.date(Some(a)),
                "to": self.date(Some(b)),
                "checkins": checkins.len(),
            }));
        }
        let fb_y = 22 + goals.len() as u32 * row + 6;
        let dots: Vec<Json> = feedback
            .iter()
            .filter(|(_, d)| *d >= start)
            .map(|(who, d)| json!({"x": x(*d), "who": who, "date": self.date(Some(*d))}))
            .collect();
        // A label every other month keeps them legible at any width.
        let ticks: Vec<Json> = months
            .iter()
            .enumerate()
            .map(|(i, m)| json!({"x": x(*m), "label": if i % 2 == 0 { self.month_label(*m) } else { String::new() }}))
            .collect();
        json!({
            "kind": "timeline",
            "title": title,
            "width": W,
            "height": fb_y + 20,
            "label_width": label_w,
            "rows": rows,
            "feedback_y": fb_y,
            "feedback": dots,
            "ticks": ticks,
            "today_x": x(today),
        })
    }

    /// Pay bands per level (full time), with each person's full-time pay as
    /// a dot; only when individual pay is published.
    pub fn band_chart(&self, bands: &[(String, Decimal, Decimal, Vec<Decimal>)]) -> Json {
        // The axis runs from just below the lowest band to the highest.
        let lowest = bands
            .iter()
            .map(|b| b.1)
            .chain(bands.iter().flat_map(|b| b.3.iter().copied()))
            .min()
            .unwrap_or(Decimal::ZERO);
        let highest = bands
            .iter()
            .map(|b| b.2)
            .chain(bands.iter().flat_map(|b| b.3.iter().copied()))
            .max()
            .unwrap_or(Decimal::ONE);
        let min = lowest * Decimal::new(95, 2);
        let span = (highest - min).max(Decimal::ONE);
        let label_w = 80u32;
        let track = Decimal::from(W - label_w - 20);
        let x = |v: Decimal| -> u32 {
            label_w + ((v - min) / span * track).round().to_u32().unwrap_or(0)
        };
        let rows: Vec<Json> = bands
            .iter()
            .enumerate()
            .map(|(i, (level, lo, hi, people))| {
                json!({
                    "label": level,
                    "y": i as u32 * (BAR_H + 10),
                    "x1": x(*lo),
                    "x2": x(*hi).max(x(*lo) + 2),
                    "dots": people.iter().map(|p| x(*p)).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({"kind": "bands", "width": W, "height": bands.len() as u32 * (BAR_H + 10), "label_width": label_w, "rows": rows, "bar_height": BAR_H})
    }
}

/// The month a moment's `when` names (`January`, `mid-June`, `december`,
/// `maart`), in English or Dutch.
pub fn month_of(when: &str) -> Option<u32> {
    const EN: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const NL: [&str; 12] = [
        "jan", "feb", "maa", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
    ];
    let lower = when.to_lowercase();
    lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() >= 3)
        .find_map(|w| {
            let p = &w[..w.char_indices().nth(3).map_or(w.len(), |(i, _)| i)];
            EN.iter()
                .position(|m| *m == p)
                .or_else(|| NL.iter().position(|m| *m == p))
        })
        .map(|i| i as u32 + 1)
}

impl Views<'_> {
    /// The year's conversations on a twelve-month axis, with today and the
    /// next moment marked.
    pub fn cycle(&self, today: Date) -> Json {
        let cycle = &self.org.docs.config.cycle;
        let label_y = 14u32;
        let axis_y = 40u32;
        let x = |month: u32, day: u32| 20 + ((month - 1) * 30 + day.min(30)) * (W - 40) / 360;
        let month_now = today.month();
        let next = cycle
            .iter()
            .enumerate()
            .filter_map(|(i, m)| month_of(&m.when).map(|mo| (i, mo)))
            .min_by_key(|(_, mo)| (if *mo >= month_now { 0 } else { 1 }, *mo))
            .map(|(i, _)| i);
        let moments: Vec<Json> = cycle
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let month = month_of(&m.when);
                json!({
                    "id": m.id, "name": m.name, "when": m.when, "purpose": m.purpose, "affects_pay": m.affects_pay,
                    "x": month.map(|mo| x(mo, 15)),
                    "now": month == Some(month_now),
                    "next": next == Some(i),
                    "past": month.is_some_and(|mo| mo < month_now),
                })
            })
            .collect();
        let ticks: Vec<Json> = (1..=12u32)
            .map(|mo| {
                let d = Date::from_ymd_opt(today.year(), mo, 1).unwrap_or(today);
                json!({"x": x(mo, 0), "label": self.month_label(d).split_whitespace().next().unwrap_or("").to_string()})
            })
            .collect();
        json!({
            "width": W, "height": 70, "axis_y": axis_y, "label_y": label_y,
            "today_x": x(month_now, today.day()),
            "today": self.date(Some(today)),
            "ticks": ticks,
            "moments": moments,
            "next": next.map(|i| cycle[i].name.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_from_free_text() {
        assert_eq!(month_of("January"), Some(1));
        assert_eq!(month_of("mid-June, before the holidays"), Some(6));
        assert_eq!(month_of("begin maart"), Some(3));
        assert_eq!(month_of("Oktober"), Some(10));
        assert_eq!(month_of("whenever you like"), None);
    }
}
