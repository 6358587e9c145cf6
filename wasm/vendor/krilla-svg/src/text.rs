use std::collections::hash_map::Entry;
use std::collections::HashMap;

use fontdb::Database;
use krilla::color::rgb;
use krilla::geom::Point;
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
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
                // certforge: the text each glyph stands for on its own (see `natural_text`).
                let start = run_text.len();
                run_text.push_str(&process_context.fonts.natural_text(g.font, g.id.0, &g.text));
                ranges.push(start..run_text.len());
            }
            let run: Vec<KrillaGlyph> = (0..origins.len())
                .map(|k| {
                    let advance = origins.get(k + 1).map_or(0.0, |next| next.x - origins[k].x) / font_size;
                    KrillaGlyph::new(
                        GlyphId::new(glyphs[i + k].id.0 as u32),
                        advance,
                        0.0,
                        -origins[k].y / font_size,
                        0.0,
                        ranges[k].clone(),
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
            let gid = skrifa::GlyphId::new(glyph_id as u32);
            let direct = self.db.with_face_data(id, |data, index| {
                FontRef::from_index(data, index).ok().map(|f| f.charmap().map(c) == Some(gid))
            });
            if direct.flatten() == Some(true) {
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
