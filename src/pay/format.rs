//! Money as readers of each language expect it: `€3,538.08` in English,
//! `3 538,08 €` in Dutch (with no-break spaces, so amounts never wrap).

use rust_decimal::Decimal;

fn symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        "JPY" => Some("¥"),
        "CHF" => Some("CHF"),
        _ => None,
    }
}

/// Groups the integer digits of a plain decimal string.
fn group(int: &str, sep: &str) -> String {
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(sep);
        }
        out.push(*c);
    }
    out
}

/// A number with `decimals` decimals in the language's notation.
pub fn number(d: Decimal, decimals: u32, language: &str) -> String {
    let mut d = d.round_dp(decimals);
    d.rescale(decimals);
    let neg = d.is_sign_negative() && !d.is_zero();
    let text = d.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let (thousands, point) = if language == "nl" {
        ("\u{a0}", ",")
    } else {
        (",", ".")
    };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push_str(&group(int, thousands));
    if !frac.is_empty() {
        out.push_str(point);
        out.push_str(frac);
    }
    out
}

/// An amount of money with the currency, two decimals (or none for
/// currencies without minor units).
pub fn money(d: Decimal, currency: &str, unit: Decimal, language: &str) -> String {
    let n = number(d, unit.normalize().scale(), language);
    match (symbol(currency), language) {
        (Some(s), "nl") => format!("{n}\u{a0}{s}"),
        (Some(s), _) if s.len() > 2 && s.is_ascii() => format!("{s}\u{a0}{n}"),
        (Some(s), _) => format!("{s}{n}"),
        (None, _) => format!("{n}\u{a0}{currency}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_dutch() {
        let d = Decimal::new(353808, 2);
        let cent = Decimal::new(1, 2);
        assert_eq!(money(d, "EUR", cent, "en"), "€3,538.08");
        assert_eq!(money(d, "EUR", cent, "nl"), "3\u{a0}538,08\u{a0}€");
        assert_eq!(
            money(Decimal::new(1234567, 0), "EUR", cent, "en"),
            "€1,234,567.00"
        );
        assert_eq!(
            money(Decimal::new(12, 0), "SEK", cent, "en"),
            "12.00\u{a0}SEK"
        );
        assert_eq!(number(Decimal::new(15, 1), 1, "nl"), "1,5");
    }
}
