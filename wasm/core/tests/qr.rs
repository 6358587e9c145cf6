//! `<rect data-qr>`: QR codes as one vector path, through compile and render.
mod common;

use certforge_core::{CompileOptions, Engine, RenderOptions};
use common::{compiled, engine, template};
use serde_json::json;

const URL: &str = "https://verify.certforge.dev/c/AbCdEfGhIjKlMnOpQrStUv";

fn compile_err(e: &Engine, body: &str) -> certforge_core::Error {
    e.compile(template(body).as_bytes(), &CompileOptions::default())
        .unwrap_err()
}

/// `<path .../>` elements of an SVG string.
fn paths(svg: &str) -> Vec<&str> {
    svg.match_indices("<path")
        .map(|(i, _)| {
            let end = svg[i..].find('>').map_or(svg.len(), |e| i + e + 1);
            &svg[i..end]
        })
        .collect()
}

/// Whether the PDF has an image XObject (krilla writes object dictionaries uncompressed).
fn has_image(pdf: &[u8]) -> bool {
    let text = String::from_utf8_lossy(pdf);
    text.contains("/Subtype /Image") || text.contains("/Subtype/Image")
}

/// Subpaths of a path's `d`: one per merged run of dark modules.
fn subpaths(path: &str) -> usize {
    let d = path.split(" d=\"").nth(1).unwrap_or("");
    d.matches(['M', 'm']).count()
}

#[test]
fn a_variable_qr_code_is_one_vector_path_in_the_rects_fill() {
    let e = engine();
    let t = compiled(
        &e,
        r##"<rect width="1122" height="793" fill="#fff"/>
        <rect x="900" y="600" width="120" height="100" fill="#1C2B4A" stroke="red" rx="9"
              opacity="0.9" transform="translate(5,6)" data-qr="{{certificate.url}}"/>"##,
    );
    assert_eq!(t.fields(), ["certificate.url"]);
    let out = e
        .render(
            &t,
            &json!({"certificate": {"url": URL}}),
            &RenderOptions::default(),
        )
        .unwrap();
    let preview = &out.preview_svg;
    assert!(!preview.contains("<rect"), "the rect itself is not drawn");
    let p = paths(preview);
    assert_eq!(p.len(), 1, "{preview}");
    let path = p[0];
    assert!(
        path.contains("fill=\"#1c2b4a\"") || path.contains("fill=\"#1C2B4A\""),
        "{path}"
    );
    assert!(path.contains("shape-rendering=\"crispEdges\""), "{path}");
    assert!(
        !path.contains("stroke=\"#ff0000\"") && !preview.contains("red"),
        "stroke is dropped: {}",
        &path[..80]
    );
    // The rect's opacity and transform are kept (usvg may move them to a group).
    assert!(preview.contains("opacity=\"0.9\""), "{preview}");
    assert!(preview.contains("matrix(1 0 0 1 5 6)"), "{preview}");
    // A version 4 code (33 modules) at level M: far fewer runs than modules.
    let runs = subpaths(path);
    assert!((100..600).contains(&runs), "{runs} subpaths");
    // The background static layer does not have it.
    assert!(!e.static_preview_svg(&t).unwrap().contains("crispEdges"));
    // Vector only: the PDF has no image at all.
    assert!(!has_image(&out.pdf), "the PDF has an image XObject");
}

#[test]
fn the_code_is_a_centred_square_of_the_shorter_side() {
    let e = engine();
    // 21 modules (version 1) over 42 units, centred in a 100 × 42 box: x from 29 to 71.
    let t = compiled(
        &e,
        r#"<rect x="0" y="10" width="100" height="42" data-qr="{{code}}" data-qr-ec="L"/>"#,
    );
    let out = e
        .render(&t, &json!({"code": "HELLO"}), &RenderOptions::default())
        .unwrap();
    let path = paths(&out.preview_svg)[0].to_string();
    // The finder pattern's top row is the first run: 7 modules of 2 units from (29, 10).
    let d = path.split(" d=\"").nth(1).unwrap();
    assert!(
        d.starts_with("M 29 10 L 43 10 L 43 12 L 29 12 Z"),
        "{}",
        &d[..60.min(d.len())]
    );
    // With a quiet zone of 2 modules: 25 modules over 42 units, the code starts 2 modules in.
    let t = compiled(
        &e,
        r#"<rect x="0" y="10" width="100" height="42" data-qr="HELLO" data-qr-ec="L" data-qr-quiet-zone="2"/>"#,
    );
    let bg = e.static_preview_svg(&t).unwrap();
    let d = paths(&bg)[0].split(" d=\"").nth(1).unwrap().to_string();
    assert!(d.starts_with("M 32.36 13.36 L 44.12 13.36"), "{}", &d[..60]);
}

#[test]
fn a_static_code_is_drawn_once_with_the_artwork() {
    let e = engine();
    let t = compiled(
        &e,
        r##"<text x="10" y="30" font-size="20">{{name}}</text>
        <rect x="10" y="40" width="80" height="80" fill="#333" data-qr="https://certforge.dev/"/>"##,
    );
    assert_eq!(t.fields(), ["name"]);
    let bg = e.static_preview_svg(&t).unwrap();
    assert_eq!(
        paths(&bg)
            .iter()
            .filter(|p| p.contains("crispEdges"))
            .count(),
        1,
        "{bg}"
    );
    let out = e
        .render(&t, &json!({"name": "Ada"}), &RenderOptions::default())
        .unwrap();
    assert!(!out.preview_svg.contains("crispEdges"));
    assert!(!has_image(&out.pdf));
    // The check does see an image (a 2×2 PNG) when there is one.
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==";
    let t = compiled(
        &e,
        &format!(
            r#"<text x="10" y="30">{{{{name}}}}</text><image width="64" height="64" href="data:image/png;base64,{png}"/>"#
        ),
    );
    let out = e
        .render(&t, &json!({"name": "Ada"}), &RenderOptions::default())
        .unwrap();
    assert!(has_image(&out.pdf));
}

#[test]
fn error_correction_levels_give_larger_codes() {
    let e = engine();
    let runs: Vec<usize> = ["L", "M", "Q", "H"]
        .iter()
        .map(|ec| {
            let t = compiled(
                &e,
                &format!(r#"<rect width="200" height="200" data-qr="{URL}" data-qr-ec="{ec}"/>"#),
            );
            let bg = e.static_preview_svg(&t).unwrap();
            subpaths(paths(&bg)[0])
        })
        .collect();
    assert!(runs[0] < runs[3], "{runs:?}");
    // The default is M.
    let t = compiled(
        &e,
        &format!(r#"<rect width="200" height="200" data-qr="{URL}"/>"#),
    );
    assert_eq!(
        subpaths(paths(&e.static_preview_svg(&t).unwrap())[0]),
        runs[1]
    );
}

#[test]
fn placeholders_in_attributes_and_an_empty_value() {
    let e = engine();
    let t = compiled(
        &e,
        r#"<rect width="100" height="100" fill="{{color | #000}}" data-qr="{{url | }}"/>"#,
    );
    assert_eq!(t.fields(), ["url", "color"]);
    let out = e
        .render(
            &t,
            &json!({"url": URL, "color": "#123456"}),
            &RenderOptions::default(),
        )
        .unwrap();
    assert!(out.preview_svg.contains("#123456"), "{}", out.preview_svg);
    // {{url | }} with no value: no code at all.
    let out = e.render(&t, &json!({}), &RenderOptions::default()).unwrap();
    assert!(paths(&out.preview_svg).is_empty(), "{}", out.preview_svg);
}

#[test]
fn missing_values_are_missing_fields() {
    let e = engine();
    let t = compiled(
        &e,
        r#"<text x="1" y="20">{{name}}</text><rect width="100" height="100" data-qr="{{certificate.url}}"/>"#,
    );
    let err = e
        .render(&t, &json!({}), &RenderOptions::default())
        .unwrap_err();
    assert_eq!(err.code(), "MISSING_FIELD");
    assert_eq!(err.details()["fields"], json!(["name", "certificate.url"]));
}

#[test]
fn too_much_data_is_a_limit() {
    let e = engine();
    let t = compiled(
        &e,
        r#"<rect width="100" height="100" data-qr="{{certificate.url}}" data-qr-ec="H"/>"#,
    );
    let long = format!("https://verify.example/{}", "x".repeat(1300));
    let err = e
        .render(
            &t,
            &json!({"certificate": {"url": long}}),
            &RenderOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "LIMIT_EXCEEDED", "{err}");
    assert_eq!(err.details()["limit"], 1273);
    assert_eq!(err.details()["actual"], long.len());
    // A static text that is too long fails when the template is compiled.
    let err = compile_err(
        &e,
        &format!(
            r#"<rect width="100" height="100" data-qr="{}" data-qr-ec="H"/>"#,
            "y".repeat(1274)
        ),
    );
    assert_eq!(err.code(), "LIMIT_EXCEEDED");
    assert!(err.to_string().contains("static QR code text"), "{err}");
}

#[test]
fn the_number_of_codes_is_bounded() {
    let e = engine();
    let rect = r#"<rect width="9" height="9" data-qr="{{u}}"/>"#;
    compiled(&e, &rect.repeat(16));
    let err = compile_err(&e, &rect.repeat(17));
    assert_eq!(err.code(), "LIMIT_EXCEEDED");
    assert_eq!(err.details()["limit"], 16);
}

#[test]
fn invalid_qr_templates() {
    let e = engine();
    for (body, needle) in [
        (
            r#"<text x="1" y="2" data-qr="{{url}}">x</text>"#,
            "<rect> only",
        ),
        (r#"<circle r="5" data-qr="{{url}}"/>"#, "<rect> only"),
        (
            r#"<g data-qr="x"><rect width="9" height="9"/></g>"#,
            "<rect> only",
        ),
        (
            r#"<rect width="9" height="9" data-qr-ec="H"/>"#,
            "needs data-qr",
        ),
        (
            r#"<defs><rect id="r" width="9" height="9" data-qr="x"/></defs>"#,
            "<defs>",
        ),
        (r#"<rect width="0" height="9" data-qr="x"/>"#, "positive"),
        (r#"<rect width="-9" height="9" data-qr="x"/>"#, "positive"),
        (r#"<rect height="9" data-qr="x"/>"#, "positive"),
        (r#"<rect width="10%" height="9" data-qr="x"/>"#, "length"),
        (
            r#"<rect width="{{w}}" height="9" data-qr="x"/>"#,
            "placeholders",
        ),
        (
            r#"<rect width="9" height="9" data-qr="x" data-qr-ec="X"/>"#,
            "error correction",
        ),
        (
            r#"<rect width="9" height="9" data-qr="x" data-qr-ec="{{ec}}"/>"#,
            "placeholders",
        ),
        (
            r#"<rect width="9" height="9" data-qr="x" data-qr-quiet-zone="99"/>"#,
            "quiet-zone",
        ),
        (
            r#"<rect width="9" height="9" data-qr="{{a b}}"/>"#,
            "placeholder",
        ),
    ] {
        let err = compile_err(&e, body);
        assert_eq!(err.code(), "TEMPLATE_INVALID", "{body}: {err}");
        assert!(err.to_string().contains(needle), "{body}: {err}");
    }
    // An external reference in a kept attribute is still refused.
    let err = compile_err(
        &e,
        r#"<rect width="9" height="9" fill="url(http://x/y#g)" data-qr="x"/>"#,
    );
    assert_eq!(err.code(), "EXTERNAL_REFERENCE");
}

#[test]
fn a_qr_code_in_millimetres_inside_a_group() {
    let e = engine();
    let t = compiled(
        &e,
        r##"<g transform="translate(100,100)"><rect x="0" y="0" width="22mm" height="22mm" fill="#000" data-qr="{{u}}"/></g>"##,
    );
    let out = e
        .render(&t, &json!({"u": URL}), &RenderOptions::default())
        .unwrap();
    assert!(out.preview_svg.contains("crispEdges"));
    assert_eq!(paths(&out.preview_svg).len(), 1);
}
