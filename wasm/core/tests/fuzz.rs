//! A structured mutation fuzzer on stable Rust (no cargo-fuzz, no nightly): the bundled
//! templates and hostile seeds are mutated with XML-aware operations (entity declarations,
//! data: URLs in every spelling, nesting, filters, layers, quotes, truncation) and each
//! mutant is compiled and rendered. Every outcome must be Ok or a typed error, within a time
//! bound: a panic (a trap in the WebAssembly build) or a slow input fails the test.
//!
//! `CERTFORGE_FUZZ_ITERATIONS` (default 200, as `npm test` runs it) and
//! `CERTFORGE_FUZZ_SEED` set the run; the report line gives inputs, time, outcomes and peak RSS.
mod common;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use base64::Engine as _;
use certforge_core::{CompileOptions, Engine, RenderOptions};
use serde_json::json;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn seeds() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../functions/templates");
    let mut out: Vec<String> = ["classic.svg", "modern.svg"]
        .iter()
        .map(|f| std::fs::read_to_string(format!("{dir}/{f}")).unwrap())
        .collect();
    out.push(common::template(
        r#"<defs><filter id="f"><feGaussianBlur stdDeviation="3"/></filter></defs><g opacity="0.5"><rect width="300" height="200" filter="url(#f)"/></g><text x="10" y="50" data-fit-width="300">{{name}}</text><rect data-qr="{{certificate.url}}" x="10" y="100" width="80" height="80"/>"#,
    ));
    out.push(format!(
        r#"<!DOCTYPE svg [<!ENTITY a "x">]>{}"#,
        common::template(r#"<text x="10" y="50">&a; {{name}}</text>"#)
    ));
    out
}

fn snippets() -> Vec<String> {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let nested = r#"<svg xmlns="http://www.w3.org/2000/svg"><!DOCTYPE x [<!ENTITY a "AAAA">]><text>&a;&a;</text></svg>"#;
    let mut s: Vec<String> = [
        "<g/>", "<g opacity=\"0.3\"><rect width=\"1e5\" height=\"1e5\"/></g>", "<text x=\"5\" y=\"5\">{{name}}</text>",
        "<text x=\"5\" y=\"5\" data-fit-width=\"50\">{{talk.title}} {{event.name | x}}</text>", "<text>{{</text>",
        "<clipPath id=\"c\"><circle r=\"1e6\"/></clipPath>", "<mask id=\"m\"><rect width=\"9e9\" height=\"9e9\"/></mask>",
        "<filter id=\"f\"><feTurbulence baseFrequency=\"0.9\" numOctaves=\"10\"/><feGaussianBlur stdDeviation=\"999\"/></filter>",
        "<pattern id=\"p\" width=\"1e6\" height=\"1e6\"><rect width=\"5\" height=\"5\"/></pattern>",
        "<use href=\"#x\"/>", "<text id=\"x\" x=\"1\" y=\"1\">x</text>", "<foreignObject/>",
        "<style>@import url(x.css);</style>", "<style>.a{filter:url(#f)}</style>", "<text><tspan>{{name}}</tspan><tspan x=\"3\" dy=\"9\">b</tspan></text>",
        "<text>\u{202E}محمد 漢字\u{FEFF}</text>", "<rect data-qr=\"{{certificate.url}}\" width=\"50\" height=\"50\"/>",
    ]
    .iter()
    .map(|x| x.to_string())
    .collect();
    for href in [
        format!("data:;base64,{}", b64(nested.as_bytes())),
        format!("data:image/SVG+XML;BASE64,{}", b64(nested.as_bytes())),
        format!("data:,{}", nested.replace('<', "%3C")),
        format!(
            "data:image/png; base64,{}",
            b64(&common::png_header(20_000, 20_000))
        ),
        format!(
            "data:image/png;base64,{}",
            b64(&common::png_header(3000, 3000))
        ),
        "data:image/png;base64,!!!!".to_string(),
    ] {
        s.push(format!(
            "<image href=\"{href}\" width=\"50\" height=\"50\"/>"
        ));
        s.push(format!("<filter id=\"i\"><feImage href=\"{href}\"/></filter><rect width=\"9\" height=\"9\" filter=\"url(#i)\"/>"));
    }
    s
}

/// Positions just after a `>`: where an element can be inserted without breaking the XML.
fn boundaries(bytes: &[u8]) -> Vec<usize> {
    let start = bytes.windows(4).position(|w| w == b"<svg").unwrap_or(0);
    bytes
        .iter()
        .enumerate()
        .skip(start)
        .filter(|(_, b)| **b == b'>')
        .map(|(i, _)| i + 1)
        .collect()
}

const ATTRIBUTES: &[&str] = &[
    " opacity=\"0.5\"",
    " filter=\"url(#f)\"",
    " mask=\"url(#m)\"",
    " clip-path=\"url(#c)\"",
    " transform=\"scale(1e9)\"",
    " width=\"1e12\"",
    " font-size=\"1e9\"",
    " data-fit-width=\"-1\"",
    " data-fit-lines=\"999\"",
    " direction=\"rtl\"",
    " style=\"filter:url(#f);opacity:.5\"",
    " xml:space=\"preserve\"",
];

const ENTITY_DECLS: &[&str] = &[
    "<!ENTITY a \"x\">",
    "<!ENTITY a \">AAAAAAAA\">",
    "<!ENTITY b \"&a;&a;&a;\">",
    "<!ENTITY c \"&#60;g>\">",
    "<!ENTITY d \"<g><g>\">",
    "<!ENTITY % p \"x\">",
    "<!ATTLIST svg a CDATA \">\">",
    "<!ELEMENT svg ANY>",
    "<!ENTITY e SYSTEM \"file:///etc/passwd\">",
    "<!-- > -->",
];

fn mutate(rng: &mut Rng, input: &str, dict: &[String]) -> Vec<u8> {
    let mut bytes = input.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let spots = boundaries(&bytes);
        let at = if spots.is_empty() {
            0
        } else {
            spots[rng.below(spots.len())]
        };
        match rng.below(10) {
            // A whole element (or several copies) where elements go.
            0..=3 => {
                let s = &dict[rng.below(dict.len())];
                let times = if rng.below(6) == 0 {
                    1 + rng.below(300)
                } else {
                    1
                };
                bytes.splice(at..at, s.repeat(times).into_bytes());
            }
            // An attribute on an element.
            4 => {
                if let Some(p) = bytes[..at.saturating_sub(1)]
                    .iter()
                    .rposition(|b| *b == b'<')
                {
                    if let Some(sp) = bytes[p..].iter().position(|b| *b == b' ' || *b == b'>') {
                        let a = ATTRIBUTES[rng.below(ATTRIBUTES.len())];
                        bytes.splice(p + sp..p + sp, a.bytes());
                    }
                }
            }
            // A DOCTYPE with declarations, and references to them in text.
            5 => {
                let decls: String = (0..1 + rng.below(3))
                    .map(|_| ENTITY_DECLS[rng.below(ENTITY_DECLS.len())])
                    .collect();
                let refs =
                    ["&a;", "&b;", "&c;", "&d;", "&e;"][rng.below(5)].repeat(1 + rng.below(500));
                bytes.splice(
                    at..at,
                    format!("<text x=\"1\" y=\"9\">{refs}</text>").into_bytes(),
                );
                let svg = bytes.windows(4).position(|w| w == b"<svg").unwrap_or(0);
                bytes.splice(svg..svg, format!("<!DOCTYPE svg [{decls}]>").into_bytes());
            }
            // Nesting: wrap a stretch of elements in n groups.
            6 => {
                let n = 1 + rng.below(100);
                let open = ["<g>", "<g opacity=\"0.5\">", "<svg>", "<a>"][rng.below(4)];
                let close = if open.starts_with("<svg") {
                    "</svg>"
                } else if open.starts_with("<a") {
                    "</a>"
                } else {
                    "</g>"
                };
                bytes.splice(
                    at..at,
                    format!("{}{}", open.repeat(n), close.repeat(n)).into_bytes(),
                );
            }
            // Raw damage, now and then.
            7 => {
                if !bytes.is_empty() {
                    let i = rng.below(bytes.len());
                    bytes[i] ^= 1 << rng.below(8);
                }
            }
            8 => {
                let end = (at + rng.below(3000)).min(bytes.len());
                let region = bytes[at..end].to_vec();
                let spots = boundaries(&bytes);
                let to = if spots.is_empty() {
                    0
                } else {
                    spots[rng.below(spots.len())]
                };
                bytes.splice(to..to, region);
            }
            _ => {
                if rng.below(4) == 0 {
                    bytes.truncate(at)
                }
            }
        }
    }
    bytes
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[test]
fn mutated_templates_end_in_ok_or_a_typed_error() {
    let iterations: usize = std::env::var("CERTFORGE_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let seed: u64 = std::env::var("CERTFORGE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_cafe);
    let engine: Engine = common::engine();
    let seeds = seeds();
    let dict = snippets();
    let mut rng = Rng(seed | 1);
    let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
    let mut slowest = Duration::ZERO;
    let mut panics = Vec::new();
    let started = Instant::now();
    let data = json!({"name": "Zoë Ωmega محمد", "event": {"name": "Conf", "date": "2026-01-01"}, "talk": {"title": "T"}, "certificate": {"url": "https://x.example/v/1", "id": "1"}});
    for i in 0..iterations {
        let base = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, base, &dict);
        // Kept on disk while it runs: an abort (a panic while unwinding) leaves it there.
        let current = std::env::temp_dir().join("certforge-fuzz-current.svg");
        let _ = std::fs::write(&current, &input);
        let t = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| {
            let template = engine.compile(&input, &CompileOptions::default())?;
            engine.render(&template, &data, &RenderOptions::default())
        }));
        let took = t.elapsed();
        slowest = slowest.max(took);
        let key = match result {
            Ok(Ok(_)) => "OK".to_string(),
            Ok(Err(e)) => e.code().to_string(),
            Err(_) => {
                let path = std::env::temp_dir().join(format!("certforge-fuzz-panic-{i}.svg"));
                let _ = std::fs::write(&path, &input);
                panics.push(path.display().to_string());
                "PANIC".to_string()
            }
        };
        assert!(
            took < Duration::from_secs(5),
            "input {i} took {took:?}: {}",
            String::from_utf8_lossy(&input[..input.len().min(300)])
        );
        *outcomes.entry(key).or_default() += 1;
    }
    eprintln!(
        "fuzz: {iterations} inputs (seed {seed}) in {:.1} s, slowest {:.0} ms, peak RSS {:.0} MB, outcomes {outcomes:?}",
        started.elapsed().as_secs_f64(),
        slowest.as_secs_f64() * 1000.0,
        peak_rss_mb()
    );
    assert!(panics.is_empty(), "panics (inputs saved): {panics:?}");
}
