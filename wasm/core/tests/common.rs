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

/// The PDF's bytes followed by the inflated data of each of its Flate streams, so that a test
/// can search for dictionary entries that sit in compressed object streams (`/Type/ObjStm`)
/// and for the XMP packet, as a reader sees them.
pub fn inflated(pdf: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = pdf.to_vec();
    let mut at = 0;
    while let Some(found) = find(&pdf[at..], b">>\nstream\n") {
        let data_start = at + found + b">>\nstream\n".len();
        let dict_start = pdf[..at + found]
            .windows(3)
            .rposition(|w| w == b"obj")
            .unwrap_or(0);
        let dict = &pdf[dict_start..at + found];
        let length = find(dict, b"/Length ").and_then(|i| {
            let digits: Vec<u8> = dict[i + 8..]
                .iter()
                .copied()
                .take_while(u8::is_ascii_digit)
                .collect();
            std::str::from_utf8(&digits).ok()?.parse::<usize>().ok()
        });
        at = data_start;
        let (Some(length), true) = (length, find(dict, b"/FlateDecode").is_some()) else {
            continue;
        };
        let Some(data) = pdf.get(data_start..data_start + length) else {
            continue;
        };
        let mut inflated = Vec::new();
        if flate2::read::ZlibDecoder::new(data)
            .read_to_end(&mut inflated)
            .is_ok()
        {
            out.push(b'\n');
            out.extend(inflated);
        }
        at = data_start + length;
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
