//! Native timing of compile and render for a template: `cargo run --release --example profile -- <template.svg> [n]`.
use std::time::Instant;

use certforge_core::{CompileOptions, Engine, RenderOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args
        .get(1)
        .expect("usage: profile <template.svg> [renders]");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(30);
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../functions/node_modules/@embedpdf/"
    );
    let mut e = Engine::new();
    let t0 = Instant::now();
    for f in [
        "fonts-latin/fonts/NotoSans-Regular.ttf",
        "fonts-latin/fonts/NotoSans-Bold.ttf",
        "fonts-arabic/fonts/NotoNaskhArabic-Regular.ttf",
        "fonts-hebrew/fonts/NotoSansHebrew-Regular.ttf",
        "fonts-sc/fonts/NotoSansHans-Regular.otf",
    ] {
        e.add_font(std::fs::read(format!("{root}{f}")).unwrap())
            .unwrap();
    }
    let extra = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../functions/node_modules/@expo-google-fonts/"
    );
    for f in [
        "playfair-display/400Regular/PlayfairDisplay_400Regular.ttf",
        "playfair-display/700Bold/PlayfairDisplay_700Bold.ttf",
        "great-vibes/400Regular/GreatVibes_400Regular.ttf",
        "montserrat/400Regular/Montserrat_400Regular.ttf",
        "montserrat/700Bold/Montserrat_700Bold.ttf",
    ] {
        if let Ok(b) = std::fs::read(format!("{extra}{f}")) {
            e.add_font(b).unwrap();
        }
    }
    println!("fonts: {:?}", t0.elapsed());
    let svg = std::fs::read(path).unwrap();
    let t1 = Instant::now();
    let t = e.compile(&svg, &CompileOptions::default()).unwrap();
    println!("compile: {:?}", t1.elapsed());
    let data = serde_json::json!({"name": "Grzegorz Brzęczyszczykiewicz", "talk": {"title": "Rust and WebAssembly in production"},
        "event": {"name": "RustConf", "date": "12 March 2026", "place": "Lisbon"}, "signatories": [{"name": "Ada", "role": "Chair"}],
        "certificate": {"id": "ABC123", "url": "https://x/y"}});
    for preview in [false, true] {
        let o = RenderOptions {
            preview,
            ..RenderOptions::default()
        };
        let t2 = Instant::now();
        let mut size = 0;
        for _ in 0..n {
            size = e.render(&t, &data, &o).unwrap().pdf.len();
        }
        println!(
            "render preview={preview}: {:?} per certificate, pdf {size} bytes",
            t2.elapsed() / n as u32
        );
    }
}
