//! Variable text: fitting into a box with the shaped width of the real fonts,
//! wrapping to two lines, and bidirectional ordering done on our side
//! (usvg lays out every text chunk as a left-to-right paragraph: resvg #447, #475).

use unicode_bidi::{bidi_class, BidiClass, BidiInfo, Level};

use crate::error::{Error, Result};
use crate::placeholder::{escape, Pieces};
use crate::template::SVG_NS;
use crate::Warning;

/// Horizontal anchor of a text line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    pub fn parse(v: &str) -> Anchor {
        match v.trim() {
            "middle" => Anchor::Middle,
            "end" => Anchor::End,
            _ => Anchor::Start,
        }
    }
}

/// Paragraph direction of a variable text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Dir {
    /// From the first strong character (like HTML `dir="auto"`).
    Auto,
    Ltr,
    Rtl,
}

/// A fit box.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fit {
    /// Maximum line width, in the text's user units.
    pub width: f32,
    /// The smallest font size the designer accepts.
    pub min_size: f32,
    /// 1 or 2; 0 for flowed text, which wraps at spaces onto as many lines as its box holds
    /// (paragraphs, separated by U+2029, each start a line; an empty one is a blank line).
    pub max_lines: u8,
    /// Flowed text: room from the first baseline to the bottom of the box.
    pub height: Option<f32>,
    /// Line height as a multiple of the font size.
    pub line_height: f32,
}

/// A single-line `<text>` whose layout certforge does itself.
#[derive(Debug, Clone)]
pub(crate) struct ManagedText {
    /// Attributes kept on `<text>` (serialized, leading space), e.g. transform, id, class.
    pub attrs: Pieces,
    /// Merged CSS declarations of the text and its first tspan, without the ones we set.
    pub style: String,
    /// Font properties (inherited + own) for measuring.
    pub measure_style: String,
    /// `class` attribute, for measuring with the template's CSS.
    pub class: Option<String>,
    pub x: f32,
    pub y: f32,
    pub anchor: Anchor,
    /// Font size in user units.
    pub font_size: f32,
    pub fit: Option<Fit>,
    pub dir: Dir,
    /// Lines go down from `y` (flowed text) instead of being centred on it.
    pub top_aligned: bool,
}

/// What happened to one variable text, for the render report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FieldLayout {
    /// The first placeholder of the element.
    pub element: String,
    /// Final font size in user units.
    #[serde(rename = "fontSize")]
    pub font_size: f32,
    /// Number of lines used.
    pub lines: u8,
    /// Widest line, in user units.
    pub width: f32,
    /// The fit box width, if any.
    #[serde(rename = "boxWidth")]
    pub box_width: Option<f32>,
    /// Whether right-to-left text was reordered.
    pub bidi: bool,
}

/// Parses an SVG length into px (user units); `em`/`%` relative to `parent`.
pub(crate) fn parse_length_px(v: &str, parent: f32) -> Option<f32> {
    let v = v.trim();
    let unit_start = v
        .rfind(|c: char| c.is_ascii_digit() || c == '.')
        .map_or(0, |i| i + 1);
    let (num, unit) = v.split_at(unit_start);
    let n: f32 = num.parse().ok()?;
    let px = match unit.trim() {
        "" | "px" => n,
        "pt" => n * 4.0 / 3.0,
        "pc" => n * 16.0,
        "mm" => n * 96.0 / 25.4,
        "cm" => n * 96.0 / 2.54,
        "in" => n * 96.0,
        "em" => n * parent,
        "%" => n * parent / 100.0,
        _ => return None,
    };
    (px.is_finite() && px > 0.0).then_some(px)
}

/// Whether the text needs our bidi handling (any right-to-left or explicit bidi character).
pub(crate) fn has_rtl(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(
            bidi_class(c),
            BidiClass::R
                | BidiClass::AL
                | BidiClass::AN
                | BidiClass::RLE
                | BidiClass::RLO
                | BidiClass::RLI
        )
    })
}

/// A visual piece of a line: one direction, positioned by us. Whitespace at
/// its edges is not drawn but kept as a gap, so that text extractors see the
/// word boundary where it is on the page.
struct Piece {
    /// Text as laid out (logical order), with edge whitespace on the side it shows.
    text: String,
    /// Whitespace drawn before `core` (left), in characters.
    lead: usize,
    /// The text without edge whitespace.
    core: String,
}

impl Piece {
    fn new(text: String) -> Piece {
        let core = text.trim_matches(char::is_whitespace).to_string();
        let lead = text.chars().take_while(|c| c.is_whitespace()).count();
        Piece { text, lead, core }
    }

    fn has_edge_space(&self) -> bool {
        self.core.len() != self.text.len()
    }
}

/// Splits one line into visual runs, left to right. Each run's text is in
/// logical order; for right-to-left runs, edge whitespace is moved so that a
/// left-to-right layout of the run alone puts it on the correct side.
fn visual_pieces(line: &str, level: Level) -> Vec<Piece> {
    let info = BidiInfo::new(line, Some(level));
    let Some(para) = info.paragraphs.first() else {
        return Vec::new();
    };
    let (levels, runs) = info.visual_runs(para, para.range.clone());
    let mut out = Vec::new();
    for run in runs {
        let text = &line[run.clone()];
        if text.is_empty() {
            continue;
        }
        if levels[run.start].is_rtl() {
            let core = text.trim_matches(char::is_whitespace);
            let lead_len = text.len() - text.trim_start_matches(char::is_whitespace).len();
            let lead = &text[..lead_len];
            let trail = &text[lead_len + core.len()..];
            out.push(Piece::new(format!("{trail}{core}{lead}")));
        } else {
            out.push(Piece::new(text.to_string()));
        }
    }
    out
}

/// Paragraph level for a text.
fn paragraph_level(text: &str, dir: Dir) -> Level {
    match dir {
        Dir::Ltr => Level::ltr(),
        Dir::Rtl => Level::rtl(),
        Dir::Auto => {
            let info = BidiInfo::new(text, None);
            info.paragraphs.first().map_or(Level::ltr(), |p| p.level)
        }
    }
}

/// Measures text advances with usvg and the engine's fonts.
pub(crate) struct Measurer<'a> {
    pub options: &'a usvg::Options<'a>,
    pub styles: &'a str,
}

impl Measurer<'_> {
    /// Advance widths of `texts` at `size`, in one parse.
    fn widths(&self, m: &ManagedText, texts: &[&str], size: f32) -> Result<Vec<f32>> {
        let mut svg =
            String::with_capacity(256 + texts.iter().map(|t| t.len() + 120).sum::<usize>());
        svg.push_str("<svg xmlns=\"");
        svg.push_str(SVG_NS);
        svg.push_str("\" width=\"100000\" height=\"100000\">");
        if !self.styles.is_empty() {
            svg.push_str("<style>");
            escape(self.styles, &mut svg);
            svg.push_str("</style>");
        }
        for (i, t) in texts.iter().enumerate() {
            svg.push_str(&format!(
                "<text id=\"m{i}\" x=\"0\" y=\"50000\" xml:space=\"preserve\""
            ));
            if let Some(c) = &m.class {
                svg.push_str(" class=\"");
                escape(c, &mut svg);
                svg.push('"');
            }
            svg.push_str(" style=\"");
            escape(&m.measure_style, &mut svg);
            svg.push_str(&format!("font-size:{size}px\">"));
            escape(t, &mut svg);
            svg.push_str("</text>");
        }
        svg.push_str("</svg>");
        let tree = usvg::Tree::from_str(&svg, self.options)
            .map_err(|e| Error::Internal(format!("measuring text failed: {e}")))?;
        Ok((0..texts.len())
            .map(|i| match tree.node_by_id(&format!("m{i}")) {
                Some(usvg::Node::Text(t)) => t.bounding_box().width(),
                _ => 0.0,
            })
            .collect())
    }
}

/// A laid-out line: its pieces, their widths and where their cores start.
struct Line {
    pieces: Vec<Piece>,
    widths: Vec<f32>,
    core_offsets: Vec<f32>,
}

impl Line {
    fn width(&self) -> f32 {
        self.widths.iter().sum()
    }
}

fn layout_lines(
    meas: &Measurer,
    m: &ManagedText,
    lines: &[String],
    level: Level,
    size: f32,
) -> Result<Vec<Line>> {
    let all: Vec<Vec<Piece>> = lines.iter().map(|l| visual_pieces(l, level)).collect();
    // Full pieces, then the cores of pieces with edge whitespace: one parse.
    let mut texts: Vec<&str> = all
        .iter()
        .flat_map(|p| p.iter().map(|x| x.text.as_str()))
        .collect();
    let full_count = texts.len();
    texts.extend(all.iter().flat_map(|p| {
        p.iter()
            .filter(|x| x.has_edge_space())
            .map(|x| x.core.as_str())
    }));
    let widths = meas.widths(m, &texts, size)?;
    let mut full = widths[..full_count].iter();
    let mut cores = widths[full_count..].iter();
    let mut out = Vec::new();
    for pieces in all {
        let mut w = Vec::with_capacity(pieces.len());
        let mut offsets = Vec::with_capacity(pieces.len());
        for p in &pieces {
            let total = *full.next().unwrap_or(&0.0);
            let offset = if p.has_edge_space() {
                let core = *cores.next().unwrap_or(&total);
                let spaces = p.text.chars().count() - p.core.chars().count();
                (total - core).max(0.0) * p.lead as f32 / spaces.max(1) as f32
            } else {
                0.0
            };
            w.push(total);
            offsets.push(offset);
        }
        out.push(Line {
            pieces,
            widths: w,
            core_offsets: offsets,
        });
    }
    Ok(out)
}

fn scale_lines(lines: &mut [Line], factor: f32) {
    for line in lines {
        line.widths.iter_mut().for_each(|w| *w *= factor);
        line.core_offsets.iter_mut().for_each(|w| *w *= factor);
    }
}

fn max_width(lines: &[Line]) -> f32 {
    lines.iter().map(Line::width).fold(0.0, f32::max)
}

/// Where to break `text` into two lines: the break opportunity (a space, or
/// between two CJK characters) nearest the middle.
fn two_lines(text: &str) -> Option<[String; 2]> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mid = chars.len() / 2;
    let mut best: Option<(usize, usize, bool)> = None; // (distance, byte index, is_space)
    for (i, &(b, c)) in chars.iter().enumerate().skip(1) {
        let prev = chars[i - 1].1;
        let candidate = if c == ' ' {
            Some(true)
        } else if is_cjk(c) && is_cjk(prev) {
            Some(false)
        } else {
            None
        };
        if let Some(space) = candidate {
            let d = i.abs_diff(mid);
            if best.is_none_or(|(bd, _, _)| d < bd) {
                best = Some((d, b, space));
            }
        }
    }
    let (_, b, space) = best?;
    let first = text[..b].trim_end().to_string();
    let second = if space {
        text[b + 1..].trim_start()
    } else {
        &text[b..]
    }
    .to_string();
    (!first.is_empty() && !second.is_empty()).then_some([first, second])
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// The warning for a value set below the smallest size its box accepts.
fn below_min_size(label: &str, fit: &Fit, size: f32) -> Warning {
    Warning::new(
        "FIT_BELOW_MIN_SIZE",
        format!(
            "{{{{{label}}}}} is too long for its box even at the minimum size {:.1}; it was set at {:.1} to stay inside",
            fit.min_size, size
        ),
    )
}

/// Lays out a managed text and writes it as SVG.
pub(crate) fn render_managed(
    meas: &Measurer,
    m: &ManagedText,
    label: &str,
    text: &str,
    attrs: &str,
    warnings: &mut Vec<Warning>,
) -> Result<(String, FieldLayout)> {
    let level = paragraph_level(text, m.dir);
    let base = m.font_size;
    // Shaped advances scale exactly with the font size unless letter or word spacing is
    // set in absolute units: then a layout measured once at the designed size is rescaled
    // instead of measured again (each measurement is a usvg parse).
    let linear =
        !m.measure_style.contains("letter-spacing") && !m.measure_style.contains("word-spacing");
    let mut size = base;
    if let Some(fit) = m.fit.as_ref().filter(|f| f.max_lines == 0) {
        let (flowed_size, flowed_lines) = flow_paragraphs(meas, m, fit, text)?;
        size = flowed_size;
        if size < fit.min_size {
            warnings.push(below_min_size(label, fit, size));
        }
        let lines = layout_lines(meas, m, &flowed_lines, level, size)?;
        return Ok(write_managed(m, label, text, attrs, level, size, &lines));
    }
    let mut lines_text = vec![text.to_string()];
    let mut lines = layout_lines(meas, m, &lines_text, level, size)?;
    if let Some(fit) = &m.fit {
        let w1 = max_width(&lines);
        if w1 > fit.width {
            let s1 = base * fit.width / w1;
            let mut choice = (s1, lines_text.clone(), lines);
            if s1 < fit.min_size && fit.max_lines >= 2 {
                if let Some(two) = two_lines(text) {
                    let two = two.to_vec();
                    let l2 = layout_lines(meas, m, &two, level, base)?;
                    let s2 = (base * fit.width / max_width(&l2)).min(base);
                    if s2 > s1 {
                        choice = (s2, two, l2);
                    }
                }
            }
            size = choice.0 * 0.995;
            lines_text = choice.1;
            lines = choice.2;
            if size < fit.min_size {
                warnings.push(below_min_size(label, fit, size));
            }
            if linear {
                scale_lines(&mut lines, size / base);
            } else {
                lines = layout_lines(meas, m, &lines_text, level, size)?;
                // Absolute letter spacing does not scale: tighten until it fits.
                for _ in 0..4 {
                    let w = max_width(&lines);
                    if w <= fit.width {
                        break;
                    }
                    size *= fit.width / w * 0.99;
                    lines = layout_lines(meas, m, &lines_text, level, size)?;
                }
            }
        }
    }
    Ok(write_managed(m, label, text, attrs, level, size, &lines))
}

/// Flowed text at the largest size, up to the designed one, at which its paragraphs, wrapped at
/// spaces to the box's width, fit the box's height (Inkscape's text boxes). Words are measured
/// once, at the designed size, and scale with it.
fn flow_paragraphs(
    meas: &Measurer,
    m: &ManagedText,
    fit: &Fit,
    text: &str,
) -> Result<(f32, Vec<String>)> {
    let base = m.font_size;
    let paragraphs: Vec<Vec<&str>> = text
        .split('\u{2029}')
        .map(|p| p.split(' ').filter(|w| !w.is_empty()).collect())
        .collect();
    let mut words: Vec<&str> = paragraphs.iter().flatten().copied().collect();
    words.sort_unstable();
    words.dedup();
    let mut texts = words.clone();
    texts.push("a a");
    texts.push("aa");
    let widths = meas.widths(m, &texts, base)?;
    let space = (widths[words.len()] - widths[words.len() + 1]).max(0.0);
    let width_of = |w: &str| words.binary_search(&w).map_or(0.0, |i| widths[i]);
    let wrap = |size: f32| -> (Vec<String>, f32) {
        let scale = size / base;
        let mut lines = Vec::new();
        let mut widest = 0f32;
        for paragraph in &paragraphs {
            let mut line = String::new();
            let mut line_width = 0f32;
            for word in paragraph {
                let w = width_of(word) * scale;
                if !line.is_empty() && line_width + space * scale + w > fit.width {
                    widest = widest.max(line_width);
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                if !line.is_empty() {
                    line.push(' ');
                    line_width += space * scale;
                }
                line.push_str(word);
                line_width += w;
            }
            widest = widest.max(line_width);
            lines.push(line);
        }
        (lines, widest)
    };
    let fits = |lines: &[String], widest: f32, size: f32| {
        // The last line's descenders: 0.3 em (Noto Sans descends 0.293 em).
        let tall = (lines.len() as f32 - 1.0) * fit.line_height * size + 0.3 * size;
        widest <= fit.width && fit.height.is_none_or(|h| tall <= h)
    };
    let mut size = base;
    let (mut lines, mut widest) = wrap(size);
    // Shrinks by 3 % at a time, down to a tenth of the designed size.
    while !fits(&lines, widest, size) && size > base * 0.1 {
        size *= 0.97;
        (lines, widest) = wrap(size);
    }
    Ok((size * 0.995, lines))
}

/// Writes laid-out lines as one `<text>` of positioned `<tspan>`s, and the layout report.
fn write_managed(
    m: &ManagedText,
    label: &str,
    text: &str,
    attrs: &str,
    level: Level,
    size: f32,
    lines: &[Line],
) -> (String, FieldLayout) {
    let line_height = m.fit.as_ref().map_or(1.2, |f| f.line_height) * size;
    let n = lines.len() as f32;
    let mut out = String::with_capacity(256 + text.len() * 2);
    out.push_str("<text");
    out.push_str(attrs);
    out.push_str(" xml:space=\"preserve\" style=\"");
    escape(&m.style, &mut out);
    out.push_str(&format!("font-size:{size}px;text-anchor:start\">"));
    for (i, line) in lines.iter().enumerate() {
        let y = if m.top_aligned {
            m.y + i as f32 * line_height
        } else {
            m.y + (i as f32 - (n - 1.0) / 2.0) * line_height
        };
        let w = line.width();
        let mut x = match m.anchor {
            Anchor::Start => m.x,
            Anchor::Middle => m.x - w / 2.0,
            Anchor::End => m.x - w,
        };
        for ((piece, pw), offset) in line.pieces.iter().zip(&line.widths).zip(&line.core_offsets) {
            if !piece.core.is_empty() {
                out.push_str(&format!("<tspan x=\"{}\" y=\"{y}\">", x + offset));
                escape(&piece.core, &mut out);
                out.push_str("</tspan>");
            }
            x += pw;
        }
    }
    out.push_str("</text>");
    let report = FieldLayout {
        element: label.to_string(),
        font_size: size,
        lines: lines.len().min(255) as u8,
        width: max_width(lines),
        box_width: m.fit.as_ref().map(|f| f.width),
        bidi: level.is_rtl() || has_rtl(text),
    };
    (out, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visual(line: &str, dir: Dir) -> Vec<String> {
        visual_pieces(line, paragraph_level(line, dir))
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn arabic_name_with_latin_surname_in_rtl_paragraph() {
        // First strong character is Arabic: the paragraph is right-to-left, so
        // "Smith" is drawn to the left of "محمد".
        assert_eq!(visual("محمد Smith", Dir::Auto), vec!["Smith", " محمد"]);
    }

    #[test]
    fn hebrew_with_latin_and_number() {
        assert_eq!(
            visual("דוד Levi 2026", Dir::Auto),
            vec!["Levi 2026", " דוד"]
        );
    }

    #[test]
    fn latin_first_stays_left_to_right() {
        assert_eq!(visual("Smith محمد", Dir::Auto), vec!["Smith ", "محمد"]);
        assert_eq!(visual("Ada Lovelace", Dir::Auto), vec!["Ada Lovelace"]);
    }

    #[test]
    fn explicit_direction_wins() {
        assert_eq!(visual("Smith محمد", Dir::Rtl), vec!["محمد ", "Smith"]);
    }

    #[test]
    fn two_line_breaks() {
        assert_eq!(
            two_lines("aaa bbb ccc").unwrap(),
            ["aaa".to_string(), "bbb ccc".to_string()]
        );
        assert_eq!(
            two_lines("北京大学计算机").unwrap().concat(),
            "北京大学计算机"
        );
        assert!(two_lines("Supercalifragilistic").is_none());
    }

    #[test]
    fn lengths() {
        assert_eq!(parse_length_px("12pt", 16.0), Some(16.0));
        assert_eq!(parse_length_px("2em", 10.0), Some(20.0));
        assert_eq!(parse_length_px("40", 10.0), Some(40.0));
        assert_eq!(parse_length_px("big", 10.0), None);
    }
}
