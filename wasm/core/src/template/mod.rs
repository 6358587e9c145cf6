//! Template compilation: parse once, check safety, split into a static layer
//! (converted to PDF once) and a dynamic layer (filled per certificate).

use roxmltree::{Document, Node, ParsingOptions};

use crate::error::{Error, Result};
use crate::image;
use crate::limits::{prescan, Limits};
use crate::placeholder::{escape, Piece, Pieces};
use crate::qr::{self, QrSpec};
use crate::text::{parse_length_px, Anchor, Dir, Fit, ManagedText};
use crate::{CompileOptions, ExternalReferences, Warning};

mod conditions;
mod css;
mod font_face;
mod managed;
mod qr_slot;
mod references;

use conditions::conditions_of;
pub(crate) use conditions::Condition;
use css::*;
use managed::*;
use qr_slot::*;
use references::*;

pub(crate) const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The parts of a template, before PDF conversion.
#[derive(Debug)]
pub(crate) struct SplitTemplate {
    /// Root start tag, shared by both layers.
    pub root_open: String,
    /// The static layer as a complete SVG document.
    pub static_svg: String,
    /// Paint servers, clip paths, masks, filters, styles: copied into every variable element's document.
    pub resources: String,
    /// Variable elements, in painting order.
    pub slots: Vec<Slot>,
    /// Every `<style>` element's text, for measuring text with the template's CSS.
    pub styles: String,
    /// The fonts of its `@font-face` rules (`data:` URLs), with the family each rule declares.
    pub font_faces: Vec<font_face::FaceRule>,
    /// Every field the template uses, in order, without duplicates.
    pub fields: Vec<String>,
    /// Static text content, to check glyph coverage once.
    pub static_text: String,
    /// Things dropped or worth knowing.
    pub warnings: Vec<Warning>,
}

/// A variable element.
#[derive(Debug)]
pub(crate) struct Slot {
    /// Name used in reports: the first placeholder of the element.
    pub label: String,
    /// Start tags of the element's groups (transforms, clips), outermost first.
    pub open: String,
    /// The matching end tags.
    pub close: String,
    /// The element serialized with placeholders (escaped XML).
    pub plain: Pieces,
    /// Raw text content (for `<text>`), to check glyphs and detect right-to-left text.
    pub content: Option<Pieces>,
    /// Fit/bidi-managed layout, when the element is a single-line `<text>`.
    pub managed: Option<ManagedText>,
    /// A `<rect data-qr>`: drawn as a QR code path instead of `plain`.
    pub qr: Option<QrSpec>,
    /// `data-if` / `data-unless` of the element and its groups: drawn only when all hold.
    pub conditions: Vec<Condition>,
}

struct Walker<'a> {
    opts: &'a CompileOptions,
    limits: &'a Limits,
    static_out: String,
    resources: String,
    stack: Vec<(String, String)>,
    slots: Vec<Slot>,
    styles: String,
    /// The `@font-face` rules taken out of the style sheets.
    font_face_rules: String,
    fields: Vec<String>,
    static_text: String,
    warnings: Vec<Warning>,
    elements: usize,
    qr_codes: usize,
    /// Pixels of the embedded images so far.
    image_pixels: u64,
    /// Current element nesting (the prescan bounds it; this guards the recursion itself).
    depth: usize,
    /// Conditions of the groups being walked and of the current element.
    conditions: Vec<Condition>,
    /// The page's width in root user units (viewBox), for fit boxes by default.
    page_width: Option<f32>,
    viewport: Option<(f32, f32)>,
    /// The transform from the current group's user space to the root's, when it is a
    /// scale and a translation (`None` under a rotation or skew).
    ctm: Option<(f32, f32)>,
    ctm_stack: Vec<Option<(f32, f32)>>,
}

/// Parses and splits a template.
pub(crate) fn split(bytes: &[u8], opts: &CompileOptions) -> Result<SplitTemplate> {
    let limits = &opts.limits;
    let text = prescan(bytes, limits)?;
    let doc = Document::parse_with_options(
        text,
        ParsingOptions {
            allow_dtd: true,
            nodes_limit: limits.max_nodes,
            ..ParsingOptions::default()
        },
    )
    .map_err(|e| {
        if matches!(e, roxmltree::Error::NodesLimitReached) {
            return Error::limit(
                "number of XML nodes",
                limits.max_nodes as u64,
                limits.max_nodes as u64 + 1,
            );
        }
        let pos = e.pos();
        Error::TemplateParse {
            message: e.to_string(),
            line: pos.row,
            column: pos.col,
        }
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG_NS) {
        return Err(Error::TemplateInvalid(format!(
            "the root element is <{}>, expected <svg xmlns=\"{SVG_NS}\">",
            root.tag_name().name()
        )));
    }
    let mut w = Walker {
        opts,
        limits,
        static_out: String::new(),
        resources: String::new(),
        stack: Vec::new(),
        slots: Vec::new(),
        styles: String::new(),
        font_face_rules: String::new(),
        fields: Vec::new(),
        static_text: String::new(),
        warnings: Vec::new(),
        elements: 0,
        qr_codes: 0,
        image_pixels: 0,
        depth: 0,
        conditions: Vec::new(),
        page_width: page_width(root),
        viewport: viewport(root),
        ctm: Some((1.0, 0.0)),
        ctm_stack: Vec::new(),
    };
    let mut root_open = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"",
    );
    for a in root.attributes() {
        let Some(name) = attr_name(&a) else { continue };
        if name.starts_with("xmlns") {
            continue;
        }
        if a.value().contains("{{") {
            return Err(Error::TemplateInvalid(
                "placeholders are not allowed on the root <svg> element".into(),
            ));
        }
        if is_qr_attribute(&name) {
            return Err(misplaced_qr(root, &name));
        }
        if !w.check_reference(root, &name, a.value())? {
            continue;
        }
        // The root's background colour is drawn once, as the static layer's first shape
        // (below): usvg paints it for every document with this root, and the variable
        // elements' document, painted on top, would cover the page with it again.
        let value = if name == "style" {
            a.value()
                .split(';')
                .filter(|d| {
                    d.split_once(':')
                        .is_none_or(|(k, _)| k.trim() != "background-color")
                })
                .collect::<Vec<_>>()
                .join(";")
        } else if name == "background-color" {
            continue;
        } else {
            a.value().to_string()
        };
        root_open.push(' ');
        root_open.push_str(&name);
        root_open.push_str("=\"");
        escape(&value, &mut root_open);
        root_open.push('"');
    }
    root_open.push('>');
    // A background colour on the root <svg> (CSS `background-color`, as browsers and resvg
    // paint it) becomes the page's first shape, under everything else, drawn once.
    let background = css::style_decls(root)
        .into_iter()
        .find(|(k, _)| k == "background-color")
        .map(|(_, v)| v)
        .or_else(|| root.attribute("background-color").map(str::to_string));
    if let (Some(color), Some((w_px, h_px))) = (background, managed::viewport(root)) {
        let (x, y) = root
            .attribute("viewBox")
            .map(|vb| {
                let n: Vec<f32> = vb
                    .split([' ', ','])
                    .filter_map(|p| p.trim().parse().ok())
                    .collect();
                (
                    n.first().copied().unwrap_or(0.0),
                    n.get(1).copied().unwrap_or(0.0),
                )
            })
            .unwrap_or((0.0, 0.0));
        if color.parse::<svgtypes::Color>().is_ok() {
            let mut rect =
                format!("<rect x=\"{x}\" y=\"{y}\" width=\"{w_px}\" height=\"{h_px}\" fill=\"");
            escape(color.trim(), &mut rect);
            rect.push_str("\"/>");
            w.static_out.push_str(&rect);
        }
    }
    for child in root.children() {
        w.walk(child)?;
    }
    let static_svg = format!("{root_open}{}</svg>", w.static_out);
    let mut warnings = w.warnings;
    let font_faces = font_face::font_faces(
        &w.font_face_rules,
        limits.max_template_font_bytes,
        &mut warnings,
    )?;
    Ok(SplitTemplate {
        root_open,
        static_svg,
        resources: w.resources,
        slots: w.slots,
        styles: w.styles,
        font_faces,
        fields: w.fields,
        static_text: w.static_text,
        warnings,
    })
}

/// How an element takes part in the two layers.
enum Role {
    /// Not rendered (metadata, editor data): dropped from both.
    Skip,
    /// Paint servers, clip paths, styles...: copied to both layers.
    Resource,
    /// Groups: opened in both layers, children decide.
    Container,
    /// Visible content: static or variable.
    Graphic,
}

fn role(node: Node) -> Role {
    if node.tag_name().namespace() != Some(SVG_NS) {
        return Role::Skip;
    }
    match node.tag_name().name() {
        "title" | "desc" | "metadata" | "script" | "flowRoot" | "cursor" | "view" => Role::Skip,
        "defs" | "linearGradient" | "radialGradient" | "pattern" | "clipPath" | "mask"
        | "filter" | "marker" | "symbol" | "style" | "font" | "font-face" => Role::Resource,
        "svg" | "g" | "a" | "switch" => Role::Container,
        _ => Role::Graphic,
    }
}

/// The attribute's name as written in SVG (`xlink:href`, `xml:space`), or
/// `None` for editor namespaces (inkscape:, sodipodi:, ...), which are dropped.
fn attr_name(a: &roxmltree::Attribute) -> Option<String> {
    match a.namespace() {
        None => {
            let n = a.name();
            if n.starts_with("on") && n.len() > 2 {
                None // event handlers: never meaningful in a certificate
            } else {
                Some(n.to_string())
            }
        }
        Some(XLINK_NS) => Some(format!("xlink:{}", a.name())),
        Some(XML_NS) => Some(format!("xml:{}", a.name())),
        Some(_) => None,
    }
}

impl Walker<'_> {
    fn count_element(&mut self) -> Result<()> {
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err(Error::limit(
                "number of elements",
                self.limits.max_elements as u64,
                self.elements as u64,
            ));
        }
        Ok(())
    }

    /// Guards the recursion of [`Self::walk`] and [`Self::serialize`]: whatever the
    /// prescan let through, the walker never nests deeper than the depth limit.
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(Error::limit(
                "element nesting depth",
                self.limits.max_depth as u64,
                self.depth as u64,
            ));
        }
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn walk(&mut self, node: Node) -> Result<()> {
        if !node.is_element() {
            return Ok(());
        }
        self.nested(|w| w.walk_element(node))
    }

    fn walk_element(&mut self, node: Node) -> Result<()> {
        let own = conditions_of(node)?;
        if own.is_empty() {
            return self.walk_conditional(node);
        }
        if matches!(role(node), Role::Resource | Role::Skip)
            && node.tag_name().namespace() == Some(SVG_NS)
        {
            return Err(Error::TemplateInvalid(format!(
                "data-if / data-unless work on visible elements and groups, not on <{}>",
                node.tag_name().name()
            )));
        }
        for c in &own {
            if !self.fields.contains(&c.path) {
                self.fields.push(c.path.clone());
            }
        }
        let depth = self.conditions.len();
        self.conditions.extend(own);
        let r = self.walk_conditional(node);
        self.conditions.truncate(depth);
        r
    }

    fn walk_conditional(&mut self, node: Node) -> Result<()> {
        self.count_element()?;
        let name = node.tag_name().name();
        if node.tag_name().namespace() == Some(SVG_NS) && name == "foreignObject" {
            return Err(Error::UnsupportedContent(
                "<foreignObject> (HTML inside SVG) cannot be converted to PDF; draw it with SVG elements".into(),
            ));
        }
        match role(node) {
            Role::Skip if name == "flowRoot" && node.tag_name().namespace() == Some(SVG_NS) => {
                self.flow_root(node)
            }
            Role::Skip => {
                if matches!(name, "script" | "flowRoot") {
                    self.warnings.push(Warning::new(
                        "ELEMENT_DROPPED",
                        format!("<{name}> is not rendered and was dropped"),
                    ));
                }
                Ok(())
            }
            Role::Resource => {
                let mut out = Pieces::default();
                self.serialize_element(node, &mut out)?;
                if out.has_fields() {
                    return Err(Error::TemplateInvalid(format!(
                        "placeholders inside <{name}> are not supported; put them in text or on visible elements"
                    )));
                }
                // @font-face rules are decoded once (SplitTemplate::font_faces), not copied.
                let (xml, _) = font_face::take_font_faces(&literal(&out));
                // Every stylesheet counts, wherever it is: a `<style>` inside `<defs>` (as many
                // editors write it) styles the variable text as much as one at the top level.
                for sheet in node.descendants().filter(|d| {
                    d.is_element()
                        && d.tag_name().name() == "style"
                        && d.tag_name().namespace() == Some(SVG_NS)
                }) {
                    let (sheet, rules) = font_face::take_font_faces(&node_text(sheet));
                    self.styles.push_str(&sheet);
                    self.styles.push('\n');
                    self.font_face_rules.push_str(&rules);
                }
                self.static_out.push_str(&xml);
                self.resources.push_str(&xml);
                Ok(())
            }
            Role::Container => {
                let mut open = Pieces::default();
                self.open_tag(node, &mut open)?;
                if open.has_fields() {
                    return Err(Error::TemplateInvalid(format!(
                        "placeholders on <{name}> groups are not supported; put them on the visible element"
                    )));
                }
                let open = literal(&open);
                let close = format!("</{name}>");
                self.static_out.push_str(&open);
                self.stack.push((open, close.clone()));
                self.ctm_stack.push(self.ctm);
                self.ctm = compose_x(self.ctm, node);
                for child in node.children() {
                    self.walk(child)?;
                }
                self.ctm = self.ctm_stack.pop().flatten();
                self.stack.pop();
                self.static_out.push_str(&close);
                Ok(())
            }
            Role::Graphic if name == "rect" && node.attribute("data-qr").is_some() => self.qr(node),
            Role::Graphic => {
                let mut out = Pieces::default();
                self.serialize_element(node, &mut out)?;
                if out.has_fields() || !self.conditions.is_empty() {
                    for f in out.fields() {
                        if !self.fields.iter().any(|x| x == f) {
                            self.fields.push(f.to_string());
                        }
                    }
                    let slot = self.make_slot(node, out)?;
                    self.slots.push(slot);
                } else {
                    if name == "text" {
                        self.static_text.push_str(&node_text(node));
                        self.static_text.push(' ');
                    }
                    self.static_out.push_str(&literal(&out));
                }
                Ok(())
            }
        }
    }

    /// Serializes an element and its subtree, checking external references.
    fn serialize(&mut self, node: Node, out: &mut Pieces) -> Result<()> {
        self.nested(|w| w.serialize_element(node, out))
    }

    fn serialize_element(&mut self, node: Node, out: &mut Pieces) -> Result<()> {
        let name = node.tag_name().name();
        if node.tag_name().namespace() != Some(SVG_NS)
            || matches!(name, "title" | "desc" | "metadata" | "script")
        {
            return Ok(());
        }
        if name == "foreignObject" {
            return Err(Error::UnsupportedContent(
                "<foreignObject> (HTML inside SVG) cannot be converted to PDF; draw it with SVG elements".into(),
            ));
        }
        self.open_tag(node, out)?;
        for child in node.children() {
            if child.is_element() {
                self.count_element()?;
                self.serialize(child, out)?;
            } else if child.is_text() {
                let raw = child.text().unwrap_or("");
                if name == "style" {
                    check_css(raw)?;
                }
                out.push_escaped(&Pieces::parse(raw)?);
            }
        }
        out.push_literal(&format!("</{name}>"));
        Ok(())
    }

    /// `<name attr="value" ...>` with checked references.
    fn open_tag(&mut self, node: Node, out: &mut Pieces) -> Result<()> {
        let name = node.tag_name().name();
        out.push_literal(&format!("<{name}"));
        for a in node.attributes() {
            let Some(an) = attr_name(&a) else { continue };
            if is_qr_attribute(&an) {
                return Err(misplaced_qr(node, &an));
            }
            if !self.check_reference(node, &an, a.value())? {
                continue;
            }
            let raw = Pieces::parse(a.value())?;
            if raw.has_fields()
                && matches!(
                    an.as_str(),
                    "href" | "xlink:href" | "id" | "class" | "style"
                )
            {
                return Err(Error::TemplateInvalid(format!(
                    "placeholders in the '{an}' attribute of <{name}> are not supported"
                )));
            }
            out.push_literal(&format!(" {an}=\""));
            out.push_escaped(&raw);
            out.push_literal("\"");
        }
        out.push_literal(">");
        Ok(())
    }

    fn make_slot(&mut self, node: Node, plain: Pieces) -> Result<Slot> {
        let label = plain
            .first_field()
            .or_else(|| self.conditions.first().map(|c| c.path.as_str()))
            .unwrap_or("?")
            .to_string();
        let conditions = self.conditions.clone();
        let open: String = self.stack.iter().map(|(o, _)| o.as_str()).collect();
        let close: String = self.stack.iter().rev().map(|(_, c)| c.as_str()).collect();
        if node.tag_name().name() != "text" {
            return Ok(Slot {
                label,
                open,
                close,
                plain,
                content: None,
                managed: None,
                qr: None,
                conditions,
            });
        }
        let content = Pieces::parse(&svg_whitespace(&node_text(node), preserves_space(node)))?;
        let room = PageRoom {
            styles: &self.styles,
            // Only texts with a placeholder get a box by default (a static text drawn under
            // a data-if keeps the layout it was drawn with).
            width: self.page_width.filter(|_| content.has_fields()),
            viewport: self.viewport,
            ctm: compose_x(self.ctm, node),
        };
        let managed = managed_text(node, &self.opts.default_font_size, &room)?;
        if managed.is_none() && node.attribute("data-fit-width").is_some() {
            self.warnings.push(Warning::new(
                "FIT_IGNORED",
                format!(
                    "the text with {{{{{label}}}}} spans several positioned lines, so its fit box is ignored; use one <text> per fitted field"
                ),
            ));
        }
        Ok(Slot {
            label,
            open,
            close,
            plain,
            content: Some(content),
            managed,
            qr: None,
            conditions,
        })
    }
}

/// Concatenated text of a node's descendants.
fn node_text(node: Node) -> String {
    node.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

/// True when the text keeps its white space (`xml:space="preserve"` on it or an ancestor, the
/// nearest one deciding).
fn preserves_space(node: Node) -> bool {
    node.ancestors()
        .find_map(|n| n.attribute((roxmltree::NS_XML_URI, "space")))
        .is_some_and(|v| v == "preserve")
}

/// A text's characters as SVG draws them: line breaks and tabs are spaces, and, unless
/// `xml:space="preserve"`, runs of spaces are one and the text is trimmed. So the indentation a
/// hand-written or pretty-printed file has around `{{name}}` is not part of the name (it made
/// the fitted name start with spaces and a line break, and not be drawn at all).
fn svg_whitespace(text: &str, preserve: bool) -> String {
    let spaced: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    if preserve {
        return spaced;
    }
    let mut out = String::with_capacity(spaced.len());
    for word in spaced.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn literal(p: &Pieces) -> String {
    p.0.iter()
        .map(|x| match x {
            Piece::Literal(s) => s.as_str(),
            Piece::Field { .. } => "",
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> CompileOptions {
        CompileOptions::default()
    }

    #[test]
    fn splits_static_and_dynamic() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" width="100" height="50">
            <defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>
            <rect width="100" height="50" fill="url(#g)" inkscape:label="bg"/>
            <g transform="translate(1,2)"><text x="50" y="20" data-fit-width="80">Hi {{name}}</text></g>
            <text x="1" y="40">Static</text>
        </svg>"##;
        let t = split(svg.as_bytes(), &opts()).unwrap();
        assert!(t.static_svg.contains("<rect") && !t.static_svg.contains("{{"));
        assert!(!t.static_svg.contains("inkscape"));
        assert!(t.static_svg.contains("Static"));
        assert_eq!(t.fields, vec!["name"]);
        assert_eq!(t.slots.len(), 1);
        let m = t.slots[0].managed.as_ref().unwrap();
        assert_eq!((m.x, m.y), (50.0, 20.0));
        assert_eq!(m.fit.as_ref().unwrap().width, 80.0);
        assert!(t.resources.contains("linearGradient") && !t.resources.contains("<rect"));
        assert!(t.slots[0].open.starts_with("<g transform") && t.slots[0].close == "</g>");
    }

    #[test]
    fn external_references_are_refused() {
        for svg in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="file:///etc/passwd"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><use href="other.svg#a"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://x/y#z)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(x.css);</style></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@font-face{src:url(/f.ttf)}</style></svg>"#,
        ] {
            assert_eq!(
                split(svg.as_bytes(), &opts()).unwrap_err().code(),
                "EXTERNAL_REFERENCE",
                "{svg}"
            );
        }
    }

    #[test]
    fn external_references_can_be_dropped_with_a_warning() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>"#;
        let o = CompileOptions {
            external_references: ExternalReferences::Drop,
            ..opts()
        };
        let t = split(svg.as_bytes(), &o).unwrap();
        assert!(!t.static_svg.contains("evil"));
        assert_eq!(t.warnings[0].code, "EXTERNAL_REFERENCE_DROPPED");
    }

    #[test]
    fn unsupported_and_invalid_content() {
        let fo = r#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>"#;
        assert_eq!(
            split(fo.as_bytes(), &opts()).unwrap_err().code(),
            "UNSUPPORTED_CONTENT"
        );
        let not_svg = r#"<html/>"#;
        assert_eq!(
            split(not_svg.as_bytes(), &opts()).unwrap_err().code(),
            "TEMPLATE_INVALID"
        );
        let broken = r#"<svg xmlns="http://www.w3.org/2000/svg"><text>"#;
        assert_eq!(
            split(broken.as_bytes(), &opts()).unwrap_err().code(),
            "TEMPLATE_PARSE"
        );
    }

    #[test]
    fn conditions_make_static_content_variable() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">
            <g data-if="talk.title"><rect width="1" height="1"/><text x="5" y="5">{{talk.title}}</text></g>
            <text x="5" y="9" data-unless="talk.title">no talk</text>
        </svg>"#;
        let t = split(svg.as_bytes(), &opts()).unwrap();
        assert!(!t.static_svg.contains("<rect") && !t.static_svg.contains("no talk"));
        assert_eq!(t.slots.len(), 3);
        assert_eq!(
            t.slots[0].conditions,
            vec![Condition {
                path: "talk.title".into(),
                negate: false
            }]
        );
        assert!(t.slots[2].conditions[0].negate);
        let bad = r#"<svg xmlns="http://www.w3.org/2000/svg"><rect data-if="{{x}}"/></svg>"#;
        assert_eq!(
            split(bad.as_bytes(), &opts()).unwrap_err().code(),
            "TEMPLATE_INVALID"
        );
    }

    #[test]
    fn fit_box_by_default_from_the_room_on_the_page() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 500">
            <text x="300" y="100" text-anchor="middle">{{name}}</text>
            <g transform="translate(100,0) scale(2)"><text x="50" y="100">{{name}}</text></g>
            <text x="500" y="200" data-fit="none">{{name}}</text>
        </svg>"#;
        let t = split(svg.as_bytes(), &opts()).unwrap();
        let width = |i: usize| {
            t.slots[i]
                .managed
                .as_ref()
                .unwrap()
                .fit
                .as_ref()
                .map(|f| f.width)
        };
        // Middle at 300: twice the distance to the nearer edge, minus the 4 % margins.
        assert_eq!(width(0), Some(2.0 * (300.0 - 40.0)));
        // Start at page x 200, in units scaled by 2: (960 - 200) / 2.
        assert_eq!(width(1), Some(380.0));
        assert_eq!(width(2), None);
    }

    #[test]
    fn flowed_text_becomes_a_fit_box() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 297 210">
            <defs><rect id="r" x="40" y="80" width="200" height="40"/></defs>
            <text style="font-size:16px;line-height:1.25;text-align:center;shape-inside:url(#r);shape-padding:5"><tspan x="120" y="96">{{name}}</tspan></text>
            <flowRoot style="font-size:10px;text-align:end"><flowRegion><rect x="10" y="150" width="100" height="20"/></flowRegion><flowPara>{{event.name}}</flowPara></flowRoot>
        </svg>"#;
        let t = split(svg.as_bytes(), &opts()).unwrap();
        let m = t.slots[0].managed.as_ref().unwrap();
        assert_eq!((m.x, m.y, m.anchor), (140.0, 96.0, Anchor::Middle));
        assert_eq!(m.fit.as_ref().unwrap().width, 190.0);
        // Flowed: wraps onto as many lines as fit from the first baseline to the box's bottom.
        assert_eq!(m.fit.as_ref().unwrap().max_lines, 0);
        assert_eq!(m.fit.as_ref().unwrap().height, Some(19.0));
        assert!(m.top_aligned);
        let f = t.slots[1].managed.as_ref().unwrap();
        assert_eq!((f.x, f.anchor), (110.0, Anchor::End));
        assert_eq!(f.fit.as_ref().unwrap().width, 100.0);
        assert_eq!(t.fields, vec!["name", "event.name"]);
    }

    #[test]
    fn percentages_and_units_place_a_managed_text_on_the_page() {
        let svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 400 200'><text x='50%' y='25%' text-anchor='middle'>{{name}}</text><text><tspan x='10mm' y='-5'>{{title}}</tspan></text></svg>";
        let split = split(svg.as_bytes(), &opts()).unwrap();
        let a = split.slots[0].managed.as_ref().unwrap();
        assert_eq!((a.x, a.y), (200.0, 50.0));
        let b = split.slots[1].managed.as_ref().unwrap();
        assert!(
            (b.x - 37.795_277).abs() < 1e-3 && b.y == -5.0,
            "{} {}",
            b.x,
            b.y
        );
    }

    #[test]
    fn a_stylesheet_inside_defs_styles_the_variable_text() {
        let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='400' height='100'><defs><style>.n{font-size:68px}</style></defs><text class='n' x='5' y='80'>{{name}}</text></svg>";
        let split = split(svg.as_bytes(), &opts()).unwrap();
        assert!(split.styles.contains(".n{font-size:68px}"));
        let managed = split.slots[0].managed.as_ref().expect("a fitted name");
        assert_eq!(managed.font_size, 68.0);
    }

    #[test]
    fn indentation_around_a_placeholder_is_not_part_of_the_text() {
        assert_eq!(
            svg_whitespace("\n        {{name}}\n    ", false),
            "{{name}}"
        );
        assert_eq!(
            svg_whitespace("\tDr.  {{name}}\r\n, PhD ", false),
            "Dr. {{name}} , PhD"
        );
        assert_eq!(svg_whitespace(" a\n b ", true), " a  b ");
        let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='100' height='50'>\n  <text x='5' y='20'>\n      {{name}}\n  </text>\n  <text x='5' y='40' xml:space='preserve'> {{title}}</text></svg>";
        let split = split(svg.as_bytes(), &opts()).unwrap();
        let texts: Vec<String> = split
            .slots
            .iter()
            .map(|s| literal_or_fields(s.content.as_ref().unwrap()))
            .collect();
        assert_eq!(texts, vec!["{name}".to_string(), " {title}".to_string()]);
    }

    fn literal_or_fields(p: &Pieces) -> String {
        p.0.iter()
            .map(|x| match x {
                Piece::Literal(s) => s.clone(),
                Piece::Field { path, .. } => format!("{{{path}}}"),
            })
            .collect()
    }

    #[test]
    fn element_count_is_bounded() {
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg">{}</svg>"#,
            "<rect/>".repeat(30_000)
        );
        assert_eq!(
            split(svg.as_bytes(), &opts()).unwrap_err().code(),
            "LIMIT_EXCEEDED"
        );
    }

    #[test]
    fn a_background_colour_on_the_root_is_the_first_shape() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" style="background-color: #0000ff80" viewBox="10 20 200 100"><text x="5" y="50">{{name}}</text></svg>"##;
        let t = split(svg.as_bytes(), &opts()).unwrap();
        assert!(!t.root_open.contains("background"), "{}", t.root_open);
        let body = t.static_svg.split_once('>').unwrap().1;
        assert!(
            body.starts_with(
                r##"<rect x="10" y="20" width="200" height="100" fill="#0000ff80"/>"##
            ),
            "{body}"
        );
    }
}
