//! References out of the template (hrefs, `url()` in attributes and CSS, `@import`): refused or
//! dropped by [`ExternalReferences`], so that a template never reaches the network or the disk.
use super::*;

/// `url(...)` values pointing outside the document.
pub(super) fn css_external_url(value: &str) -> Option<String> {
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

pub(super) fn check_css(css: &str) -> Result<()> {
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

impl Walker<'_> {
    /// Returns `Ok(false)` when the attribute must be dropped.
    pub(super) fn check_reference(&mut self, node: Node, attr: &str, value: &str) -> Result<bool> {
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
}
