//! The module's memory has a maximum, so that no input can make the core grow
//! without bound: past it an allocation fails, the core traps, and the host
//! reports LIMIT_EXCEEDED and starts a fresh instance (functions/src/render/core.ts).
//! CERTFORGE_WASM_MAX_MEMORY_MIB overrides it at build time.

fn main() {
    println!("cargo:rerun-if-env-changed=CERTFORGE_WASM_MAX_MEMORY_MIB");
    let target = std::env::var("TARGET").unwrap_or_default();
    if !target.starts_with("wasm32") {
        return;
    }
    let mib: u64 = std::env::var("CERTFORGE_WASM_MAX_MEMORY_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(384);
    println!(
        "cargo:rustc-link-arg-cdylib=--max-memory={}",
        mib * 1024 * 1024
    );
}
