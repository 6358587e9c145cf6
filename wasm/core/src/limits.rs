//! Bounds on every input, and the checks that run before the XML parser sees a byte.

use crate::error::{Error, Result};

/// Upper bounds on what a template and its data may contain.
///
/// They keep a hostile or broken input from exhausting memory or time; the
/// defaults are far above what a real certificate needs.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Limits {
    /// Template size in bytes. _Default:_ 10 MiB.
    pub max_template_bytes: usize,
    /// XML nodes (elements, text, attributes) in the template. _Default:_ 50,000.
    pub max_nodes: u32,
    /// Elements in the template. _Default:_ 20,000.
    pub max_elements: usize,
    /// Element nesting depth. _Default:_ 64.
    pub max_depth: usize,
    /// Bytes of one embedded (data: URI) image, decoded. _Default:_ 8 MiB.
    pub max_image_bytes: usize,
    /// Pixels of one embedded image. _Default:_ 25 megapixels.
    pub max_image_pixels: u64,
    /// Page width or height in millimetres. _Default:_ 5,080 (200 in, the PDF maximum).
    pub max_page_mm: f64,
    /// Characters of one field value. _Default:_ 2,000.
    pub max_field_chars: usize,
    /// Bytes of the data JSON of one certificate. _Default:_ 1 MiB.
    pub max_data_bytes: usize,
    /// QR codes (`<rect data-qr>`) in the template. _Default:_ 16.
    pub max_qr_codes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_template_bytes: 10 * 1024 * 1024,
            max_nodes: 50_000,
            max_elements: 20_000,
            max_depth: 64,
            max_image_bytes: 8 * 1024 * 1024,
            max_image_pixels: 25_000_000,
            max_page_mm: 5080.0,
            max_field_chars: 2000,
            max_data_bytes: 1024 * 1024,
            max_qr_codes: 16,
        }
    }
}

/// Checks the raw template bytes: size, UTF-8, nesting depth and entity declarations.
///
/// Runs before the XML parser so that neither deep recursion nor entity expansion
/// can happen inside it.
pub(crate) fn prescan<'a>(bytes: &'a [u8], limits: &Limits) -> Result<&'a str> {
    if bytes.len() > limits.max_template_bytes {
        return Err(Error::limit(
            "template bytes",
            limits.max_template_bytes as u64,
            bytes.len() as u64,
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
        let column = (before.len()
            - before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1)) as u32
            + 1;
        Error::TemplateParse {
            message: format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
            line,
            column,
        }
    })?;
    check_depth(text.as_bytes(), limits.max_depth)?;
    check_entities(text, limits.max_template_bytes)?;
    Ok(text)
}

/// A conservative tag scanner: counts open elements, skipping comments, CDATA,
/// processing instructions, the DOCTYPE and quoted attribute values.
fn check_depth(b: &[u8], max_depth: usize) -> Result<()> {
    let mut depth = 0usize;
    let mut i = 0usize;
    let find = |from: usize, pat: &[u8]| -> usize {
        b[from..]
            .windows(pat.len())
            .position(|w| w == pat)
            .map_or(b.len(), |p| from + p + pat.len())
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        if rest.starts_with(b"<!--") {
            i = find(i + 4, b"-->");
        } else if rest.starts_with(b"<![CDATA[") {
            i = find(i + 9, b"]]>");
        } else if rest.starts_with(b"<?") {
            i = find(i + 2, b"?>");
        } else if rest.starts_with(b"<!") {
            // DOCTYPE, possibly with an internal subset in [...]
            let mut j = i + 2;
            let mut bracket = 0i32;
            let mut quote = 0u8;
            while j < b.len() {
                let c = b[j];
                if quote != 0 {
                    if c == quote {
                        quote = 0;
                    }
                } else if c == b'"' || c == b'\'' {
                    quote = c;
                } else if c == b'[' {
                    bracket += 1;
                } else if c == b']' {
                    bracket -= 1;
                } else if c == b'>' && bracket <= 0 {
                    break;
                }
                j += 1;
            }
            i = j + 1;
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            i = find(i + 2, b">");
        } else {
            let mut j = i + 1;
            let mut quote = 0u8;
            while j < b.len() {
                let c = b[j];
                if quote != 0 {
                    if c == quote {
                        quote = 0;
                    }
                } else if c == b'"' || c == b'\'' {
                    quote = c;
                } else if c == b'>' {
                    break;
                }
                j += 1;
            }
            let self_closing = j > 0 && j < b.len() && b[j - 1] == b'/';
            if !self_closing {
                depth += 1;
                if depth > max_depth {
                    return Err(Error::limit(
                        "element nesting depth",
                        max_depth as u64,
                        depth as u64,
                    ));
                }
            }
            i = j + 1;
        }
    }
    Ok(())
}

/// Entities may only be plain text: an entity that refers to another entity is
/// how "billion laughs" bombs are built, and is refused. The total text the
/// references can expand to is bounded by the template size limit.
fn check_entities(text: &str, max_bytes: usize) -> Result<()> {
    let Some(doctype) = text.find("<!DOCTYPE") else {
        return Ok(());
    };
    let mut entities: Vec<(&str, usize)> = Vec::new();
    let mut rest = &text[doctype..];
    while let Some(p) = rest.find("<!ENTITY") {
        rest = &rest[p + 8..];
        let decl_end = rest.find('>').unwrap_or(rest.len());
        let decl = &rest[..decl_end];
        let mut parts = decl.split_whitespace();
        let mut name = parts.next().unwrap_or("");
        if name == "%" {
            return Err(Error::UnsupportedContent(
                "parameter entities (<!ENTITY % ...>) are not supported".into(),
            ));
        }
        name = name.trim();
        let value_start = decl.find(['"', '\'']);
        let value = value_start.map_or("", |s| {
            let q = decl.as_bytes()[s] as char;
            let v = &decl[s + 1..];
            &v[..v.find(q).unwrap_or(v.len())]
        });
        if decl.contains("SYSTEM") || decl.contains("PUBLIC") {
            return Err(Error::ExternalReference {
                reference: value.to_string(),
                element: "!ENTITY".into(),
            });
        }
        if value.contains('&') || value.contains('%') {
            return Err(Error::LimitExceeded {
                what: format!("entity nesting (entity '{name}' refers to another entity)"),
                limit: 0,
                actual: 1,
            });
        }
        entities.push((name, value.len()));
        rest = &rest[decl_end..];
    }
    let mut expanded: u64 = 0;
    for (name, len) in &entities {
        let reference = format!("&{name};");
        let count = text.matches(reference.as_str()).count() as u64;
        expanded = expanded.saturating_add(count.saturating_mul(*len as u64));
    }
    if expanded > max_bytes as u64 {
        return Err(Error::limit(
            "expanded entity text in bytes",
            max_bytes as u64,
            expanded,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let svg = format!(
            "<svg>{}{}</svg>",
            "<g>".repeat(100_000),
            "</g>".repeat(100_000)
        );
        let err = prescan(svg.as_bytes(), &Limits::default()).unwrap_err();
        assert_eq!(err.code(), "LIMIT_EXCEEDED");
    }

    #[test]
    fn self_closing_and_comments_do_not_count() {
        let svg = format!("<svg>{}<!-- <g><g><g> --></svg>", "<rect/>".repeat(1000));
        assert!(prescan(svg.as_bytes(), &Limits::default()).is_ok());
    }

    #[test]
    fn billion_laughs_is_refused() {
        let svg = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]><svg>&b;</svg>"#;
        assert_eq!(
            prescan(svg.as_bytes(), &Limits::default())
                .unwrap_err()
                .code(),
            "LIMIT_EXCEEDED"
        );
    }

    #[test]
    fn plain_illustrator_entities_are_fine() {
        let svg = r#"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [<!ENTITY ns_svg "http://www.w3.org/2000/svg">]><svg xmlns="&ns_svg;"/>"#;
        assert!(prescan(svg.as_bytes(), &Limits::default()).is_ok());
    }

    #[test]
    fn invalid_utf8_is_a_parse_error_with_position() {
        let mut svg = b"<svg>\n<text>".to_vec();
        svg.extend_from_slice(&[0xff, 0xfe]);
        let err = prescan(&svg, &Limits::default()).unwrap_err();
        assert_eq!(err.code(), "TEMPLATE_PARSE");
        assert!(matches!(err, Error::TemplateParse { line: 2, .. }));
    }
}
