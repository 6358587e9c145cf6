//! `{{field}}` placeholders: parsing template strings and filling them from data.

use serde_json::Value;

use crate::error::{Error, Result};

/// A piece of template text: literal, or a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// Text copied as is (already XML-escaped when it came from the template).
    Literal(String),
    /// `{{path | default}}`.
    Field {
        /// Dotted path, e.g. `event.name` or `signatories.0.name`.
        path: String,
        /// The default after `|`, trimmed; `Some("")` for `{{x | }}`.
        default: Option<String>,
        /// Whether the value lands in serialized XML (escape it) rather than raw text.
        escape: bool,
    },
}

/// A string with placeholders.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Pieces(pub Vec<Piece>);

impl Pieces {
    /// Splits `s` at `{{ ... }}`. `s` is raw (unescaped) text.
    pub fn parse(s: &str) -> Result<Pieces> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(start) = rest.find("{{") {
            if start > 0 {
                out.push(Piece::Literal(rest[..start].to_string()));
            }
            let after = &rest[start + 2..];
            let end = after.find("}}").ok_or_else(|| {
                Error::TemplateInvalid(format!(
                    "a placeholder is not closed: '{}' (expected '}}}}')",
                    truncate(&rest[start..], 40)
                ))
            })?;
            let inner = &after[..end];
            let (path, default) = match inner.find('|') {
                Some(bar) => (
                    inner[..bar].trim(),
                    Some(inner[bar + 1..].trim().to_string()),
                ),
                None => (inner.trim(), None),
            };
            if !is_valid_path(path) {
                return Err(Error::TemplateInvalid(format!(
                    "'{{{{{}}}}}' is not a valid placeholder: use letters, digits, _ and dots, e.g. {{{{event.name}}}}",
                    truncate(inner, 40)
                )));
            }
            out.push(Piece::Field {
                path: path.to_string(),
                default,
                escape: false,
            });
            rest = &after[end + 2..];
        }
        if !rest.is_empty() {
            out.push(Piece::Literal(rest.to_string()));
        }
        Ok(Pieces(out))
    }

    /// Appends literal text, merging with a previous literal.
    pub fn push_literal(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Piece::Literal(last)) = self.0.last_mut() {
            last.push_str(s);
        } else {
            self.0.push(Piece::Literal(s.to_string()));
        }
    }

    /// Appends raw template text as serialized XML: literals escaped, fields escaped when filled.
    pub fn push_escaped(&mut self, raw: &Pieces) {
        for p in &raw.0 {
            match p {
                Piece::Literal(s) => {
                    let mut e = String::new();
                    escape(s, &mut e);
                    self.push_literal(&e);
                }
                Piece::Field { path, default, .. } => self.0.push(Piece::Field {
                    path: path.clone(),
                    default: default.clone(),
                    escape: true,
                }),
            }
        }
    }

    /// Whether any placeholder is present.
    pub fn has_fields(&self) -> bool {
        self.0.iter().any(|p| matches!(p, Piece::Field { .. }))
    }

    /// Field paths in order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Piece::Field { path, .. } => Some(path.as_str()),
            _ => None,
        })
    }

    /// The first field path, used to name an element in reports.
    pub fn first_field(&self) -> Option<&str> {
        self.fields().next()
    }

    /// Fills the placeholders; missing fields are appended to `missing`.
    /// Returns raw (unescaped) text.
    pub fn fill(&self, data: &Data, missing: &mut Vec<String>) -> Result<String> {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Literal(s) => out.push_str(s),
                Piece::Field {
                    path,
                    default,
                    escape: esc,
                } => match data.lookup(path)? {
                    Some(v) if *esc => escape(&v, &mut out),
                    Some(v) => out.push_str(&v),
                    None => match default {
                        Some(d) if *esc => escape(d, &mut out),
                        Some(d) => out.push_str(d),
                        None => {
                            if !missing.iter().any(|m| m == path) {
                                missing.push(path.clone());
                            }
                        }
                    },
                },
            }
        }
        Ok(out)
    }
}

pub(crate) fn is_valid_path(p: &str) -> bool {
    !p.is_empty()
        && p.len() <= 200
        && p.split('.').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        })
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// Certificate data: a JSON object, with bounded values.
#[derive(Debug)]
pub struct Data<'a> {
    root: &'a Value,
    max_chars: usize,
}

impl<'a> Data<'a> {
    /// Wraps a JSON value; it must be an object.
    pub fn new(root: &'a Value, max_chars: usize) -> Result<Self> {
        if !root.is_object() {
            return Err(Error::InvalidData(
                "the data must be a JSON object, e.g. {\"name\": \"Ada\"}".into(),
            ));
        }
        Ok(Data { root, max_chars })
    }

    /// The value at a dotted path: object keys exactly, else the one key that matches
    /// ignoring case (`{{NAME}}` reads `name`); list elements by index.
    fn at(&self, path: &str) -> Option<&'a Value> {
        let mut v = self.root;
        for seg in path.split('.') {
            v = match v {
                Value::Object(m) => m.get(seg).or_else(|| {
                    let mut found = m.iter().filter(|(k, _)| k.eq_ignore_ascii_case(seg));
                    match (found.next(), found.next()) {
                        (Some((_, v)), None) => Some(v),
                        _ => None,
                    }
                })?,
                Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i))?,
                _ => return None,
            };
        }
        Some(v)
    }

    /// Whether the dotted path holds something: a non-blank value, or a non-empty list or
    /// object (`data-if="signatories.1"`).
    pub fn is_present(&self, path: &str) -> Result<bool> {
        let Some(v) = self.at(path) else {
            return Ok(false);
        };
        match v {
            Value::Array(a) => Ok(!a.is_empty()),
            Value::Object(m) => Ok(!m.is_empty()),
            _ => Ok(self.lookup(path)?.is_some()),
        }
    }

    /// The printable value at a dotted path; `None` when absent, null or blank.
    pub fn lookup(&self, path: &str) -> Result<Option<String>> {
        let Some(v) = self.at(path) else {
            return Ok(None);
        };
        let text = match v {
            Value::Null => return Ok(None),
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Array(_) | Value::Object(_) => {
                return Err(Error::InvalidData(format!(
                    "field '{path}' is a list or an object; the template needs text there"
                )))
            }
        };
        let count = text.chars().count();
        if count > self.max_chars {
            return Err(Error::LimitExceeded {
                what: format!("length of field '{path}' in characters"),
                limit: self.max_chars as u64,
                actual: count as u64,
            });
        }
        let clean = clean_text(&text);
        if clean.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(clean))
    }
}

/// Turns tabs and line breaks into spaces and removes characters XML cannot hold and the
/// other control characters (DEL, C1: `\u{9b}` of a terminal escape), which no font draws and
/// which PDF/A forbids as .notdef glyphs.
pub(crate) fn clean_text(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) => None,
            '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

/// XML-escapes text for element content and attribute values.
pub(crate) fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn clean_text_drops_every_control_character() {
        assert_eq!(
            clean_text("Eve\u{1b}]0;x\u{7}\u{7f} \u{9b}2J\tRed\u{85}"),
            "Eve]0;x 2J Red"
        );
    }

    #[test]
    fn keys_match_exactly_then_ignoring_case_and_presence_counts_lists() {
        let v = json!({"name": "Ada", "Name2": "x", "dup": 1, "DUP": 2, "signatories": [{"name": "G"}], "empty": [], "blank": "  "});
        let d = Data::new(&v, 100).unwrap();
        assert_eq!(d.lookup("NAME").unwrap().as_deref(), Some("Ada"));
        assert_eq!(d.lookup("name2").unwrap().as_deref(), Some("x"));
        assert_eq!(d.lookup("dup").unwrap().as_deref(), Some("1"));
        assert_eq!(
            d.lookup("Dup").unwrap(),
            None,
            "two keys match ignoring case: neither"
        );
        assert!(
            d.is_present("signatories.0").unwrap() && d.is_present("signatories.0.name").unwrap()
        );
        assert!(!d.is_present("signatories.1").unwrap());
        assert!(!d.is_present("empty").unwrap() && !d.is_present("blank").unwrap());
    }

    #[test]
    fn parses_fields_and_defaults() {
        let p = Pieces::parse("Hello {{ name }}, {{event.name|Our event}}!").unwrap();
        assert_eq!(p.fields().collect::<Vec<_>>(), vec!["name", "event.name"]);
        let data = json!({"name": "Ada"});
        let mut missing = vec![];
        let s = p
            .fill(&Data::new(&data, 100).unwrap(), &mut missing)
            .unwrap();
        assert_eq!(s, "Hello Ada, Our event!");
        assert!(missing.is_empty());
    }

    #[test]
    fn missing_fields_are_all_named() {
        let p = Pieces::parse("{{a}} {{b.c}} {{a}} {{d|}}").unwrap();
        let data = json!({"b": {"c": "  "}});
        let mut missing = vec![];
        p.fill(&Data::new(&data, 100).unwrap(), &mut missing)
            .unwrap();
        assert_eq!(missing, vec!["a", "b.c"]);
    }

    #[test]
    fn arrays_numbers_and_bad_values() {
        let data = json!({"s": [{"name": "X"}], "n": 42, "o": {"k": 1}});
        let d = Data::new(&data, 100).unwrap();
        assert_eq!(d.lookup("s.0.name").unwrap().as_deref(), Some("X"));
        assert_eq!(d.lookup("n").unwrap().as_deref(), Some("42"));
        assert_eq!(d.lookup("o").unwrap_err().code(), "INVALID_DATA");
        assert!(Data::new(&json!([1]), 100).is_err());
    }

    #[test]
    fn huge_values_are_refused() {
        let data = json!({"name": "x".repeat(5000)});
        assert_eq!(
            Data::new(&data, 2000)
                .unwrap()
                .lookup("name")
                .unwrap_err()
                .code(),
            "LIMIT_EXCEEDED"
        );
    }

    #[test]
    fn unclosed_and_invalid_placeholders() {
        assert_eq!(
            Pieces::parse("{{name").unwrap_err().code(),
            "TEMPLATE_INVALID"
        );
        assert_eq!(
            Pieces::parse("{{na me}}").unwrap_err().code(),
            "TEMPLATE_INVALID"
        );
    }
}
