//! The one error type of certforge-core, with stable codes.

use std::fmt;

use serde_json::{json, Value};

/// Everything that can go wrong while compiling a template or rendering a certificate.
///
/// Every variant has a stable [`Error::code`] that crosses the WASM boundary unchanged
/// and a message an organizer can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The template is not well-formed XML (or not UTF-8).
    TemplateParse {
        /// What the XML parser said.
        message: String,
        /// 1-based line of the problem, 0 when unknown.
        line: u32,
        /// 1-based column of the problem, 0 when unknown.
        column: u32,
    },
    /// The template is XML but not a usable certificate template.
    TemplateInvalid(String),
    /// Placeholders without a value (and without a default).
    MissingField {
        /// Every missing field, in template order, without duplicates.
        fields: Vec<String>,
    },
    /// The data is not a JSON object, or a field has a value that cannot be printed.
    InvalidData(String),
    /// Characters that no loaded font can draw.
    FontMissingGlyphs {
        /// The characters, in first-seen order, without duplicates.
        chars: Vec<char>,
        /// Which field (placeholder name, or `(template)` for static text) holds them.
        field: String,
    },
    /// Font bytes that are not a TrueType/OpenType font.
    FontInvalid(String),
    /// A bound on input size or complexity was exceeded.
    LimitExceeded {
        /// What was too big (e.g. `template bytes`).
        what: String,
        /// The limit.
        limit: u64,
        /// The value found (or a lower bound of it).
        actual: u64,
    },
    /// The template refers to something outside itself (a URL, a file).
    ExternalReference {
        /// The reference as written in the template.
        reference: String,
        /// The element that holds it.
        element: String,
    },
    /// Content certforge deliberately does not render (embedded SVG images, foreignObject).
    UnsupportedContent(String),
    /// The SVG → PDF conversion failed.
    RenderFailed(String),
    /// A bug: please report it with the template.
    Internal(String),
}

impl Error {
    /// The stable, machine-readable code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::TemplateParse { .. } => "TEMPLATE_PARSE",
            Error::TemplateInvalid(_) => "TEMPLATE_INVALID",
            Error::MissingField { .. } => "MISSING_FIELD",
            Error::InvalidData(_) => "INVALID_DATA",
            Error::FontMissingGlyphs { .. } => "FONT_MISSING_GLYPHS",
            Error::FontInvalid(_) => "FONT_INVALID",
            Error::LimitExceeded { .. } => "LIMIT_EXCEEDED",
            Error::ExternalReference { .. } => "EXTERNAL_REFERENCE",
            Error::UnsupportedContent(_) => "UNSUPPORTED_CONTENT",
            Error::RenderFailed(_) => "RENDER_FAILED",
            Error::Internal(_) => "INTERNAL",
        }
    }

    /// Structured details for programs (field names, limits, characters).
    pub fn details(&self) -> Value {
        match self {
            Error::TemplateParse { line, column, .. } => json!({ "line": line, "column": column }),
            Error::MissingField { fields } => json!({ "fields": fields }),
            Error::FontMissingGlyphs { chars, field } => json!({
                "characters": chars.iter().collect::<String>(),
                "codepoints": chars.iter().map(|c| format!("U+{:04X}", *c as u32)).collect::<Vec<_>>(),
                "field": field,
            }),
            Error::LimitExceeded {
                what,
                limit,
                actual,
            } => {
                json!({ "what": what, "limit": limit, "actual": actual })
            }
            Error::ExternalReference { reference, element } => {
                json!({ "reference": reference, "element": element })
            }
            _ => json!({}),
        }
    }

    /// `{code, message, details}` as JSON, the shape that crosses the WASM boundary.
    pub fn to_json(&self) -> Value {
        json!({ "code": self.code(), "message": self.to_string(), "details": self.details() })
    }

    pub(crate) fn limit(what: &str, limit: u64, actual: u64) -> Self {
        Error::LimitExceeded {
            what: what.to_string(),
            limit,
            actual,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::TemplateParse { message, line, column } if *line > 0 => write!(
                f,
                "The template is not valid SVG/XML (line {line}, column {column}): {message}"
            ),
            Error::TemplateParse { message, .. } => {
                write!(f, "The template is not valid SVG/XML: {message}")
            }
            Error::TemplateInvalid(m) => write!(f, "The template cannot be used: {m}"),
            Error::MissingField { fields } => write!(
                f,
                "Missing value for {}: {}. Add the field to the data or give the placeholder a default ({{{{field | default}}}}).",
                if fields.len() == 1 { "field" } else { "fields" },
                fields.join(", ")
            ),
            Error::InvalidData(m) => write!(f, "Invalid certificate data: {m}"),
            Error::FontMissingGlyphs { chars, field } => write!(
                f,
                "No loaded font can draw {} in {field}: {}. Add a font that covers them (--fonts or the template's fonts).",
                if chars.len() == 1 { "this character" } else { "these characters" },
                chars
                    .iter()
                    .map(|c| format!("'{c}' (U+{:04X})", *c as u32))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Error::FontInvalid(m) => write!(f, "Invalid font: {m}"),
            Error::LimitExceeded { what, limit, actual } => write!(
                f,
                "The {what} is over the limit: {actual} > {limit}. Make it smaller."
            ),
            Error::ExternalReference { reference, element } => write!(
                f,
                "The template refers to '{reference}' outside itself (in <{element}>). certforge never fetches or reads anything: embed images as data: URIs and fonts with --fonts."
            ),
            Error::UnsupportedContent(m) => write!(f, "Unsupported template content: {m}"),
            Error::RenderFailed(m) => write!(f, "The certificate could not be converted to PDF: {m}"),
            Error::Internal(m) => write!(f, "Internal error in certforge (please report it): {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// Shorthand used across the crate.
pub type Result<T> = std::result::Result<T, Error>;
