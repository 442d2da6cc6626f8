//! Splits a Markdown file into its YAML front matter and its body.

/// A file's text cut in two. Lines count the opening `---` as line 1, so the
/// YAML starts on line 2 of the file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub body: &'a str,
    /// Line of the file on which the body starts.
    pub body_line: u32,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("the file does not start with a `---` line")]
    NoOpening,
    #[error("the front matter opened on line 1 is never closed with a `---` line")]
    NotClosed,
}

/// Normalises what editors vary on: a leading byte-order mark and CRLF.
pub fn normalise(text: &str) -> std::borrow::Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Splits normalised text (see [`normalise`]).
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::NoOpening)?;
    if first.trim_end() != "---" {
        return Err(SplitError::NoOpening);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_no = 1u32;
    for line in lines {
        line_no += 1;
        let t = line.trim_end();
        if t == "---" || t == "..." {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::NotClosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let text = normalise("\u{feff}---\r\ntitle: A\r\n---\r\nbody\r\n");
        let s = split(&text).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "body\n");
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split("---\n---").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn a_horizontal_rule_in_the_body_is_not_a_delimiter() {
        let s = split("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(s.body, "text\n---\nmore\n");
    }

    #[test]
    fn missing_delimiters_are_errors() {
        assert_eq!(split("title: A\n"), Err(SplitError::NoOpening));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::NotClosed));
        assert_eq!(split(""), Err(SplitError::NoOpening));
    }
}
