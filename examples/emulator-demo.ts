/**
 * `npm start`: the whole Firebase flow on the emulators, run by emulators/run.mjs
 * inside `firebase emulators:exec`.
 *
 * 1. creates an organizer (auth emulator) and a demo event from examples/event.json;
 * 2. adds the international speakers of examples/speakers.json in one batch: the real
 *    onSpeakerCreated trigger renders each certificate;
 * 3. waits for every speaker to be ready or failed, downloads the PDFs and PNGs into
 *    out/emulator/, prints a table (name, status, PDF bytes, ms from creation to ready);
 * 4. everyone else (examples/participants-demo.ts): attendees from a Zoom report, volunteers from
 *    a Spanish Excel list, and with CERTFORGE_DEMO_CONNECTORS=1 a real pretix and pretalx;
 * 5. keeps the emulators running until Ctrl-C (CERTFORGE_DEMO_EXIT=1: exit at once).
 *
 * Options (environment): CERTFORGE_DEMO_COUNT=N speakers (default all 24),
 * CERTFORGE_DEMO_JSON=<file> also writes the timings as JSON (used by the bench; it skips step 4),
 * CERTFORGE_DEMO_CONNECTORS=1 adds pretix and pretalx (Python 3.11+ with venv; installed on first use).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { participantsDemo } from './participants-demo.js';
import type * as AdminApp from '../functions/node_modules/firebase-admin/lib/app/index.js';
import type * as AdminAuth from '../functions/node_modules/firebase-admin/lib/auth/index.js';
import type * as AdminFirestore from '../functions/node_modules/firebase-admin/lib/firestore/index.js';
import type * as AdminStorage from '../functions/node_modules/firebase-admin/lib/storage/index.js';

const requireFromFunctions = createRequire(new URL('../functions/package.json', import.meta.url));
const { initializeApp } = requireFromFunctions('firebase-admin/app') as typeof AdminApp;
const { getAuth } = requireFromFunctions('firebase-admin/auth') as typeof AdminAuth;
const { getFirestore } = requireFromFunctions('firebase-admin/firestore') as typeof AdminFirestore;
const { getStorage } = requireFromFunctions('firebase-admin/storage') as typeof AdminStorage;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROJECT_ID = process.env.GCLOUD_PROJECT ?? 'demo-certforge';
const BUCKET = `${PROJECT_ID}.appspot.com`;
const OUT_DIR = join(ROOT, 'out', 'emulator');
const TIMEOUT_MS = 180_000;

interface ExampleSpeaker {
  id: string;
  name: string;
  email?: string;
  talk?: { title?: string };
}

interface Row {
  id: string;
  name: string;
  status: string;
  code?: string;
  pdfBytes?: number;
  msToReady?: number;
  file?: string;
}

/** The import bucket of the demo project (CERTFORGE_IMPORT_BUCKET in functions/.env.<project>), else the default one. */
function importBucketName(): string {
  try {
    const env = readFileSync(join(ROOT, 'functions', `.env.${PROJECT_ID}`), 'utf8');
    const line = env.split('\n').find((l) => l.startsWith('CERTFORGE_IMPORT_BUCKET='));
    return line?.slice('CERTFORGE_IMPORT_BUCKET='.length).trim() || BUCKET;
  } catch {
    return BUCKET;
  }
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[^\w]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
      .slice(0, 40) || 'speaker'
  );
}

/** Terminal columns of a string: wide East Asian characters take 2, combining marks 0. */
function columns(text: string): number {
  let width = 0;
  for (const char of text) {
    if (/\p{M}/u.test(char)) continue;
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char)
      ? 2
      : 1;
  }
  return width;
}

function pad(text: string, width: number): string {
  let out = text;
  if (columns(out) > width) {
    while (columns(out) > width - 1) out = [...out].slice(0, -1).join('');
    out += '…';
  }
  return out + ' '.repeat(Math.max(0, width - columns(out)));
}

async function main(): Promise<void> {
  if (!process.env.FIRESTORE_EMULATOR_HOST) throw new Error('Run through the emulators: npm start');
  process.env.STORAGE_EMULATOR_HOST ??= `http://${process.env.FIREBASE_STORAGE_EMULATOR_HOST}`;
  const app = initializeApp({ projectId: PROJECT_ID, storageBucket: BUCKET });
  const db = getFirestore(app);
  const bucket = getStorage(app).bucket(BUCKET);

  const examples = JSON.parse(readFileSync(join(ROOT, 'examples', 'speakers.json'), 'utf8')) as {
    event: { name: string; place: string };
    signatories: { name: string; role: string }[];
    speakers: ExampleSpeaker[];
  };
  const count = Number(process.env.CERTFORGE_DEMO_COUNT ?? examples.speakers.length);
  const speakers = examples.speakers.slice(0, count);

  const email = 'organizer@example.org';
  const password = 'certforge-demo';
  const auth = getAuth(app);
  const organizer = await auth
    .getUserByEmail(email)
    .catch(() => auth.createUser({ email, password, emailVerified: true }));
  await auth.setCustomUserClaims(organizer.uid, { organizer: true });

  const eventId = `demo-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
  await db
    .collection('events')
    .doc(eventId)
    .set({
      name: examples.event.name,
      date: '2026-03-12',
      place: examples.event.place,
      locale: 'en',
      templateId: 'classic',
      organizerUids: [organizer.uid],
      signatories: examples.signatories,
    });
  console.log(`Event events/${eventId}: adding ${speakers.length} speakers in one batch…`);

  const speakersRef = db.collection('events').doc(eventId).collection('speakers');
  const batch = db.batch();
  for (const speaker of speakers) {
    batch.set(speakersRef.doc(speaker.id), {
      name: speaker.name,
      ...(speaker.email ? { email: speaker.email } : {}),
      ...(speaker.talk ? { talk: speaker.talk } : {}),
    });
  }
  const createdAt = Date.now();
  await batch.commit();

  const settled = new Map<string, Row>();
  const deadline = createdAt + TIMEOUT_MS;
  while (settled.size < speakers.length && Date.now() < deadline) {
    const snap = await speakersRef.get();
    const now = Date.now();
    for (const doc of snap.docs) {
      const certificate = doc.get('certificate') as
        { status?: string; pdfBytes?: number; error?: { code: string } } | undefined;
      if (settled.has(doc.id) || !certificate || certificate.status === 'rendering') continue;
      settled.set(doc.id, {
        id: doc.id,
        name: doc.get('name') as string,
        status: certificate.status ?? '?',
        code: certificate.error?.code,
        pdfBytes: certificate.pdfBytes,
        msToReady: now - createdAt,
      });
    }
    if (settled.size < speakers.length) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  mkdirSync(OUT_DIR, { recursive: true });
  const rows: Row[] = [];
  for (const [index, speaker] of speakers.entries()) {
    const row = settled.get(speaker.id) ?? { id: speaker.id, name: speaker.name, status: 'timeout' };
    if (row.status === 'ready') {
      const certificate = (await speakersRef.doc(speaker.id).get()).get('certificate') as {
        certificateId: string;
        pdfPath: string;
      };
      const stem = `${String(index + 1).padStart(2, '0')}-${slug(speaker.id)}`;
      // The PNG preview is rendered on first request: ask the verification page for it, as a visitor would.
      const entry = await db.collection('certificates').doc(certificate.certificateId).get();
      const [[pdf], png] = await Promise.all([
        bucket.file(certificate.pdfPath).download(),
        fetch(`${entry.get('verifyUrl') as string}/preview.png`).then(async (res) => {
          if (!res.ok) throw new Error(`preview of ${certificate.certificateId}: HTTP ${res.status}`);
          return Buffer.from(await res.arrayBuffer());
        }),
      ]);
      writeFileSync(join(OUT_DIR, `${stem}.pdf`), pdf);
      writeFileSync(join(OUT_DIR, `${stem}.png`), png);
      row.file = `out/emulator/${stem}.pdf`;
    }
    rows.push(row);
  }

  console.log(`\n${pad('name', 42)} ${pad('status', 8)} ${'PDF bytes'.padStart(10)} ${'ms to ready'.padStart(12)}`);
  for (const row of rows) {
    console.log(
      `${pad(row.name, 42)} ${pad(row.code ? `${row.status} ${row.code}` : row.status, 8)} ${String(row.pdfBytes ?? '-').padStart(10)} ${String(row.msToReady ?? '-').padStart(12)}`,
    );
  }
  const latencies = rows
    .flatMap((row) => (row.status === 'ready' && row.msToReady !== undefined ? [row.msToReady] : []))
    .sort((a, b) => a - b);
  const quantile = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
  const ready = rows.filter((row) => row.status === 'ready').length;
  console.log(
    `\n${ready}/${rows.length} ready; creation → ready: median ${quantile(0.5)} ms, p90 ${quantile(0.9)} ms, last ${latencies.at(-1)} ms. Files in out/emulator/.`,
  );
  if (process.env.CERTFORGE_DEMO_JSON) {
    writeFileSync(
      process.env.CERTFORGE_DEMO_JSON,
      JSON.stringify({ eventId, rows, median: quantile(0.5), p90: quantile(0.9) }, null, 2),
    );
  }
  if (ready !== rows.length) process.exitCode = 1;

  let stopServers = () => Promise.resolve();
  if (!process.env.CERTFORGE_DEMO_JSON) {
    const importBucket = getStorage(app).bucket(importBucketName());
    const others = await participantsDemo({
      db,
      importBucket,
      eventId,
      root: ROOT,
      projectId: PROJECT_ID,
      organizer: { email, password },
    });
    stopServers = others.stop;
    console.log(`
${others.ready} of ${others.total} participants have a certificate; the others say why not (eligibility).`);
  }

  if (process.env.CERTFORGE_DEMO_EXIT === '1') {
    await stopServers();
    return;
  }
  console.log(
    [
      '',
      'The organizer console (Ctrl-C to stop the emulators):',
      `  open       http://127.0.0.1:5005/events/${eventId}`,
      `  sign in    ${email} / ${password} (organizer of this event; or create your own account there)`,
      '',
      'The emulators underneath:',
      `  functions  http://127.0.0.1:5001/${PROJECT_ID}/europe-west1/{generateCertificate,previewTemplate}`,
      '  firestore  127.0.0.1:8080   auth  127.0.0.1:9099   storage  127.0.0.1:9199   hosting  127.0.0.1:5005',
    ].join('\n'),
  );
  setInterval(() => undefined, 1 << 30); // stay up until Ctrl-C ends emulators:exec
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
