/**
 * The second half of `npm start` (examples/emulator-demo.ts): everyone else who took part.
 *
 * 1. the event gets roles (docs/participants.md): in-person attendees earn their certificate with
 *    a check-in, online attendees (an organizer-defined role) with 60 minutes in the meeting,
 *    volunteers and moderators on arrival;
 * 2. a Zoom participant report (examples/zoom-participants.csv: rejoins, a second device, the
 *    waiting room) is uploaded to imports/{eventId}/online/, a volunteer list saved by Excel in
 *    Spanish (examples/voluntarios.csv: semicolons, `Nombre;Apellidos;Correo electrónico;Rol`) to
 *    imports/{eventId}/volunteers/: the real import and participant triggers do the rest;
 * 3. with CERTFORGE_DEMO_CONNECTORS=1, a real pretix and pretalx (from PyPI, on loopback:
 *    test/helpers/pretix-server.ts, pretalx-server.ts) are started and connected through the
 *    connectSource callable: tickets and check-ins become attendees (a check-in after connecting
 *    arrives by pretix's webhook), confirmed talks become speakers, co-speakers included.
 *
 * Prints one table of every participant: role, source, eligibility, certificate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as AdminFirestore from '../functions/node_modules/firebase-admin/lib/firestore/index.js';
import type * as AdminStorage from '../functions/node_modules/firebase-admin/lib/storage/index.js';

type Firestore = AdminFirestore.Firestore;
type Bucket = ReturnType<AdminStorage.Storage['bucket']>;

export interface DemoContext {
  db: Firestore;
  importBucket: Bucket;
  eventId: string;
  root: string;
  projectId: string;
  organizer: { email: string; password: string };
}

const FUNCTIONS = (projectId: string) => `http://127.0.0.1:5001/${projectId}/europe-west1`;

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A callable as the organizer: signed in through the auth emulator's REST API, as a browser would. */
async function callAsOrganizer(context: DemoContext, name: string, data: unknown): Promise<Record<string, unknown>> {
  const signIn = await fetch(
    `http://127.0.0.1:9099/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...context.organizer, returnSecureToken: true }),
    },
  );
  const { idToken } = (await signIn.json()) as { idToken: string };
  const res = await fetch(`${FUNCTIONS(context.projectId)}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${idToken}` },
    body: JSON.stringify({ data }),
  });
  const body = (await res.json()) as { result?: Record<string, unknown>; error?: { message: string } };
  if (!body.result) throw new Error(`${name}: ${body.error?.message ?? res.status}`);
  return body.result;
}

async function importFile(context: DemoContext, folder: string, file: string, contentType: string) {
  const path = `imports/${context.eventId}/${folder}/${file}`;
  await context.importBucket
    .file(path)
    .save(readFileSync(join(context.root, 'examples', file)), { contentType, resumable: false });
  await until(
    `the import of ${file}`,
    async () => {
      const [metadata] = await context.importBucket.file(path).getMetadata();
      return (metadata.metadata ?? {}) as Record<string, string>;
    },
    (custom) => custom.certforgeImportStatus !== undefined,
  );
}

interface Connected {
  stop(): Promise<void>;
  expected: number;
}

/** A real pretix and pretalx, seeded and connected (CERTFORGE_DEMO_CONNECTORS=1). */
async function connectServers(context: DemoContext): Promise<Connected> {
  const { startPretix } = await import('../test/helpers/pretix-server.js');
  const { startPretalx } = await import('../test/helpers/pretalx-server.js');
  console.log('Starting a local pretix and pretalx (first run: installs them, a few minutes)…');
  const [pretix, pretalx] = await Promise.all([startPretix({ allowMultipleEntries: true }), startPretalx()]);
  const order = await pretix.createOrder(
    [
      { nameParts: { given_name: 'Chiamaka', family_name: 'Okonkwo' } },
      { name: 'Rasmus Lindqvist' },
      { name: 'Ana Lúcia Souza' },
    ],
    { paid: true, buyerName: 'Company Purchasing Dept.' },
  );
  await pretix.checkIn(order.positionIds[0]!, '2026-09-14T09:05:00Z');
  const connected = await callAsOrganizer(context, 'connectSource', {
    eventId: context.eventId,
    system: 'pretix',
    baseUrl: pretix.baseUrl,
    organizer: pretix.organizer,
    event: pretix.event,
    token: pretix.token,
  });
  await pretix.createWebhook(String(connected.webhookUrl), [
    'pretix.event.order.paid',
    'pretix.event.checkin',
    'pretix.event.order.canceled',
  ]);
  // After connecting: this check-in reaches certforge through pretix's webhook.
  await pretix.checkIn(order.positionIds[1]!, '2026-09-14T09:40:00Z');

  const talk = await pretalx.createSubmission({
    title: 'Accessible certificates for everyone',
    speakers: [
      { name: 'Yui Nakamura', email: 'yui@example.jp' },
      { name: 'Oluwaseun Adeyemi', email: 'seun@example.org' },
    ],
  });
  await pretalx.setState(talk.code, 'confirmed');
  await callAsOrganizer(context, 'connectSource', {
    eventId: context.eventId,
    system: 'pretalx',
    baseUrl: pretalx.baseUrl,
    event: pretalx.event,
    token: pretalx.token,
  });
  return {
    expected: 3 + 2,
    async stop() {
      await Promise.all([pretix.stop(), pretalx.stop()]);
    },
  };
}

export async function participantsDemo(
  context: DemoContext,
): Promise<{ ready: number; total: number; stop(): Promise<void> }> {
  const event = context.db.collection('events').doc(context.eventId);
  await event.update({
    roles: {
      // A hybrid event: in person, a check-in (pretix); online, 60 minutes in the Zoom meeting.
      attendee: { eligibility: { checkins: 1 } },
      online: { label: { en: 'Online attendee', es: 'Asistente en línea' }, eligibility: { minutes: 60 } },
      volunteer: { wording: 'Volunteered at the registration desk' },
    },
  });
  console.log('\nParticipants: a Zoom report (online attendees: 60 minutes) and a Spanish Excel list of volunteers…');
  await importFile(context, 'online', 'zoom-participants.csv', 'text/csv');
  await importFile(context, 'volunteers', 'voluntarios.csv', 'text/csv');
  const participants = event.collection('participants');
  // The imports have written their people once their files are tagged.
  const imported = (await participants.get()).size;
  const connectors = process.env.CERTFORGE_DEMO_CONNECTORS === '1' ? await connectServers(context) : undefined;

  const speakers = event.collection('speakers');
  // Settled: a certificate ready or failed, or an eligibility record saying why not.
  const settled = (doc: AdminFirestore.QueryDocumentSnapshot) => {
    const status = doc.get('certificate.status') as string | undefined;
    return status === 'ready' || status === 'failed' || doc.get('eligibility.eligible') === false;
  };
  const people = await until(
    'every participant to settle',
    async () => [
      ...(await participants.get()).docs,
      ...(await speakers.where('source.system', '==', 'pretalx').get()).docs,
    ],
    (docs) => docs.length >= imported + (connectors?.expected ?? 0) && docs.every(settled),
  );

  console.log(`\n${'name'.padEnd(30)} ${'role'.padEnd(10)} ${'source'.padEnd(8)} ${'evidence'.padEnd(16)} certificate`);
  let ready = 0;
  for (const doc of people.sort((a, b) => String(a.get('name')).localeCompare(String(b.get('name'))))) {
    const role = (doc.ref.parent.id === 'speakers' ? 'speaker' : doc.get('role')) as string;
    const source = (doc.get('source.system') as string | undefined) ?? 'import';
    const evidence = doc.get('eligibility.evidence') as { minutes: number; checkins: number } | undefined;
    const status = doc.get('certificate.status') as string | undefined;
    if (status === 'ready') ready++;
    const shown = !evidence
      ? ''
      : evidence.minutes
        ? `${evidence.minutes} min`
        : evidence.checkins
          ? `${evidence.checkins} check-in(s)`
          : '';
    const outcome = status ?? `not eligible: ${doc.get('eligibility.code') as string}`;
    console.log(
      `${String(doc.get('name')).padEnd(30)} ${role.padEnd(10)} ${source.padEnd(8)} ${shown.padEnd(16)} ${outcome}`,
    );
  }
  return { ready, total: people.length, stop: () => connectors?.stop() ?? Promise.resolve() };
}
