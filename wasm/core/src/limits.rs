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
    /// Pixels of one embedded image (PNG, JPEG, GIF, WebP), read from its header before
    /// anything decodes it. _Default:_ 16 megapixels (A3 at 300 dpi).
    pub max_image_pixels: u64,
    /// Pixels of all embedded images of one template together. _Default:_ 24 megapixels.
    pub max_total_image_pixels: u64,
    /// Bytes that entity references may expand to, in total. _Default:_ 1 MiB.
    pub max_entity_expansion_bytes: usize,
    /// Ratio of the page's long side to its short side. _Default:_ 20.
    pub max_page_aspect: f64,
    /// Elements drawn with a filter (each is rasterised). _Default:_ 64.
    pub max_filtered_elements: usize,
    /// Fonts supplied with one template. _Default:_ 32 (a family of 18 weights is ordinary).
    pub max_template_fonts: usize,
    /// Bytes of the fonts supplied with one template, together. _Default:_ 64 MiB (three CJK faces).
    pub max_template_font_bytes: usize,
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
            max_image_pixels: 16_000_000,
            max_total_image_pixels: 24_000_000,
            max_entity_expansion_bytes: 1024 * 1024,
            max_page_aspect: 20.0,
            max_filtered_elements: 64,
            max_template_fonts: 32,
            max_template_font_bytes: 64 * 1024 * 1024,
            max_page_mm: 5080.0,
            max_field_chars: 2000,
            max_data_bytes: 1024 * 1024,
            max_qr_codes: 16,
        }
    }
}

/// Checks the raw template bytes: size, UTF-8, then one pass of a real XML
/// tokenizer (xmlparser, which expands nothing) for nesting depth and the DTD.
///
/// Runs before the XML parser that builds the tree, so that neither deep
/// recursion nor entity expansion can happen inside it. The DTD policy:
/// - the internal subset may hold only `<!ENTITY name "text">` declarations
///   (and comments); element, attribute-list and notation declarations,
///   parameter entities and parameter-entity references are refused;
/// - an entity's value must be plain text: no `<`, `&` or `%`, so an entity can
///   neither refer to another (no "billion laughs") nor expand to markup (no
///   elements that escape the depth and element limits);
/// - external entities (`SYSTEM`/`PUBLIC`) are refused; an external DTD
///   identifier on `<!DOCTYPE>` itself is allowed (Illustrator writes one) and
///   never read;
/// - the text all references expand to is bounded by `max_entity_expansion_bytes`.
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
    scan(text, limits)?;
    Ok(text)
}

fn parse_error(e: &xmlparser::Error) -> Error {
    let pos = e.pos();
    Error::TemplateParse {
        message: e.to_string(),
        line: pos.row,
        column: pos.col,
    }
}

fn unsupported_dtd(what: &str) -> Error {
    Error::UnsupportedContent(format!(
        "{what} in the DOCTYPE: a certificate template may declare only plain-text entities (<!ENTITY name \"text\">)"
    ))
}

/// One tokenizer pass: element depth, the DTD policy and the entity expansion budget.
fn scan(text: &str, limits: &Limits) -> Result<()> {
    use xmlparser::{ElementEnd, EntityDefinition, Token};
    let mut depth = 0usize;
    let mut entities: Vec<(&str, usize)> = Vec::new();
    // Byte ranges of the internal subset that tokens account for; anything else in
    // it is a declaration xmlparser skips without a token (ELEMENT, ATTLIST, ...).
    let mut subset: Option<usize> = None;
    let mut covered_to = 0usize;
    let mut expanded: u64 = 0;
    let check_gap = |from: usize, to: usize| -> Result<()> {
        let gap = text.get(from..to).unwrap_or("");
        if gap.trim().is_empty() {
            return Ok(());
        }
        let what = if gap.contains('%') {
            "a parameter-entity reference"
        } else if gap.contains("<!ATTLIST") {
            "an attribute-list declaration (<!ATTLIST>)"
        } else if gap.contains("<!ELEMENT") {
            "an element declaration (<!ELEMENT>)"
        } else if gap.contains("<!NOTATION") {
            "a notation declaration (<!NOTATION>)"
        } else {
            "a declaration other than <!ENTITY>"
        };
        Err(unsupported_dtd(what))
    };
    let mut count_refs = |s: &str, entities: &[(&str, usize)]| -> Result<()> {
        if entities.is_empty() || !s.contains('&') {
            return Ok(());
        }
        for (name, len) in entities {
            let n = count_reference(s, name);
            expanded = expanded.saturating_add(n.saturating_mul(*len as u64));
        }
        if expanded > limits.max_entity_expansion_bytes as u64 {
            return Err(Error::limit(
                "text expanded from entity references, in bytes",
                limits.max_entity_expansion_bytes as u64,
                expanded,
            ));
        }
        Ok(())
    };
    for token in xmlparser::Tokenizer::from(text) {
        let token = token.map_err(|e| parse_error(&e))?;
        match token {
            Token::DtdStart { span, .. } => {
                subset = Some(span.end());
                covered_to = span.end();
            }
            Token::EntityDeclaration {
                name,
                definition,
                span,
            } => {
                check_gap(covered_to, span.start())?;
                covered_to = span.end();
                let decl = span.as_str();
                if decl[8..].trim_start().starts_with('%') {
                    return Err(unsupported_dtd("a parameter entity (<!ENTITY % ...>)"));
                }
                match definition {
                    EntityDefinition::ExternalId(id) => {
                        let reference = match id {
                            xmlparser::ExternalId::System(s) => s.as_str(),
                            xmlparser::ExternalId::Public(_, s) => s.as_str(),
                        };
                        return Err(Error::ExternalReference {
                            reference: reference.to_string(),
                            element: "!ENTITY".into(),
                        });
                    }
                    EntityDefinition::EntityValue(value) => {
                        let v = value.as_str();
                        if v.contains(['&', '%']) {
                            return Err(Error::LimitExceeded {
                                what: format!(
                                    "entity nesting (entity '{}' refers to another entity or a character reference)",
                                    name.as_str()
                                ),
                                limit: 0,
                                actual: 1,
                            });
                        }
                        if v.contains('<') {
                            return Err(Error::UnsupportedContent(format!(
                                "entity '{}' contains markup; entities may only hold plain text",
                                name.as_str()
                            )));
                        }
                        entities.push((name.as_str(), v.len()));
                    }
                }
            }
            Token::Comment { span, .. } | Token::ProcessingInstruction { span, .. }
                if subset.is_some() =>
            {
                check_gap(covered_to, span.start())?;
                covered_to = span.end();
            }
            Token::DtdEnd { span } => {
                check_gap(covered_to, span.start())?;
                subset = None;
            }
            Token::ElementStart { .. } => {
                depth += 1;
                if depth > limits.max_depth {
                    return Err(Error::limit(
                        "element nesting depth",
                        limits.max_depth as u64,
                        depth as u64,
                    ));
                }
            }
            Token::ElementEnd { end, .. } if !matches!(end, ElementEnd::Open) => {
                depth = depth.saturating_sub(1);
            }
            Token::Attribute { value, .. } => count_refs(value.as_str(), &entities)?,
            Token::Text { text: t } => count_refs(t.as_str(), &entities)?,
            _ => {}
        }
    }
    Ok(())
}

/// Occurrences of `&name;` in `s`.
fn count_reference(s: &str, name: &str) -> u64 {
    let bytes = s.as_bytes();
    let mut n = 0u64;
    let mut i = 0usize;
    while let Some(p) = s[i..].find('&') {
        let at = i + p + 1;
        if s[at..].starts_with(name) && bytes.get(at + name.len()) == Some(&b';') {
            n += 1;
        }
        i = at;
    }
    n
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
