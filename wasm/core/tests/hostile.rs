//! Hostile templates and data: each gets its typed error, quickly, and the
//! engine keeps working afterwards.
mod common;

use std::time::{Duration, Instant};

use certforge_core::{CompileOptions, Engine, RenderOptions};
use common::{compiled, engine, template};
use serde_json::json;

fn compile_code(e: &Engine, svg: &[u8]) -> &'static str {
    let started = Instant::now();
    let code = match e.compile(svg, &CompileOptions::default()) {
        Ok(_) => "OK",
        Err(err) => err.code(),
    };
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    code
}

fn still_works(e: &Engine) {
    let t = compiled(e, r#"<text x="1" y="40">{{name}}</text>"#);
    assert!(e
        .render(
            &t,
            &json!({"name": "Still fine"}),
            &RenderOptions::default()
        )
        .is_ok());
}

#[test]
fn hostile_templates() {
    let e = engine();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("http image", template(r#"<image href="http://example.com/a.png" width="1" height="1"/>"#).into_bytes(), "EXTERNAL_REFERENCE"),
        ("file image", template(r#"<image href="file:///etc/passwd" width="1" height="1"/>"#).into_bytes(), "EXTERNAL_REFERENCE"),
        ("relative use", template(r#"<use href="defs.svg#logo"/>"#).into_bytes(), "EXTERNAL_REFERENCE"),
        ("css import", template(r#"<style>@import url("https://fonts.example/x.css");</style>"#).into_bytes(), "EXTERNAL_REFERENCE"),
        ("external entity", br#"<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>"#.to_vec(), "EXTERNAL_REFERENCE"),
        ("entity bomb", format!(r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "{}">{}]><svg xmlns="http://www.w3.org/2000/svg"><text>&j;</text></svg>"#,
            "lol".repeat(10),
            (b'b'..=b'j').map(|c| { let p = (c - 1) as char; format!(r#"<!ENTITY {} "{}">"#, c as char, format!("&{p};").repeat(10)) }).collect::<String>()).into_bytes(), "LIMIT_EXCEEDED"),
        ("wide entity fan-out", format!(r#"<!DOCTYPE svg [<!ENTITY a "{}">]><svg xmlns="http://www.w3.org/2000/svg"><text>{}</text></svg>"#, "x".repeat(100_000), "&a;".repeat(200)).into_bytes(), "LIMIT_EXCEEDED"),
        ("1e9 px page", br#"<svg xmlns="http://www.w3.org/2000/svg" width="1000000000" height="1000000000"><rect width="10" height="10"/></svg>"#.to_vec(), "LIMIT_EXCEEDED"),
        ("deep nesting", format!(r#"<svg xmlns="http://www.w3.org/2000/svg">{}{}</svg>"#, "<g>".repeat(50_000), "</g>".repeat(50_000)).into_bytes(), "LIMIT_EXCEEDED"),
        ("too many elements", template(&"<rect/>".repeat(25_000)).into_bytes(), "LIMIT_EXCEEDED"),
        ("invalid utf-8", { let mut v = template("<text>").into_bytes(); v.extend_from_slice(&[0xC3, 0x28]); v }, "TEMPLATE_PARSE"),
        ("not xml", b"{\"this is\": \"json\"}".to_vec(), "TEMPLATE_PARSE"),
        ("unclosed", br#"<svg xmlns="http://www.w3.org/2000/svg"><g>"#.to_vec(), "TEMPLATE_PARSE"),
        ("html", b"<html><body/></html>".to_vec(), "TEMPLATE_INVALID"),
        ("no size", br#"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>"#.to_vec(), "TEMPLATE_INVALID"),
        ("foreignObject", template("<foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject>").into_bytes(), "UNSUPPORTED_CONTENT"),
        ("broken svg image", template(r#"<image href="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciPjxnPg==" width="1" height="1"/>"#).into_bytes(), "TEMPLATE_INVALID"),
        ("huge image", { // a PNG header claiming 100000×100000 pixels
            let mut png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];
            png.extend_from_slice(&100_000u32.to_be_bytes()); png.extend_from_slice(&100_000u32.to_be_bytes());
            png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
            use base64::Engine as _;
            template(&format!(r#"<image href="data:image/png;base64,{}" width="1" height="1"/>"#, base64::engine::general_purpose::STANDARD.encode(png))).into_bytes()
        }, "LIMIT_EXCEEDED"),
        ("template over 10 MB", template(&format!("<!-- {} -->", "x".repeat(11 * 1024 * 1024))).into_bytes(), "LIMIT_EXCEEDED"),
        ("placeholder in defs", template(r#"<defs><linearGradient id="g"><stop stop-color="{{c}}"/></linearGradient></defs>"#).into_bytes(), "TEMPLATE_INVALID"),
        ("placeholder in href", template(r##"<use href="#{{id}}"/>"##).into_bytes(), "TEMPLATE_INVALID"),
    ];
    for (what, svg, code) in cases {
        assert_eq!(compile_code(&e, &svg), code, "{what}");
    }
    still_works(&e);
}

#[test]
fn hostile_data() {
    let e = engine();
    let t = compiled(
        &e,
        r#"<text x="1" y="40" data-fit-width="500">{{name}}</text>"#,
    );
    let ten_mb = "A".repeat(10 * 1024 * 1024);
    for (what, data, code) in [
        ("10 MB name", json!({"name": ten_mb}), "LIMIT_EXCEEDED"),
        ("not an object", json!(["name"]), "INVALID_DATA"),
        (
            "object as text",
            json!({"name": {"first": "A"}}),
            "INVALID_DATA",
        ),
        ("missing", json!({}), "MISSING_FIELD"),
        ("blank", json!({"name": "   "}), "MISSING_FIELD"),
        (
            "unknown script",
            json!({"name": "ሰላም"}),
            "FONT_MISSING_GLYPHS",
        ),
    ] {
        let started = Instant::now();
        let err = e.render(&t, &data, &RenderOptions::default()).unwrap_err();
        assert_eq!(err.code(), code, "{what}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    // Markup in data is text, not markup.
    let out = e
        .render(
            &t,
            &json!({"name": "<script>alert(1)</script> & \"Bob\""}),
            &RenderOptions::default(),
        )
        .unwrap();
    assert!(out.pdf.starts_with(b"%PDF"));
    still_works(&e);
}

#[test]
fn external_references_can_be_dropped_instead() {
    let e = engine();
    let svg = template(
        r#"<image href="https://example.com/logo.png" width="10" height="10"/><text x="1" y="40">{{name}}</text>"#,
    );
    let o = CompileOptions {
        external_references: certforge_core::ExternalReferences::Drop,
        ..CompileOptions::default()
    };
    let t = e.compile(svg.as_bytes(), &o).unwrap();
    assert_eq!(t.warnings()[0].code, "EXTERNAL_REFERENCE_DROPPED");
}
