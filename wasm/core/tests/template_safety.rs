//! Template safety (issue 9): every limit holds for every spelling of the input,
//! in bounded time, and one template's fonts never reach another template.
mod common;

use std::time::{Duration, Instant};

use base64::Engine as _;
use certforge_core::{CompileOptions, Engine, RenderOptions};
use common::{compiled, engine, font_dir, template};

/// A PNG header claiming `w` × `h` pixels, padded like a small real file.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut v = common::png_header(w, h);
    v.extend(std::iter::repeat_n(0u8, 12_000));
    v
}
use serde_json::json;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn code_of(e: &Engine, svg: &[u8]) -> String {
    let started = Instant::now();
    let code = match e.compile(svg, &CompileOptions::default()) {
        Ok(t) => match e.render(&t, &json!({"name": "x"}), &RenderOptions::default()) {
            Ok(_) => "OK".to_string(),
            Err(err) => err.code().to_string(),
        },
        Err(err) => err.code().to_string(),
    };
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    code
}

fn entity_bomb_svg() -> String {
    let inner = format!(
        r#"<!DOCTYPE svg [<!ENTITY a "{}"><!ENTITY b "{}">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>{}</text></svg>"#,
        "A".repeat(1000),
        "&a;".repeat(1000),
        "&b;".repeat(100)
    );
    inner
}

/// An SVG image goes through the template's checks: an entity bomb inside one is refused in
/// every spelling of its data: URL, in `<image>` and `<feImage>`.
#[test]
fn svg_images_are_checked_in_every_spelling() {
    let e = engine();
    let svg = entity_bomb_svg();
    let pct: String = svg.bytes().map(|b| format!("%{b:02X}")).collect();
    let hrefs = [
        format!("data:image/svg+xml;base64,{}", b64(svg.as_bytes())),
        format!("data:image/SVG+XML;base64,{}", b64(svg.as_bytes())),
        format!("data:text/plain;base64,{}", b64(svg.as_bytes())),
        format!("data:;base64,{}", b64(svg.as_bytes())),
        format!("data:;BASE64,{}", b64(svg.as_bytes())),
        format!("DATA:image/svg+xml; base64,{}", b64(svg.as_bytes())),
        format!("data:,{pct}"),
        format!("data:image/png,{pct}"),
        format!(
            "  data:application/octet-stream;base64,{}",
            b64(svg.as_bytes())
        ),
    ];
    for href in &hrefs {
        for element in ["image", "feImage"] {
            let body = if element == "image" {
                format!(r#"<image href="{href}" width="10" height="10"/>"#)
            } else {
                format!(
                    r#"<filter id="f"><feImage href="{href}"/></filter><rect width="10" height="10" filter="url(#f)"/>"#
                )
            };
            let code = code_of(&e, template(&body).as_bytes());
            assert_eq!(
                code,
                "LIMIT_EXCEEDED",
                "{element} {}",
                &href[..40.min(href.len())]
            );
        }
    }
}

/// A logo as an SVG image is drawn (as vector shapes); an SVG image inside it is refused.
#[test]
fn svg_images_draw_and_do_not_nest() {
    let e = engine();
    let logo = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#ff9900"/></svg>"##;
    let body = format!(
        r#"<image href="data:image/svg+xml;base64,{}" x="10" y="10" width="50" height="50"/><text x="10" y="100">{{{{name}}}}</text>"#,
        b64(logo.as_bytes())
    );
    let t = e
        .compile(template(&body).as_bytes(), &CompileOptions::default())
        .unwrap();
    let pdf = e
        .render(&t, &json!({"name": "Ada"}), &RenderOptions::default())
        .unwrap()
        .pdf;
    // The logo's orange (1 0.6 0 rg) is in the page's vector content, not a raster.
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        !text.contains("/Subtype /Image"),
        "the SVG image became a raster"
    );
    let inner = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><image href="data:image/svg+xml;base64,{}" width="10" height="10"/></svg>"#,
        b64(logo.as_bytes())
    );
    let nested = format!(
        r#"<image href="data:image/svg+xml;base64,{}" width="50" height="50"/>"#,
        b64(inner.as_bytes())
    );
    assert_eq!(
        code_of(&e, template(&nested).as_bytes()),
        "UNSUPPORTED_CONTENT"
    );
}

#[test]
fn dtd_scans_parse_quoted_values() {
    let e = engine();
    let tricky = format!(
        r#"<!DOCTYPE svg [<!ENTITY a ">{}"><!ENTITY b ">{}">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>{}</text></svg>"#,
        "A".repeat(1000),
        "&a;".repeat(100),
        "&b;".repeat(2000)
    );
    assert_eq!(code_of(&e, tricky.as_bytes()), "LIMIT_EXCEEDED");
    // Entities that expand to markup (deep nesting hidden from the depth limit).
    let markup = format!(
        r#"<!DOCTYPE svg [<!ENTITY g "{}{}">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">&g;</svg>"#,
        "<g>".repeat(20_000),
        "</g>".repeat(20_000)
    );
    assert_eq!(code_of(&e, markup.as_bytes()), "UNSUPPORTED_CONTENT");
    // Markup through character references in the value.
    let charref = r#"<!DOCTYPE svg [<!ENTITY g "&#60;g>">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">&g;</svg>"#;
    assert_eq!(code_of(&e, charref.as_bytes()), "LIMIT_EXCEEDED");
    for (what, decl) in [
        ("attlist", r#"<!ATTLIST svg foo CDATA "x>y">"#),
        ("element", "<!ELEMENT svg ANY>"),
        ("parameter entity", r#"<!ENTITY % p "x">"#),
        ("pe reference", r#"<!ENTITY a "x"> %a;"#),
    ] {
        let svg = format!(
            r#"<!DOCTYPE svg [{decl}]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#
        );
        let code = code_of(&e, svg.as_bytes());
        assert!(
            code == "UNSUPPORTED_CONTENT" || code == "TEMPLATE_PARSE",
            "{what}: {code}"
        );
    }
    // Illustrator's namespace entities stay fine.
    let illustrator = r#"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [
	<!ENTITY ns_svg "http://www.w3.org/2000/svg">
	<!ENTITY ns_xlink "http://www.w3.org/1999/xlink">
	<!-- a comment -->
]><svg xmlns="&ns_svg;" xmlns:xlink="&ns_xlink;" width="100" height="50"><text x="5" y="30">{{name}}</text></svg>"#;
    assert_eq!(code_of(&e, illustrator.as_bytes()), "OK");
}

#[test]
fn pixel_limit_holds_for_every_spelling_and_element() {
    let e = engine();
    let png = png_header(10_000, 10_000);
    let pct: String = png.iter().map(|b| format!("%{b:02X}")).collect();
    for href in [
        format!("data:image/png;base64,{}", b64(&png)),
        format!("data:image/png;BASE64,{}", b64(&png)),
        format!("data:image/png; base64,{}", b64(&png)),
        format!("data:image/png,{pct}"),
        format!("data:;base64,{}", b64(&png)),
        format!("data:image/jpeg;base64,{}", b64(&png)),
    ] {
        let image = template(&format!(r#"<image href="{href}" width="10" height="10"/>"#));
        assert_eq!(code_of(&e, image.as_bytes()), "LIMIT_EXCEEDED");
        let fe = template(&format!(
            r#"<filter id="f"><feImage href="{href}"/></filter><rect width="10" height="10" filter="url(#f)"/>"#
        ));
        assert_eq!(code_of(&e, fe.as_bytes()), "LIMIT_EXCEEDED");
    }
    // Many images under the per-image limit: bounded in total.
    let one = b64(&png_header(4000, 4000));
    let many: String = (0..8)
        .map(|_| format!(r#"<image href="data:image/png;base64,{one}" width="10" height="10"/>"#))
        .collect();
    assert_eq!(code_of(&e, template(&many).as_bytes()), "LIMIT_EXCEEDED");
}

#[test]
fn page_aspect_and_raster_cost_are_bounded() {
    let e = engine();
    let tall = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10mm" height="2000mm"><text x="1" y="10">{{name}}</text></svg>"#;
    assert_eq!(code_of(&e, tall.as_bytes()), "LIMIT_EXCEEDED");
    // Nested opacity groups over a huge area: resvg would hold one layer per level.
    let nested = format!(
        "{}<rect x=\"-50000\" y=\"-50000\" width=\"100000\" height=\"100000\"/>{}",
        "<g opacity=\"0.9\">".repeat(40),
        "</g>".repeat(40)
    );
    assert_eq!(code_of(&e, template(&nested).as_bytes()), "LIMIT_EXCEEDED");
    // Too many filtered elements, and filters with too many primitives.
    let filtered: String = (0..100)
        .map(|i| format!(r#"<rect x="{i}" width="5" height="5" filter="url(#b)"/>"#))
        .collect();
    let body = format!(r#"<filter id="b"><feGaussianBlur stdDeviation="2"/></filter>{filtered}"#);
    assert_eq!(code_of(&e, template(&body).as_bytes()), "LIMIT_EXCEEDED");
    let prims = "<feOffset dx=\"1\"/>".repeat(40);
    let body = format!(
        r#"<filter id="p">{prims}</filter><rect width="50" height="50" filter="url(#p)"/>"#
    );
    assert_eq!(code_of(&e, template(&body).as_bytes()), "LIMIT_EXCEEDED");
    // Found by the fuzzer: a primitive subregion of 1e12 overflowed a rasteriser's integer rect.
    let huge_primitive = r#"<filter id="f"><feGaussianBlur width="1e12" stdDeviation="3"/></filter><rect width="300" height="200" filter="url(#f)"/>"#;
    assert_eq!(
        code_of(&e, template(huge_primitive).as_bytes()),
        "LIMIT_EXCEEDED"
    );
    let huge_transform =
        r#"<g transform="scale(1e9)"><rect width="300" height="200" opacity="0.5"/></g>"#;
    assert_eq!(
        code_of(&e, template(huge_transform).as_bytes()),
        "LIMIT_EXCEEDED"
    );
    // A blurred full page compiles (the PDF raster is bounded in pixels) in bounded time.
    let page_blur = r#"<filter id="f"><feGaussianBlur stdDeviation="30"/></filter><rect width="1122" height="793" fill="teal" filter="url(#f)"/><text x="10" y="50">{{name}}</text>"#;
    assert_eq!(code_of(&e, template(page_blur).as_bytes()), "OK");
}

#[test]
fn entity_expanding_to_markup_never_traps_the_walker() {
    let e = engine();
    let deep = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}{}</svg>"#,
        "<g>".repeat(65),
        "</g>".repeat(65)
    );
    assert_eq!(code_of(&e, deep.as_bytes()), "LIMIT_EXCEEDED");
    still_fine(&e);
}

fn still_fine(e: &Engine) {
    let t = compiled(e, r#"<text x="1" y="40">{{name}}</text>"#);
    assert!(e
        .render(&t, &json!({"name": "Fine"}), &RenderOptions::default())
        .is_ok());
}

fn font(pkg: &str, file: &str) -> Vec<u8> {
    std::fs::read(font_dir(pkg).join(file)).unwrap()
}

#[test]
fn a_templates_fonts_are_visible_to_it_only() {
    let e = engine();
    let svg = template(
        r#"<text x="10" y="100" font-family="Noto Sans" font-style="italic" font-size="40">{{name}}</text>"#,
    );
    // The engine has no italic Noto Sans; the second template brings one.
    let own = font("fonts-latin", "NotoSans-Italic.ttf");
    let before = e
        .compile(svg.as_bytes(), &CompileOptions::default())
        .unwrap();
    let a = e
        .render(&before, &json!({"name": "Ada"}), &RenderOptions::default())
        .unwrap();
    let with_own = e
        .compile_with_fonts(svg.as_bytes(), vec![own], &CompileOptions::default())
        .unwrap();
    let own_pdf = e
        .render(
            &with_own,
            &json!({"name": "Ada"}),
            &RenderOptions::default(),
        )
        .unwrap();
    assert_ne!(
        own_pdf.pdf, a.pdf,
        "the template's own italic font was not used"
    );
    let after = e
        .compile(svg.as_bytes(), &CompileOptions::default())
        .unwrap();
    let b = e
        .render(&after, &json!({"name": "Ada"}), &RenderOptions::default())
        .unwrap();
    assert_eq!(
        a.pdf, b.pdf,
        "another template's font changed this template's PDF"
    );
    assert_eq!(e.fonts().len(), 7, "the engine's font set grew");
}

#[test]
fn template_fonts_are_capped() {
    // 32 files and 64 MiB: a family's 18 weights or three CJK faces fit (the TypeScript side
    // passes the fonts a template names first, functions/src/render/font-names.ts).
    let e = engine();
    let svg = template(r#"<text x="10" y="100">{{name}}</text>"#);
    let f = font("fonts-latin", "NotoSans-Regular.ttf");
    let err = e
        .compile_with_fonts(
            svg.as_bytes(),
            vec![f.clone(); 33],
            &CompileOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "LIMIT_EXCEEDED");
    let big = vec![0u8; 65 * 1024 * 1024];
    let err = e
        .compile_with_fonts(svg.as_bytes(), vec![big], &CompileOptions::default())
        .unwrap_err();
    assert_eq!(err.code(), "LIMIT_EXCEEDED");
}
