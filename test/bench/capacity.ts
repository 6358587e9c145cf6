/**
 * The capacity model for 100,000 certificates in an hour (issue 24, goal 6), from what one bulk
 * run on the emulators measured (test/bench/bulk-issuance.ts): Firestore reads and writes per
 * certificate by collection and the busiest document (the Firestore stand-in counts them), CPU
 * per certificate by function (the emulator's workers), the run's rate and its workers' memory.
 *
 *   npm run bench:capacity            10,000 certificates through Cloud Tasks on the emulators,
 *                                     then this model → test/bench/capacity.md
 *   tsx test/bench/capacity.ts <bulk.json> [out.md]
 *
 * bench.ts prints the same model from its 1,000-certificate run.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FirestoreStats } from './bulk-issuance.js';
import { COUNTER_SHARDS } from '../../functions/src/issue/bulk-issuance.js';
import { ms, PRICES } from './figures.js';

/** What test/bench/bulk-issuance.ts writes. */
export interface BulkRun {
  count: number;
  seedMs: number;
  totalMs: number;
  enqueueMs: number;
  perSecond: number;
  maxConcurrentDispatches: number;
  perSecondPerInstance: number;
  issuance: { total: number; ready: number; failed: number; skipped: number };
  readyInFirestore: number;
  /** Peak RSS of any one Functions emulator worker (one per instance), and the most workers at once. */
  workerPeakRssMB: number;
  workers: number;
  workerCpuMsPerCertificate: number;
  cpuByFunction: Record<string, number>;
  firestore?: FirestoreStats;
  progress: { ms: number; done: number }[];
}

/** The target: 100,000 certificates in one hour. */
const TARGET_PER_HOUR = 100_000;
/** Defaults of functions/src/config.ts and the function options. */
const QUEUE = { maxConcurrentDispatches: 48, maxDispatchesPerSecond: 100 };
const INSTANCE = { concurrency: 8, vcpu: 1, memoryGiB: 0.25 };
/** Firestore's documented soft limit: about one sustained write per second per document. */
const DOC_WRITES_PER_SECOND = 1;

export function capacityModel(run: BulkRun): string[] {
  const lines: string[] = [];
  const p = (s = ''): number => lines.push(s);
  const rate = TARGET_PER_HOUR / 3600;
  const n = run.count;
  p(
    `Measured: ${n.toLocaleString('en')} certificates through issueEventCertificates and the task queue on the emulators (this machine: ${cpus().length} cores), ` +
      `${(run.totalMs / 1000).toFixed(1)} s (${run.perSecond}/s with ${run.maxConcurrentDispatches} concurrent dispatches), ` +
      `ready ${run.issuance.ready}, failed ${run.issuance.failed}, skipped ${run.issuance.skipped}; at most ${run.workers} function workers at once, ` +
      `the largest ${run.workerPeakRssMB} MB RSS.`,
  );
  p();
  // Per certificate, by function (CPU) and by collection (Firestore).
  p('CPU per certificate by function (the emulator workers, user + system; Firestore and Storage clients included):');
  p();
  p('| function | CPU ms per certificate |');
  p('|---|---:|');
  for (const [fn, cpu] of Object.entries(run.cpuByFunction).sort((a, b) => b[1] - a[1])) p(`| ${fn} | ${ms(cpu)} |`);
  p(`| all | ${ms(run.workerCpuMsPerCertificate)} |`);
  p();
  let readsPerCert = 0;
  let writesPerCert = 0;
  if (run.firestore) {
    p('Firestore per certificate, by collection (the stand-in counts every document read and written):');
    p();
    p(
      `| collection | reads | writes | busiest document, writes in 1 s / per s over 10 s (measured) | at ${TARGET_PER_HOUR.toLocaleString('en')}/h (per document, sustained) |`,
    );
    p('|---|---:|---:|---:|---:|');
    const entries = Object.entries(run.firestore.collections).sort(
      (a, b) => b[1].writes + b[1].reads - (a[1].writes + a[1].reads),
    );
    for (const [collection, c] of entries) {
      readsPerCert += c.reads / n;
      writesPerCert += c.writes / n;
      // What one document of the collection takes at the target rate: the shards share the
      // run's tallies; the event document is written once per progress step; a certificate's
      // own documents are written a fixed number of times each.
      let atTarget: string;
      if (collection.endsWith('/shards/*')) atTarget = `${ms(((c.writes / n) * rate) / COUNTER_SHARDS)}/s`;
      else if (/^events\/\*$/.test(collection)) atTarget = `${c.writes} per run of ${n.toLocaleString('en')}`;
      else atTarget = `${ms(c.writes / n)} per certificate`;
      p(
        `| ${collection} | ${ms(c.reads / n)} | ${ms(c.writes / n)} | ${c.maxWritesPerDocumentSecond} / ${ms(c.maxWritesPerDocumentSecondOver10s)} | ${atTarget} |`,
      );
    }
    p(`| all | ${ms(readsPerCert)} | ${ms(writesPerCert)} | | |`);
    p();
  } else {
    p('(Firestore counts: only the offline stand-in counts reads and writes; this run used the official emulator.)');
    p();
  }
  // The model.
  const taskMs = run.cpuByFunction.issueCertificateTask ?? run.workerCpuMsPerCertificate;
  const allCpuS = (run.workerCpuMsPerCertificate / 1000) * TARGET_PER_HOUR;
  const taskLatencyS = run.maxConcurrentDispatches / run.perSecond; // emulator: an upper bound
  const concurrentNeeded = rate * taskLatencyS;
  const instancesByCpu = (rate * run.workerCpuMsPerCertificate) / 1000 / INSTANCE.vcpu / 0.7;
  const instancesByConcurrency = concurrentNeeded / INSTANCE.concurrency;
  const invocationsPerCert = 3; // the task + the update trigger on claim and on commit
  const bill = {
    cpu: allCpuS * PRICES.vcpuSecond,
    memory: allCpuS * INSTANCE.memoryGiB * PRICES.gibSecond,
    invocations: ((TARGET_PER_HOUR * invocationsPerCert) / 1e6) * PRICES.perMillionInvocations,
    tasks: (TARGET_PER_HOUR / 1e6) * PRICES.tasksPerMillion,
    storage: (TARGET_PER_HOUR / 1e4) * PRICES.storageClassAPer10k,
    reads: ((readsPerCert * TARGET_PER_HOUR) / 1e5) * PRICES.firestoreReadsPer100k,
    writes: ((writesPerCert * TARGET_PER_HOUR) / 1e5) * PRICES.firestoreWritesPer100k,
  };
  const total = Object.values(bill).reduce((a, b) => a + b, 0);
  const shardWritesPerCert =
    (Object.entries(run.firestore?.collections ?? {}).find(([k]) => k.endsWith('/shards/*'))?.[1].writes ?? n) / n;
  p(`The model for ${TARGET_PER_HOUR.toLocaleString('en')} certificates in an hour (${ms(rate)} a second):`);
  p();
  p("| | needed | certforge's setting / the platform's limit | |");
  p('|---|---:|---|---|');
  p(
    `| task dispatches per second | ${ms(rate)} | maxDispatchesPerSecond ${QUEUE.maxDispatchesPerSecond} (Cloud Tasks: 500 per queue) | fits |`,
  );
  p(
    `| tasks running at once (rate × ${ms(taskLatencyS)} s per task, the emulator's latency: an upper bound) | ${ms(concurrentNeeded)} | maxConcurrentDispatches ${QUEUE.maxConcurrentDispatches} | ${concurrentNeeded <= QUEUE.maxConcurrentDispatches ? 'fits' : '**raise CERTFORGE_TASK_MAX_CONCURRENT**'} |`,
  );
  p(
    `| instances (1 vCPU, concurrency ${INSTANCE.concurrency}; by CPU at 70 % / by concurrency) | ${ms(Math.max(instancesByCpu, instancesByConcurrency))} (${ms(instancesByCpu)} / ${ms(instancesByConcurrency)}) | maxInstances: none set (Cloud Run's default 100) | fits |`,
  );
  p(
    `| Firestore writes per second (all collections) | ${ms(writesPerCert * rate)} | Standard edition: no fixed database limit; 500/s to a collection with a sequentially indexed field before it must ramp ("500/50/5") | fits |`,
  );
  p(
    `| writes per second to the busiest counter shard | ${ms((rate * shardWritesPerCert) / COUNTER_SHARDS)} | ~${DOC_WRITES_PER_SECOND} sustained per document | fits (${COUNTER_SHARDS} shards) |`,
  );
  p(
    `| Storage object writes per second (one PDF each) | ${ms(rate)} | no limit across objects; 1/s per object name | fits |`,
  );
  p();
  p(
    "The bill of those 100,000 (list prices, before free tiers; CPU time billed at 1 vCPU, instance memory 256 MiB, the issuing functions' setting):",
  );
  p();
  p('| CPU | memory | invocations | Cloud Tasks | Storage writes | Firestore reads | Firestore writes | total |');
  p('|---:|---:|---:|---:|---:|---:|---:|---:|');
  p(
    `| $${bill.cpu.toFixed(2)} | $${bill.memory.toFixed(2)} | $${bill.invocations.toFixed(2)} | $${bill.tasks.toFixed(2)} | $${bill.storage.toFixed(2)} | $${bill.reads.toFixed(2)} | $${bill.writes.toFixed(2)} | $${total.toFixed(2)} |`,
  );
  p();
  p(
    `CPU: ${ms(run.workerCpuMsPerCertificate)} ms per certificate over all functions (the task ${ms(taskMs)} ms), as the emulator's workers used it. ` +
      `Firestore: ${ms(readsPerCert)} reads and ${ms(writesPerCert)} writes per certificate.`,
  );
  return lines;
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const [input, output] = process.argv.slice(2);
  if (!input) throw new Error('usage: tsx test/bench/capacity.ts <bulk.json> [out.md]');
  const run = JSON.parse(readFileSync(input, 'utf8')) as BulkRun;
  const text = [
    '# certforge capacity: 100,000 certificates in an hour',
    '',
    `Written by \`npm run bench:capacity\` (test/bench/capacity.ts) on ${new Date().toISOString().slice(0, 10)}; the design behind it: docs/capacity.md.`,
    '',
    ...capacityModel(run),
    '',
  ].join('\n');
  if (output) writeFileSync(output, text);
  process.stdout.write(text);
}
