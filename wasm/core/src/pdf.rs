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

use krilla::geom::Size;
use krilla::page::PageSettings;
use krilla::pdf::{Pdf, PdfDocument};
use krilla::surface::Surface;
use krilla::tagging::{ContentTag, SpanTag, Tag, TagGroup, TagTree};
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgContext, SvgSettings};

use crate::error::{Error, Result};
use crate::DocumentInfo;

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
        xmp_metadata: false,
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
    document
        .finish()
        .map_err(|e| Error::RenderFailed(format!("{e:?}")))
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
        let mut document = Document::new_with(settings(false));
        let mut pages = 0;
        let mut graphics_page =
            |draw: &mut dyn FnMut(&mut Surface) -> Result<()>| -> Result<usize> {
                let mut page = document.start_page_with(ps.clone());
                let mut surface = page.surface();
                // Drawn inside an isolated group, i.e. a Form XObject: the page's own content
                // stream is then a few bytes. Embedding a page later re-encodes its content
                // stream (hayro-write deflates it again) but copies other streams as they are.
                surface.push_isolated();
                draw(&mut surface)?;
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
            Some(PdfDocument::new(Arc::new(pdf)))
        };
        Ok(StaticLayer {
            doc,
            parts,
            view: tree.size(),
            fontdb: Arc::clone(tree.fontdb()),
        })
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
                    surface.draw_pdf_page(doc, size, *page);
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
) -> Result<Vec<u8>> {
    let (ps, size) = page_settings(width, height)?;
    let mut document = Document::new_with(settings(true));
    document.set_metadata(metadata(lang, info)?);
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
            draw(&mut surface, &item.tree, size)?;
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
    if let Some(v) = &info.creation_date {
        m = m.creation_date(parse_utc(v)?);
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
