/**
 * Emulator end-to-end latency, run by bench.ts inside `firebase emulators:exec`
 * (emulators/run.mjs): speaker document created → certificate `ready`.
 *
 * 1. first delivery: one speaker on freshly started emulators (functions worker start,
 *    module load, renderer init, first render: the instance cold start as the emulator sees it);
 * 2. batch: 20 speakers of examples/speakers.json written in one batch; per speaker the time
 *    from the batch commit to the moment a snapshot listener sees `ready` (queueing included:
 *    the emulator runs one function invocation at a time, see emulators/README.md);
 * 3. one at a time: the same 20 names, each written when the previous one is ready.
 * Writes JSON to the path given as argument.
 */
import { writeFileSync } from 'node:fs';
import { SPEAKERS } from '../helpers/fixtures.js';
import { admin, createEvent, speakerRef } from '../helpers/emulator.js';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx test/bench/e2e.ts <out.json>');

/** Resolves with ms from `start` to `ready` for each id, using one snapshot listener. */
function readyTimes(
  eventId: string,
  ids: string[],
  start: () => number,
  timeoutMs = 180_000,
): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timeout: ${Object.keys(times).length}/${ids.length} ready`));
    }, timeoutMs);
    const unsubscribe = admin()
      .db.collection('events')
      .doc(eventId)
      .collection('speakers')
      .onSnapshot((snap) => {
        const now = performance.now();
        for (const doc of snap.docs) {
          const status = doc.get('certificate.status') as string | undefined;
          if (times[doc.id] !== undefined || !status || status === 'rendering') continue;
          if (status !== 'ready') {
            unsubscribe();
            clearTimeout(timer);
            reject(new Error(`${doc.id} ended ${status}: ${JSON.stringify(doc.get('certificate.error'))}`));
            return;
          }
          times[doc.id] = now - start();
        }
        if (ids.every((id) => times[id] !== undefined)) {
          unsubscribe();
          clearTimeout(timer);
          resolve(times);
        }
      }, reject);
  });
}

const firstEvent = await createEvent();
let t0 = 0;
const firstDone = readyTimes(firstEvent, ['first'], () => t0);
t0 = performance.now();
await speakerRef(firstEvent, 'first').set({ name: 'Cold Start', talk: { title: 'First delivery' } });
const first = (await firstDone).first!;

const eventId = await createEvent();
const picked = SPEAKERS.slice(0, 20);
let t1 = 0;
const batchDone = readyTimes(
  eventId,
  picked.map((s) => s.id),
  () => t1,
);
const batch = admin().db.batch();
for (const speaker of picked)
  batch.set(speakerRef(eventId, speaker.id), { name: speaker.name, talk: speaker.talk ?? {} });
t1 = performance.now();
await batch.commit();
const times = await batchDone;

// One at a time: each speaker is created when the previous one is ready (no queueing).
const seqEvent = await createEvent();
const sequentialMs: number[] = [];
for (const speaker of picked) {
  let t = 0;
  const done = readyTimes(seqEvent, [speaker.id], () => t);
  t = performance.now();
  await speakerRef(seqEvent, speaker.id).set({ name: speaker.name, talk: speaker.talk ?? {} });
  sequentialMs.push((await done)[speaker.id]!);
}

writeFileSync(out, JSON.stringify({ firstDeliveryMs: first, batchMs: picked.map((s) => times[s.id]), sequentialMs }));
process.exit(0);
