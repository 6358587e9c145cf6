/**
 * Bulk issuance on the emulators (run by bench.ts inside `firebase emulators:exec`): N speakers
 * (default 1,000), then issueEventCertificates({ force: true }) as an organizer; time from the
 * call to `events/{id}.issuance.finishedAt` (every certificate ready and counted).
 *
 * The speakers are written with background triggers disabled (the emulator hub's
 * /functions/disableBackgroundTriggers), each with a settled placeholder certificate, so that
 * the creation trigger does not issue them first: the run renders all N through the task queue.
 * During the run the update trigger still fires for every claim and commit (a no-op for these
 * writes), as it would in production.
 *
 * Writes JSON to the path given as argument.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { SPEAKERS } from '../helpers/fixtures.js';
import { admin, callRaw, createEvent, createUser, speakerRef } from '../helpers/emulator.js';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx test/bench/bulk-issuance.ts <out.json> [count]');
const count = Number(process.argv[3] ?? 1000);
const HUB = `http://${process.env.FIREBASE_EMULATOR_HUB ?? '127.0.0.1:4400'}`;

/**
 * The Functions emulator's workers (one Node process per function instance) by pid, from /proc:
 * the function each runs, its RSS (what a function's memory setting must hold) and its CPU
 * seconds (user + system) so far; empty where there is no /proc.
 */
function workers(): Map<string, { target: string; rssMB: number; cpuS: number }> {
  const out = new Map<string, { target: string; rssMB: number; cpuS: number }>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('functionsEmulatorRuntime')) continue;
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      // /proc/<pid>/stat: utime and stime are fields 14 and 15, in clock ticks (100 a second).
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const cpuS = (Number(stat[11]) + Number(stat[12])) / 100;
      const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const target = env.find((e) => e.startsWith('FUNCTION_TARGET='))?.slice(16) ?? '?';
      if (rss) out.set(pid, { target, rssMB: Number(rss[1]) / 1024, cpuS });
    } catch {
      // the process ended between the listing and the read
    }
  }
  return out;
}

async function hub(path: string): Promise<void> {
  const res = await fetch(`${HUB}${path}`, { method: 'PUT' });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

const organizer = await createUser();
const eventId = await createEvent({ organizerUids: [organizer.uid] });
const { db } = admin();

await hub('/functions/disableBackgroundTriggers');
const seeded = performance.now();
for (let start = 0; start < count; start += 500) {
  const batch = db.batch();
  for (let i = start; i < Math.min(count, start + 500); i++) {
    const example = SPEAKERS[i % SPEAKERS.length]!;
    const name = `${example.name} ${i}`;
    batch.set(speakerRef(eventId, `b${String(i).padStart(5, '0')}`), {
      name,
      talk: example.talk,
      certificate: {
        status: 'failed',
        certificateId: `seed${i}`,
        claimId: 'seed',
        attemptId: 'seed',
        attempts: 0,
        templateId: 'classic',
        startedAt: new Date(),
        subject: { name, talkTitle: example.talk?.title ?? null },
        error: { code: 'SEED', message: 'bench placeholder' },
      },
    });
  }
  await batch.commit();
}
const seedMs = performance.now() - seeded;
await hub('/functions/enableBackgroundTriggers');

// The Firestore stand-in counts reads and writes (emulators/offline/firestore/op-stats.mjs);
// the official emulator has no such endpoint: the run then reports none.
async function firestoreStats(method: 'GET' | 'DELETE'): Promise<FirestoreStats | undefined> {
  try {
    const res = await fetch(`http://${process.env.FIRESTORE_EMULATOR_HOST}/certforge/v1/stats`, { method });
    return res.ok ? ((await res.json()) as FirestoreStats) : undefined;
  } catch {
    return undefined;
  }
}
export interface FirestoreStats {
  collections: Record<
    string,
    { reads: number; writes: number; maxWritesPerDocumentSecond: number; maxWritesPerDocumentSecondOver10s: number }
  >;
  hottest: { path: string | null; writesInOneSecond: number; writesPerSecondOver10s: number };
}
await firestoreStats('DELETE');
const cpuBefore = workers();

const t0 = performance.now();
const { body } = await callRaw('issueEventCertificates', { eventId, force: true }, organizer.idToken);
if (body.error) throw new Error(`issueEventCertificates: ${JSON.stringify(body.error)}`);
const enqueueMs = performance.now() - t0;
const run = body.result as { runId: string; total: number };

const progress: { ms: number; done: number }[] = [];
let issuance: Record<string, unknown> | undefined;
// Peak RSS of any one worker, and the most workers alive at once, sampled with the progress.
let workerPeakMB = 0;
let workersMax = 0;
const limitMs = Math.max(15, count / 1000) * 60_000;
for (;;) {
  issuance = (await db.collection('events').doc(eventId).get()).get('issuance') as Record<string, unknown>;
  const done = Number(issuance.ready) + Number(issuance.failed) + Number(issuance.skipped);
  if (progress.at(-1)?.done !== done) progress.push({ ms: Math.round(performance.now() - t0), done });
  const alive = [...workers().values()];
  workerPeakMB = Math.max(workerPeakMB, ...alive.map((w) => w.rssMB));
  workersMax = Math.max(workersMax, alive.length);
  if (issuance.finishedAt) break;
  if (performance.now() - t0 > limitMs)
    throw new Error(`not finished after ${limitMs / 60_000} min: ${JSON.stringify(issuance)}`);
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const totalMs = performance.now() - t0;
const stats = await firestoreStats('GET');
// CPU of every function worker during the run (the task, the triggers its writes fire, the
// callable): what the functions bill as CPU, Firestore and Storage client work included.
let workerCpuS = 0;
const cpuByFunction: Record<string, number> = {};
for (const [pid, w] of workers()) {
  const used = w.cpuS - (cpuBefore.get(pid)?.cpuS ?? 0);
  workerCpuS += used;
  cpuByFunction[w.target] = Number(((cpuByFunction[w.target] ?? 0) + (used * 1000) / count).toFixed(1));
}
const ready = (
  await db.collection('events').doc(eventId).collection('speakers').where('certificate.status', '==', 'ready').get()
).size;
const maxConcurrent = Number(process.env.CERTFORGE_TASK_MAX_CONCURRENT_REPORTED ?? 4);
writeFileSync(
  out,
  JSON.stringify({
    count,
    runId: run.runId,
    seedMs: Math.round(seedMs),
    enqueueMs: Math.round(enqueueMs),
    totalMs: Math.round(totalMs),
    issuance: { total: issuance.total, ready: issuance.ready, failed: issuance.failed, skipped: issuance.skipped },
    readyInFirestore: ready,
    workerPeakRssMB: Math.round(workerPeakMB),
    workerCpuMsPerCertificate: Number(((workerCpuS * 1000) / count).toFixed(1)),
    /** CPU ms per certificate by function (FUNCTION_TARGET of each worker). */
    cpuByFunction,
    firestore: stats,
    workers: workersMax,
    perSecond: Number((count / (totalMs / 1000)).toFixed(1)),
    maxConcurrentDispatches: maxConcurrent,
    perSecondPerInstance: Number((count / (totalMs / 1000) / maxConcurrent).toFixed(2)),
    progress,
  }),
);
process.exit(0);
