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

/// `data-if="path"` (drawn when the field has a value) or `data-unless="path"` (when it has none).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Condition {
    pub path: String,
    pub negate: bool,
}

impl Condition {
    /// Whether the element is drawn for `data`.
    pub fn holds(&self, data: &crate::placeholder::Data) -> Result<bool> {
        Ok(data.is_present(&self.path)? != self.negate)
    }
}

/// The conditions an element declares itself.
fn conditions_of(node: Node) -> Result<Vec<Condition>> {
    let mut out = Vec::new();
    for (attr, negate) in [("data-if", false), ("data-unless", true)] {
        let Some(v) = node.attribute(attr) else {
            continue;
        };
        let path = v.trim();
        if !crate::placeholder::is_valid_path(path) {
            return Err(Error::TemplateInvalid(format!(
                "{attr}=\"{}\" on <{}> is not a field path: write the field without braces, e.g. {attr}=\"talk.title\"",
                v.chars().take(60).collect::<String>(),
                node.tag_name().name()
            )));
        }
        out.push(Condition {
            path: path.to_string(),
            negate,
        });
    }
    Ok(out)
}

struct Walker<'a> {
    opts: &'a CompileOptions,
    limits: &'a Limits,
    static_out: String,
    resources: String,
    stack: Vec<(String, String)>,
    slots: Vec<Slot>,
    styles: String,
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
        fields: Vec::new(),
        static_text: String::new(),
        warnings: Vec::new(),
        elements: 0,
        qr_codes: 0,
        image_pixels: 0,
        depth: 0,
        conditions: Vec::new(),
        page_width: page_width(root),
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
        root_open.push(' ');
        root_open.push_str(&name);
        root_open.push_str("=\"");
        escape(a.value(), &mut root_open);
        root_open.push('"');
    }
    root_open.push('>');
    for child in root.children() {
        w.walk(child)?;
    }
    let static_svg = format!("{root_open}{}</svg>", w.static_out);
    Ok(SplitTemplate {
        root_open,
        static_svg,
        resources: w.resources,
        slots: w.slots,
        styles: w.styles,
        fields: w.fields,
        static_text: w.static_text,
        warnings: w.warnings,
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
                let xml = literal(&out);
                if name == "style" {
                    self.styles.push_str(&node_text(node));
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

    /// Returns `Ok(false)` when the attribute must be dropped.
    fn check_reference(&mut self, node: Node, attr: &str, value: &str) -> Result<bool> {
        let element = node.tag_name().name();
        let external: Option<String> = match attr {
            "href" | "xlink:href" => {
                let v = value.trim();
                if element == "a" || v.starts_with('#') || v.is_empty() {
                    None
                } else if let Some(bytes) = image::decode_data_url(value) {
                    // Whatever element carries it: usvg loads data: URLs of <image> and <feImage>.
                    image::check_raster(&bytes?, self.limits, &mut self.image_pixels)?;
                    None
                } else {
                    Some(v.to_string())
                }
            }
            _ => css_external_url(value),
        };
        let Some(reference) = external else {
            return Ok(true);
        };
        match self.opts.external_references {
            ExternalReferences::Refuse => Err(Error::ExternalReference {
                reference,
                element: element.to_string(),
            }),
            ExternalReferences::Drop => {
                self.warnings.push(Warning::new(
                    "EXTERNAL_REFERENCE_DROPPED",
                    format!("dropped the reference to '{reference}' on <{element}>: certforge never fetches anything"),
                ));
                Ok(false)
            }
        }
    }

    /// SVG 1.2 flowed text (Inkscape 0.92's text boxes): `<flowRoot>` with a `<rect>` in its
    /// `<flowRegion>` and `<flowPara>` paragraphs. It becomes the SVG 2 form, a `<text>` with
    /// `shape-inside` on that rect, and is laid out as a flowed fit box.
    fn flow_root(&mut self, node: Node) -> Result<()> {
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
        if paras.len() > 1 {
            self.warnings.push(Warning::new(
                "FLOW_PARAGRAPHS_JOINED",
                "a <flowRoot> with several <flowPara> is laid out as one paragraph".into(),
            ));
        }
        let text: String = paras
            .iter()
            .map(|p| node_text(*p))
            .collect::<Vec<_>>()
            .join(" ");
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
        let content = Pieces::parse(&node_text(node))?;
        let room = PageRoom {
            styles: &self.styles,
            // Only texts with a placeholder get a box by default (a static text drawn under
            // a data-if keeps the layout it was drawn with).
            width: self.page_width.filter(|_| content.has_fields()),
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

    /// A `<rect data-qr>`: a QR code drawn with the static artwork when nothing in it is
    /// variable, otherwise a variable slot.
    fn qr(&mut self, node: Node) -> Result<()> {
        self.qr_codes += 1;
        if self.qr_codes > self.limits.max_qr_codes {
            return Err(Error::limit(
                "number of QR codes (<rect data-qr>)",
                self.limits.max_qr_codes as u64,
                self.qr_codes as u64,
            ));
        }
        let spec = self.qr_spec(node)?;
        let fields: Vec<String> = spec
            .data
            .fields()
            .chain(spec.attrs.fields())
            .map(str::to_string)
            .collect();
        let label = fields
            .first()
            .cloned()
            .or_else(|| self.conditions.first().map(|c| c.path.clone()));
        let Some(label) = label else {
            let text = literal(&spec.data);
            let xml = spec.element(&text, &literal(&spec.attrs), None)?;
            self.static_out.push_str(&xml);
            return Ok(());
        };
        for f in fields {
            if !self.fields.contains(&f) {
                self.fields.push(f);
            }
        }
        self.slots.push(Slot {
            label,
            open: self.stack.iter().map(|(o, _)| o.as_str()).collect(),
            close: self.stack.iter().rev().map(|(_, c)| c.as_str()).collect(),
            plain: Pieces::default(),
            content: None,
            managed: None,
            qr: Some(spec),
            conditions: self.conditions.clone(),
        });
        Ok(())
    }

    /// Reads the geometry, the options and the kept attributes of a `<rect data-qr>`.
    fn qr_spec(&mut self, node: Node) -> Result<QrSpec> {
        let static_attr = |attr: &str| -> Result<Option<&str>> {
            match node.attribute(attr) {
                Some(v) if v.contains("{{") => Err(Error::TemplateInvalid(format!(
                    "placeholders in the '{attr}' attribute of a <rect data-qr> are not supported: the size and options of a QR code are fixed in the template"
                ))),
                v => Ok(v),
            }
        };
        let coordinate = |attr: &str| -> Result<Option<f64>> {
            static_attr(attr)?
                .map(|v| qr::parse_coordinate(attr, v))
                .transpose()
        };
        let x = coordinate("x")?.unwrap_or(0.0);
        let y = coordinate("y")?.unwrap_or(0.0);
        let (width, height) = (coordinate("width")?, coordinate("height")?);
        let (width, height) = match (width, height) {
            (Some(w), Some(h)) if w > 0.0 && h > 0.0 => (w, h),
            _ => {
                return Err(Error::TemplateInvalid(format!(
                    "a <rect data-qr> needs a positive width and height (found width=\"{}\" height=\"{}\"); the QR code is drawn as a square of min(width, height)",
                    node.attribute("width").unwrap_or(""),
                    node.attribute("height").unwrap_or("")
                )))
            }
        };
        let ec = static_attr("data-qr-ec")?
            .map(qr::parse_ec)
            .transpose()?
            .unwrap_or(qr::DEFAULT_EC);
        let quiet_zone = static_attr("data-qr-quiet-zone")?
            .map(qr::parse_quiet_zone)
            .transpose()?
            .unwrap_or(qr::DEFAULT_QUIET_ZONE);
        let data = Pieces::parse(node.attribute("data-qr").unwrap_or(""))?;
        let mut attrs = Pieces::default();
        for a in node.attributes() {
            let Some(an) = attr_name(&a) else { continue };
            if !qr::KEPT_ATTRIBUTES.contains(&an.as_str()) {
                continue;
            }
            if !self.check_reference(node, &an, a.value())? {
                continue;
            }
            let raw = Pieces::parse(a.value())?;
            if raw.has_fields() && matches!(an.as_str(), "id" | "class" | "style") {
                return Err(Error::TemplateInvalid(format!(
                    "placeholders in the '{an}' attribute of <rect> are not supported"
                )));
            }
            attrs.push_literal(&format!(" {an}=\""));
            attrs.push_escaped(&raw);
            attrs.push_literal("\"");
        }
        Ok(QrSpec::new(
            data,
            ec,
            quiet_zone,
            (x, y, width, height),
            attrs,
        ))
    }
}

/// `data-qr` and its options `data-qr-*`.
fn is_qr_attribute(name: &str) -> bool {
    name == "data-qr" || name.starts_with("data-qr-")
}

/// `data-qr*` where it cannot work.
fn misplaced_qr(node: Node, attr: &str) -> Error {
    let name = node.tag_name().name();
    Error::TemplateInvalid(if name == "rect" && node.attribute("data-qr").is_some() {
        "a <rect data-qr> inside <defs>, a clip path, mask, pattern or marker is not supported; put the QR code's rect in the visible drawing".into()
    } else if name == "rect" {
        format!("'{attr}' needs data-qr on the same <rect>")
    } else {
        format!(
            "'{attr}' works on a <rect> only (found on <{name}>): draw a <rect> where the QR code goes and put data-qr on it"
        )
    })
}

/// Concatenated text of a node's descendants.
fn node_text(node: Node) -> String {
    node.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

fn literal(p: &Pieces) -> String {
    p.0.iter()
        .map(|x| match x {
            Piece::Literal(s) => s.as_str(),
            Piece::Field { .. } => "",
        })
        .collect()
}

/// `url(...)` values pointing outside the document.
fn css_external_url(value: &str) -> Option<String> {
    let mut rest = value;
    while let Some(p) = rest.find("url(") {
        let after = &rest[p + 4..];
        let end = after.find(')').unwrap_or(after.len());
        let target = after[..end].trim().trim_matches(['"', '\'']).trim();
        if !target.starts_with('#') && !target.starts_with("data:") {
            return Some(target.to_string());
        }
        rest = &after[end..];
    }
    None
}

fn check_css(css: &str) -> Result<()> {
    if let Some(p) = css.find("@import") {
        let tail: String = css[p..].chars().take(80).collect();
        return Err(Error::ExternalReference {
            reference: tail,
            element: "style".into(),
        });
    }
    if let Some(url) = css_external_url(css) {
        return Err(Error::ExternalReference {
            reference: url,
            element: "style".into(),
        });
    }
    Ok(())
}

/// The presentation attributes that are also CSS properties (SVG 1.1 + a few).
const PRESENTATION: &[&str] = &[
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "font-stretch",
    "font-variant",
    "font-kerning",
    "font-feature-settings",
    "letter-spacing",
    "word-spacing",
    "text-decoration",
    "text-anchor",
    "direction",
    "unicode-bidi",
    "visibility",
    "display",
    "paint-order",
    "baseline-shift",
    "dominant-baseline",
    "alignment-baseline",
    "text-rendering",
    "color",
    "line-height",
    "writing-mode",
    "white-space",
];

/// Font properties that change the width of text; inherited from ancestors for measuring.
const FONT_PROPS: &[&str] = &[
    "font-family",
    "font-weight",
    "font-style",
    "font-stretch",
    "font-variant",
    "font-kerning",
    "font-feature-settings",
    "letter-spacing",
    "word-spacing",
    "text-rendering",
];

/// Properties certforge sets itself on a managed text.
const OVERRIDDEN: &[&str] = &[
    "font-size",
    "text-anchor",
    "direction",
    "unicode-bidi",
    "white-space",
    "line-height",
    "writing-mode",
    "inline-size",
    "shape-inside",
    "shape-padding",
    "text-align",
];

fn style_decls(node: Node) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for a in node.attributes() {
        if a.namespace().is_none() && PRESENTATION.contains(&a.name()) {
            v.push((a.name().to_string(), a.value().trim().to_string()));
        }
    }
    if let Some(style) = node.attribute("style") {
        for decl in style.split(';') {
            if let Some((k, val)) = decl.split_once(':') {
                let (k, val) = (k.trim(), val.trim());
                if !k.is_empty() && !val.is_empty() {
                    v.push((k.to_string(), val.to_string()));
                }
            }
        }
    }
    v
}

/// Declarations of the `.class { ... }` rules of `css` that name one of the node's classes
/// (Illustrator's `class="st1 st2"`), in sheet order. Only plain class selectors are read.
fn class_decls(css: &str, node: Node) -> Vec<(String, String)> {
    let Some(classes) = node.attribute("class") else {
        return Vec::new();
    };
    let classes: Vec<&str> = classes.split_whitespace().collect();
    let mut out = Vec::new();
    for rule in css.split('}') {
        let Some((selectors, body)) = rule.split_once('{') else {
            continue;
        };
        let hit = selectors.split(',').any(|sel| {
            sel.trim()
                .strip_prefix('.')
                .is_some_and(|c| classes.contains(&c))
        });
        if !hit {
            continue;
        }
        for decl in body.split(';') {
            if let Some((k, v)) = decl.split_once(':') {
                let (k, v) = (k.trim(), v.trim());
                if !k.is_empty() && !v.is_empty() {
                    out.push((k.to_string(), v.to_string()));
                }
            }
        }
    }
    out
}

fn set_decl(map: &mut Vec<(String, String)>, k: &str, v: &str) {
    if let Some(e) = map.iter_mut().find(|(key, _)| key == k) {
        e.1 = v.to_string();
    } else {
        map.push((k.to_string(), v.to_string()));
    }
}

fn first_number(v: Option<&str>) -> Option<f32> {
    v?.split([' ', ','])
        .find(|s| !s.is_empty())?
        .trim()
        .parse()
        .ok()
}

/// Builds the fit/bidi layout description of a single-line `<text>`, or
/// `None` when the element has several positioned lines or a textPath.
/// Where a text sits on the page: the page width and the text's horizontal transform.
struct PageRoom<'a> {
    /// The template's `<style>` sheets so far (class rules give font sizes too).
    styles: &'a str,
    width: Option<f32>,
    /// `x_page = a * x + b`, or `None` when rotated or skewed.
    ctm: Option<(f32, f32)>,
}

/// Share of the page width kept free at each edge by a fit box by default.
const PAGE_MARGIN: f32 = 0.04;

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
fn page_width(root: Node) -> Option<f32> {
    if let Some(vb) = root.attribute("viewBox") {
        let n: Vec<f32> = vb
            .split([' ', ','])
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse().ok())
            .collect();
        if n.len() == 4 && n[2] > 0.0 {
            return Some(n[2]);
        }
    }
    root.attribute("width")
        .and_then(|w| parse_length_px(w, 0.0))
}

/// `ctm` followed by the node's own transform, horizontally (`None` under rotation or skew).
fn compose_x(ctm: Option<(f32, f32)>, node: Node) -> Option<(f32, f32)> {
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

fn managed_text(
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
    let mut x = pos_node
        .and_then(|p| first_number(p.attribute("x")))
        .or_else(|| first_number(node.attribute("x")))
        .unwrap_or(0.0);
    let mut y = pos_node
        .and_then(|p| first_number(p.attribute("y")))
        .or_else(|| first_number(node.attribute("y")))
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
        let lh = line_height.unwrap_or(1.2) * font_size;
        flow_lines = Some(if (ry + rh - shape_padding) - y >= lh * 0.8 {
            2
        } else {
            1
        });
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
fn flow_rect(node: Node, value: &str) -> Option<(f32, f32, f32, f32)> {
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
        assert_eq!(m.fit.as_ref().unwrap().max_lines, 2);
        assert!(m.top_aligned);
        let f = t.slots[1].managed.as_ref().unwrap();
        assert_eq!((f.x, f.anchor), (110.0, Anchor::End));
        assert_eq!(f.fit.as_ref().unwrap().width, 100.0);
        assert_eq!(t.fields, vec!["name", "event.name"]);
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
}
