/**
 * What a function instance costs (issue 24), measured by bench.ts in fresh Node processes
 * (test/bench/function-cold.mjs), each figure with the platform's own floor beside it:
 *
 * - module load of every deployed function with its own FUNCTION_TARGET, with Node's compile
 *   cache (as deployed: gcp-build fills it) and without, against an empty function of the same
 *   trigger kind (firebase-functions' provider and nothing else, bundled as the functions are),
 *   with and without a cache;
 * - the issuing function's first certificate (process start → a signed PDF), step by step, and
 *   the floor of any function that writes to Firestore and Storage (an empty task function that
 *   loads firebase-admin's Firestore and Storage);
 * - peak RSS of an instance that issues (PDF only), then serves previews (PNG), and of 10,000
 *   renders across the bundled templates and example names with every tenth a PNG request
 *   (test/bench/render-memory.mjs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import { generateIssuerKey } from '../../functions/src/credential/issuer-key.js';
import { median, ms } from './figures.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const FUNCTIONS = join(ROOT, 'functions');
const RUNS = 3;

export type TriggerKind = 'firestore' | 'https' | 'tasks' | 'storage' | 'scheduler';

export interface TargetLoad {
  target: string;
  kind: TriggerKind;
  cachedMs: number;
  uncachedMs: number;
}

export interface FirstCertificate {
  moduleMs: number;
  handlerMs: number;
  rendererMs: number;
  compileMs: number;
  signMs: number;
  firstRenderMs: number;
  firstCertificateMs: number;
  sinceProcessStartMs: number;
  issueCpuMs: number;
  issueWallMs: number;
  steadyCpuMs: number;
  steadyWallMs: number;
  issuePeakRssMB: number;
  steadyPeakRssMB: number;
}

export interface RenderMemory {
  renders: number;
  pngs: number;
  peakRssMB: number;
  coreMemoryMB: number;
  seconds: number;
}

export interface InstanceCost {
  node: string;
  loads: TargetLoad[];
  floors: Record<TriggerKind, { cachedMs: number; uncachedMs: number }>;
  /** Empty task function + firebase-admin Firestore and Storage, with a compile cache. */
  ioFloorMs: number;
  ioFloorRssMB: number;
  first: FirstCertificate;
  /** The same from functions/lib/ (tsc's modules, not bundled): what dist/ is measured against. */
  firstUnbundled: Pick<FirstCertificate, 'moduleMs' | 'rendererMs' | 'firstCertificateMs' | 'sinceProcessStartMs'>;
  memory: RenderMemory;
}

/**
 * The environment every deployed function gets from functions/.env (firebase-tools deploys it;
 * the emulator's workers get it too): an instance is measured as it runs.
 */
export function deployedEnv(): NodeJS.ProcessEnv {
  deployed ??= readDeployedEnv();
  return deployed;
}
let deployed: NodeJS.ProcessEnv | undefined;

function readDeployedEnv(): NodeJS.ProcessEnv {
  const file = join(FUNCTIONS, '.env');
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Record<string, number & string>[] {
  const child = spawnSync(process.execPath, [join(HERE, script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...deployedEnv(), ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`${script} ${args.join(' ')} failed: ${child.stderr.slice(-2000)}`);
  return child.stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{"node"'))
    .map((line) => JSON.parse(line) as Record<string, number & string>);
}

/** Each deployed function's name and trigger kind, from its definition module's provider import. */
function deployedFunctions(): Array<{ target: string; kind: TriggerKind }> {
  const dir = join(FUNCTIONS, 'src', 'functions');
  const out: Array<{ target: string; kind: TriggerKind }> = [];
  for (const file of readdirSync(dir).sort()) {
    const source = readFileSync(join(dir, file), 'utf8');
    const kind = /from 'firebase-functions\/v2\/(firestore|https|tasks|storage|scheduler)'/.exec(source)?.[1];
    const target = /export const (\w+) =/.exec(source)?.[1];
    if (kind && target) out.push({ target, kind: kind as TriggerKind });
  }
  return out;
}

export async function measureInstanceCost(log: (message: string) => void): Promise<InstanceCost> {
  // The compile cache as a deploy leaves it (gcp-build), filled afresh by this build's modules.
  rmSync(join(FUNCTIONS, '.compile-cache'), { recursive: true, force: true });
  const fill = spawnSync(process.execPath, [join(FUNCTIONS, 'lib', 'cli', 'fill-compile-cache.js')], {
    cwd: FUNCTIONS,
    encoding: 'utf8',
  });
  if (fill.status !== 0) throw new Error(`fill-compile-cache failed: ${fill.stderr}`);
  const functions = deployedFunctions();
  log(
    `module load of ${functions.length} functions, each with its FUNCTION_TARGET, with and without the compile cache`,
  );
  let node = '';
  const loads: TargetLoad[] = [];
  for (const { target, kind } of functions) {
    const cached: number[] = [];
    const uncached: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [a] = run('function-cold.mjs', ['load', target]);
      const [b] = run('function-cold.mjs', ['load', target, '--no-cache'], { NODE_DISABLE_COMPILE_CACHE: '1' });
      node = a!.node;
      cached.push(a!.moduleMs);
      uncached.push(b!.moduleMs);
    }
    loads.push({ target, kind, cachedMs: median(cached), uncachedMs: median(uncached) });
  }
  run('function-cold.mjs', ['bundle-floors']);
  const floors = {} as InstanceCost['floors'];
  for (const kind of ['firestore', 'https', 'tasks', 'storage', 'scheduler'] as const) {
    run('function-cold.mjs', ['floor', kind, '--cache']); // fills its cache
    const cached: number[] = [];
    const uncached: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      cached.push(run('function-cold.mjs', ['floor', kind, '--cache'])[0]!.moduleMs);
      uncached.push(run('function-cold.mjs', ['floor', kind])[0]!.moduleMs);
    }
    floors[kind] = { cachedMs: median(cached), uncachedMs: median(uncached) };
  }
  run('function-cold.mjs', ['io-floor']); // fills its cache
  const io = [0, 1, 2].map(() => run('function-cold.mjs', ['io-floor'])[0]!);

  log('the issuing function: process start → first certificate, then its steady state (3 fresh processes)');
  const key = JSON.stringify(await generateIssuerKey('bench'));
  const firsts = [0, 1, 2].map(() => {
    const [first, steady] = run('function-cold.mjs', ['first'], { CERTFORGE_ISSUER_KEY: key });
    return { ...first, ...steady } as unknown as FirstCertificate;
  });
  const unbundled = [0, 1, 2].map(
    () => run('function-cold.mjs', ['first'], { CERTFORGE_ISSUER_KEY: key, CERTFORGE_BENCH_TREE: 'lib' })[0]!,
  );
  const firstUnbundled = Object.fromEntries(
    (['moduleMs', 'rendererMs', 'firstCertificateMs', 'sinceProcessStartMs'] as const).map((k) => [
      k,
      median(unbundled.map((u) => u[k])),
    ]),
  ) as InstanceCost['firstUnbundled'];
  const pick = (k: keyof FirstCertificate) => median(firsts.map((f) => f[k]));
  const first = Object.fromEntries(
    Object.keys(firsts[0]!)
      .filter((k) => typeof (firsts[0] as unknown as Record<string, unknown>)[k] === 'number')
      .map((k) => [
        k,
        k.endsWith('PeakRssMB')
          ? Math.max(...firsts.map((f) => f[k as keyof FirstCertificate]))
          : pick(k as keyof FirstCertificate),
      ]),
  ) as unknown as FirstCertificate;

  const count = Number(process.env.BENCH_MEMORY_RENDERS ?? 10_000);
  log(`${count} renders in one process (bundled templates, example names, every tenth a PNG): peak RSS`);
  const [memory] = run('render-memory.mjs', [String(count)]);
  return {
    node,
    loads,
    floors,
    ioFloorMs: median(io.map((r) => r.moduleMs)),
    ioFloorRssMB: median(io.map((r) => r.rssMB)),
    first,
    firstUnbundled,
    memory: memory as unknown as RenderMemory,
  };
}

/** The report's tables of a function instance's cost (markdown lines). */
export function reportInstanceCost(cost: InstanceCost): string[] {
  const lines: string[] = [];
  const p = (s = ''): number => lines.push(s);
  p(
    `Module load of each deployed function in a fresh Node process (${cost.node}) with its own \`FUNCTION_TARGET\`, as the runtime loads`,
  );
  p(
    "functions/dist/index.js (package.json's main: the esbuild bundle of functions/build-dist.mjs); with Node's compile cache as a deploy fills it (`gcp-build`) and without; the floor is an empty function of the",
  );
  p(
    "same trigger kind (firebase-functions' provider only), bundled as the functions are (build-dist.mjs `bundle`). Medians of 3, ms, Node's own boot excluded:",
  );
  p();
  p('| function | trigger | with compile cache | without | floor with cache | floor without |');
  p('|---|---|---:|---:|---:|---:|');
  for (const load of cost.loads) {
    const floor = cost.floors[load.kind];
    p(
      `| ${load.target} | ${load.kind} | ${ms(load.cachedMs)} | ${ms(load.uncachedMs)} | ${ms(floor.cachedMs)} | ${ms(floor.uncachedMs)} |`,
    );
  }
  p();
  const f = cost.first;
  p(
    "The issuing function's first certificate (issueCertificateTask; test/bench/function-cold.mjs `first`, medians of 3 fresh processes, ms):",
  );
  p();
  p(
    "| load its definition | first call: the handler's modules ∥ renderer ∥ credential libraries | then: read the key, sign the credential | renderer ready (from the first call) | compile the bundled template | render the PDF | script start → PDF | process start → PDF |",
  );
  p('|---:|---:|---:|---:|---:|---:|---:|---:|');
  p(
    `| ${ms(f.moduleMs)} | ${ms(f.handlerMs)} | ${ms(f.signMs)} | ${ms(f.rendererMs)} | ${ms(f.compileMs)} | ${ms(f.firstRenderMs)} | ${ms(f.firstCertificateMs)} | ${ms(f.sinceProcessStartMs)} |`,
  );
  p();
  const u = cost.firstUnbundled;
  p(
    `The same from functions/lib/ (tsc's modules, not bundled; medians of 3): load its definition ${ms(u.moduleMs)}, first call ${ms(u.rendererMs)}, script start → PDF ${ms(u.firstCertificateMs)}, process start → PDF ${ms(u.sinceProcessStartMs)} ms.`,
  );
  p();
  p(
    `The floor of any function that writes to Firestore and Storage (an empty task function loading firebase-admin's app, Firestore and Storage, bundled as the functions are, compile cache on): ${ms(cost.ioFloorMs)} ms, ${cost.ioFloorRssMB.toFixed(0)} MB RSS.`,
  );
  p();
  const m = cost.memory;
  p(
    `Memory: an issuing instance (all 24 example names on both bundled templates, PDF only) peaks at ${f.issuePeakRssMB.toFixed(0)} MB RSS; after the same with PNG (preview requests) ${f.steadyPeakRssMB.toFixed(0)} MB.`,
  );
  p(
    `${m.renders.toLocaleString('en')} renders in one process (test/bench/render-memory.mjs: bundled templates, example names, ${m.pngs.toLocaleString('en')} of them with the PNG): peak RSS ${m.peakRssMB.toFixed(0)} MB, core (wasm) memory ${m.coreMemoryMB.toFixed(0)} MiB, ${m.seconds.toFixed(0)} s.`,
  );
  const env = Object.entries(deployedEnv())
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  if (env) p(`Every process of this section ran with the functions' deployed environment (functions/.env): ${env}.`);
  return lines;
}
