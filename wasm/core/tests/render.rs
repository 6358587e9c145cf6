mod common;

use certforge_core::{CompileOptions, RenderOptions};
use common::{engine, template};
use serde_json::json;

#[test]
fn renders_a_simple_certificate() {
    let e = engine();
    let svg = template(r##"<rect width="1122" height="793" fill="#f5f0e6"/>
        <text x="561" y="200" text-anchor="middle" font-family="Noto Sans" font-size="40">Certificate</text>
        <text x="561" y="400" text-anchor="middle" font-family="Noto Sans" font-weight="bold" font-size="56" data-fit-width="800">{{name}}</text>"##);
    let t = e.compile(svg.as_bytes(), &CompileOptions::default()).unwrap();
    let out = e.render(&t, &json!({"name": std::env::var("CF_NAME").unwrap_or("Ada Lovelace".into())}), &RenderOptions::default()).unwrap();
    assert!(out.pdf.starts_with(b"%PDF-"));
    assert!((out.page.width - 841.9).abs() < 0.5, "{:?}", out.page);
    std::fs::write(std::env::temp_dir().join("cf-simple.pdf"), &out.pdf).unwrap();
    std::fs::write(std::env::temp_dir().join("cf-simple.svg"), &out.preview_svg).unwrap();
}
