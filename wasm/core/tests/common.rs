//! Shared test setup: an engine with the bundled Noto fonts from functions/node_modules.
#![allow(dead_code)]

use std::path::PathBuf;

use certforge_core::{CompileOptions, CompiledTemplate, Engine};

pub fn font_dir(pkg: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../functions/node_modules/@embedpdf")
        .join(pkg)
        .join("fonts")
}

pub fn engine() -> Engine {
    let mut e = Engine::new();
    for (pkg, file) in [
        ("fonts-latin", "NotoSans-Regular.ttf"),
        ("fonts-latin", "NotoSans-Bold.ttf"),
        ("fonts-arabic", "NotoNaskhArabic-Regular.ttf"),
        ("fonts-hebrew", "NotoSansHebrew-Regular.ttf"),
        ("fonts-sc", "NotoSansHans-Regular.otf"),
        ("fonts-jp", "NotoSansJP-Regular.otf"),
        ("fonts-kr", "NotoSansKR-Regular.otf"),
    ] {
        let path = font_dir(pkg).join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|_| {
            panic!(
                "{} is missing: run `npm install` at the repository root first",
                path.display()
            )
        });
        e.add_font(bytes).unwrap();
    }
    e
}

pub const A4: &str = r#"width="297mm" height="210mm" viewBox="0 0 1122.52 793.7""#;

pub fn template(body: &str) -> String {
    format!(r#"<svg xmlns="http://www.w3.org/2000/svg" {A4}>{body}</svg>"#)
}

/// `body` wrapped by [`template`], compiled with the default options; panics on error.
pub fn compiled(e: &Engine, body: &str) -> CompiledTemplate {
    e.compile(template(body).as_bytes(), &CompileOptions::default())
        .unwrap()
}

/// A PNG header (signature + IHDR, RGBA) claiming `w` × `h` pixels: enough for every size check.
pub fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut v = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    v.extend_from_slice(b"IHDR");
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    v
}
