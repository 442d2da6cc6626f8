//! The one module that knows YAML.
//!
//! Front matter and `org.yaml` are parsed here, with serde-saphyr, into a small
//! tree of [`Node`]s that remember where each value stood in the file. The
//! per-kind readers (`load::kinds`) then pull typed fields out of that tree
//! with [`Fields`], which reports every problem (missing field, wrong type,
//! unknown field, value outside its enumeration) as a [`Diagnostic`] with the
//! file, line and column — all of them, not only the first.
//!
//! Why not derive `Deserialize` on the document structs: serde stops at the
//! first error and cannot tell "unknown field" (a warning here) from a typo in
//! a required one. Why serde-saphyr and not serde_yaml: serde_yaml is
//! deprecated and rests on unsafe-libyaml; serde-saphyr is safe Rust, bounds
//! alias expansion and nesting, and reports positions.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::check::{Code, Diagnostic};

/// Nesting deeper than this is refused: no content needs it, and it bounds
/// the recursion of everything that walks the tree.
pub const MAX_DEPTH: usize = 32;

/// A YAML value with the position (in the whole file) where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, kept as the exact text it was written with, so that money
    /// (`1.05`) reaches the decimal type without passing through a float.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

/// A mapping key and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub line: u32,
    pub col: u32,
}

impl Value {
    /// How a type is named in a diagnostic ("expected a list, found a number").
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Number(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// The text of a scalar (text or number), as written.
    pub fn as_scalar_text(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) | Value::Number(s) => Some(s),
            _ => None,
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Parses YAML text into a [`Node`] tree. `line_offset` is the number of lines
/// before the YAML in its file (1 for front matter, after the opening `---`),
/// so that every position names the line of the file the user sees.
pub fn parse(text: &str, line_offset: u32) -> Result<Node, (u32, u32, String)> {
    if text.trim().is_empty() {
        return Ok(Node {
            value: Value::Map(Vec::new()),
            line: line_offset + 1,
            col: 1,
        });
    }
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_aliases: 1_000,
            max_nodes: 200_000,
        },
    };
    let raw: Spanned<RawValue> =
        serde_saphyr::from_str_with_options(text, options).map_err(|e| {
            let (line, col) = e
                .location()
                .map(|l| (l.line() as u32, l.column() as u32))
                .unwrap_or((1, 1));
            (
                line + line_offset,
                col,
                first_line(&e.without_snippet().to_string()),
            )
        })?;
    Ok(to_node(raw, text, line_offset))
}

fn first_line(message: &str) -> String {
    let msg = message.lines().next().unwrap_or("invalid YAML").trim();
    // serde-saphyr appends "at line X column Y"; we print our own position.
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn to_node(spanned: Spanned<RawValue>, text: &str, line_offset: u32) -> Node {
    let loc = spanned.referenced;
    let line = loc.line() as u32 + line_offset;
    let col = loc.column() as u32;
    let value = match spanned.value {
        RawValue::Null => Value::Null,
        RawValue::Bool(b) => Value::Bool(b),
        RawValue::Number(formatted) => {
            // Recover the exact text from the source when the span allows.
            let span = loc.span();
            let exact = span
                .byte_offset()
                .zip(span.byte_len())
                .and_then(|(off, len)| {
                    text.get(off as usize..(off + len) as usize)
                        .map(|s| s.trim().to_string())
                });
            Value::Number(match exact {
                Some(s) if !s.is_empty() && s.parse::<f64>().is_ok() => s,
                _ => formatted,
            })
        }
        RawValue::Str(s) => Value::Str(s),
        RawValue::Seq(items) => Value::Seq(
            items
                .into_iter()
                .map(|i| to_node(i, text, line_offset))
                .collect(),
        ),
        RawValue::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        name: k.value.0,
                        line: k.referenced.line() as u32 + line_offset,
                        col: k.referenced.column() as u32,
                    };
                    (key, to_node(v, text, line_offset))
                })
                .collect(),
        ),
    };
    Node { value, line, col }
}

/// The tree as serde-saphyr hands it over, before positions are made relative
/// to the file.
enum RawValue {
    Null,
    Bool(bool),
    Number(String),
    Str(String),
    Seq(Vec<Spanned<RawValue>>),
    Map(Vec<(Spanned<KeyText>, Spanned<RawValue>)>),
}

/// A key of any scalar type, as text (`2026: …` and `L3: …` alike).
struct KeyText(String);

impl<'de> Deserialize<'de> for KeyText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeyText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a plain key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyText, E> {
                Ok(KeyText(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<RawValue, E> {
                Ok(RawValue::Null)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<RawValue, D2::Error> {
                RawValue::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v.to_string()))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<RawValue, E> {
                Ok(RawValue::Number(v.to_string()))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<RawValue, E> {
                Ok(RawValue::Number(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue::Number(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue::Str(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawValue, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(RawValue::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawValue, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(RawValue::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads the fields of one mapping, recording a diagnostic for every problem.
/// Call [`Fields::finish`] last: it warns about the fields nobody asked for.
pub struct Fields<'a> {
    file: &'a str,
    node: &'a Node,
    known: Vec<&'static str>,
    pub diags: &'a mut Vec<Diagnostic>,
}

impl<'a> Fields<'a> {
    /// Starts reading `node` of `file`; a node that is not a mapping is
    /// reported once, and every field then reads as absent.
    pub fn new(file: &'a str, node: &'a Node, diags: &'a mut Vec<Diagnostic>) -> Self {
        if !matches!(node.value, Value::Map(_)) {
            diags.push(
                Diagnostic::error(
                    Code::WrongType,
                    file,
                    node.line,
                    node.col,
                    format!(
                        "expected a mapping of `field: value` lines, found {}",
                        node.value.kind_name()
                    ),
                )
                .help("write one `field: value` per line"),
            );
        }
        Fields {
            file,
            node,
            known: Vec::new(),
            diags,
        }
    }

    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The node of field `name`, remembering that the field is known.
    pub fn node(&mut self, name: &'static str) -> Option<&'a Node> {
        self.known.push(name);
        self.node.get(name).filter(|n| n.value != Value::Null)
    }

    /// Where to point when a required field is missing: the mapping itself.
    pub fn missing(&mut self, name: &str, help: &str) {
        self.diags.push(
            Diagnostic::error(
                Code::MissingField,
                self.file,
                self.node.line,
                self.node.col,
                format!("missing required field `{name}`"),
            )
            .help(help),
        );
    }

    pub fn error(&mut self, code: Code, at: &Node, message: String, help: String) {
        self.diags
            .push(Diagnostic::error(code, self.file, at.line, at.col, message).help(help));
    }

    pub fn warning(&mut self, code: Code, at: &Node, message: String, help: String) {
        self.diags
            .push(Diagnostic::warning(code, self.file, at.line, at.col, message).help(help));
    }

    fn wrong_type(&mut self, name: &str, at: &Node, expected: &str) {
        self.error(
            Code::WrongType,
            at,
            format!(
                "`{name}` should be {expected}, found {}",
                at.value.kind_name()
            ),
            format!("write `{name}:` followed by {expected}"),
        );
    }

    /// A text field (numbers are accepted as their text: `period: 2026`).
    pub fn string(&mut self, name: &'static str) -> Option<At<String>> {
        let node = self.node(name)?;
        match node.as_scalar_text() {
            Some(s) => Some(At::from_node(s.to_string(), node)),
            None => {
                self.wrong_type(name, node, "text");
                None
            }
        }
    }

    pub fn required_string(&mut self, name: &'static str, help: &str) -> Option<At<String>> {
        let present = self.node.get(name).is_some_and(|n| n.value != Value::Null);
        let v = self.string(name);
        if !present {
            self.missing(name, help);
        }
        v
    }

    /// One text or a list of texts (`reviewers: bob` and `reviewers: [bob]`).
    pub fn string_list(&mut self, name: &'static str) -> Vec<At<String>> {
        let Some(node) = self.node(name) else {
            return Vec::new();
        };
        match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item.as_scalar_text() {
                        Some(s) => out.push(At::from_node(s.to_string(), item)),
                        None => self.wrong_type(name, item, "text"),
                    }
                }
                out
            }
            Value::Str(s) | Value::Number(s) => vec![At::from_node(s.clone(), node)],
            _ => {
                self.wrong_type(name, node, "a list like `[a, b]`");
                Vec::new()
            }
        }
    }

    /// A field whose value must be one of `allowed`.
    pub fn choice(
        &mut self,
        name: &'static str,
        allowed: &'static [&'static str],
    ) -> Option<At<String>> {
        let v = self.string(name)?;
        if allowed.contains(&v.value.as_str()) {
            return Some(v);
        }
        let suggestion = crate::check::suggest(&v.value, allowed.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        self.diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                self.file,
                v.line,
                v.col,
                format!("`{}` is not a valid `{name}`", v.value),
            )
            .help(format!("{suggestion}use one of: {}", allowed.join(", "))),
        );
        None
    }

    /// A `YYYY-MM-DD` date.
    pub fn date(&mut self, name: &'static str) -> Option<At<chrono::NaiveDate>> {
        let v = self.string(name)?;
        match chrono::NaiveDate::parse_from_str(&v.value, "%Y-%m-%d") {
            Ok(d) if v.value.len() == 10 => Some(At {
                value: d,
                line: v.line,
                col: v.col,
            }),
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        Code::InvalidDate,
                        self.file,
                        v.line,
                        v.col,
                        format!("`{}` is not a date", v.value),
                    )
                    .help(format!(
                        "write `{name}` as YYYY-MM-DD, for example `{name}: 2026-03-04`"
                    )),
                );
                None
            }
        }
    }

    /// A number, as exact text parsed to a decimal.
    pub fn decimal(&mut self, name: &'static str) -> Option<At<rust_decimal::Decimal>> {
        let node = self.node(name)?;
        match parse_decimal(node) {
            Some(d) => Some(At::from_node(d, node)),
            None => {
                self.wrong_type(name, node, "a number");
                None
            }
        }
    }

    pub fn bool(&mut self, name: &'static str) -> Option<bool> {
        let node = self.node(name)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(name, node, "true or false");
                None
            }
        }
    }

    /// Warns about every field that no reader asked for, suggesting the
    /// nearest known name (a typo like `statsu`).
    pub fn finish(self) {
        let Value::Map(entries) = &self.node.value else {
            return;
        };
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in entries {
            if seen.contains(&key.name.as_str()) {
                self.diags.push(
                    Diagnostic::error(
                        Code::DuplicateField,
                        self.file,
                        key.line,
                        key.col,
                        format!("field `{}` is written twice", key.name),
                    )
                    .help("keep one of the two lines"),
                );
            }
            seen.push(&key.name);
            if self.known.contains(&key.name.as_str()) {
                continue;
            }
            let help = match crate::check::suggest(&key.name, self.known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known fields here: {}", self.known.join(", ")),
            };
            self.diags.push(
                Diagnostic::warning(
                    Code::UnknownField,
                    self.file,
                    key.line,
                    key.col,
                    format!("unknown field `{}`", key.name),
                )
                .help(help),
            );
        }
    }
}

/// Parses a number node exactly (text like `"3900"` is refused: numbers are
/// written bare).
pub fn parse_decimal(node: &Node) -> Option<rust_decimal::Decimal> {
    match &node.value {
        Value::Number(s) => {
            use std::str::FromStr;
            rust_decimal::Decimal::from_str(s)
                .or_else(|_| rust_decimal::Decimal::from_scientific(s))
                .ok()
        }
        _ => None,
    }
}

/// A value read from YAML with the line and column it was written at.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct At<T> {
    pub value: T,
    #[serde(skip)]
    pub line: u32,
    #[serde(skip)]
    pub col: u32,
}

impl<T> At<T> {
    pub fn from_node(value: T, node: &Node) -> Self {
        At {
            value,
            line: node.line,
            col: node.col,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_lines_of_the_file() {
        let n = parse("title: Hello\nprogress: 40\n", 1).unwrap();
        let p = n.get("progress").unwrap();
        assert_eq!((p.line, p.col), (3, 11));
        assert_eq!(p.value, Value::Number("40".into()));
    }

    #[test]
    fn numbers_keep_their_exact_text() {
        let n = parse("table: { Ghent: 1.00, Brussels: 1.05 }", 0).unwrap();
        let t = n.get("table").unwrap();
        assert_eq!(t.get("Ghent").unwrap().value, Value::Number("1.00".into()));
        assert_eq!(
            parse_decimal(t.get("Brussels").unwrap())
                .unwrap()
                .to_string(),
            "1.05"
        );
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let (line, _col, msg) = parse("title: a\n\tstatus: active\n", 1).unwrap_err();
        assert!(line >= 2, "line {line}: {msg}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("a: {}{}", "[".repeat(200), "]".repeat(200));
        assert!(parse(&deep, 0).is_err());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            y.push_str(&format!(
                "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        assert!(parse(&y, 0).is_err());
    }
}
