//! # certforge-core
//!
//! Fills SVG certificate templates with a person's data and converts them to a
//! **vector PDF** (real text, embedded subset fonts) and a **text-as-paths SVG**
//! for a pixel preview, with no filesystem, network or system fonts.
//!
//! - Templates use `{{field}}` / `{{event.name}}` / `{{talk.title | default}}`
//!   placeholders in text and attribute values.
//! - A `<text>` may declare a fit box (`data-fit-width`, `data-fit-min-size`,
//!   `data-fit-lines`): the font size shrinks until the *shaped* text fits.
//! - A `<rect data-qr="{{certificate.url}}">` becomes a QR code of its text: one
//!   vector path of the dark modules (`data-qr-ec`, `data-qr-quiet-zone`).
//! - Right-to-left and mixed-direction text is ordered with the Unicode bidi
//!   algorithm on our side (usvg lays every chunk out as left-to-right).
//! - A template is compiled once: its static artwork is converted to PDF
//!   objects once; each certificate converts only its variable elements.
//! - Hostile input (external references, entity bombs, absurd sizes, deep
//!   nesting, huge values) gets a typed [`Error`], never a panic.
//!
//! ```
//! use certforge_core::{Engine, CompileOptions, RenderOptions};
//! let mut engine = Engine::new();
//! # let font = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
//! #   "/../../functions/node_modules/@embedpdf/fonts-latin/fonts/NotoSans-Regular.ttf")).unwrap();
//! engine.add_font(font).unwrap();
//! let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" viewBox="0 0 1122 794">
//!   <text x="561" y="400" text-anchor="middle" font-size="48" data-fit-width="900">{{name}}</text>
//! </svg>"#;
//! let template = engine.compile(svg.as_bytes(), &CompileOptions::default()).unwrap();
//! let data = serde_json::json!({ "name": "Ada Lovelace" });
//! let out = engine.render(&template, &data, &RenderOptions::default()).unwrap();
//! assert!(out.pdf.starts_with(b"%PDF-"));
//! ```
//!
//! Not supported: `<foreignObject>`, embedded SVG images, external resources of
//! any kind, vertical text layout in managed (fitted or bidi) texts.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod font_match;
mod fonts;
mod image;
mod limits;
mod pdf;
mod placeholder;
mod qr;
mod raster;
mod template;
mod text;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use error::{Error, Result};
pub use fonts::{FaceInfo, FontSet, FontUse};
pub use limits::Limits;
pub use text::FieldLayout;

use pdf::{StaticLayer, Variable};
use placeholder::Data;
use template::SplitTemplate;
use text::{has_rtl, render_managed, Measurer};

/// What to do with references to anything outside the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExternalReferences {
    /// Fail with [`Error::ExternalReference`]. The default: a missing logo should not go unnoticed.
    #[default]
    Refuse,
    /// Remove the reference and report a warning `EXTERNAL_REFERENCE_DROPPED`.
    Drop,
}

/// Options for [`Engine::compile`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct CompileOptions {
    /// Input bounds. _Default:_ [`Limits::default`].
    pub limits: Limits,
    /// External references policy. _Default:_ refuse.
    pub external_references: ExternalReferences,
    /// Font size of text that sets none, in user units. _Default:_ 12 (as usvg).
    pub default_font_size: f32,
    /// Family used when a text names none. _Default:_ `Noto Sans`.
    pub default_font_family: String,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions {
            limits: Limits::default(),
            external_references: ExternalReferences::Refuse,
            default_font_size: 12.0,
            default_font_family: "Noto Sans".into(),
        }
    }
}

/// Options for [`Engine::render`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct RenderOptions {
    /// Also produce the text-as-paths SVG for a pixel preview. _Default:_ true.
    pub preview: bool,
    /// BCP 47 language tag of the document (`/Lang`). _Default:_ `en`.
    pub language: String,
    /// Document information (title, author, dates...). _Default:_ none.
    pub info: DocumentInfo,
    /// Files embedded as PDF/A-3 associated files of the document (`/AF`, with their
    /// `AFRelationship`). _Default:_ none. At most [`MAX_ATTACHMENTS`], together at most
    /// [`MAX_ATTACHMENT_BYTES`].
    pub attachments: Vec<Attachment>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            preview: true,
            language: "en".into(),
            info: DocumentInfo::default(),
            attachments: Vec::new(),
        }
    }
}

/// Most files a certificate can carry.
pub const MAX_ATTACHMENTS: usize = 8;
/// Most bytes (UTF-8) of all of a certificate's attached files together.
pub const MAX_ATTACHMENT_BYTES: usize = 1 << 20;

/// A text file embedded in the PDF as an associated file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Attachment {
    /// The file name, e.g. `certificate.json`: 1–127 characters, no path separator or control character.
    pub name: String,
    /// Its MIME type, e.g. `application/json`.
    pub mime_type: String,
    /// What it is, shown by viewers (PDF/A-3 requires one).
    pub description: String,
    /// How it relates to the document.
    pub relationship: Relationship,
    /// The file's content (text, stored as UTF-8).
    pub content: String,
}

/// PDF/A-3's `AFRelationship` of an associated file.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Relationship {
    /// The data the document's content was made from (the certificate data).
    Data,
    /// The source of the document.
    Source,
    /// Another representation of the same content (the signed credential).
    Alternative,
    /// Additional material.
    Supplement,
    /// Unknown.
    Unspecified,
}

fn check_attachments(attachments: &[Attachment]) -> Result<()> {
    if attachments.len() > MAX_ATTACHMENTS {
        return Err(Error::LimitExceeded {
            what: "attachments".into(),
            limit: MAX_ATTACHMENTS as u64,
            actual: attachments.len() as u64,
        });
    }
    let bytes: usize = attachments.iter().map(|a| a.content.len()).sum();
    if bytes > MAX_ATTACHMENT_BYTES {
        return Err(Error::LimitExceeded {
            what: "attachment bytes".into(),
            limit: MAX_ATTACHMENT_BYTES as u64,
            actual: bytes as u64,
        });
    }
    for a in attachments {
        let chars = a.name.chars().count();
        if chars == 0
            || chars > 127
            || a.name
                .chars()
                .any(|c| c.is_control() || c == '/' || c == '\\')
        {
            return Err(Error::InvalidData(format!(
                "attachment name '{}' must be 1–127 characters without '/', '\\' or control characters",
                a.name.escape_debug()
            )));
        }
        if a.description.trim().is_empty() || a.description.chars().count() > 500 {
            return Err(Error::InvalidData(format!(
                "attachment '{}' needs a description of 1–500 characters",
                a.name
            )));
        }
    }
    Ok(())
}

/// The PDF's document information dictionary (and nothing that reads a clock).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct DocumentInfo {
    /// `/Title`. _Default:_ none.
    pub title: Option<String>,
    /// `/Author`. _Default:_ none.
    pub author: Option<String>,
    /// `/Subject`. _Default:_ none.
    pub subject: Option<String>,
    /// `/Keywords`, joined with ", ". _Default:_ none.
    pub keywords: Vec<String>,
    /// `/Creator`. _Default:_ none.
    pub creator: Option<String>,
    /// `/Producer`. _Default:_ none.
    pub producer: Option<String>,
    /// `/CreationDate` and `/ModDate`, UTC, as `YYYY-MM-DDTHH:MM:SS(.sss)Z`. _Default:_ none.
    pub creation_date: Option<String>,
}

/// Something worth knowing that did not stop the render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// Stable code, e.g. `FIT_BELOW_MIN_SIZE`.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

impl Warning {
    pub(crate) fn new(code: &str, message: String) -> Self {
        Warning {
            code: code.to_string(),
            message,
        }
    }
}

/// Page size in PDF points (1/72 in).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PageSize {
    /// Width in pt.
    pub width: f32,
    /// Height in pt.
    pub height: f32,
}

/// A template ready to render many certificates: the static artwork is
/// already converted to compressed PDF objects.
#[derive(Debug)]
pub struct CompiledTemplate {
    split: SplitTemplate,
    static_layer: StaticLayer,
    page: PageSize,
    limits: Limits,
    font_family: String,
    /// The fonts it renders with, and the engine's font generation they were layered on.
    fonts: std::sync::Mutex<Option<(u64, FontSet)>>,
    /// Fonts that came with the template (visible to it only): supplied, or in its @font-face rules.
    own_fonts: Vec<fonts::OwnFont>,
    /// Raster cost of the static layer (see [`Rendered::raster_cost`]).
    raster_cost: f64,
    /// Fitted fields laid out before (see [`ManagedMemo`]).
    managed: std::sync::Mutex<ManagedMemo>,
    /// Whether the root element or the style sheet may need the fields' glyph outlines
    /// ([`needs_text_outlines`]), decided once here rather than on every certificate.
    styles_need_outlines: bool,
}

/// The layouts of the template's fitted fields for the texts it rendered last: a field whose
/// text is the same on every certificate of an event (its name, its date) is measured once,
/// not once per certificate. Valid for one generation of the engine's fonts.
#[derive(Debug, Default)]
struct ManagedMemo {
    generation: u64,
    /// (slot, text, attributes) → (SVG, layout report, warnings), oldest first.
    entries: Vec<(ManagedKey, LaidOut)>,
}

type ManagedKey = (usize, String, String);
/// A fitted field's SVG, its layout report and its warnings.
type LaidOut = (String, FieldLayout, Vec<Warning>);

/// Fitted-field layouts a template keeps (each a few hundred bytes).
const MANAGED_MEMO_ENTRIES: usize = 32;

impl ManagedMemo {
    fn get(&self, generation: u64, slot: usize, text: &str, attrs: &str) -> Option<LaidOut> {
        if self.generation != generation {
            return None;
        }
        self.entries
            .iter()
            .find(|((s, t, a), _)| *s == slot && t == text && a == attrs)
            .map(|(_, v)| v.clone())
    }

    fn put(&mut self, generation: u64, key: ManagedKey, value: LaidOut) {
        if self.generation != generation {
            self.entries.clear();
            self.generation = generation;
        }
        if self.entries.len() >= MANAGED_MEMO_ENTRIES {
            self.entries.remove(0);
        }
        self.entries.push((key, value));
    }
}

impl CompiledTemplate {
    /// Page size of the certificates.
    pub fn page_size(&self) -> PageSize {
        self.page
    }

    /// Every field the template uses, in order.
    pub fn fields(&self) -> &[String] {
        &self.split.fields
    }

    /// Warnings found while compiling.
    pub fn warnings(&self) -> &[Warning] {
        &self.split.warnings
    }

    /// Raster cost of the static layer's preview (see [`Rendered::raster_cost`]).
    pub fn raster_cost(&self) -> f64 {
        self.raster_cost
    }
}

/// One rendered certificate.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The vector PDF.
    pub pdf: Vec<u8>,
    /// The variable elements with text as paths, as a complete SVG document of
    /// the page's size, to paint over [`CompiledTemplate::static_preview_svg`]
    /// (empty when not requested).
    pub preview_svg: String,
    /// Page size in pt.
    pub page: PageSize,
    /// Template and render warnings.
    pub warnings: Vec<Warning>,
    /// What happened to each managed (fitted or bidi) text.
    pub fields: Vec<FieldLayout>,
    /// Page-sized rasters resvg holds at once to draw `preview_svg` (layers, masks,
    /// filters), the canvas not counted: a preview's pixel budget divides by `1 + cost`.
    pub raster_cost: f64,
}

/// Fonts plus the operations. Create one per instance and keep it.
#[derive(Debug, Default)]
pub struct Engine {
    fonts: FontSet,
}

impl Engine {
    /// An engine with no fonts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a TrueType/OpenType font (or collection).
    pub fn add_font(&mut self, bytes: Vec<u8>) -> Result<Vec<FaceInfo>> {
        self.fonts.add(bytes)
    }

    /// Adds a font whose faces may be used only as `usage` says (fallback only, or by name only).
    pub fn add_font_with_use(&mut self, bytes: Vec<u8>, usage: FontUse) -> Result<Vec<FaceInfo>> {
        self.fonts.add_with_use(bytes, usage)
    }

    /// The fonts.
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// The fonts `template` renders with: the engine's, plus the template's own when it
    /// brought any (visible to that template only).
    fn fonts_for(&self, template: &CompiledTemplate) -> Result<FontSet> {
        if template.own_fonts.is_empty() {
            return Ok(self.fonts.clone());
        }
        let mut cached = template.fonts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((generation, set)) = cached.as_ref() {
            if *generation == self.fonts.generation() {
                return Ok(set.clone());
            }
        }
        // Fonts were added to the engine since (the CJK fonts on first need): layer again.
        let set = self.fonts.with_own(&template.own_fonts)?;
        *cached = Some((self.fonts.generation(), set.clone()));
        Ok(set)
    }

    /// Compiles a template: parses and checks it, converts its static layer.
    pub fn compile(&self, svg: &[u8], options: &CompileOptions) -> Result<CompiledTemplate> {
        self.compile_with_fonts(svg, Vec::new(), options)
    }

    /// Compiles a template with fonts of its own (TTF/OTF/TTC bytes): they are used by this
    /// template only, never by another one, and are bounded by `max_template_fonts` and
    /// `max_template_font_bytes`.
    pub fn compile_with_fonts(
        &self,
        svg: &[u8],
        own_fonts: Vec<Vec<u8>>,
        options: &CompileOptions,
    ) -> Result<CompiledTemplate> {
        let limits = &options.limits;
        if own_fonts.len() > limits.max_template_fonts {
            return Err(Error::limit(
                "fonts supplied with the template",
                limits.max_template_fonts as u64,
                own_fonts.len() as u64,
            ));
        }
        let font_bytes: usize = own_fonts.iter().map(Vec::len).sum();
        if font_bytes > limits.max_template_font_bytes {
            return Err(Error::limit(
                "bytes of the fonts supplied with the template",
                limits.max_template_font_bytes as u64,
                font_bytes as u64,
            ));
        }
        if self.fonts.is_empty() {
            return Err(Error::FontInvalid(
                "no fonts are loaded; add fonts before compiling templates".into(),
            ));
        }
        let mut split = template::split(svg, options)?;
        let own_fonts: Vec<fonts::OwnFont> = own_fonts
            .into_iter()
            .map(|bytes| fonts::OwnFont {
                bytes: Arc::new(bytes),
                family: None,
            })
            .chain(
                std::mem::take(&mut split.font_faces)
                    .into_iter()
                    .map(|rule| fonts::OwnFont {
                        bytes: Arc::new(rule.bytes),
                        family: Some(rule.family),
                    }),
            )
            .collect();
        let fonts = if own_fonts.is_empty() {
            self.fonts.clone()
        } else {
            self.fonts.with_own(&own_fonts)?
        };
        let missing = fonts.missing_chars(&split.static_text);
        if !missing.is_empty() {
            return Err(Error::FontMissingGlyphs {
                chars: missing,
                field: "(template text)".into(),
            });
        }
        let (tree, raster_cost, substituted) = parse_tree(
            &split.static_svg,
            &fonts,
            &options.default_font_family,
            limits,
            true,
        )?;
        split.warnings.extend(substituted);
        let size = tree.size();
        let (w_mm, h_mm) = (
            size.width() as f64 * 25.4 / 96.0,
            size.height() as f64 * 25.4 / 96.0,
        );
        let max = limits.max_page_mm;
        if w_mm > max || h_mm > max {
            return Err(Error::limit(
                "page size in millimetres",
                max as u64,
                w_mm.max(h_mm).min(u64::MAX as f64) as u64,
            ));
        }
        let aspect = w_mm.max(h_mm) / w_mm.min(h_mm);
        if !aspect.is_finite() || aspect > limits.max_page_aspect {
            return Err(Error::LimitExceeded {
                what: format!(
                    "page aspect ratio (long side / short side, the page is {w_mm:.1} × {h_mm:.1} mm)"
                ),
                limit: limits.max_page_aspect as u64,
                actual: aspect.min(u64::MAX as f64).ceil() as u64,
            });
        }
        let page = PageSize {
            width: size.width() * 0.75,
            height: size.height() * 0.75,
        };
        let static_layer = StaticLayer::convert(&tree, page.width, page.height)?;
        let styles_need_outlines =
            needs_text_outlines(&split.root_open) || needs_text_outlines(&split.styles);
        Ok(CompiledTemplate {
            split,
            static_layer,
            page,
            limits: options.limits.clone(),
            font_family: options.default_font_family.clone(),
            fonts: std::sync::Mutex::new(Some((self.fonts.generation(), fonts))),
            own_fonts,
            raster_cost,
            managed: std::sync::Mutex::default(),
            styles_need_outlines,
        })
    }

    /// The template's static artwork with text as paths, as a complete SVG
    /// document: a pixel preview draws it once and paints each certificate's
    /// [`Rendered::preview_svg`] over it. Made on request (it costs a parse),
    /// not at compile time.
    pub fn static_preview_svg(&self, template: &CompiledTemplate) -> Result<String> {
        let (tree, _, _) = parse_tree(
            &template.split.static_svg,
            &self.fonts_for(template)?,
            &template.font_family,
            &template.limits,
            true,
        )?;
        let (open, inner) = split_root(&tree.to_string(&write_options("s")));
        Ok(format!("{open}{inner}</svg>"))
    }

    /// Renders one certificate.
    pub fn render(
        &self,
        template: &CompiledTemplate,
        data: &serde_json::Value,
        options: &RenderOptions,
    ) -> Result<Rendered> {
        check_attachments(&options.attachments)?;
        let data = Data::new(data, template.limits.max_field_chars)?;
        let fonts = self.fonts_for(template)?;
        let split = &template.split;
        let mut missing = Vec::new();
        let mut warnings = split.warnings.clone();

        enum Filled {
            /// Left out by its `data-if` / `data-unless`.
            Skipped,
            Plain {
                xml: String,
                is_text: bool,
            },
            Managed {
                text: String,
                attrs: String,
            },
            Qr {
                text: String,
                attrs: String,
            },
        }
        let mut filled = Vec::with_capacity(split.slots.len());
        let mut no_glyphs = None;
        for slot in &split.slots {
            let mut drawn = true;
            for c in &slot.conditions {
                drawn &= c.holds(&data)?;
            }
            if !drawn {
                filled.push(Filled::Skipped);
                continue;
            }
            if let Some(q) = &slot.qr {
                // Encoded after the missing-field check: a QR code of half-filled text is no use.
                filled.push(Filled::Qr {
                    text: q.data.fill(&data, &mut missing)?,
                    attrs: q.attrs.fill(&data, &mut missing)?,
                });
                continue;
            }
            let content = slot
                .content
                .as_ref()
                .map(|c| c.fill(&data, &mut missing))
                .transpose()?;
            if let Some(text) = &content {
                let glyphs = fonts.missing_chars(text);
                if !glyphs.is_empty() && no_glyphs.is_none() {
                    no_glyphs = Some(Error::FontMissingGlyphs {
                        chars: glyphs,
                        field: slot.label.clone(),
                    });
                }
            }
            let f = match (&slot.managed, content) {
                (Some(m), Some(text)) if m.fit.is_some() || has_rtl(&text) => Filled::Managed {
                    text,
                    attrs: m.attrs.fill(&data, &mut missing)?,
                },
                (_, content) => Filled::Plain {
                    xml: slot.plain.fill(&data, &mut missing)?,
                    is_text: content.is_some(),
                },
            };
            filled.push(f);
        }
        // Missing fields first: they are the organizer's most likely mistake, and all are named.
        if !missing.is_empty() {
            return Err(Error::MissingField { fields: missing });
        }
        if let Some(error) = no_glyphs {
            return Err(error);
        }

        let substitutions = font_match::SubstitutionLog::default();
        let (mut measure_options, _) = usvg_options(
            &fonts,
            &template.font_family,
            &template.limits,
            &substitutions,
        );
        // Measuring needs the text's layout only, not its outlines (they were a quarter of the
        // render of a simple certificate).
        measure_options.text_outlines = false;
        let measurer = Measurer {
            options: &measure_options,
            styles: &split.styles,
        };
        let mut fields = Vec::new();
        // One document for all variable elements, each inside its groups: one parse, one draw.
        let mut doc = String::with_capacity(4096 + split.resources.len());
        doc.push_str(&split.root_open);
        doc.push_str(&split.resources);
        let fields_start = doc.len();
        let mut has_text = false;
        let generation = self.fonts.generation();
        for (index, (slot, f)) in split.slots.iter().zip(&filled).enumerate() {
            if matches!(f, Filled::Skipped) {
                continue;
            }
            doc.push_str(&slot.open);
            match f {
                Filled::Skipped => {}
                Filled::Plain { xml, is_text } => {
                    doc.push_str(xml);
                    has_text |= is_text;
                }
                Filled::Managed { text, attrs } => {
                    let m = slot
                        .managed
                        .as_ref()
                        .ok_or_else(|| Error::Internal("managed slot without layout".into()))?;
                    let memo = template
                        .managed
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .get(generation, index, text, attrs);
                    let (xml, report, field_warnings) = match memo {
                        Some(laid_out) => laid_out,
                        None => {
                            let mut field_warnings = Vec::new();
                            let (xml, report) = render_managed(
                                &measurer,
                                m,
                                &slot.label,
                                text,
                                attrs,
                                &mut field_warnings,
                            )?;
                            let laid_out = (xml, report, field_warnings);
                            template
                                .managed
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .put(
                                    generation,
                                    (index, text.clone(), attrs.clone()),
                                    laid_out.clone(),
                                );
                            laid_out
                        }
                    };
                    doc.push_str(&xml);
                    fields.push(report);
                    warnings.extend(field_warnings);
                    has_text = true;
                }
                Filled::Qr { text, attrs } => {
                    let q = slot
                        .qr
                        .as_ref()
                        .ok_or_else(|| Error::Internal("QR slot without its code".into()))?;
                    doc.push_str(&q.element(text, attrs, Some(&slot.label))?);
                }
            }
            doc.push_str(&slot.close);
        }
        doc.push_str("</svg>");
        // Glyph outlines of the fields' text are needed for the preview (text as paths) and
        // wherever a bounding box or a path of the text is: referenced paint, clip paths,
        // masks and filters (`url(`), group opacity, blending. A plain field skips them.
        let text_outlines = options.preview
            || template.styles_need_outlines
            || needs_text_outlines(&doc[fields_start..]);
        let (tree, raster_cost, substituted) = parse_tree(
            &doc,
            &fonts,
            &template.font_family,
            &template.limits,
            text_outlines,
        )?;
        for warning in substituted {
            if !warnings.contains(&warning) && !split.warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
        let variable = Variable {
            tree,
            is_text: has_text,
        };
        let pdf = pdf::compose(
            template.page.width,
            template.page.height,
            &template.static_layer,
            &variable,
            &options.language,
            &options.info,
            &options.attachments,
        )?;
        let preview_svg = if options.preview {
            let (open, inner) = split_root(&variable.tree.to_string(&write_options("d")));
            format!("{open}{inner}</svg>")
        } else {
            String::new()
        };
        Ok(Rendered {
            pdf,
            preview_svg,
            page: template.page,
            warnings,
            fields,
            raster_cost,
        })
    }
}

/// usvg's options for `fonts`: no file, no URL, no system font; images only through
/// the [`image::ImageGuard`] returned with them.
fn usvg_options(
    fonts: &FontSet,
    font_family: &str,
    limits: &Limits,
    substitutions: &font_match::SubstitutionLog,
) -> (usvg::Options<'static>, image::ImageGuard) {
    let (guard, image_href_resolver) = image::ImageGuard::new(limits);
    let options = usvg::Options {
        resources_dir: None,
        font_family: font_family.to_string(),
        fontdb: Arc::clone(&fonts.db),
        font_resolver: usvg::FontResolver {
            select_font: font_match::font_selector(Arc::clone(substitutions)),
            select_fallback: fonts::fallback_selector(Arc::clone(&fonts.ranges)),
        },
        image_href_resolver,
        ..usvg::Options::default()
    };
    (options, guard)
}

/// Parses SVG with usvg, then holds the tree to the image and raster limits.
/// Also returns the tree's raster cost (page-sized rasters a preview holds at once) and a
/// `FONT_SUBSTITUTED` warning per family the SVG names that no loaded font has.
fn parse_tree(
    svg: &str,
    fonts: &FontSet,
    font_family: &str,
    limits: &Limits,
    text_outlines: bool,
) -> Result<(usvg::Tree, f64, Vec<Warning>)> {
    let substitutions = font_match::SubstitutionLog::default();
    let (mut options, guard) = usvg_options(fonts, font_family, limits, &substitutions);
    options.text_outlines = text_outlines;
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| match e {
        usvg::Error::InvalidSize => Error::TemplateInvalid(
            "the <svg> element needs a positive width and height (e.g. width=\"297mm\" height=\"210mm\") or a viewBox".into(),
        ),
        usvg::Error::ElementsLimitReached => Error::limit("number of elements", 1_000_000, 1_000_001),
        other => Error::TemplateParse { message: other.to_string(), line: 0, column: 0 },
    })?;
    guard.finish()?;
    let cost = raster::check_tree(&tree, limits)?;
    let warnings = substitutions
        .lock()
        .map(|log| {
            log.iter()
                .map(|(asked, got)| {
                    Warning::new(
                        "FONT_SUBSTITUTED",
                        format!("the font \"{asked}\" is not supplied with the template: drawn with \"{got}\""),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((tree, cost, warnings))
}

/// Whether SVG source may need its text's glyph outlines (not only its layout): a reference
/// (`url(`: gradient or pattern paint, clip path, mask, filter), an opacity, a blend mode or
/// isolation. Errs towards true (a `fill-opacity` also counts).
fn needs_text_outlines(svg: &str) -> bool {
    [
        "url(",
        "opacity",
        "blend",
        "isolation",
        "clip",
        "mask",
        "filter",
    ]
    .iter()
    .any(|token| svg.contains(token))
}

fn write_options(prefix: &str) -> usvg::WriteOptions {
    usvg::WriteOptions {
        id_prefix: Some(format!("{prefix}-")),
        // The preview is for pixels: 1/100 of a user unit is far below a pixel even at 6000 px.
        coordinates_precision: 2,
        // Transforms keep 8 digits: an image is drawn at its pixel size under a scale such as
        // 1/3508, which 4 digits rounded to 0.0003, stretching a page-sized image by 5 %.
        transforms_precision: 8,
        indent: usvg::Indent::None,
        attributes_indent: usvg::Indent::None,
        // resvg-wasm (the preview's rasteriser) panics on some regions far larger than the page.
        clip_filter_regions: true,
        ..usvg::WriteOptions::default()
    }
}

/// Splits usvg's output into its root start tag and the content inside the root.
fn split_root(svg: &str) -> (String, String) {
    let start = svg.find("<svg").unwrap_or(0);
    let open_end = svg[start..].find('>').map_or(svg.len(), |p| start + p + 1);
    let close = svg.rfind("</svg>").unwrap_or(svg.len());
    let open = &svg[start..open_end];
    if let Some(empty) = open.strip_suffix("/>") {
        // An empty tree is written as <svg .../>.
        return (format!("{empty}>"), String::new());
    }
    (
        open.to_string(),
        svg[open_end..close.max(open_end)].to_string(),
    )
}
