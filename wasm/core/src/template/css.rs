//! The CSS a template states: presentation attributes, `style` declarations and class rules of
//! `<style>` (Illustrator writes font sizes as classes), read as usvg reads them.
use super::*;

/// The presentation attributes that are also CSS properties (SVG 1.1 + a few).
pub(super) const PRESENTATION: &[&str] = &[
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
pub(super) const FONT_PROPS: &[&str] = &[
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
pub(super) const OVERRIDDEN: &[&str] = &[
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

pub(super) fn style_decls(node: Node) -> Vec<(String, String)> {
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
pub(super) fn class_decls(css: &str, node: Node) -> Vec<(String, String)> {
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

pub(super) fn set_decl(map: &mut Vec<(String, String)>, k: &str, v: &str) {
    if let Some(e) = map.iter_mut().find(|(key, _)| key == k) {
        e.1 = v.to_string();
    } else {
        map.push((k.to_string(), v.to_string()));
    }
}

/// The first value of an `x` or `y` list as a user-space coordinate: a number, a length with a
/// unit (px, pt, pc, mm, cm, in), or a percentage of `extent` (the viewport's width for x, its
/// height for y). Zero and negative values are coordinates too.
pub(super) fn first_coordinate(v: Option<&str>, extent: Option<f32>) -> Option<f32> {
    let s = v?.split([' ', ',']).find(|s| !s.is_empty())?.trim();
    let value = if let Some(p) = s.strip_suffix('%') {
        p.trim().parse::<f32>().ok()? * extent? / 100.0
    } else if let Ok(n) = s.parse::<f32>() {
        n
    } else {
        let unit_start = s.rfind(|c: char| c.is_ascii_digit() || c == '.')? + 1;
        let (num, unit) = s.split_at(unit_start);
        let k = match unit {
            "px" => 1.0,
            "pt" => 4.0 / 3.0,
            "pc" => 16.0,
            "mm" => 96.0 / 25.4,
            "cm" => 96.0 / 2.54,
            "in" => 96.0,
            _ => return None,
        };
        num.parse::<f32>().ok()? * k
    };
    value.is_finite().then_some(value)
}
