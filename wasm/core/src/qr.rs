//! `data-qr`: a `<rect>` of the template replaced by a vector QR code.
//!
//! ```xml
//! <rect x="960" y="630" width="86" height="86" fill="#1C2B4A"
//!       data-qr="{{certificate.url}}" data-qr-ec="M" data-qr-quiet-zone="0"/>
//! ```
//!
//! The rect is not drawn. In its place comes **one** `<path>` of the dark
//! modules (each row's horizontal runs merged into one rectangle), in the
//! rect's own user space: the symbol is a square of side `min(width, height)`
//! centred in the box, the quiet zone (in modules) inside it. The path keeps
//! the rect's `fill`, `transform`, opacity and the other attributes listed in
//! [`KEPT_ATTRIBUTES`], and gets `shape-rendering="crispEdges"`. In the PDF it
//! is ordinary vector geometry (one fill), never an image.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

use crate::error::{Error, Result};
use crate::placeholder::Pieces;

/// The error correction level when `data-qr-ec` is absent.
pub(crate) const DEFAULT_EC: EcLevel = EcLevel::M;
/// The quiet zone, in modules, when `data-qr-quiet-zone` is absent: the box is the code's edge.
pub(crate) const DEFAULT_QUIET_ZONE: u32 = 0;
/// The largest `data-qr-quiet-zone`.
pub(crate) const MAX_QUIET_ZONE: u32 = 16;

/// Attributes of the `<rect>` that the QR `<path>` keeps (everything else, its geometry,
/// `stroke*`, `data-*` and `shape-rendering`, is dropped).
pub(crate) const KEPT_ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "style",
    "transform",
    "fill",
    "fill-opacity",
    "opacity",
    "color",
    "visibility",
    "display",
    "clip-path",
    "mask",
    "filter",
];

/// Parses `data-qr-ec`: `L`, `M`, `Q` or `H` (any case).
pub(crate) fn parse_ec(value: &str) -> Result<EcLevel> {
    match value.trim().to_ascii_uppercase().as_str() {
        "L" => Ok(EcLevel::L),
        "M" => Ok(EcLevel::M),
        "Q" => Ok(EcLevel::Q),
        "H" => Ok(EcLevel::H),
        _ => Err(Error::TemplateInvalid(format!(
            "data-qr-ec=\"{value}\" is not an error correction level: use L (7 %), M (15 %, the default), Q (25 %) or H (30 %)"
        ))),
    }
}

/// Parses `data-qr-quiet-zone`: a whole number of modules, 0 to [`MAX_QUIET_ZONE`].
pub(crate) fn parse_quiet_zone(value: &str) -> Result<u32> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|q| *q <= MAX_QUIET_ZONE)
        .ok_or_else(|| {
            Error::TemplateInvalid(format!(
                "data-qr-quiet-zone=\"{value}\" must be a whole number of modules from 0 to {MAX_QUIET_ZONE}"
            ))
        })
}

/// A coordinate or length of the rect in user units: a number with an optional absolute
/// unit (`px`, `pt`, `pc`, `mm`, `cm`, `in`). Percentages and `em` are refused.
pub(crate) fn parse_coordinate(attr: &str, value: &str) -> Result<f64> {
    let v = value.trim();
    let unit_start = v
        .rfind(|c: char| c.is_ascii_digit() || c == '.')
        .map_or(0, |i| i + 1);
    let (num, unit) = v.split_at(unit_start);
    let factor = match unit.trim() {
        "" | "px" => Some(1.0),
        "pt" => Some(4.0 / 3.0),
        "pc" => Some(16.0),
        "mm" => Some(96.0 / 25.4),
        "cm" => Some(96.0 / 2.54),
        "in" => Some(96.0),
        _ => None,
    };
    factor
        .zip(num.parse::<f64>().ok())
        .map(|(f, n)| f * n)
        .filter(|n| n.is_finite())
        .ok_or_else(|| {
            Error::TemplateInvalid(format!(
                "{attr}=\"{value}\" on a <rect data-qr> is not a length: use a number in user units (or mm, cm, in, pt, px)"
            ))
        })
}

/// A `<rect data-qr>` as compiled: where the code goes and what it encodes.
#[derive(Debug, Clone)]
pub(crate) struct QrSpec {
    /// The encoded text, raw (not XML-escaped), with placeholders.
    pub data: Pieces,
    /// Error correction level.
    pub ec: EcLevel,
    /// Light modules around the symbol, inside the square.
    pub quiet_zone: u32,
    /// Left edge of the square, user units.
    pub x: f64,
    /// Top edge of the square, user units.
    pub y: f64,
    /// Side of the square: `min(width, height)`.
    pub size: f64,
    /// ` name="value"` pairs kept on the path (serialized XML, with placeholders).
    pub attrs: Pieces,
}

impl QrSpec {
    /// The rect's box, made square and centred.
    pub fn new(
        data: Pieces,
        ec: EcLevel,
        quiet_zone: u32,
        (x, y, width, height): (f64, f64, f64, f64),
        attrs: Pieces,
    ) -> QrSpec {
        let size = width.min(height);
        QrSpec {
            data,
            ec,
            quiet_zone,
            x: x + (width - size) / 2.0,
            y: y + (height - size) / 2.0,
            size,
            attrs,
        }
    }

    /// The `<path>` element for `text` (filled data) with `attrs` (filled attributes);
    /// nothing for an empty text, so `{{field | }}` makes the code optional. `label` names
    /// the code in errors: its first placeholder, `None` for a static code.
    pub fn element(&self, text: &str, attrs: &str, label: Option<&str>) -> Result<String> {
        if text.is_empty() {
            return Ok(String::new());
        }
        let code = encode(text, self.ec, label)?;
        let d = path_data(&code, self.quiet_zone, self.x, self.y, self.size);
        Ok(format!(
            "<path{attrs} shape-rendering=\"crispEdges\" d=\"{d}\"/>"
        ))
    }
}

/// The most bytes a QR code (version 40, byte mode) holds at each level.
pub(crate) fn max_bytes(ec: EcLevel) -> u64 {
    match ec {
        EcLevel::L => 2953,
        EcLevel::M => 2331,
        EcLevel::Q => 1663,
        EcLevel::H => 1273,
    }
}

fn ec_name(ec: EcLevel) -> &'static str {
    match ec {
        EcLevel::L => "L",
        EcLevel::M => "M",
        EcLevel::Q => "Q",
        EcLevel::H => "H",
    }
}

/// Encodes `text` (UTF-8 bytes; digits and upper-case runs in their compact modes) in the
/// smallest QR code version that holds it at `ec`.
pub(crate) fn encode(text: &str, ec: EcLevel, label: Option<&str>) -> Result<QrCode> {
    let what = || match label {
        Some(field) => format!("QR code text of {{{{{field}}}}}"),
        None => "static QR code text".to_string(),
    };
    QrCode::with_error_correction_level(text.as_bytes(), ec).map_err(|e| match e {
        qrcode::types::QrError::DataTooLong => Error::limit(
            &format!(
                "{} in UTF-8 bytes (error correction {})",
                what(),
                ec_name(ec)
            ),
            max_bytes(ec),
            text.len() as u64,
        ),
        other => Error::Internal(format!("encoding the {} failed: {other}", what())),
    })
}

/// Path data of the dark modules: one rectangle per horizontal run of a row, with absolute
/// coordinates computed from the same grid so that neighbouring rows share their edges exactly.
pub(crate) fn path_data(code: &QrCode, quiet_zone: u32, x: f64, y: f64, size: f64) -> String {
    let width = code.width();
    let colors = code.to_colors();
    let modules = width as f64 + 2.0 * quiet_zone as f64;
    let unit = size / modules;
    let q = quiet_zone as f64;
    let gx = |c: usize| num(x + (q + c as f64) * unit);
    let gy = |r: usize| num(y + (q + r as f64) * unit);
    let mut d = String::with_capacity(width * width);
    for r in 0..width {
        let row = &colors[r * width..(r + 1) * width];
        let mut c = 0;
        while c < width {
            if row[c] != Color::Dark {
                c += 1;
                continue;
            }
            let start = c;
            while c < width && row[c] == Color::Dark {
                c += 1;
            }
            let (x0, x1) = (gx(start), gx(c));
            let _ = write!(d, "M{x0} {}H{x1}V{}H{x0}Z", gy(r), gy(r + 1));
        }
    }
    d
}

/// A coordinate with at most three decimals, without trailing zeros.
fn num(v: f64) -> String {
    let mut s = format!("{:.3}", v);
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules a path draws, read back on the module grid.
    fn modules_of(d: &str, x: f64, y: f64, unit: f64, n: usize) -> Vec<bool> {
        let mut grid = vec![false; n * n];
        for rect in d.split('M').filter(|s| !s.is_empty()) {
            let nums: Vec<f64> = rect
                .split(|c: char| c == ' ' || c.is_ascii_alphabetic())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().unwrap())
                .collect();
            // M x0 y0 H x1 V y1 H x0 Z
            assert_eq!(nums.len(), 5, "{rect}");
            assert_eq!(nums[0], nums[4]);
            let c0 = ((nums[0] - x) / unit).round() as usize;
            let c1 = ((nums[2] - x) / unit).round() as usize;
            let r0 = ((nums[1] - y) / unit).round() as usize;
            let r1 = ((nums[3] - y) / unit).round() as usize;
            assert_eq!(r1, r0 + 1, "one row per rectangle: {rect}");
            assert!(c1 > c0);
            assert!(
                c0 == 0 || !grid[r0 * n + c0 - 1],
                "run at ({c0}, {r0}) not merged with its left neighbour"
            );
            for c in c0..c1 {
                assert!(!grid[r0 * n + c], "rectangles overlap at ({c}, {r0})");
                grid[r0 * n + c] = true;
            }
        }
        grid
    }

    #[test]
    fn path_draws_exactly_the_dark_modules_with_runs_merged() {
        let code = encode(
            "https://verify.certforge.dev/c/CF-SPK-001",
            EcLevel::M,
            Some("x"),
        )
        .unwrap();
        let n = code.width();
        let d = path_data(&code, 0, 0.0, 0.0, n as f64);
        let expected: Vec<bool> = code.to_colors().iter().map(|c| *c == Color::Dark).collect();
        assert_eq!(modules_of(&d, 0.0, 0.0, 1.0, n), expected);
        // Runs are merged: fewer rectangles than dark modules, and no two touching in a row.
        let rects = d.matches('M').count();
        let dark = expected.iter().filter(|x| **x).count();
        assert!(
            rects * 3 < dark * 2,
            "{rects} rectangles for {dark} modules"
        );
        // Finder pattern: the first row starts with a run of 7 dark modules.
        assert!(d.starts_with("M0 0H7V1H0Z"), "{}", &d[..40]);
    }

    #[test]
    fn quiet_zone_and_box_scale_the_grid() {
        let code = encode("HELLO", EcLevel::L, Some("x")).unwrap();
        assert_eq!(code.width(), 21);
        // 21 modules + 2 × 2 quiet = 25 modules over 50 units: 2 units a module, starting at 10+4.
        let d = path_data(&code, 2, 10.0, 20.0, 50.0);
        assert!(d.starts_with("M14 24H28V26H14Z"), "{}", &d[..40]);
        let expected: Vec<bool> = code.to_colors().iter().map(|c| *c == Color::Dark).collect();
        assert_eq!(modules_of(&d, 14.0, 24.0, 2.0, 21), expected);
    }

    #[test]
    fn non_square_box_is_centred() {
        let spec = QrSpec::new(
            Pieces::default(),
            EcLevel::M,
            0,
            (100.0, 50.0, 80.0, 40.0),
            Pieces::default(),
        );
        assert_eq!((spec.x, spec.y, spec.size), (120.0, 50.0, 40.0));
        let spec = QrSpec::new(
            Pieces::default(),
            EcLevel::M,
            0,
            (0.0, 0.0, 30.0, 90.0),
            Pieces::default(),
        );
        assert_eq!((spec.x, spec.y, spec.size), (0.0, 30.0, 30.0));
    }

    #[test]
    fn element_keeps_attributes_and_is_empty_for_empty_text() {
        let spec = QrSpec::new(
            Pieces::default(),
            EcLevel::M,
            0,
            (0.0, 0.0, 21.0, 21.0),
            Pieces::default(),
        );
        let xml = spec.element("HELLO", " fill=\"#123\"", Some("x")).unwrap();
        assert!(
            xml.starts_with("<path fill=\"#123\" shape-rendering=\"crispEdges\" d=\"M0 0H7V1H0Z"),
            "{xml}"
        );
        assert_eq!(xml.matches("<path").count(), 1);
        assert_eq!(spec.element("", " fill=\"#123\"", Some("x")).unwrap(), "");
    }

    #[test]
    fn error_correction_levels_change_the_code() {
        let url = "https://verify.certforge.dev/c/AbCdEfGhIjKlMnOpQrStUv";
        let widths: Vec<usize> = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H]
            .iter()
            .map(|ec| {
                let code = encode(url, *ec, Some("x")).unwrap();
                assert_eq!(code.error_correction_level(), *ec);
                code.width()
            })
            .collect();
        assert!(widths.windows(2).all(|w| w[0] <= w[1]), "{widths:?}");
        assert!(widths[0] < widths[3], "{widths:?}");
        for (s, ec) in [
            ("L", EcLevel::L),
            ("m", EcLevel::M),
            (" Q ", EcLevel::Q),
            ("H", EcLevel::H),
        ] {
            assert_eq!(parse_ec(s).unwrap(), ec);
        }
        for bad in ["", "X", "MM", "15%", "{{ec}}"] {
            assert_eq!(
                parse_ec(bad).unwrap_err().code(),
                "TEMPLATE_INVALID",
                "{bad}"
            );
        }
    }

    #[test]
    fn too_long_is_a_limit_with_the_capacity_of_the_level() {
        let text = "a".repeat(1274);
        assert!(encode(&text, EcLevel::M, Some("x")).is_ok());
        let err = encode(&text, EcLevel::H, Some("certificate.url"))
            .err()
            .unwrap();
        assert_eq!(err.code(), "LIMIT_EXCEEDED");
        assert_eq!(err.details()["limit"], 1273);
        assert_eq!(err.details()["actual"], 1274);
        assert!(err.to_string().contains("{{certificate.url}}"), "{err}");
        assert!(err.to_string().contains("error correction H"), "{err}");
        for (ec, max) in [(EcLevel::L, 2953), (EcLevel::M, 2331), (EcLevel::Q, 1663)] {
            assert!(encode(&"a".repeat(max), ec, Some("x")).is_ok());
            assert_eq!(
                encode(&"a".repeat(max + 1), ec, Some("x"))
                    .err()
                    .unwrap()
                    .code(),
                "LIMIT_EXCEEDED"
            );
        }
    }

    #[test]
    fn attribute_values() {
        assert_eq!(parse_quiet_zone("4").unwrap(), 4);
        assert_eq!(parse_quiet_zone(" 0 ").unwrap(), 0);
        for bad in ["-1", "17", "2.5", "x", ""] {
            assert_eq!(
                parse_quiet_zone(bad).unwrap_err().code(),
                "TEMPLATE_INVALID"
            );
        }
        assert_eq!(parse_coordinate("x", "12.5").unwrap(), 12.5);
        assert_eq!(parse_coordinate("x", "-3").unwrap(), -3.0);
        assert!((parse_coordinate("width", "25.4mm").unwrap() - 96.0).abs() < 1e-9);
        assert_eq!(parse_coordinate("width", "1in").unwrap(), 96.0);
        for bad in ["10%", "2em", "", "abc", "NaN"] {
            assert_eq!(
                parse_coordinate("width", bad).unwrap_err().code(),
                "TEMPLATE_INVALID",
                "{bad}"
            );
        }
    }

    #[test]
    fn coordinates_are_compact() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(3.25), "3.25");
        assert_eq!(num(1.0 / 3.0), "0.333");
        assert_eq!(num(-0.0001), "0");
    }
}
