//! Texts whose layout the core manages: fit boxes (explicit, by default from the room on the
//! page, flowed in an SVG 2 `shape-inside` or SVG 1.2 `flowRoot`), read into [`ManagedText`].
use super::*;

/// Builds the fit/bidi layout description of a single-line `<text>`, or
/// `None` when the element has several positioned lines or a textPath.
/// Where a text sits on the page: the page width and the text's horizontal transform.
pub(super) struct PageRoom<'a> {
    /// The template's `<style>` sheets so far (class rules give font sizes too).
    pub(super) styles: &'a str,
    pub(super) width: Option<f32>,
    /// The root viewport's width and height in user units: what `x="50%"` and `y="10%"` are of.
    pub(super) viewport: Option<(f32, f32)>,
    /// `x_page = a * x + b`, or `None` when rotated or skewed.
    pub(super) ctm: Option<(f32, f32)>,
}

/// Share of the page width kept free at each edge by a fit box by default.
pub(super) const PAGE_MARGIN: f32 = 0.04;

impl PageRoom<'_> {
    /// The widest line a text anchored at `x` can have on the page, in its own units.
    fn width_at(&self, x: f32, anchor: Anchor) -> Option<f32> {
        let (page, (a, b)) = (self.width?, self.ctm?);
        if a <= 0.0 {
            return None;
        }
        let xp = a * x + b;
        let (left, right) = (page * PAGE_MARGIN, page * (1.0 - PAGE_MARGIN));
        let w = match anchor {
            Anchor::Middle => 2.0 * (xp - left).min(right - xp),
            Anchor::Start => right - xp,
            Anchor::End => xp - left,
        } / a;
        (w.is_finite() && w > 0.0).then_some(w)
    }
}

/// The root's width in user units: its viewBox, else its width.
pub(super) fn page_width(root: Node) -> Option<f32> {
    viewport(root).map(|(w, _)| w).or_else(|| {
        root.attribute("width")
            .and_then(|w| parse_length_px(w, 0.0))
    })
}

/// The root viewport's size in user units: the viewBox's, else the width and height.
pub(super) fn viewport(root: Node) -> Option<(f32, f32)> {
    if let Some(vb) = root.attribute("viewBox") {
        let n: Vec<f32> = vb
            .split([' ', ','])
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect();
        if n.len() == 4 && n[2] > 0.0 && n[3] > 0.0 {
            return Some((n[2], n[3]));
        }
    }
    Some((
        parse_length_px(root.attribute("width")?, 0.0)?,
        parse_length_px(root.attribute("height")?, 0.0)?,
    ))
}

/// `ctm` followed by the node's own transform, horizontally (`None` under rotation or skew).
pub(super) fn compose_x(ctm: Option<(f32, f32)>, node: Node) -> Option<(f32, f32)> {
    let (a, b) = ctm?;
    let Some(t) = node.attribute("transform") else {
        return Some((a, b));
    };
    let t: svgtypes::Transform = t.parse().ok()?;
    if t.b.abs() > 1e-6 || t.c.abs() > 1e-6 {
        return None;
    }
    Some((a * t.a as f32, a * t.e as f32 + b))
}

pub(super) fn managed_text(
    node: Node,
    default_font_size: &f32,
    room: &PageRoom,
) -> Result<Option<ManagedText>> {
    // Positioned descendants: Inkscape writes x/y on one line <tspan>.
    let mut positioned: Vec<Node> = Vec::new();
    for d in node.descendants().skip(1) {
        if !d.is_element() {
            continue;
        }
        if d.tag_name().name() != "tspan" {
            return Ok(None);
        }
        if d.attribute("x").is_some() || d.attribute("y").is_some() {
            positioned.push(d);
        }
    }
    if positioned.len() > 1 {
        return Ok(None);
    }
    // Inherited font properties and font size (root → parent).
    let mut inherited: Vec<(String, String)> = Vec::new();
    let mut font_size = *default_font_size;
    let ancestors: Vec<Node> = node
        .ancestors()
        .skip(1)
        .filter(|a| a.is_element())
        .collect();
    for a in ancestors.iter().rev() {
        for (k, v) in style_decls(*a) {
            if k == "font-size" {
                if let Some(px) = parse_length_px(&v, font_size) {
                    font_size = px;
                }
            } else if FONT_PROPS.contains(&k.as_str()) {
                set_decl(&mut inherited, &k, &v);
            }
        }
    }
    // The element's own declarations, then the first tspan's (Inkscape/Figma put the style there).
    let mut decls: Vec<(String, String)> = Vec::new();
    let first_tspan = node
        .descendants()
        .skip(1)
        .find(|d| d.is_element() && d.tag_name().name() == "tspan");
    let mut anchor = Anchor::Start;
    let mut direction: Option<String> = None;
    let mut line_height: Option<f32> = None;
    let mut shape_inside: Option<String> = None;
    let mut shape_padding = 0.0f32;
    for n in std::iter::once(node).chain(first_tspan) {
        for (k, v) in class_decls(room.styles, n)
            .into_iter()
            .chain(style_decls(n))
        {
            match k.as_str() {
                "font-size" => {
                    if let Some(px) = parse_length_px(&v, font_size) {
                        font_size = px;
                    }
                }
                "text-anchor" => anchor = Anchor::parse(&v),
                "text-align" => {
                    anchor = match v.as_str() {
                        "center" => Anchor::Middle,
                        "end" | "right" => Anchor::End,
                        _ => Anchor::Start,
                    }
                }
                "shape-inside" => shape_inside = Some(v.clone()),
                "shape-padding" => shape_padding = parse_length_px(&v, font_size).unwrap_or(0.0),
                "direction" => direction = Some(v.clone()),
                "line-height" => {
                    line_height = v.parse::<f32>().ok().filter(|x| *x > 0.3 && *x < 5.0)
                }
                _ => {}
            }
            if !OVERRIDDEN.contains(&k.as_str()) {
                set_decl(&mut decls, &k, &v);
            }
        }
    }
    if decls
        .iter()
        .chain(inherited.iter())
        .any(|(_, v)| v.contains("{{"))
    {
        return Ok(None);
    }
    let pos_node = positioned.first().copied();
    // Percentages are of the viewport (`x="50%"`, as Figma writes a centred name), units as CSS.
    let (vw, vh) = room.viewport.unzip();
    let mut x = pos_node
        .and_then(|p| first_coordinate(p.attribute("x"), vw))
        .or_else(|| first_coordinate(node.attribute("x"), vw))
        .unwrap_or(0.0);
    let mut y = pos_node
        .and_then(|p| first_coordinate(p.attribute("y"), vh))
        .or_else(|| first_coordinate(node.attribute("y"), vh))
        .unwrap_or(0.0);

    // Attributes kept on the <text> element itself.
    let mut attrs = Pieces::default();
    for a in node.attributes() {
        let Some(an) = attr_name(&a) else { continue };
        let skip = matches!(
            an.as_str(),
            "x" | "y"
                | "dx"
                | "dy"
                | "rotate"
                | "textLength"
                | "lengthAdjust"
                | "style"
                | "xml:space"
        ) || an.starts_with("data-")
            || PRESENTATION.contains(&an.as_str());
        if skip {
            continue;
        }
        attrs.push_literal(&format!(" {an}=\""));
        attrs.push_escaped(&Pieces::parse(a.value())?);
        attrs.push_literal("\"");
    }
    let mut style = String::new();
    for (k, v) in &decls {
        style.push_str(k);
        style.push(':');
        style.push_str(v);
        style.push(';');
    }
    let mut measure_style = String::new();
    for (k, v) in inherited.iter().chain(decls.iter()) {
        if FONT_PROPS.contains(&k.as_str()) {
            measure_style.push_str(k);
            measure_style.push(':');
            measure_style.push_str(v);
            measure_style.push(';');
        }
    }
    // The box: data-fit-width, else a flowed text's shape (SVG 2 shape-inside), else the
    // room the page leaves from the anchor; data-fit="none" opts out.
    let flowed = shape_inside.as_deref().and_then(|v| flow_rect(node, v));
    let mut top_aligned = false;
    let mut flow_lines = None;
    let mut flow_height = None;
    let explicit = match node.attribute("data-fit-width") {
        None => None,
        Some(w) => Some(
            w.trim()
                .parse()
                .ok()
                .filter(|w: &f32| w.is_finite() && *w > 0.0)
                .ok_or_else(|| {
                    Error::TemplateInvalid(format!(
                        "data-fit-width=\"{w}\" is not a positive number"
                    ))
                })?,
        ),
    };
    let opted_out = node.attribute("data-fit").map(str::trim) == Some("none");
    let width = if let Some(w) = explicit {
        Some(w)
    } else if opted_out {
        None
    } else if let Some((rx, ry, rw, rh)) = flowed {
        let inner = (rw - 2.0 * shape_padding).max(rw * 0.1);
        x = match anchor {
            Anchor::Start => rx + shape_padding,
            Anchor::Middle => rx + rw / 2.0,
            Anchor::End => rx + rw - shape_padding,
        };
        if pos_node.is_none() && node.attribute("y").is_none() {
            y = ry + shape_padding + font_size;
        }
        top_aligned = true;
        // Flowed text wraps onto as many lines as the box holds, as Inkscape lays it out.
        flow_lines = Some(0);
        flow_height = Some((ry + rh - shape_padding - y).max(0.0));
        Some(inner)
    } else {
        room.width_at(x, anchor)
    };
    let fit = match width {
        None => None,
        Some(width) => {
            let min_size = match node.attribute("data-fit-min-size") {
                None => (font_size * 0.4).max(4.0),
                Some(m) => m
                    .trim()
                    .parse()
                    .ok()
                    .filter(|m: &f32| m.is_finite() && *m > 0.0)
                    .ok_or_else(|| {
                        Error::TemplateInvalid(format!(
                            "data-fit-min-size=\"{m}\" is not a positive number"
                        ))
                    })?,
            };
            let max_lines = match node.attribute("data-fit-lines") {
                None if explicit.is_some() => 1,
                None => flow_lines.unwrap_or(2),
                Some(l) => l
                    .trim()
                    .parse::<u8>()
                    .ok()
                    .filter(|l| (1..=2).contains(l))
                    .ok_or_else(|| {
                        Error::TemplateInvalid(format!("data-fit-lines=\"{l}\" must be 1 or 2"))
                    })?,
            };
            let lh = match node.attribute("data-fit-line-height") {
                None => line_height.unwrap_or(1.2),
                Some(l) => l
                    .trim()
                    .parse()
                    .ok()
                    .filter(|l: &f32| *l > 0.3 && *l < 5.0)
                    .ok_or_else(|| {
                        Error::TemplateInvalid(format!(
                            "data-fit-line-height=\"{l}\" must be between 0.3 and 5"
                        ))
                    })?,
            };
            Some(Fit {
                width,
                min_size: min_size.min(font_size),
                max_lines,
                height: flow_height.filter(|_| max_lines == 0),
                line_height: lh,
            })
        }
    };
    // SVG's `direction` property (default ltr) sets the paragraph direction, as in
    // browsers, librsvg and Inkscape; `data-dir="auto"` takes it from the first
    // strong character instead (like HTML dir=auto).
    let dir = match node.attribute("data-dir").map(str::trim) {
        Some("rtl") => Dir::Rtl,
        Some("ltr") => Dir::Ltr,
        Some("auto") => Dir::Auto,
        _ if direction.as_deref() == Some("rtl") => Dir::Rtl,
        _ => Dir::Ltr,
    };
    Ok(Some(ManagedText {
        attrs,
        style,
        measure_style,
        class: node.attribute("class").map(str::to_string),
        x,
        y,
        anchor,
        font_size,
        fit,
        dir,
        top_aligned,
    }))
}

/// The rectangle `shape-inside: url(#id)` names, as x, y, width, height.
pub(super) fn flow_rect(node: Node, value: &str) -> Option<(f32, f32, f32, f32)> {
    let id = value
        .trim()
        .strip_prefix("url(")?
        .strip_suffix(')')?
        .trim()
        .trim_matches(['"', '\'']);
    let id = id.strip_prefix('#')?;
    let rect = node
        .document()
        .descendants()
        .find(|d| d.is_element() && d.attribute("id") == Some(id))?;
    if rect.tag_name().name() != "rect" || rect.attribute("transform").is_some() {
        return None;
    }
    let num = |a: &str| {
        rect.attribute(a)
            .and_then(|v| parse_length_px(v, 0.0).or_else(|| v.trim().parse().ok()))
    };
    let (w, h) = (num("width")?, num("height")?);
    Some((num("x").unwrap_or(0.0), num("y").unwrap_or(0.0), w, h))
}

impl Walker<'_> {
    /// SVG 1.2 flowed text (Inkscape 0.92's text boxes): `<flowRoot>` with a `<rect>` in its
    /// `<flowRegion>` and `<flowPara>` paragraphs. It becomes the SVG 2 form, a `<text>` with
    /// `shape-inside` on that rect, and is laid out as a flowed fit box.
    pub(super) fn flow_root(&mut self, node: Node) -> Result<()> {
        let region = node
            .children()
            .find(|c| c.is_element() && c.tag_name().name() == "flowRegion");
        let rect = region.and_then(|r| {
            r.descendants()
                .find(|d| d.is_element() && d.tag_name().name() == "rect")
        });
        let paras: Vec<Node> = node
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "flowPara")
            .collect();
        let (Some(rect), Some(para)) = (rect, paras.first().copied()) else {
            self.warnings.push(Warning::new(
                "ELEMENT_DROPPED",
                "a <flowRoot> without a <rect> in its <flowRegion> or without <flowPara> is not rendered".into(),
            ));
            return Ok(());
        };
        // Paragraphs stay paragraphs (an empty one is the designer's blank line): U+2029
        // separates them through the text's white-space handling into the flowed layout.
        let text: String = paras
            .iter()
            .map(|p| node_text(*p))
            .collect::<Vec<_>>()
            .join("\u{2029}");
        let mut style = String::new();
        for n in [node, para] {
            for (k, v) in style_decls(n) {
                style.push_str(&format!("{k}:{v};"));
            }
        }
        let mut xml = format!("<svg xmlns=\"{SVG_NS}\"><rect id=\"flow\"");
        for a in ["x", "y", "width", "height"] {
            if let Some(v) = rect.attribute(a) {
                xml.push_str(&format!(" {a}=\""));
                escape(v, &mut xml);
                xml.push('"');
            }
        }
        xml.push_str("/><text");
        for a in node.attributes() {
            let Some(an) = attr_name(&a) else { continue };
            if an == "style" || PRESENTATION.contains(&an.as_str()) {
                continue;
            }
            xml.push_str(&format!(" {an}=\""));
            escape(a.value(), &mut xml);
            xml.push('"');
        }
        xml.push_str(" style=\"");
        escape(&style, &mut xml);
        escape("shape-inside:url(#flow)", &mut xml);
        xml.push_str("\">");
        escape(&text, &mut xml);
        xml.push_str("</text></svg>");
        let doc = Document::parse(&xml)
            .map_err(|e| Error::Internal(format!("rewriting <flowRoot> failed: {e}")))?;
        let Some(text_node) = doc.descendants().find(|d| d.tag_name().name() == "text") else {
            return Ok(());
        };
        let mut out = Pieces::default();
        self.serialize_element(text_node, &mut out)?;
        if !out.has_fields() && self.conditions.is_empty() {
            // Static flowed text: drawn as a plain text at the box's first line.
            self.static_text.push_str(&text);
            self.static_text.push(' ');
        }
        for f in out.fields() {
            if !self.fields.iter().any(|x| x == f) {
                self.fields.push(f.to_string());
            }
        }
        let slot = self.make_slot(text_node, out)?;
        self.slots.push(slot);
        Ok(())
    }
}
