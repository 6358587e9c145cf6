//! The font set: loaded once per instance from bytes, with a coverage map for
//! the "no tofu" guarantee.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use crate::error::{Error, Result};

/// One face that was added.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FaceInfo {
    /// Family name, e.g. `Noto Sans`.
    pub family: String,
    /// CSS weight, e.g. 400.
    pub weight: u16,
    /// `normal`, `italic` or `oblique`.
    pub style: &'static str,
}

/// A font that came with one template, and the family its `@font-face` rule declared.
#[derive(Clone, Debug)]
pub(crate) struct OwnFont {
    pub bytes: Arc<Vec<u8>>,
    pub family: Option<String>,
}

/// How the faces of an added font may be used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FontUse {
    /// By family name and for fallback.
    #[default]
    Any,
    /// For fallback only: the faces answer to no family name a template can write. A large
    /// font cut into slices by character, each slice loaded when a text needs one of its
    /// characters; the slices of all such fonts cover disjoint characters, so which of them
    /// are loaded never changes the face a character falls back to.
    FallbackOnly,
    /// By family name only, never for fallback: the whole of a font whose fallback is served
    /// by slices, loaded because a template names its family. Its characters do not count as
    /// drawable for texts in other fonts (`missing_chars`).
    NamedOnly,
}

/// The family name of fallback-only faces: not a name of any font, never matched by a
/// template's `font-family` (which cannot contain the control character).
pub(crate) const FALLBACK_ONLY_FAMILY: &str = "\u{1}certforge fallback";

/// All fonts known to an engine.
#[derive(Clone, Default)]
pub struct FontSet {
    pub(crate) db: Arc<fontdb::Database>,
    /// Per face that fallback may use, the mapped code points as sorted inclusive ranges
    /// (named-only faces have none: fallback never picks them).
    pub(crate) ranges: Arc<HashMap<fontdb::ID, Vec<(u32, u32)>>>,
    seen: HashSet<u64>,
    /// Incremented by every font added (templates layered on this set compare it).
    generation: u64,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontSet({} faces)", self.db.len())
    }
}

impl FontSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a TrueType/OpenType font or collection. Adding the same bytes twice is harmless.
    pub fn add(&mut self, bytes: Vec<u8>) -> Result<Vec<FaceInfo>> {
        self.add_with_use(bytes, FontUse::Any)
    }

    /// Adds a font whose faces may be used only as `usage` says.
    pub fn add_with_use(&mut self, bytes: Vec<u8>, usage: FontUse) -> Result<Vec<FaceInfo>> {
        self.add_shared(Arc::new(bytes), usage)
    }

    /// How many times fonts were added to this set.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// A copy of this set with `own` added: a template's fonts, visible to it only. The
    /// font data is shared, not copied.
    pub(crate) fn with_own(&self, own: &[OwnFont]) -> Result<FontSet> {
        let mut set = self.clone();
        for font in own {
            let ids = set.add_ids(Arc::clone(&font.bytes), FontUse::Any)?;
            if let Some(family) = &font.family {
                set.name_faces(&ids, family);
            }
        }
        Ok(set)
    }

    fn add_shared(&mut self, bytes: Arc<Vec<u8>>, usage: FontUse) -> Result<Vec<FaceInfo>> {
        let ids = self.add_ids(bytes, usage)?;
        Ok(ids
            .iter()
            .filter_map(|id| self.db.face(*id))
            .map(|f| FaceInfo {
                family: f
                    .families
                    .first()
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default(),
                weight: f.weight.0,
                style: match f.style {
                    fontdb::Style::Normal => "normal",
                    fontdb::Style::Italic => "italic",
                    fontdb::Style::Oblique => "oblique",
                },
            })
            .collect())
    }

    /// Adds a font's faces; the ids of the faces added (none when these bytes were added before).
    fn add_ids(&mut self, bytes: Arc<Vec<u8>>, usage: FontUse) -> Result<Vec<fontdb::ID>> {
        let hash = fingerprint(&bytes);
        if self.seen.contains(&hash) {
            return Ok(Vec::new());
        }
        let count = ttf_parser::fonts_in_collection(&bytes).unwrap_or(1);
        let mut coverage = Vec::with_capacity(count as usize);
        for index in 0..count {
            let face = ttf_parser::Face::parse(&bytes, index).map_err(|e| {
                Error::FontInvalid(format!(
                    "not a TrueType/OpenType font ({e}); use .ttf, .otf or .ttc files"
                ))
            })?;
            coverage.push(face_ranges(&face));
        }
        let db = Arc::make_mut(&mut self.db);
        let before: HashSet<fontdb::ID> = db.faces().map(|f| f.id).collect();
        db.load_font_source(fontdb::Source::Binary(bytes));
        let added: Vec<fontdb::FaceInfo> = db
            .faces()
            .filter(|f| !before.contains(&f.id))
            .cloned()
            .collect();
        let ranges = Arc::make_mut(&mut self.ranges);
        let mut ids = Vec::new();
        for mut face in added {
            let id = if usage == FontUse::FallbackOnly {
                db.remove_face(face.id);
                face.families = vec![(
                    FALLBACK_ONLY_FAMILY.to_string(),
                    fontdb::Language::English_UnitedStates,
                )];
                db.push_face_info(face.clone())
            } else {
                face.id
            };
            if usage != FontUse::NamedOnly {
                ranges.insert(
                    id,
                    coverage
                        .get(face.index as usize)
                        .cloned()
                        .unwrap_or_default(),
                );
            }
            ids.push(id);
        }
        if ids.is_empty() {
            return Err(Error::FontInvalid("the font has no usable face".into()));
        }
        self.seen.insert(hash);
        self.generation += 1;
        self.update_generic_families();
        Ok(ids)
    }

    /// Gives faces the family name an `@font-face` rule declared for them, besides their own:
    /// the template writes the rule's name, which need not be the one inside the font.
    fn name_faces(&mut self, ids: &[fontdb::ID], family: &str) {
        let db = Arc::make_mut(&mut self.db);
        for id in ids {
            let Some(face) = db.face(*id) else { continue };
            if face
                .families
                .iter()
                .any(|(f, _)| f.eq_ignore_ascii_case(family))
            {
                continue;
            }
            let mut named = face.clone();
            named.families.insert(
                0,
                (family.to_string(), fontdb::Language::English_UnitedStates),
            );
            let coverage = self.ranges.get(id).cloned().unwrap_or_default();
            let new_id = db.push_face_info(named);
            Arc::make_mut(&mut self.ranges).insert(new_id, coverage);
        }
    }

    /// Number of faces.
    pub fn len(&self) -> usize {
        self.db.len()
    }

    /// Whether no font was added.
    pub fn is_empty(&self) -> bool {
        self.db.is_empty()
    }

    /// Characters of `text` that no font can draw (default-ignorable and
    /// whitespace characters need no glyph), in first-seen order.
    pub fn missing_chars(&self, text: &str) -> Vec<char> {
        let mut out = Vec::new();
        for c in text.chars() {
            if needs_no_glyph(c)
                || self.ranges.values().any(|r| in_ranges(r, c))
                || out.contains(&c)
            {
                continue;
            }
            out.push(c);
        }
        out
    }

    fn update_generic_families(&mut self) {
        let generics = crate::font_match::generic_families(&self.db);
        let db = Arc::make_mut(&mut self.db);
        for (generic, family) in generics {
            let Some(family) = family else { continue };
            match generic {
                usvg::FontFamily::Serif => db.set_serif_family(family),
                usvg::FontFamily::Monospace => db.set_monospace_family(family),
                usvg::FontFamily::Cursive => db.set_cursive_family(family),
                usvg::FontFamily::Fantasy => db.set_fantasy_family(family),
                _ => db.set_sans_serif_family(family),
            }
        }
    }
}

/// Whitespace, controls, and Unicode default-ignorables (joiners, bidi marks,
/// variation selectors, soft hyphen) are never drawn.
pub(crate) fn needs_no_glyph(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c as u32,
            0x00AD | 0x034F | 0x061C | 0x115F..=0x1160 | 0x17B4..=0x17B5 | 0x180B..=0x180F
            | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F
            | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8 | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A
            | 0xE0000..=0xE0FFF)
}

/// Identity of a font file for de-duplication: FNV-1a over its length, its
/// first 64 KiB (the table directory and most headers) and its last 4 KiB.
/// Hashing a whole 17 MB CJK font would cost tens of milliseconds at start-up.
fn fingerprint(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325 ^ bytes.len() as u64;
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    for b in head.iter().chain(tail) {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Fallback for characters the chosen font lacks: among the fonts that have
/// the character, the one closest in weight and style to the font being
/// replaced (usvg's default takes the first font of almost any style, so bold
/// CJK or Arabic inside a bold Latin name would come out regular).
pub(crate) fn fallback_selector(
    ranges: Arc<HashMap<fontdb::ID, Vec<(u32, u32)>>>,
) -> usvg::FallbackSelectionFn<'static> {
    Box::new(move |c, exclude, db| {
        let has_char = |id: fontdb::ID| ranges.get(&id).is_some_and(|r| in_ranges(r, c));
        let base = db.face(*exclude.first()?)?;
        let (weight, style) = (base.weight.0 as i32, base.style);
        // Among equals, the same family first: a web font split into unicode-range subsets
        // (Google Fonts' latin and latin-ext files) continues in its other subset.
        let family = base.families.first().map(|(f, _)| f.clone());
        let same_family = |face: &fontdb::FaceInfo| {
            face.families
                .iter()
                .any(|(f, _)| Some(f) == family.as_ref())
        };
        let mut best: Option<(i32, fontdb::ID)> = None;
        for face in db.faces() {
            if exclude.contains(&face.id) {
                continue;
            }
            let score = (face.weight.0 as i32 - weight).abs()
                + if face.style == style { 0 } else { 1000 }
                + if same_family(face) { 0 } else { 1 };
            if best.is_some_and(|(b, _)| b <= score) || !has_char(face.id) {
                continue;
            }
            best = Some((score, face.id));
            if score == 0 {
                break;
            }
        }
        best.map(|(_, id)| id)
    })
}

/// Whether `c` lies in the sorted inclusive `ranges`.
fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    let i = ranges.partition_point(|(_, end)| *end < cp);
    ranges.get(i).is_some_and(|(start, _)| *start <= cp)
}

/// The code points a face maps to a real glyph, as sorted inclusive ranges.
fn face_ranges(face: &ttf_parser::Face) -> Vec<(u32, u32)> {
    use ttf_parser::cmap::Format;
    let Some(cmap) = face.tables().cmap else {
        return Vec::new();
    };
    let unicode: Vec<_> = cmap
        .subtables
        .into_iter()
        .filter(|s| s.is_unicode())
        .collect();
    // A format 12 table (full Unicode, groups that always map to glyphs) holds everything
    // a format 4 table does: enumerate only it. Otherwise check each code point.
    let full = unicode
        .iter()
        .find(|s| matches!(s.format, Format::SegmentedCoverage(_)));
    let mut cps = Vec::new();
    match full {
        Some(sub) => sub.codepoints(|cp| cps.push(cp)),
        None => {
            for sub in &unicode {
                sub.codepoints(|cp| {
                    if sub.glyph_index(cp).is_some_and(|g| g.0 != 0) {
                        cps.push(cp)
                    }
                });
            }
        }
    }
    cps.sort_unstable();
    cps.dedup();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for cp in cps {
        match out.last_mut() {
            Some((_, end)) if *end + 1 == cp => *end = cp,
            _ => out.push((cp, cp)),
        }
    }
    out
}
