use std::collections::hash_map::Entry;
use std::collections::HashMap;

use fontdb::Database;
use krilla::color::rgb;
use krilla::geom::Point;
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider};
use smallvec::SmallVec;
use usvg::tiny_skia_path::Transform;
use usvg::{FontOpticalSizing, FontVariation, PaintOrder};

use crate::util::{convert_fill, convert_stroke, UsvgTransformExt};
use crate::{path, ProcessContext};

/// Render a text into a surface.
pub(crate) fn render(
    text: &usvg::Text,
    surface: &mut Surface,
    process_context: &mut ProcessContext,
) {
    for span in text.layouted() {
        if !span.visible {
            continue;
        }

        if let Some(overline) = &span.overline {
            path::render(overline, surface, process_context);
        }

        if let Some(underline) = &span.underline {
            path::render(underline, surface, process_context);
        }

        // certforge: consecutive glyphs with the same font and the same scale,
        // skew and rotation are drawn in one text object (one TJ) instead of one
        // text object per glyph: far smaller content streams, less to compress,
        // and extractors see words instead of isolated glyphs.
        let glyphs = &span.positioned_glyphs;
        let font_size = span.font_size.get();
        let clusters = clusters_of(glyphs);
        let mut i = 0;
        while i < glyphs.len() {
            let glyph = &glyphs[i];
            // Ignore glyph if font can't be fetched.
            let Some(font) = process_context.fonts.retrieve(span, glyph.font) else {
                i += 1;
                continue;
            };

            let upem = font.units_per_em();

            // The text transform contains the scale transform `font_size / upem`, we need to invert that
            // so we only get the raw transform to account for the glyph position, and the font size
            // is being taken care of by krilla.
            let unscale = Transform::from_scale(upem / font_size, upem / font_size);
            let transform = glyph.transform().pre_concat(unscale);

            let Some(inverted) = transform.invert() else {
                i += 1;
                continue;
            };

            let mut end = i + 1;
            while end < glyphs.len() && glyphs[end].font == glyph.font {
                let t = glyphs[end].transform().pre_concat(unscale);
                if !same_linear(&t, &transform) {
                    break;
                }
                end += 1;
            }

            // Glyph origins in the first glyph's space, and their texts.
            let mut run_text = String::new();
            let mut origins = Vec::with_capacity(end - i);
            let mut ranges = Vec::with_capacity(end - i);
            for g in &glyphs[i..end] {
                let t = g.transform().pre_concat(unscale);
                let mut p = [usvg::tiny_skia_path::Point::from_xy(t.tx, t.ty)];
                inverted.map_points(&mut p);
                origins.push(p[0]);
            }
            // certforge: the text each glyph stands for, cluster by cluster (see `cluster_texts`).
            for (n, text) in cluster_texts(&process_context.fonts, &clusters, i, end, glyphs) {
                let start = run_text.len();
                match text {
                    GlyphText::Own(text) | GlyphText::Shared(text) => run_text.push_str(&text),
                }
                let range = start..run_text.len();
                ranges.extend(std::iter::repeat_n(range, n));
            }
            let advance_of = |k: usize| process_context.fonts.advance(glyphs[i + k].font, glyphs[i + k].id.0);
            let order: Vec<usize> = (0..origins.len()).collect();
            let run: Vec<KrillaGlyph> = order
                .iter()
                .enumerate()
                .map(|(n, &k)| {
                    // certforge: the last glyph advances by its own width, so that krilla's
                    // bounding box of the run (which form XObjects clip to) covers it.
                    let advance = order.get(n + 1).map_or_else(
                        || advance_of(k),
                        |&next| (origins[next].x - origins[k].x) / font_size,
                    );
                    KrillaGlyph::new(
                        GlyphId::new(glyphs[i + k].id.0 as u32),
                        advance,
                        0.0,
                        -origins[k].y / font_size,
                        0.0,
                        ranges[n].clone(),
                        None,
                    )
                })
                .collect();
            i = end;

            // We need to apply the inverse transform to fill/stroke because we don't
            // want the paint to be affected by the transform applied to the glyph. See docs
            // of `convert_paint`.
            let fill = span
                .fill
                .as_ref()
                .map(|f| convert_fill(f, surface.stream_builder(), process_context, inverted));

            let stroke = span
                .stroke
                .as_ref()
                .map(|s| convert_stroke(s, surface.stream_builder(), process_context, inverted));

            let draw_op = |s: &mut Surface,
                           fill: Option<Fill>,
                           stroke: Option<Stroke>,
                           font: Font,
                           embed_text: bool| {
                s.set_fill(fill);
                s.set_stroke(stroke);

                s.draw_glyphs(
                    Point::from_xy(0.0, 0.0),
                    &run,
                    font,
                    &run_text,
                    font_size,
                    !embed_text,
                );
            };

            surface.push_transform(&transform.to_krilla());

            if fill.is_none() && stroke.is_none() {
                // Emulate invisible glyph by drawing it with an opacity of zero.
                draw_op(
                    surface,
                    Some(Fill {
                        paint: rgb::Color::new(0, 0, 0).into(),
                        opacity: NormalizedF32::ZERO,
                        rule: Default::default(),
                    }),
                    None,
                    font,
                    process_context.svg_settings.embed_text,
                )
            } else if matches!(span.paint_order, PaintOrder::FillAndStroke)
                || fill.is_none()
                || stroke.is_none()
            {
                draw_op(
                    surface,
                    fill,
                    stroke,
                    font.clone(),
                    process_context.svg_settings.embed_text,
                );
            } else {
                // Paint order stroke and fill, and we have BOTH, a fill and
                // stroke.

                // We always draw the text outlined in this case, so that
                // text won't be embedded twice.
                draw_op(surface, None, stroke, font.clone(), false);

                draw_op(
                    surface,
                    fill,
                    None,
                    font.clone(),
                    process_context.svg_settings.embed_text,
                );
            }

            surface.pop();
        }

        if let Some(line_through) = &span.line_through {
            path::render(line_through, surface, process_context);
        }
    }
}

/// Manages the krilla fonts used by an SVG.
pub(crate) struct Fonts<'a> {
    db: &'a mut Database,
    fonts: HashMap<FontInstance, Option<Font>>,
    supported_axes: HashMap<fontdb::ID, SmallVec<[[u8; 4]; 2]>>,
}

/// Identifies a font at specific variation coordinates.
type FontInstance = (fontdb::ID, FontVariations);
type FontVariations = SmallVec<[FontVariation; 2]>;

impl<'a> Fonts<'a> {
    /// certforge: the text a glyph stands for, chosen so that one glyph keeps
    /// one mapping in the whole document where possible (krilla otherwise
    /// wraps the glyph in an /ActualText span): a one-character cluster that
    /// the font maps straight to this glyph is that character; any other glyph
    /// (ligature, contextual form, base of a multi-glyph cluster) carries its
    /// cluster's text.
    fn natural_text(&self, id: fontdb::ID, glyph_id: u16, cluster: &str) -> String {
        let mut chars = cluster.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if self.maps_to(id, c, glyph_id) {
                return c.to_string();
            }
        }
        // A right-to-left cluster sits in visual order; extractors reverse
        // right-to-left runs, so its characters are mapped in visual order too.
        if cluster.chars().count() > 1 && cluster.chars().any(is_rtl_letter) {
            cluster.chars().rev().collect()
        } else {
            cluster.to_string()
        }
    }

    /// certforge: the glyph's advance width in em (0 when the font cannot say).
    fn advance(&self, id: fontdb::ID, glyph_id: u16) -> f32 {
        self.db
            .with_face_data(id, |data, index| {
                let font = FontRef::from_index(data, index).ok()?;
                let upem = font.head().ok()?.units_per_em() as f32;
                let metrics = font.glyph_metrics(
                    skrifa::instance::Size::unscaled(),
                    skrifa::instance::LocationRef::default(),
                );
                Some(metrics.advance_width(skrifa::GlyphId::new(glyph_id as u32))? / upem)
            })
            .flatten()
            .unwrap_or(0.0)
    }

    /// certforge: whether the font maps `c` straight to `glyph_id`.
    fn maps_to(&self, id: fontdb::ID, c: char, glyph_id: u16) -> bool {
        let gid = skrifa::GlyphId::new(glyph_id as u32);
        self.db
            .with_face_data(id, |data, index| {
                FontRef::from_index(data, index).ok().map(|f| f.charmap().map(c) == Some(gid))
            })
            .flatten()
            == Some(true)
    }

    pub(crate) fn new(db: &'a mut Database) -> Self {
        Self {
            db,
            fonts: HashMap::new(),
            supported_axes: HashMap::new(),
        }
    }

    /// Retrieves the font identified by `id` from the cache or loads it.
    fn retrieve(&mut self, span: &usvg::layout::Span, id: fontdb::ID) -> Option<Font> {
        let variations = self.resolve_variations(span, id);
        match self.fonts.entry((id, variations)) {
            Entry::Occupied(entry) => entry.get().clone(),
            Entry::Vacant(entry) => {
                // certforge: fonts only ever come from memory (fontdb without its `fs` and
                // `memmap` features), so share the in-memory bytes instead of calling
                // `make_shared_face_data`, which needs those features.
                let shared = self.db.face(id).and_then(|face| match &face.source {
                    fontdb::Source::Binary(data) => Some((data.clone(), face.index)),
                    #[allow(unreachable_patterns)]
                    _ => None,
                });
                let font = if let Some((font_data, index)) = shared {
                    let variations = &entry.key().1;
                    let coords: SmallVec<[_; 2]> = variations
                        .iter()
                        .map(|var| (krilla::text::Tag::new(&var.tag), var.value))
                        .collect();
                    Font::new_variable(font_data.into(), index, &coords)
                } else {
                    None
                };

                entry.insert(font.clone());
                font
            }
        }
    }

    /// Resolves which variations are applicable for the given font (filtering out undefined axis
    /// values and taking into account optical sizing).
    fn resolve_variations(&mut self, span: &usvg::layout::Span, id: fontdb::ID) -> FontVariations {
        let supported_axes = self.supported_axes.entry(id).or_insert_with(|| {
            self.db
                .with_face_data(id, |data, index| {
                    FontRef::from_index(data, index)
                        .into_iter()
                        .flat_map(|font| font.axes().iter())
                        .map(|axis| axis.tag().to_be_bytes())
                        .collect()
                })
                .unwrap_or_default()
        });
        let is_supported = |tag| supported_axes.contains(tag);

        let mut variations: FontVariations = span
            .variations
            .iter()
            .filter(|var| is_supported(&var.tag))
            .copied()
            .collect();

        // Set the font size for optical sizing if desired, supported, and not manually set.
        const OPSZ: &[u8; 4] = b"opsz";
        if span.font_optical_sizing == FontOpticalSizing::Auto
            && is_supported(OPSZ)
            && !variations.iter().any(|v| v.tag == *OPSZ)
        {
            variations.push(FontVariation {
                tag: *OPSZ,
                value: span.font_size.get(),
            });
        }

        variations
    }
}

/// Hebrew, Arabic, Syriac, Thaana, NKo... and their presentation forms.
fn is_rtl_letter(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

/// certforge: whether two transforms share scale, skew and rotation.
fn same_linear(a: &Transform, b: &Transform) -> bool {
    let close = |x: f32, y: f32| (x - y).abs() <= 1e-4 * x.abs().max(y.abs()).max(1.0);
    close(a.sx, b.sx) && close(a.kx, b.kx) && close(a.ky, b.ky) && close(a.sy, b.sy)
}

/// certforge: the glyphs of a span grouped into clusters, as `start..end` indices.
///
/// usvg gives a cluster's text to one of its glyphs and an empty text to the others: the
/// last glyph in left-to-right text, the first (leftmost) in right-to-left text, whose
/// glyphs come in visual order. An empty-text glyph belongs to the cluster of the glyph
/// before it when that glyph's text is right-to-left, else to the cluster after it.
fn clusters_of(glyphs: &[usvg::layout::PositionedGlyph]) -> Vec<std::ops::Range<usize>> {
    let rtl = |g: &usvg::layout::PositionedGlyph| g.text.chars().any(is_rtl_letter);
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    // Empty-text glyphs waiting for the left-to-right glyph that closes their cluster.
    let mut pending: Option<usize> = None;
    for (k, g) in glyphs.iter().enumerate() {
        if g.text.is_empty() {
            if pending.is_none() {
                match out.last_mut() {
                    Some(last) if last.end == k && rtl(&glyphs[last.start]) => last.end = k + 1,
                    _ => pending = Some(k),
                }
            }
        } else if rtl(g) {
            out.extend(pending.take().map(|p| p..k));
            out.push(k..k + 1);
        } else {
            out.push(pending.take().unwrap_or(k)..k + 1);
        }
    }
    out.extend(pending.map(|p| p..glyphs.len()));
    out
}

/// certforge: what a cluster's glyphs map to in the PDF.
enum GlyphText {
    /// One glyph with its own text.
    Own(String),
    /// This many glyphs sharing one text: krilla wraps them in an `/ActualText` span,
    /// which extractors read as one unit spread over the cluster's extent.
    Shared(String),
}

/// certforge: the texts of the glyphs `from..to` of a span, cluster by cluster.
///
/// - A one-glyph cluster gets [`Fonts::natural_text`].
/// - A left-to-right cluster of several glyphs whose glyphs are, in order, the font's own
///   glyphs of its characters one by one (a base letter and its marks: Devanagari `सु`,
///   Thai `ดี`, Vietnamese `ị` drawn as i + dot below) maps each glyph to its character,
///   which every extractor reads without a gap inside the cluster.
/// - Any other cluster (reordered vowel signs such as Devanagari `ि`, conjuncts, Arabic
///   harakat) is one shared text: right-to-left clusters in visual order, since
///   extractors reverse right-to-left runs.
///
/// A cluster cut by the run's end (a font change inside a cluster) falls back to one
/// text per glyph.
fn cluster_texts(
    fonts: &Fonts,
    clusters: &[std::ops::Range<usize>],
    from: usize,
    to: usize,
    glyphs: &[usvg::layout::PositionedGlyph],
) -> Vec<(usize, GlyphText)> {
    let mut out = Vec::new();
    for c in clusters {
        if c.end <= from || c.start >= to {
            continue;
        }
        let own = |k: usize| {
            let g = &glyphs[k];
            (1, GlyphText::Own(fonts.natural_text(g.font, g.id.0, &g.text)))
        };
        if c.len() == 1 || c.start < from || c.end > to {
            out.extend((c.start.max(from)..c.end.min(to)).map(own));
            continue;
        }
        let text: String = glyphs[c.clone()].iter().map(|g| g.text.as_str()).collect();
        // Right-to-left glyphs come in visual order: match them against the reversed text.
        let rtl = text.chars().any(is_rtl_letter);
        let ordered: String = if rtl { text.chars().rev().collect() } else { text.clone() };
        match split_by_glyphs(fonts, &glyphs[c.clone()], &ordered) {
            Some(pieces) => out.extend(pieces.into_iter().map(|p| (1, GlyphText::Own(p)))),
            None => out.push((c.len(), GlyphText::Shared(ordered))),
        }
    }
    out
}

/// certforge: `text` cut into one non-empty piece per glyph, in order, when every glyph
/// after the first is the font's glyph of the character its piece starts with (a glyph
/// that does not start a piece with its own character, such as a ligature or a half form,
/// takes the characters up to the next glyph's). `None` when the glyphs are not in the
/// text's order.
fn split_by_glyphs(
    fonts: &Fonts,
    glyphs: &[usvg::layout::PositionedGlyph],
    text: &str,
) -> Option<Vec<String>> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::with_capacity(glyphs.len());
    let mut pos = 0;
    for (k, g) in glyphs.iter().enumerate() {
        let end = match glyphs.get(k + 1) {
            None => chars.len(),
            Some(next) => {
                // The next glyph starts at the first following character it draws.
                (pos + 1..chars.len()).find(|&p| fonts.maps_to(next.font, chars[p], next.id.0))?
            }
        };
        if end <= pos {
            return None;
        }
        // A glyph standing for one character must be that character's glyph.
        if end == pos + 1 && !fonts.maps_to(g.font, chars[pos], g.id.0) {
            return None;
        }
        pieces.push(chars[pos..end].iter().collect());
        pos = end;
    }
    Some(pieces)
}
