/**
 * functions/dist/ (functions/build-dist.mjs: lib/ bundled by esbuild) is what package.json's main
 * loads in Cloud Functions and the emulator. Checked here on the functions' Node (22, from npm):
 * - firebase-functions' loader (what firebase-tools' discovery runs at deploy and in the
 *   emulator) reads the same manifest from dist/ as from lib/: every endpoint with its trigger,
 *   options and parameter expressions, and every declared parameter;
 * - an instance with FUNCTION_TARGET loads from dist/ that function only, as lib/ does, and a
 *   Firestore trigger's definition without firebase-admin's Firestore (build-dist.mjs
 *   lazyRequires);
 * - every file of dist/ is valid JavaScript for Node 22 (`node --check`), and the one bundled
 *   package known to declare a top-level `URL` (read-excel-file) is loaded and parses a workbook
 *   in the emulator suite (test/integration/attendee-import.test.ts);
 * - every bundled module's body is a parenthesised function expression (compiled by V8 with its
 *   chunk, so Node's compile cache holds it), not esbuild's lazily compiled method.
 */
import { parse } from 'acorn';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FUNCTIONS = join(ROOT, 'functions');
const NODE22 = join(ROOT, 'node_modules', 'node', 'bin', 'node');
const LOADER = join(FUNCTIONS, 'node_modules', 'firebase-functions', 'lib', 'runtime', 'loader.js');

/** Runs `script` (an ES module body) on Node 22 in functions/ and parses its last line as JSON. */
function node22(script: string, env: NodeJS.ProcessEnv = {}): unknown {
  const r = spawnSync(NODE22, ['--input-type=module', '-e', script], {
    cwd: FUNCTIONS,
    encoding: 'utf8',
    env: { ...process.env, GCLOUD_PROJECT: 'demo-certforge', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** The manifest firebase-functions' loader reads from `tree`/index.js, as discovery does. */
function manifest(tree: 'lib' | 'dist'): { endpoints: Record<string, unknown>; params?: unknown[] } {
  return node22(
    `import { createRequire } from 'node:module';
     const { extractStack } = createRequire(${JSON.stringify(LOADER)})(${JSON.stringify(LOADER)});
     const mod = await import('./${tree}/index.js');
     const endpoints = {}, requiredAPIs = [], extensions = {};
     extractStack(mod, endpoints, requiredAPIs, extensions);
     const params = globalThis[Symbol.for('firebase-functions:params:declaredParams')].map((p) => p.toSpec());
     console.log(JSON.stringify({ endpoints, requiredAPIs, params }));`,
    { FUNCTIONS_CONTROL_API: 'true' },
  ) as { endpoints: Record<string, unknown>; params?: unknown[] };
}

describe('functions/dist (the deployed bundle)', () => {
  it('is what package.json main names, and is built', () => {
    const { main } = JSON.parse(readFileSync(join(FUNCTIONS, 'package.json'), 'utf8')) as { main: string };
    expect(main).toBe('dist/index.js');
    expect(existsSync(join(FUNCTIONS, main))).toBe(true);
  });

  it('gives firebase-tools the same manifest as lib/: endpoints, options and parameters', () => {
    const fromLib = manifest('lib');
    const fromDist = manifest('dist');
    expect(Object.keys(fromLib.endpoints).length).toBeGreaterThan(20);
    expect(fromLib.params!.length).toBeGreaterThan(10);
    expect(fromDist).toEqual(fromLib);
  });

  it('loads only the FUNCTION_TARGET of an instance', () => {
    for (const target of ['issueCertificateTask', 'verify', 'onParticipantWritten']) {
      const defined = node22(
        `const mod = await import('./dist/index.js');
         console.log(JSON.stringify(Object.entries(mod).filter(([, v]) => v !== undefined).map(([k]) => k)));`,
        { FUNCTION_TARGET: target },
      );
      expect(defined).toEqual([target]);
    }
  });

  it("loads a Firestore trigger's definition without firebase-admin's Firestore (gRPC comes with the first event)", () => {
    // firebase-functions' Firestore provider requires firebase-admin's Firestore (google-gax,
    // grpc-js, which loads Node's http2) at load; the bundle moves that to the first event
    // (build-dist.mjs lazyRequires). The event is decoded in the emulator suite (speaker-trigger).
    const loaded = node22(
      `const mod = await import('./dist/index.js');
       if (typeof mod.onSpeakerCreated !== 'function') throw new Error('onSpeakerCreated is not defined');
       console.log(JSON.stringify(process.moduleLoadList.filter((m) => m === 'NativeModule http2')));`,
      { FUNCTION_TARGET: 'onSpeakerCreated' },
    );
    expect(loaded).toEqual([]);
    // The same module list from lib/ (unbundled): the provider's eager require loads it there.
    const fromLib = node22(
      `await import('./lib/index.js');
       console.log(JSON.stringify(process.moduleLoadList.filter((m) => m === 'NativeModule http2')));`,
      { FUNCTION_TARGET: 'onSpeakerCreated' },
    );
    expect(fromLib).toEqual(['NativeModule http2']);
  });

  it('is valid JavaScript, file by file', () => {
    const dist = join(FUNCTIONS, 'dist');
    const files = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
    expect(files.length).toBeGreaterThan(50);
    const failed = files.filter(
      (file) => spawnSync(NODE22, ['--check', join(dist, file)], { encoding: 'utf8' }).status !== 0,
    );
    expect(failed).toEqual([]);
  });

  it('has every bundled module body compiled with its chunk (a parenthesised function)', () => {
    const dist = join(FUNCTIONS, 'dist');
    const bodies = { eager: 0, lazy: [] as string[] };
    for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(dist, file), 'utf8');
      const visit = (node: unknown): void => {
        if (node === null || typeof node !== 'object') return;
        if (Array.isArray(node)) return node.forEach(visit);
        const n = node as { type?: string; callee?: { type: string; name?: string }; arguments?: unknown[] };
        if (
          n.type === 'CallExpression' &&
          n.callee?.type === 'Identifier' &&
          (n.callee.name === '__commonJS' || n.callee.name === '__esm')
        ) {
          for (const property of (
            n.arguments![0] as { properties: Array<{ method: boolean; value: { type: string } }> }
          ).properties) {
            if (!property.method && property.value.type === 'ParenthesizedExpression') bodies.eager++;
            else
              bodies.lazy.push(
                `${file}: ${JSON.stringify(code.slice((property as { start?: number }).start, (property as { start?: number }).start! + 80))}`,
              );
          }
        }
        for (const [key, value] of Object.entries(node)) if (key !== 'type') visit(value);
      };
      visit(parse(code, { ecmaVersion: 'latest', sourceType: 'module', preserveParens: true }));
    }
    expect(bodies.lazy).toEqual([]);
    // firebase-admin, google-gax, grpc-js, protobufjs, jsonld, ... : hundreds of CommonJS modules.
    expect(bodies.eager).toBeGreaterThan(500);
  });
});
