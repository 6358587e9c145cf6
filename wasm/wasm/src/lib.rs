//! The WebAssembly entry layer of certforge: a plain C ABI over
//! `certforge-core`, with no imports. See docs/architecture.md for the contract.
//!
//! Every call returns a status (0 ok, 1 error) and leaves its result in a
//! buffer read with `cf_result_ptr` / `cf_result_len` until the next call.
//! Inputs are copied in by the host into memory from `cf_alloc`; the call that
//! receives `(ptr, len)` takes ownership of it.

use std::cell::RefCell;
use std::collections::HashMap;

use certforge_core::{CompileOptions, CompiledTemplate, Engine, Error, FontUse, RenderOptions};
use serde_json::{json, Value};

#[derive(Default)]
struct State {
    engine: Engine,
    templates: HashMap<u32, CompiledTemplate>,
    next_id: u32,
    result: Vec<u8>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State { next_id: 1, ..State::default() });
}

const OK: u32 = 0;
const ERR: u32 = 1;

/// The system allocator, remembering whether an allocation ever failed: the
/// module's memory has a fixed maximum (wasm/wasm/build.rs), and when it is
/// reached Rust aborts (a trap). The host then reads [`cf_out_of_memory`] on the
/// trapped instance to report `LIMIT_EXCEEDED` rather than a crash.
struct Tracking;

static OUT_OF_MEMORY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

unsafe impl std::alloc::GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = std::alloc::System.alloc(layout);
        if p.is_null() {
            OUT_OF_MEMORY.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        std::alloc::System.dealloc(ptr, layout)
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = std::alloc::System.alloc_zeroed(layout);
        if p.is_null() {
            OUT_OF_MEMORY.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        let p = std::alloc::System.realloc(ptr, layout, new);
        if p.is_null() {
            OUT_OF_MEMORY.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Tracking = Tracking;

/// 1 when an allocation of this instance failed (its memory maximum was reached).
#[no_mangle]
pub extern "C" fn cf_out_of_memory() -> u32 {
    OUT_OF_MEMORY.load(std::sync::atomic::Ordering::Relaxed) as u32
}

/// Splits `u32 LE length, bytes` records (a template's fonts).
fn split_records(blob: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let mut out = Vec::new();
    let mut rest = blob;
    while !rest.is_empty() {
        let (len, tail) = rest
            .split_first_chunk::<4>()
            .ok_or_else(|| Error::InvalidData("truncated font list".into()))?;
        let len = u32::from_le_bytes(*len) as usize;
        if tail.len() < len {
            return Err(Error::InvalidData("truncated font list".into()));
        }
        out.push(tail[..len].to_vec());
        rest = &tail[len..];
    }
    Ok(out)
}

/// Takes ownership of a buffer allocated by [`cf_alloc`].
///
/// # Safety
/// `ptr`/`len` must come from `cf_alloc(len)` and not be used afterwards.
unsafe fn take(ptr: *mut u8, len: usize) -> Vec<u8> {
    if ptr.is_null() {
        return Vec::new();
    }
    // `cf_alloc` reserves at least one byte, so the capacity is never below 1.
    Vec::from_raw_parts(ptr, len, len.max(1))
}

fn finish(state: &mut State, r: Result<Vec<u8>, Error>) -> u32 {
    match r {
        Ok(bytes) => {
            state.result = bytes;
            OK
        }
        Err(e) => {
            state.result = e.to_json().to_string().into_bytes();
            ERR
        }
    }
}

fn parse_json<T: serde::de::DeserializeOwned + Default>(
    bytes: &[u8],
    what: &str,
) -> Result<T, Error> {
    if bytes.is_empty() {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| Error::InvalidData(format!("{what}: {e}")))
}

/// Allocates `len` bytes for an input.
#[no_mangle]
pub extern "C" fn cf_alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len.max(1));
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// Pointer to the last result.
#[no_mangle]
pub extern "C" fn cf_result_ptr() -> *const u8 {
    STATE.with(|s| s.borrow().result.as_ptr())
}

/// Length of the last result.
#[no_mangle]
pub extern "C" fn cf_result_len() -> usize {
    STATE.with(|s| s.borrow().result.len())
}

/// Adds a font; `usage` 0: by name and for fallback, 1: for fallback only, 2: by name only
/// ([`certforge_core::FontUse`]). Result: JSON list of faces.
///
/// # Safety
/// See [`take`].
#[no_mangle]
pub unsafe extern "C" fn cf_add_font(ptr: *mut u8, len: usize, usage: u32) -> u32 {
    let bytes = take(ptr, len);
    let usage = match usage {
        1 => FontUse::FallbackOnly,
        2 => FontUse::NamedOnly,
        _ => FontUse::Any,
    };
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let r = s
            .engine
            .add_font_with_use(bytes, usage)
            .map(|faces| json!(faces).to_string().into_bytes());
        finish(&mut s, r)
    })
}

/// Compiles a template with its own fonts (`u32 LE length, bytes` records, visible to
/// this template only). Result: JSON `{id, pageSize, fields, warnings, rasterCost}`.
///
/// # Safety
/// See [`take`].
#[no_mangle]
pub unsafe extern "C" fn cf_compile(
    svg_ptr: *mut u8,
    svg_len: usize,
    opts_ptr: *mut u8,
    opts_len: usize,
    fonts_ptr: *mut u8,
    fonts_len: usize,
) -> u32 {
    let svg = take(svg_ptr, svg_len);
    let opts = take(opts_ptr, opts_len);
    let fonts = take(fonts_ptr, fonts_len);
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let r = parse_json::<CompileOptions>(&opts, "compile options")
            .and_then(|o| {
                let fonts = split_records(&fonts)?;
                s.engine.compile_with_fonts(&svg, fonts, &o)
            })
            .map(|t| {
                let id = s.next_id;
                s.next_id += 1;
                let info = json!({
                    "id": id,
                    "pageSize": t.page_size(),
                    "fields": t.fields(),
                    "warnings": t.warnings(),
                    "rasterCost": t.raster_cost(),
                });
                s.templates.insert(id, t);
                info.to_string().into_bytes()
            });
        finish(&mut s, r)
    })
}

/// The static layer of a compiled template as a text-as-paths SVG. Result: UTF-8 SVG.
#[no_mangle]
pub extern "C" fn cf_static_preview(id: u32) -> u32 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let r = s
            .templates
            .get(&id)
            .ok_or_else(|| Error::InvalidData(format!("no compiled template with id {id}")))
            .and_then(|t| s.engine.static_preview_svg(t))
            .map(String::into_bytes);
        finish(&mut s, r)
    })
}

/// Frees a compiled template.
#[no_mangle]
pub extern "C" fn cf_drop_template(id: u32) -> u32 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        s.templates.remove(&id);
        s.result.clear();
        OK
    })
}

/// Renders one certificate. Result: `u32 LE header length`, header JSON, PDF bytes, SVG bytes.
///
/// # Safety
/// See [`take`].
#[no_mangle]
pub unsafe extern "C" fn cf_render(
    id: u32,
    data_ptr: *mut u8,
    data_len: usize,
    opts_ptr: *mut u8,
    opts_len: usize,
) -> u32 {
    let data = take(data_ptr, data_len);
    let opts = take(opts_ptr, opts_len);
    STATE.with(|s| {
        let mut guard = s.borrow_mut();
        let st = &mut *guard;
        let r = render(st, id, &data, &opts);
        finish(st, r)
    })
}

fn render(st: &State, id: u32, data: &[u8], opts: &[u8]) -> Result<Vec<u8>, Error> {
    let template = st
        .templates
        .get(&id)
        .ok_or_else(|| Error::InvalidData(format!("no compiled template with id {id}")))?;
    let limit = certforge_core::Limits::default().max_data_bytes;
    if data.len() > limit {
        return Err(Error::LimitExceeded {
            what: "certificate data in bytes".into(),
            limit: limit as u64,
            actual: data.len() as u64,
        });
    }
    let data: Value = serde_json::from_slice(data)
        .map_err(|e| Error::InvalidData(format!("the data is not valid JSON: {e}")))?;
    let opts: RenderOptions = parse_json(opts, "render options")?;
    let out = certforge_core::Engine::render(&st.engine, template, &data, &opts)?;
    let header = json!({
        "pdfLength": out.pdf.len(),
        "svgLength": out.preview_svg.len(),
        "pageSize": out.page,
        "warnings": out.warnings,
        "fields": out.fields,
        "rasterCost": out.raster_cost,
    })
    .to_string();
    let mut buf = Vec::with_capacity(4 + header.len() + out.pdf.len() + out.preview_svg.len());
    buf.extend_from_slice(&(header.len() as u32).to_le_bytes());
    buf.extend_from_slice(header.as_bytes());
    buf.extend_from_slice(&out.pdf);
    buf.extend_from_slice(out.preview_svg.as_bytes());
    Ok(buf)
}
