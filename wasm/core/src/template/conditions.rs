//! `data-if` / `data-unless`: which elements a template draws only when a field has a value (or has none).
use super::*;

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
pub(super) fn conditions_of(node: Node) -> Result<Vec<Condition>> {
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
