#!/usr/bin/env node
// Builds the Rust core to functions/wasm/certforge_core.wasm with whichever
// toolchain is present, installing one where that is possible:
//   1. rustup with the wasm32-unknown-unknown target (the ordinary way; the
//      target is added with `rustup target add` when rustup can fetch it);
//   2. Debian's rustc-web + rust-web-src + lld-22 with -Zbuild-std (installed
//      with apt-get when running as root on Debian);
// otherwise it stops with one line saying what to install.
//
//   node wasm/build.mjs           build the .wasm (release)
//   node wasm/build.mjs --test    cargo test (native) for the Rust crates
//   node wasm/build.mjs --lint    cargo fmt --check + clippy -D warnings
//   node wasm/build.mjs --fmt     cargo fmt
// CERTFORGE_WASM_TOOLCHAIN=rustup|debian forces a route.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const target = "wasm32-unknown-unknown";
const out = join(root, "functions", "wasm", "certforge_core.wasm");
const mode = process.argv[2] ?? "--build";

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: "utf8", ...opts });
}
function ok(cmd, args, opts) {
  const r = run(cmd, args, opts);
  return r.status === 0 ? (r.stdout ?? "").trim() : null;
}
function must(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: here, ...opts });
  if (r.status !== 0) {
    console.error(`certforge: '${cmd} ${args.join(" ")}' failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
}
function fail(line) {
  console.error(`certforge: ${line}`);
  process.exit(1);
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const hasApt = existsSync("/usr/bin/apt-get");

// Native cargo for tests and lint: any cargo on PATH.
function nativeCargo() {
  if (ok("cargo", ["--version"]) !== null) return "cargo";
  if (existsSync("/usr/bin/cargo")) return "/usr/bin/cargo";
  fail("no Rust toolchain found: install rustup (https://rustup.rs) or Debian's cargo, then run again.");
}

if (mode === "--test") {
  must(nativeCargo(), ["test", "--workspace", "--locked"]);
  process.exit(0);
}
if (mode === "--fmt") {
  must(nativeCargo(), ["fmt", "--all"]);
  process.exit(0);
}
if (mode === "--lint") {
  const cargo = nativeCargo();
  // rustfmt and clippy: rustup's default profile has them; add them where rustup can, else say so.
  for (const [tool, component] of [["fmt", "rustfmt"], ["clippy", "clippy"]]) {
    if (ok(cargo, [tool, "--version"]) !== null) continue;
    if (ok("rustup", ["--version"]) !== null && run("rustup", ["component", "add", component]).status === 0) continue;
    fail(`cargo ${tool} is missing: install it (rustup component add ${component}, or Debian's rust-${component === "clippy" ? "clippy" : "rustfmt"}), then run again.`);
  }
  must(cargo, ["fmt", "--all", "--check"]);
  must(cargo, ["clippy", "--workspace", "--locked", "--all-targets", "--", "-D", "warnings"]);
  process.exit(0);
}

// 1. rustup with the target (or able to add it).
function rustupRoute() {
  if (ok("rustup", ["--version"]) === null) return null;
  const installed = ok("rustup", ["target", "list", "--installed"]) ?? "";
  if (!installed.split("\n").includes(target)) {
    const add = run("rustup", ["target", "add", target]);
    if (add.status !== 0) return null;
  }
  return { name: "rustup", cargo: "cargo", args: [], env: {} };
}

// 2. Debian rustc-web with -Zbuild-std.
const debian = {
  rustc: "/usr/bin/rustc",
  cargo: "/usr/bin/cargo",
  src: "/usr/lib/rustlib/src/rust/library",
  linker: "/usr/lib/llvm-22/bin/wasm-ld",
};
function debianReady() {
  return (
    existsSync(debian.cargo) &&
    existsSync(debian.src) &&
    existsSync(debian.linker) &&
    (ok(debian.rustc, ["--version"]) ?? "").includes("1.9")
  );
}
function debianRoute() {
  if (!debianReady() && isRoot && hasApt) {
    console.error("certforge: installing Debian's rustc-web, cargo-web, rust-web-src and lld-22 (one time)...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    run("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    run("apt-get", ["install", "-y", "-qq", "rustc-web", "cargo-web", "rust-web-src", "lld-22"], {
      stdio: "inherit",
      env,
    });
  }
  if (!debianReady()) return null;
  return {
    name: "debian rustc-web -Zbuild-std",
    cargo: debian.cargo,
    args: ["-Zbuild-std=std,panic_abort"],
    env: {
      RUSTC: debian.rustc,
      RUSTC_BOOTSTRAP: "1",
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER: debian.linker,
      // Debian's cargo must not pick rustup's rustc/rustdoc from PATH.
      PATH: `/usr/bin:${process.env.PATH ?? ""}`,
    },
  };
}

// CERTFORGE_WASM_TOOLCHAIN=rustup|debian forces one route (to test both on one machine).
const forced = process.env.CERTFORGE_WASM_TOOLCHAIN;
const route =
  forced === "debian" ? debianRoute() : forced === "rustup" ? rustupRoute() : (rustupRoute() ?? debianRoute());
if (!route) {
  fail(
    `no Rust→wasm32 toolchain: run 'rustup target add ${target}', or on Debian (as root) 'apt-get install rustc-web cargo-web rust-web-src lld-22'.`,
  );
}

console.error(`certforge: building the core with ${route.name}...`);
const started = Date.now();
must(
  route.cargo,
  ["build", "--release", "--locked", "-p", "certforge-wasm", "--target", target, ...route.args],
  { env: { ...process.env, ...route.env } },
);
const built = join(here, "target", target, "release", "certforge_wasm.wasm");
mkdirSync(dirname(out), { recursive: true });
copyFileSync(built, out);
const kb = (statSync(out).size / 1024).toFixed(0);
console.error(
  `certforge: functions/wasm/certforge_core.wasm ${kb} KiB (${((Date.now() - started) / 1000).toFixed(1)} s)`,
);
