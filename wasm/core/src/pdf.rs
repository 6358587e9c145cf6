//! SVG → PDF with krilla + krilla-svg.
//!
//! The static artwork of a template is converted once into a one-page PDF and
//! embedded per certificate as a Form XObject (its streams are copied, already
//! compressed). Each variable element is drawn on top, text wrapped in a tagged
//! span whose `/ActualText` is the logical text, so extraction and screen
//! readers get the name in logical order whatever the visual order of glyphs.

use std::sync::Arc;

use krilla::geom::Size;
use krilla::page::PageSettings;
use krilla::pdf::{Pdf, PdfDocument};
use krilla::surface::Surface;
use krilla::tagging::{ContentTag, SpanTag, Tag, TagGroup, TagTree};
use krilla::{Document, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::error::{Error, Result};
use crate::DocumentInfo;

/// Filters are rasterised at this multiple of their size in points.
const FILTER_SCALE: f32 = 2.0;

/// The static artwork of a template, converted once.
#[derive(Clone)]
pub(crate) struct StaticLayer {
    doc: PdfDocument,
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

impl StaticLayer {
    /// Converts the static tree into a one-page PDF kept in memory.
    pub fn convert(tree: &usvg::Tree, width: f32, height: f32) -> Result<StaticLayer> {
        let (ps, size) = page_settings(width, height)?;
        let mut document = Document::new_with(settings(false));
        {
            let mut page = document.start_page_with(ps);
            let mut surface = page.surface();
            // Drawn inside an isolated group, i.e. a Form XObject: the page's own content
            // stream is then a few bytes. Embedding a page later re-encodes its content
            // stream (hayro-write deflates it again) but copies other streams as they are.
            surface.push_isolated();
            draw(&mut surface, tree, size)?;
            surface.pop();
            surface.finish();
            page.finish();
        }
        let bytes = finish(document)?;
        let pdf = Pdf::new(bytes)
            .map_err(|e| Error::Internal(format!("reading back the static layer failed: {e:?}")))?;
        Ok(StaticLayer {
            doc: PdfDocument::new(Arc::new(pdf)),
        })
    }
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
        surface.draw_pdf_page(&background.doc, size, 0);
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
