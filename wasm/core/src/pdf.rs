//! SVG → PDF with krilla + krilla-svg.
//!
//! The static artwork of a template is cut, in paint order, into runs of
//! graphics and the text between them. Each run of graphics is converted once,
//! as a page of an in-memory PDF, and embedded per certificate as a Form
//! XObject (its streams are copied, already compressed). The static text is
//! drawn into each certificate itself, so that a font used by the artwork and
//! by a variable field is embedded once, as one subset. Each variable element
//! is drawn on top; every text, static or variable, is a tagged span in a
//! paragraph of its own, in paint order.

use std::sync::Arc;

use krilla::configure::{Archival, ConfigurationBuilder, ValidationError};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::error::KrillaError;
use krilla::geom::Size;
use krilla::page::PageSettings;
use krilla::pdf::{Pdf, PdfDocument};
use krilla::surface::Surface;
use krilla::tagging::{Artifact, ContentTag, SpanTag, Tag, TagGroup, TagTree};
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgContext, SvgSettings};

use crate::error::{Error, Result};
use crate::{Attachment, DocumentInfo, Relationship};

/// The PDF/A part every certificate conforms to (and krilla checks): PDF/A-3b, the part that
/// allows associated files (the certificate data and its credential) of any type.
pub const ARCHIVAL_PART: &str = "PDF/A-3b";

/// Creation date of the in-memory PDF of the static graphics (PDF/A requires one; the
/// document itself never leaves the core, only its pages' content does).
const STATIC_LAYER_DATE: &str = "2000-01-01T00:00:00Z";

/// Filters are rasterised at this multiple of their size in points.
const FILTER_SCALE: f32 = 2.0;

/// The static artwork of a template, converted once.
#[derive(Clone)]
pub(crate) struct StaticLayer {
    /// One page per run of graphics, `None` when the artwork is all text.
    doc: Option<PdfDocument>,
    /// The artwork in paint order.
    parts: Vec<StaticPart>,
    /// The tree's size in its user units and its fonts, to draw the text.
    view: usvg::Size,
    fontdb: Arc<usvg::fontdb::Database>,
}

impl std::fmt::Debug for StaticLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticLayer")
    }
}

fn settings(tagging: bool) -> SerializeSettings {
    SerializeSettings {
        enable_tagging: tagging,
        xmp_metadata: true,
        configuration: ConfigurationBuilder::new()
            .with_archival_validator(Archival::A3_B)
            .finish()
            .expect("PDF/A-3b is a valid krilla configuration"),
        ..SerializeSettings::default()
    }
}

fn page_settings(width: f32, height: f32) -> Result<(PageSettings, Size)> {
    let size = Size::from_wh(width, height)
        .ok_or_else(|| Error::TemplateInvalid(format!("invalid page size {width}×{height} pt")))?;
    Ok((PageSettings::new(size), size))
}

/// Pixels of one filter's raster in the PDF (its resolution is lowered to fit).
const MAX_FILTER_PIXELS: f32 = 4_000_000.0;

fn svg_settings() -> SvgSettings {
    SvgSettings {
        embed_text: true,
        filter_scale: FILTER_SCALE,
        max_filter_pixels: MAX_FILTER_PIXELS,
    }
}

fn draw(surface: &mut Surface, tree: &usvg::Tree, size: Size) -> Result<()> {
    surface
        .draw_svg(tree, size, svg_settings())
        .ok_or_else(|| Error::RenderFailed("krilla-svg could not draw the SVG".into()))
}

fn finish(document: Document) -> Result<Vec<u8>> {
    document.finish().map_err(|e| match e {
        KrillaError::Validation(errors) => archival_error(&errors),
        e => Error::RenderFailed(format!("{e:?}")),
    })
}

/// What the template does that PDF/A-3b forbids, in words an organizer can act on.
fn archival_error<V>(errors: &[(ValidationError, V)]) -> Error {
    let mut reasons: Vec<String> = Vec::new();
    for (error, _) in errors {
        let reason = match error {
            ValidationError::ContainsNotDefGlyph(_, _, text) => {
                format!("the text '{text}' has a character its font does not draw")
            }
            ValidationError::RestrictedLicense(_) => {
                "a font whose license flags do not allow embedding".into()
            }
            ValidationError::TooLongString => "a text longer than 32,767 bytes".into(),
            ValidationError::TooLongName => "a name longer than 127 bytes".into(),
            ValidationError::TooManyIndirectObjects => "more than 8,388,607 objects".into(),
            ValidationError::TooHighQNestingLevel => "graphics nested deeper than 28 levels".into(),
            other => format!("{other:?}"),
        };
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    reasons.truncate(8);
    Error::UnsupportedContent(format!(
        "{ARCHIVAL_PART} forbids what this certificate would contain: {}",
        reasons.join("; ")
    ))
}

#[derive(Clone)]
enum StaticPart {
    /// A page of [`StaticLayer::doc`].
    Graphics(usize),
    /// A text (or a group holding text that cannot be taken apart) and the transform from
    /// its parent to the root.
    Text(usvg::Transform, usvg::Node),
}

/// Whether drawing `node` embeds a font: it is or holds a text that is not under a
/// filter (krilla-svg rasterises filtered groups, text included).
fn draws_text(node: &usvg::Node) -> bool {
    match node {
        usvg::Node::Text(_) => true,
        usvg::Node::Group(g) => g.filters().is_empty() && g.children().iter().any(draws_text),
        usvg::Node::Path(_) | usvg::Node::Image(_) => false,
    }
}

/// Whether a group's children can be drawn one by one, each under the group's transform,
/// with the same result: no clip, mask, filter, opacity, blending or isolation.
fn is_plain(g: &usvg::Group) -> bool {
    g.filters().is_empty()
        && g.clip_path().is_none()
        && g.mask().is_none()
        && g.opacity() == usvg::Opacity::ONE
        && g.blend_mode() == usvg::BlendMode::Normal
        && !g.isolate()
}

/// A piece of the artwork in paint order, before conversion.
enum Piece<'a> {
    Graphics(Vec<(usvg::Transform, &'a usvg::Node)>),
    Text(usvg::Transform, &'a usvg::Node),
}

/// Cuts `children` (of a group whose transform to the root is `to_root`) into pieces,
/// going into plain groups that hold text.
fn cut<'a>(children: &'a [usvg::Node], to_root: usvg::Transform, out: &mut Vec<Piece<'a>>) {
    for child in children {
        if !draws_text(child) {
            match out.last_mut() {
                Some(Piece::Graphics(run)) => run.push((to_root, child)),
                _ => out.push(Piece::Graphics(vec![(to_root, child)])),
            }
            continue;
        }
        match child {
            usvg::Node::Group(g) if is_plain(g) => {
                cut(g.children(), to_root.pre_concat(g.transform()), out)
            }
            _ => out.push(Piece::Text(to_root, child)),
        }
    }
}

impl StaticLayer {
    /// Converts the static tree: each run of graphics into a page of a PDF kept in
    /// memory; the text is kept as nodes, drawn into each certificate.
    pub fn convert(tree: &usvg::Tree, width: f32, height: f32) -> Result<StaticLayer> {
        let (ps, size) = page_settings(width, height)?;
        let root = tree.root();
        let mut pieces = Vec::new();
        let whole = !is_plain(root);
        if !whole {
            cut(root.children(), root.transform(), &mut pieces);
        }
        // Tagging on for the artifact marks below; the static document has no tag tree.
        let mut document = Document::new_with(settings(true));
        document.set_metadata(
            krilla::metadata::Metadata::new().creation_date(parse_utc(STATIC_LAYER_DATE)?),
        );
        let mut pages = 0;
        let mut graphics_page =
            |draw: &mut dyn FnMut(&mut Surface) -> Result<()>| -> Result<usize> {
                let mut page = document.start_page_with(ps.clone());
                let mut surface = page.surface();
                // Drawn inside an isolated group, i.e. a Form XObject: the page's own content
                // stream is then a few bytes. Embedding a page later re-encodes its content
                // stream (hayro-write deflates it again) but copies other streams as they are.
                surface.push_isolated();
                // Marked inside the embedded page too: veraPDF checks a Form XObject's
                // content on its own, not as part of the artifact that paints it.
                surface.start_tagged(ContentTag::Artifact(Artifact::default()));
                let drawn = draw(&mut surface);
                surface.end_tagged();
                drawn?;
                surface.pop();
                surface.finish();
                page.finish();
                pages += 1;
                Ok(pages - 1)
            };
        let mut parts = Vec::with_capacity(pieces.len() + 1);
        if whole {
            // usvg's roots have no effects; one that had would be drawn whole.
            parts.push(StaticPart::Graphics(graphics_page(&mut |surface| {
                draw(surface, tree, size)
            })?));
        }
        let mut fontdb = (**tree.fontdb()).clone();
        let mut context = SvgContext::new(&mut fontdb, svg_settings());
        for piece in pieces {
            parts.push(match piece {
                Piece::Graphics(run) => StaticPart::Graphics(graphics_page(&mut |surface| {
                    draw_nodes(surface, &run, tree.size(), size, &mut context)
                })?),
                Piece::Text(to_root, node) => StaticPart::Text(to_root, node.clone()),
            });
        }
        let doc = if pages == 0 {
            None
        } else {
            let bytes = finish(document)?;
            let pdf = Pdf::new(bytes).map_err(|e| {
                Error::Internal(format!("reading back the static layer failed: {e:?}"))
            })?;
            // Written above with the certificates' own settings (PDF/A-3b), so its pages conform.
            Some(PdfDocument::new_conforming(Arc::new(pdf)))
        };
        let layer = StaticLayer {
            doc,
            parts,
            view: tree.size(),
            fontdb: Arc::clone(tree.fontdb()),
        };
        // The artwork's text is drawn per certificate: write it once now, so that what PDF/A
        // forbids in it (a character its font does not draw) is a compile error, not a failure
        // of every certificate.
        if layer
            .parts
            .iter()
            .any(|p| matches!(p, StaticPart::Text(..)))
        {
            let mut trial = Document::new_with(settings(true));
            trial.set_metadata(
                krilla::metadata::Metadata::new().creation_date(parse_utc(STATIC_LAYER_DATE)?),
            );
            let mut tags = TagTree::new();
            {
                let mut page = trial.start_page_with(ps);
                let mut surface = page.surface();
                layer.draw(&mut surface, size, &mut tags)?;
                surface.finish();
                page.finish();
            }
            trial.set_tag_tree(tags);
            finish(trial)?;
        }
        Ok(layer)
    }

    /// Draws the artwork, its text tagged as paragraphs added to `tags`.
    fn draw(&self, surface: &mut Surface, size: Size, tags: &mut TagTree) -> Result<()> {
        // One context for all the texts of the certificate: each font is made once.
        let mut fontdb = (*self.fontdb).clone();
        let mut context = SvgContext::new(&mut fontdb, svg_settings());
        for part in &self.parts {
            match part {
                StaticPart::Graphics(page) => {
                    let doc = self.doc.as_ref().ok_or_else(|| {
                        Error::Internal("static layer without its graphics".into())
                    })?;
                    // Decoration: marked as an artifact, so that everything on the page is
                    // either tagged text or an artifact (PDF/UA-1 7.1-3).
                    surface.start_tagged(ContentTag::Artifact(Artifact::default()));
                    surface.draw_pdf_page(doc, size, *page);
                    surface.end_tagged();
                }
                StaticPart::Text(to_root, node) => {
                    let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
                    let drawn =
                        draw_nodes(surface, &[(*to_root, node)], self.view, size, &mut context);
                    surface.end_tagged();
                    drawn?;
                    let mut p = TagGroup::new(Tag::P);
                    p.push(id);
                    tags.push(p);
                }
            }
        }
        Ok(())
    }
}

fn draw_nodes(
    surface: &mut Surface,
    nodes: &[(usvg::Transform, &usvg::Node)],
    view: usvg::Size,
    size: Size,
    context: &mut SvgContext,
) -> Result<()> {
    surface
        .draw_svg_nodes(nodes, view, size, context)
        .ok_or_else(|| Error::RenderFailed("krilla-svg could not draw the SVG".into()))
}

/// The variable elements of a certificate, ready to draw.
pub(crate) struct Variable {
    pub tree: usvg::Tree,
    /// Whether it holds text (tagged as a paragraph).
    pub is_text: bool,
}

/// Writes the certificate: the static layer, then the variable elements,
/// tagged as one paragraph when they hold text.
pub(crate) fn compose(
    width: f32,
    height: f32,
    background: &StaticLayer,
    item: &Variable,
    lang: &str,
    info: &DocumentInfo,
    attachments: &[Attachment],
) -> Result<Vec<u8>> {
    let (ps, size) = page_settings(width, height)?;
    let mut document = Document::new_with(settings(true));
    let date = parse_utc(info.creation_date.as_deref().unwrap_or(STATIC_LAYER_DATE))?;
    document.set_metadata(metadata(lang, info)?.creation_date(date));
    for attachment in attachments {
        let mime_type = MimeType::new(&attachment.mime_type).ok_or_else(|| {
            Error::InvalidData(format!(
                "attachment '{}': '{}' is not a MIME type",
                attachment.name, attachment.mime_type
            ))
        })?;
        let embedded = document.embed_file(EmbeddedFile {
            path: attachment.name.clone(),
            mime_type: Some(mime_type),
            description: Some(attachment.description.clone()),
            association_kind: match attachment.relationship {
                Relationship::Data => AssociationKind::Data,
                Relationship::Source => AssociationKind::Source,
                Relationship::Alternative => AssociationKind::Alternative,
                Relationship::Supplement => AssociationKind::Supplement,
                Relationship::Unspecified => AssociationKind::Unspecified,
            },
            data: attachment.content.as_bytes().to_vec().into(),
            modification_date: Some(date),
            compress: Some(true),
            location: None,
        });
        if embedded.is_none() {
            return Err(Error::InvalidData(format!(
                "two attachments are named '{}'",
                attachment.name
            )));
        }
    }
    let mut tags = TagTree::new();
    {
        let mut page = document.start_page_with(ps);
        let mut surface = page.surface();
        background.draw(&mut surface, size, &mut tags)?;
        if item.is_text {
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            draw(&mut surface, &item.tree, size)?;
            surface.end_tagged();
            let mut p = TagGroup::new(Tag::P);
            p.push(id);
            tags.push(p);
        } else {
            // A QR code or an image of the data: no text of its own, an artifact.
            surface.start_tagged(ContentTag::Artifact(Artifact::default()));
            let drawn = draw(&mut surface, &item.tree, size);
            surface.end_tagged();
            drawn?;
        }
        surface.finish();
        page.finish();
    }
    document.set_tag_tree(tags);
    finish(document)
}

fn metadata(lang: &str, info: &DocumentInfo) -> Result<krilla::metadata::Metadata> {
    let mut m = krilla::metadata::Metadata::new().language(lang.to_string());
    if let Some(v) = &info.title {
        m = m.title(v.clone());
    }
    if let Some(v) = &info.author {
        m = m.authors(vec![v.clone()]);
    }
    if let Some(v) = &info.subject {
        m = m.description(v.clone());
    }
    if !info.keywords.is_empty() {
        m = m.keywords(info.keywords.clone());
    }
    if let Some(v) = &info.creator {
        m = m.creator(v.clone());
    }
    if let Some(v) = &info.producer {
        m = m.producer(v.clone());
    }
    Ok(m)
}

/// `YYYY-MM-DDTHH:MM:SS(.fff)Z` → a UTC krilla date.
fn parse_utc(s: &str) -> Result<krilla::metadata::DateTime> {
    let bad = || {
        Error::InvalidData(format!(
            "creationDate must be YYYY-MM-DDTHH:MM:SSZ (UTC), got '{s}'"
        ))
    };
    let b = s.as_bytes();
    if b.len() < 20
        || !s.ends_with('Z')
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return Err(bad());
    }
    let num =
        |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u16>().ok()).ok_or_else(bad);
    Ok(krilla::metadata::DateTime::new(num(0..4)?)
        .month(num(5..7)? as u8)
        .day(num(8..10)? as u8)
        .hour(num(11..13)? as u8)
        .minute(num(14..16)? as u8)
        .second(num(17..19)? as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0))
}
