//! End-to-end renders with the real bundled fonts.
mod common;

use certforge_core::{Attachment, CompileOptions, Engine, FontUse, Relationship, RenderOptions};
use common::{compiled, engine, font_dir, inflated, template};
use serde_json::json;

const NAME_TEMPLATE: &str = r##"<rect width="1122" height="793" fill="#f5f0e6"/>
    <text x="561" y="200" text-anchor="middle" font-family="Noto Sans" font-size="40">Certificate</text>
    <text x="561" y="400" text-anchor="middle" font-family="Noto Sans" font-weight="bold" font-size="56" data-fit-width="800" data-fit-min-size="20" data-fit-lines="2">{{name}}</text>"##;

#[test]
fn renders_a_vector_pdf_and_a_text_free_preview() {
    let e = engine();
    let t = compiled(&e, NAME_TEMPLATE);
    assert_eq!(t.fields(), ["name"]);
    let out = e
        .render(
            &t,
            &json!({"name": "Ada Lovelace"}),
            &RenderOptions::default(),
        )
        .unwrap();
    assert!(out.pdf.starts_with(b"%PDF-"));
    assert!(
        (out.page.width - 841.89).abs() < 0.5 && (out.page.height - 595.28).abs() < 0.5,
        "{:?}",
        out.page
    );
    // The preview layers have the text as paths only.
    let background = e.static_preview_svg(&t).unwrap();
    assert!(
        !out.preview_svg.contains("<text") && !background.contains("<text"),
        "preview must not need fonts"
    );
    assert!(out.preview_svg.contains("<path") && background.contains("<path"));
    assert!(out.preview_svg.starts_with("<svg") && background.starts_with("<svg"));
    assert_eq!(out.fields.len(), 1);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

#[test]
fn same_input_gives_identical_bytes() {
    let e = engine();
    let t = compiled(&e, NAME_TEMPLATE);
    let data = json!({"name": "Zażółć Gęślą-Jaźń محمد 李小龍"});
    let a = e.render(&t, &data, &RenderOptions::default()).unwrap();
    let b = e.render(&t, &data, &RenderOptions::default()).unwrap();
    assert_eq!(a.pdf, b.pdf);
    assert_eq!(a.preview_svg, b.preview_svg);
    // A second, separately compiled template gives the same bytes too.
    let t2 = compiled(&e, NAME_TEMPLATE);
    assert_eq!(
        e.render(&t2, &data, &RenderOptions::default()).unwrap().pdf,
        a.pdf
    );
}

#[test]
fn a_layout_kept_from_an_earlier_certificate_gives_the_same_bytes_and_warnings() {
    // The fitted date is laid out once per template (ManagedMemo); the name changes. Each
    // certificate must be what a fresh template gives it, warnings included, whatever the
    // template rendered before, with and without a preview.
    let body = r##"<text x="561" y="300" font-family="Noto Sans" font-size="56" data-fit-width="300" data-fit-min-size="50">{{name}}</text>
    <text x="561" y="500" font-family="Noto Sans" font-size="26" data-fit-width="600" data-fit-min-size="14">{{date}}</text>"##;
    let e = engine();
    let kept = compiled(&e, body);
    let names = [
        "Ada Lovelace",
        "Grzegorz Brzęczyszczykiewicz",
        "محمد بن عبد الله",
        "Ada Lovelace",
    ];
    for (i, name) in names.iter().enumerate() {
        let data = json!({"name": name, "date": "12 March 2026"});
        let options = RenderOptions {
            preview: i % 2 == 1,
            ..RenderOptions::default()
        };
        let again = e.render(&kept, &data, &options).unwrap();
        let fresh = e.render(&compiled(&e, body), &data, &options).unwrap();
        assert_eq!(again.pdf, fresh.pdf, "{name}");
        assert_eq!(again.preview_svg, fresh.preview_svg, "{name}");
        assert_eq!(
            format!("{:?}", again.warnings),
            format!("{:?}", fresh.warnings),
            "{name}"
        );
        assert_eq!(
            format!("{:?}", again.fields),
            format!("{:?}", fresh.fields),
            "{name}"
        );
    }
    // The long name is below its minimum size: the warning comes with every render of it.
    let long = json!({"name": "Grzegorz Brzęczyszczykiewicz", "date": "12 March 2026"});
    for _ in 0..2 {
        let out = e.render(&kept, &long, &RenderOptions::default()).unwrap();
        assert!(
            out.warnings.iter().any(|w| w.code == "FIT_BELOW_MIN_SIZE"),
            "{:?}",
            out.warnings
        );
    }
}

#[test]
fn a_field_without_outlines_draws_the_same_pdf_as_with_them() {
    // A plain field skips usvg's glyph outlines unless something may use them: the PDF is the
    // same either way. Here a preview asks for them on the same certificate.
    let e = engine();
    let t = compiled(&e, NAME_TEMPLATE);
    for name in ["Ada Lovelace", "Zażółć Gęślą-Jaźń", "דוד לוי"] {
        let data = json!({"name": name});
        let without = RenderOptions {
            preview: false,
            ..RenderOptions::default()
        };
        let a = e.render(&t, &data, &without).unwrap();
        let b = e.render(&t, &data, &RenderOptions::default()).unwrap();
        assert_eq!(a.pdf, b.pdf, "{name}");
        assert!(a.preview_svg.is_empty() && b.preview_svg.contains("<path"));
    }
}

#[test]
fn a_120_character_name_is_shrunk_and_wrapped_into_its_box() {
    let e = engine();
    let t = compiled(&e, NAME_TEMPLATE);
    let name = "Maria Fernanda de los Ángeles Guadalupe Rodríguez-Villanueva y Santamaría de Alburquerque Montenegro Castellanos Ibáñez";
    assert!(name.chars().count() >= 115);
    let out = e
        .render(&t, &json!({ "name": name }), &RenderOptions::default())
        .unwrap();
    let f = &out.fields[0];
    assert!(
        f.width <= 800.0 + 0.01,
        "shaped width {} exceeds the box",
        f.width
    );
    assert!(f.font_size < 56.0);
    assert_eq!(f.lines, 2, "{f:?}");
    // And a short name keeps its designed size.
    let short = e
        .render(&t, &json!({"name": "Ada"}), &RenderOptions::default())
        .unwrap();
    assert_eq!(short.fields[0].font_size, 56.0);
    assert_eq!(short.fields[0].lines, 1);
}

#[test]
fn too_long_for_the_minimum_size_still_fits_with_a_warning() {
    let e = engine();
    let svg = template(
        r#"<text x="10" y="100" font-size="40" data-fit-width="200" data-fit-min-size="30">{{name}}</text>"#,
    );
    let t = e
        .compile(svg.as_bytes(), &CompileOptions::default())
        .unwrap();
    let out = e
        .render(
            &t,
            &json!({"name": "Bartholomew Featherstonehaugh"}),
            &RenderOptions::default(),
        )
        .unwrap();
    assert!(out.fields[0].width <= 200.01);
    assert!(out.fields[0].font_size < 30.0);
    assert_eq!(out.warnings[0].code, "FIT_BELOW_MIN_SIZE");
}

#[test]
fn every_script_renders() {
    let e = engine();
    let t = compiled(&e, NAME_TEMPLATE);
    for name in [
        "Nguyễn Thị Minh Khai",
        "Grzegorz Brzęczyszczykiewicz",
        "Şükrü Öztürk",
        "Ελένη Παπαδοπούλου",
        "Анна Ковальчук",
        "محمد بن عبد الله",
        "דוד לוי",
        "李小龍",
        "山田 太郎",
        "김민준",
        "محمد Smith",
        "דוד Levi 2026",
    ] {
        let out = e
            .render(&t, &json!({ "name": name }), &RenderOptions::default())
            .unwrap();
        assert!(out.pdf.len() > 1000, "{name}");
    }
}

#[test]
fn missing_fields_are_all_named_and_defaults_apply() {
    let e = engine();
    let t = compiled(
        &e,
        r#"<text x="1" y="50">{{name}} {{event.name}} {{talk.title | Keynote}}</text>"#,
    );
    let err = e
        .render(&t, &json!({"event": {}}), &RenderOptions::default())
        .unwrap_err();
    assert_eq!(err.code(), "MISSING_FIELD");
    assert_eq!(err.details()["fields"], json!(["name", "event.name"]));
    assert!(e
        .render(
            &t,
            &json!({"name": "A", "event": {"name": "B"}}),
            &RenderOptions::default()
        )
        .is_ok());
}

#[test]
fn characters_no_font_has_are_an_error_not_tofu() {
    let e = engine();
    let t = compiled(&e, NAME_TEMPLATE);
    // Ethiopic and Linear B: no bundled font has them.
    let err = e
        .render(&t, &json!({"name": "Ada ሀ 𐀀"}), &RenderOptions::default())
        .unwrap_err();
    assert_eq!(err.code(), "FONT_MISSING_GLYPHS");
    assert_eq!(err.details()["characters"], json!("ሀ𐀀"));
    assert_eq!(err.details()["field"], json!("name"));
}

/// Whether the PDF embeds a font whose PostScript name contains `name`.
fn embeds(pdf: &[u8], name: &str) -> bool {
    let all = inflated(pdf);
    all.windows(name.len()).any(|w| w == name.as_bytes())
}

#[test]
fn fallback_only_and_named_only_fonts_keep_to_their_use() {
    let read = |pkg: &str, file: &str| std::fs::read(font_dir(pkg).join(file)).unwrap();
    let mut e = Engine::new();
    e.add_font(read("fonts-latin", "NotoSans-Bold.ttf"))
        .unwrap();
    e.add_font(read("fonts-latin", "NotoSans-Regular.ttf"))
        .unwrap();
    // The whole Korean regular by name only; the bold (standing in for a slice) for fallback only.
    e.add_font_with_use(
        read("fonts-kr", "NotoSansKR-Regular.otf"),
        FontUse::NamedOnly,
    )
    .unwrap();
    let data = json!({"name": "김민준"});

    // Before the fallback face is there, a Noto Sans text with Hangul is refused, not tofu:
    // the named-only font does not count for it.
    let t = compiled(&e, NAME_TEMPLATE);
    let err = e.render(&t, &data, &RenderOptions::default()).unwrap_err();
    assert_eq!(err.code(), "FONT_MISSING_GLYPHS");

    e.add_font_with_use(
        read("fonts-kr", "NotoSansKR-Bold.otf"),
        FontUse::FallbackOnly,
    )
    .unwrap();
    // Fallback takes the fallback-only face, never the named-only one, whatever the weight.
    let t = compiled(&e, NAME_TEMPLATE);
    let pdf = e.render(&t, &data, &RenderOptions::default()).unwrap().pdf;
    assert!(embeds(&pdf, "NotoSansKR-Bold"));
    assert!(!embeds(&pdf, "NotoSansKR-Regular"));

    // A text that names the family gets the named-only font.
    let named =
        r#"<text x="100" y="300" font-family="Noto Sans Korean" font-size="40">{{name}}</text>"#;
    let t = compiled(&e, named);
    assert!(t.warnings().iter().all(|w| w.code != "FONT_SUBSTITUTED"));
    let pdf = e.render(&t, &data, &RenderOptions::default()).unwrap().pdf;
    assert!(embeds(&pdf, "NotoSansKR-Regular"));
    assert!(!embeds(&pdf, "NotoSansKR-Bold"));

    // The fallback-only face answers to no family name: with only it, naming the family is a
    // substitution, and the text still comes out (through fallback).
    let mut e = Engine::new();
    e.add_font(read("fonts-latin", "NotoSans-Regular.ttf"))
        .unwrap();
    e.add_font_with_use(
        read("fonts-kr", "NotoSansKR-Bold.otf"),
        FontUse::FallbackOnly,
    )
    .unwrap();
    let t = compiled(
        &e,
        &format!(r#"{named}<text x="100" y="500" font-family="Noto Sans Korean">Korean</text>"#),
    );
    assert!(t.warnings().iter().any(|w| w.code == "FONT_SUBSTITUTED"));
    let pdf = e.render(&t, &data, &RenderOptions::default()).unwrap().pdf;
    assert!(embeds(&pdf, "NotoSansKR-Bold"));
    assert!(e.fonts().missing_chars("김민준").is_empty());
}

#[test]
fn page_size_comes_from_the_template() {
    let e = engine();
    let letter = r#"<svg xmlns="http://www.w3.org/2000/svg" width="11in" height="8.5in"><text x="10" y="50">{{name}}</text></svg>"#;
    let t = e
        .compile(letter.as_bytes(), &CompileOptions::default())
        .unwrap();
    let p = t.page_size();
    assert!(
        (p.width - 792.0).abs() < 0.1 && (p.height - 612.0).abs() < 0.1,
        "{p:?}"
    );
}

#[test]
fn gradients_clips_masks_and_images_convert() {
    let e = engine();
    // A 2×2 PNG.
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==";
    let svg = template(&format!(
        r##"<defs><linearGradient id="g"><stop offset="0" stop-color="#c00"/><stop offset="1" stop-color="#00c"/></linearGradient>
        <clipPath id="c"><circle cx="100" cy="100" r="80"/></clipPath>
        <mask id="m"><rect width="400" height="400" fill="white" opacity="0.5"/></mask></defs>
        <rect width="400" height="200" fill="url(#g)" clip-path="url(#c)"/>
        <g mask="url(#m)"><rect x="500" width="100" height="100" fill="url(#g)"/></g>
        <image x="700" y="10" width="64" height="64" href="data:image/png;base64,{png}"/>
        <text x="10" y="500" fill="url(#g)" font-size="40">{{{{name}}}}</text>"##
    ));
    let t = e
        .compile(svg.as_bytes(), &CompileOptions::default())
        .unwrap();
    let out = e
        .render(&t, &json!({"name": "Gradient"}), &RenderOptions::default())
        .unwrap();
    let pdf = common::inflated(&out.pdf);
    assert!(
        pdf.windows(5).any(|w| w == b"/Mask" || w == b"/SMas"),
        "mask/soft mask missing"
    );
    assert!(pdf.windows(8).any(|w| w == b"/Subtype"));
}

#[test]
fn missing_fields_are_reported_before_missing_glyphs() {
    let e = engine();
    let t = compiled(
        &e,
        r#"<text x="1" y="50">{{name}}</text><text x="1" y="90">{{event.name}}</text>"#,
    );
    let err = e
        .render(&t, &json!({"name": "ሀ"}), &RenderOptions::default())
        .unwrap_err();
    assert_eq!(err.code(), "MISSING_FIELD");
    let err = e
        .render(
            &t,
            &json!({"name": "ሀ", "event": {"name": "E"}}),
            &RenderOptions::default(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "FONT_MISSING_GLYPHS");
}

/// Occurrences of `needle` in the PDF `haystack`, its compressed streams read too (the
/// dictionaries sit in object streams, the XMP packet is compressed).
fn count(haystack: &[u8], needle: &[u8]) -> usize {
    common::inflated(haystack)
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

/// The PDF of `body` (see [`compiled`]) for the name Ada Lovelace.
fn pdf_for_ada(body: &str) -> Vec<u8> {
    let e = engine();
    let t = compiled(&e, body);
    e.render(
        &t,
        &json!({"name": "Ada Lovelace"}),
        &RenderOptions::default(),
    )
    .unwrap()
    .pdf
}

#[test]
fn a_font_of_the_artwork_and_of_a_field_is_embedded_once() {
    // Static text at the top level, in a translated layer (as Inkscape writes it), under a
    // clip and between graphics; the field in the same face.
    let pdf = pdf_for_ada(
        r##"<defs><clipPath id="c"><rect width="1122" height="300"/></clipPath></defs>
        <rect width="1122" height="793" fill="#f5f0e6"/>
        <text x="561" y="120" text-anchor="middle" font-family="Noto Sans" font-weight="bold" font-size="40">Certificate</text>
        <g transform="translate(0 20)"><rect x="100" y="150" width="900" height="4" fill="#333"/>
          <text x="561" y="220" text-anchor="middle" font-family="Noto Sans" font-weight="bold" font-size="24">of attendance</text></g>
        <g clip-path="url(#c)"><text x="20" y="40" font-family="Noto Sans" font-weight="bold" font-size="12">No. 1</text></g>
        <circle cx="1000" cy="700" r="40" fill="#a33"/><text x="5" y="5" font-family="Noto Sans"> </text>
        <g opacity="0.5"><text x="20" y="780" font-family="Noto Sans" font-weight="bold" font-size="12">Seal</text></g>
        <text x="561" y="400" text-anchor="middle" font-family="Noto Sans" font-weight="bold" font-size="56">{{name}}</text>"##,
    );
    assert_eq!(count(&pdf, b"/FontFile2"), 1, "one embedded font program");
    assert_eq!(
        count(&pdf, b"/BaseFont"),
        2,
        "one Type0 font and its CIDFont"
    );
    assert!(
        count(&pdf, b"/Subtype/Form") > 0,
        "the graphics stay Form XObjects"
    );
}

#[test]
fn artwork_of_text_only_needs_no_graphics_layer() {
    let pdf = pdf_for_ada(
        r##"<text x="100" y="100" font-family="Noto Sans" font-size="40">Certificate</text>
        <text x="100" y="300" font-family="Noto Sans" font-size="40">{{name}}</text>"##,
    );
    assert_eq!(count(&pdf, b"/FontFile2"), 1);
    assert_eq!(
        count(&pdf, b"/Subtype/Form"),
        0,
        "no Form XObject without graphics"
    );
}

#[test]
fn every_pdf_is_pdf_a_3b_with_its_attachments_as_associated_files() {
    let e = engine();
    let t = compiled(
        &e,
        r##"<rect width="1122" height="793" fill="#f5f0e6"/><text x="561" y="400" text-anchor="middle" font-family="Noto Sans" font-size="56">{{name}}</text>"##,
    );
    let options = RenderOptions {
        attachments: vec![Attachment {
            name: "certificate.json".into(),
            mime_type: "application/json".into(),
            description: "Certificate data".into(),
            relationship: Relationship::Data,
            content: r#"{"name":"Ada"}"#.into(),
        }],
        ..RenderOptions::default()
    };
    let pdf = e.render(&t, &json!({"name": "Ada"}), &options).unwrap().pdf;
    assert!(
        count(&pdf, b"pdfaid:part") > 0,
        "PDF/A identification in the XMP"
    );
    assert!(count(&pdf, b"/OutputIntents") == 1, "an output intent");
    assert!(
        count(&pdf, b"/AFRelationship/Data") == 1,
        "the data is an associated file"
    );
    assert!(count(&pdf, b"/AF[") == 1, "listed in the catalog's /AF");
    assert!(
        count(&pdf, b"/DisplayDocTitle") == 0,
        "no title, nothing to display"
    );
}

#[test]
fn dictionaries_go_into_object_streams_and_nothing_is_written_twice() {
    // The artwork (a grey page, a stroked frame: an embedded page with its own sRGB profile),
    // a field, and the PDF/A parts.
    let pdf = pdf_for_ada(
        r##"<rect width="1122" height="793" fill="#ffffff"/>
        <rect x="40" y="40" width="1042" height="713" fill="none" stroke="#1c2b4a" stroke-width="6"/>
        <text x="561" y="400" text-anchor="middle" font-family="Noto Sans" font-size="56">{{name}}</text>"##,
    );
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Type/ObjStm"), "an object stream");
    assert!(
        text.contains("/Type/XRef") && !text.contains("\nxref\n"),
        "a cross-reference stream, no table"
    );
    for key in ["/Type/Catalog", "/Type/Page/", "/Type/FontDescriptor"] {
        assert_eq!(count(&pdf, key.as_bytes()), 1, "{key} once");
        assert!(
            !text.contains(key),
            "{key} sits in a compressed object stream"
        );
    }
    // (bytes, times in the file, why)
    let expected: [(&[u8], usize, &str); 10] = [
        (
            b"/N 3/Range[0 1 0 1 0 1]",
            1,
            "the sRGB profile is written once (output intent and artwork)",
        ),
        (b"/N 1/Range", 0, "no grey profile: greys are sRGB"),
        (b"/CIDSet", 0, "no CIDSet (PDF/A-1 only)"),
        (b"/ProcSet[", 0, "no procedure sets"),
        (b"xmpMM:History", 0, "no history repeating the dates"),
        (b"pdfaExtension", 0, "no schema for predefined properties"),
        (b"%%BeginResource", 0, "ToUnicode maps without comments"),
        (b"/Keywords", 0, "keywords in the XMP only"),
        (b"<pdfaid:part>3<", 1, "PDF/A-3 identification in the XMP"),
        (b"/Type/XRef", 1, "one cross-reference stream"),
    ];
    for (needle, times, why) in expected {
        assert_eq!(count(&pdf, needle), times, "{why}");
    }
}

/// The table tags of every TrueType program embedded in `pdf` (each an sfnt in an inflated stream).
fn embedded_truetype_tables(pdf: &[u8]) -> Vec<Vec<String>> {
    let all = common::inflated(pdf);
    let mut fonts = Vec::new();
    let mut at = 0;
    while let Some(i) = all[at..]
        .windows(4)
        .position(|w| w == [0, 1, 0, 0])
        .map(|i| at + i)
    {
        at = i + 4;
        let Some(header) = all.get(i..i + 12) else {
            break;
        };
        let tables = u16::from_be_bytes([header[4], header[5]]) as usize;
        let Some(records) = all.get(i + 12..i + 12 + 16 * tables) else {
            continue;
        };
        let tags: Vec<String> = records
            .chunks(16)
            .map(|r| String::from_utf8_lossy(&r[..4]).into_owned())
            .collect();
        if tables > 0 && tags.iter().any(|t| t == "glyf") {
            fonts.push(tags);
        }
    }
    fonts
}

#[test]
fn embedded_truetype_programs_carry_only_what_a_pdf_draws_with() {
    // A bold and a regular face: two embedded subsets.
    let pdf = pdf_for_ada(
        r##"<text x="100" y="200" font-family="Noto Sans" font-weight="700" font-size="40">{{name}}</text>
        <text x="100" y="400" font-family="Noto Sans" font-size="20">Certificate</text>"##,
    );
    let fonts = embedded_truetype_tables(&pdf);
    assert_eq!(fonts.len(), 2, "two TrueType subsets: {fonts:?}");
    for tags in fonts {
        for needed in ["glyf", "loca", "head", "hhea", "hmtx", "maxp"] {
            assert!(tags.iter().any(|t| t == needed), "{needed} kept: {tags:?}");
        }
        for dropped in ["name", "post", "cmap", "OS/2", "GSUB", "GPOS"] {
            assert!(!tags.iter().any(|t| t == dropped), "no {dropped}: {tags:?}");
        }
    }
}

#[test]
fn attachments_are_bounded_and_checked() {
    let e = engine();
    let t = compiled(&e, r##"<text x="10" y="50">{{name}}</text>"##);
    let one = |name: &str, mime: &str, content: String| Attachment {
        name: name.into(),
        mime_type: mime.into(),
        description: "x".into(),
        relationship: Relationship::Supplement,
        content,
    };
    let render = |attachments: Vec<Attachment>| {
        e.render(
            &t,
            &json!({"name": "Ada"}),
            &RenderOptions {
                attachments,
                ..RenderOptions::default()
            },
        )
        .map(|_| ())
        .map_err(|err| err.code())
    };
    assert_eq!(
        render(
            (0..9)
                .map(|i| one(&format!("{i}.json"), "application/json", "1".into()))
                .collect()
        ),
        Err("LIMIT_EXCEEDED")
    );
    assert_eq!(
        render(vec![one(
            "a.json",
            "application/json",
            "x".repeat((1 << 20) + 1)
        )]),
        Err("LIMIT_EXCEEDED")
    );
    for bad in ["", "a/b.json", "a\\b.json", "a\u{0}.json", "a\u{85}.json"] {
        assert_eq!(
            render(vec![one(bad, "application/json", "1".into())]),
            Err("INVALID_DATA"),
            "{bad:?}"
        );
    }
    assert_eq!(
        render(vec![one("a.json", "json", "1".into())]),
        Err("INVALID_DATA")
    );
    assert_eq!(
        render(vec![
            one("a.json", "application/json", "1".into()),
            one("a.json", "application/json", "2".into())
        ]),
        Err("INVALID_DATA")
    );
    assert_eq!(
        render(vec![one("a.json", "application/json", "1".into())]),
        Ok(())
    );
}

/// `font` with its OS/2 fsType set to `fs_type` (0x0002: restricted license embedding).
fn with_fs_type(mut font: Vec<u8>, fs_type: u16) -> Vec<u8> {
    let tables = u16::from_be_bytes([font[4], font[5]]) as usize;
    let record = (0..tables)
        .map(|i| 12 + 16 * i)
        .find(|&r| &font[r..r + 4] == b"OS/2")
        .expect("an OS/2 table");
    let offset = u32::from_be_bytes(font[record + 8..record + 12].try_into().unwrap()) as usize;
    font[offset + 8..offset + 10].copy_from_slice(&fs_type.to_be_bytes());
    font
}

#[test]
fn artwork_text_pdf_a_forbids_is_refused_when_the_template_is_compiled() {
    // A template font whose license forbids embedding, used by the artwork: PDF/A forbids it,
    // and every certificate would fail; the compile says so once, with the reason.
    let font = std::fs::read(common::font_dir("fonts-latin").join("NotoSans-Regular.ttf")).unwrap();
    let svg = template(
        r##"<text x="10" y="50" font-family="Noto Sans">Seal</text><text x="10" y="90">{{name}}</text>"##,
    );
    let with_font = |fs_type: u16| {
        let mut e = certforge_core::Engine::new();
        e.add_font(with_fs_type(font.clone(), fs_type)).unwrap();
        e.compile(svg.as_bytes(), &CompileOptions::default())
    };
    let err = with_font(0x0002).unwrap_err();
    assert_eq!(err.code(), "UNSUPPORTED_CONTENT", "{err}");
    assert!(
        err.to_string().contains("PDF/A-3b") && err.to_string().contains("license"),
        "{err}"
    );
    // The same font with embedding allowed compiles.
    assert!(with_font(0).is_ok());
}

#[test]
fn control_characters_in_data_are_not_drawn() {
    let e = engine();
    let t = compiled(&e, r##"<text x="10" y="50">{{name}}</text>"##);
    let out = e.render(
        &t,
        &json!({"name": "Eve\u{1b}]0;pwned\u{7} \u{1b}[31mRed\u{9b}2J\u{7f}"}),
        &RenderOptions::default(),
    );
    assert!(out.is_ok(), "{:?}", out.err());
}
