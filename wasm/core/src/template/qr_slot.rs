//! A `<rect data-qr>` read into a [`QrSpec`] slot (geometry, options, kept attributes); qr.rs
//! encodes and draws it.
use super::*;

/// `data-qr` and its options `data-qr-*`.
pub(super) fn is_qr_attribute(name: &str) -> bool {
    name == "data-qr" || name.starts_with("data-qr-")
}

/// `data-qr*` where it cannot work.
pub(super) fn misplaced_qr(node: Node, attr: &str) -> Error {
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

impl Walker<'_> {
    /// A `<rect data-qr>`: a QR code drawn with the static artwork when nothing in it is
    /// variable, otherwise a variable slot.
    pub(super) fn qr(&mut self, node: Node) -> Result<()> {
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
    pub(super) fn qr_spec(&mut self, node: Node) -> Result<QrSpec> {
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
