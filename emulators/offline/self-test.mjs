#!/usr/bin/env node
/**
 * Self-test of the offline Firestore stand-in, without firebase-tools (a few seconds):
 *
 *   node emulators/offline/self-test.mjs        (Node 22: firebase-admin 14)
 *
 * Starts firestore-standin.mjs on a free port with a fake "functions emulator" (a local HTTP
 * server that records the events it receives), then checks with firebase-admin (from
 * functions/node_modules) the data-plane behaviour the stand-in fixes or adds over
 * @firestore-emulator/server, and the trigger protocol (registration, CloudEvent headers,
 * DocumentEventData body, hot-reload replacement). Run it after upgrading that library.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const PROJECT = 'demo-selftest';

const freePort = () =>
  new Promise((res, rej) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });

// ---- a fake functions emulator that records CloudEvents -------------------------------------

const events = [];
const functionsPort = await freePort();
const functionsServer = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const trigger = /\/functions\/projects\/[^/]+\/triggers\/(.+)$/.exec(req.url)?.[1];
    if (trigger === 'us-central1-gone-0') {
      res.writeHead(404).end('no such function');
      return;
    }
    events.push({ trigger, headers: req.headers, body: Buffer.from(Buffer.concat(chunks).toString('utf8'), 'base64') });
    res.writeHead(204).end();
  });
});
await new Promise((r) => functionsServer.listen(functionsPort, '127.0.0.1', r));

/** Splits a protobuf message into its length-delimited fields: { fieldNumber: [Buffer] }. */
function protoFields(buf) {
  const out = {};
  let i = 0;
  const varint = () => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++];
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const key = varint();
    assert.equal(key & 7, 2, 'only length-delimited fields expected');
    const len = varint();
    (out[key >> 3] ??= []).push(buf.subarray(i, i + len));
    i += len;
  }
  return out;
}

// ---- the stand-in ---------------------------------------------------------------------------

const port = await freePort();
const standin = spawn(process.execPath, [join(here, 'firestore-standin.mjs'), '--host', '127.0.0.1', '--port', String(port), '--functions_emulator', `127.0.0.1:${functionsPort}`], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, CERTFORGE_TRIGGER_CONCURRENCY: '2' },
});
let standinLog = '';
standin.stdout.on('data', (d) => (standinLog += d));
const base = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await (await fetch(`${base}/`)).text()).startsWith('Ok')) break;
  } catch {
    if (i > 100) throw new Error(`stand-in did not start:\n${standinLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const requireFromFunctions = createRequire(join(repoRoot, 'functions', 'package.json'));
process.env.FIRESTORE_EMULATOR_HOST = `127.0.0.1:${port}`;
process.env.METADATA_SERVER_DETECTION ??= 'none'; // no GCE credential probe
const { initializeApp } = requireFromFunctions('firebase-admin/app');
const { getFirestore, FieldValue, Filter, Timestamp } = requireFromFunctions('firebase-admin/firestore');
const standinRequire = createRequire(join(here, 'firestore-standin.mjs'));
const { Document } = createRequire(standinRequire.resolve('@firestore-emulator/server'))('@firestore-emulator/proto/dist/google/firestore/v1/document');
const db = getFirestore(initializeApp({ projectId: PROJECT }, 'self-test'));

const results = [];
async function check(name, fn) {
  try {
    await fn();
    results.push(`ok    ${name}`);
  } catch (error) {
    results.push(`FAIL  ${name}: ${String(error?.message ?? error).split('\n')[0]}`);
  }
}
const register = (id, eventType, document) =>
  fetch(`${base}/emulator/v1/projects/${PROJECT}/eventarcTrigger?eventarcTriggerId=${id}`, {
    method: 'POST',
    // firebase-tools sends the body as a JSON-encoded string
    body: JSON.stringify(JSON.stringify({ eventType, database: '(default)', namespace: '(default)', document: { value: document, matchType: 'PATH_PATTERN' } })),
  });
const waitFor = async (what, predicate, ms = 5000) => {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

// ---- control plane and triggers ---------------------------------------------------------------

await check('control plane: rules upload accepted with a warning issue', async () => {
  const res = await fetch(`${base}/emulator/v1/projects/${PROJECT}:securityRules`, { method: 'PUT', body: JSON.stringify({ rules: { files: [{ content: 'x' }] } }) });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).issues[0].severity, 'WARNING');
});

await check('triggers: created event (headers + DocumentEventData)', async () => {
  assert.equal((await register('us-central1-onSpeaker-0', 'google.cloud.firestore.document.v1.created', 'events/{eventId}/speakers/{speakerId}')).status, 200);
  await db.doc('events/e1/speakers/s1').set({ name: 'Ada' });
  await waitFor('created event', () => events.length === 1);
  const { trigger, headers, body } = events[0];
  assert.equal(trigger, 'us-central1-onSpeaker-0');
  assert.equal(headers['content-type'], 'application/protobuf');
  assert.equal(headers['ce-type'], 'google.cloud.firestore.document.v1.created');
  assert.equal(headers['ce-document'], 'events/e1/speakers/s1');
  assert.equal(headers['ce-subject'], 'documents/events/e1/speakers/s1');
  assert.equal(headers['ce-source'], `//firestore.googleapis.com/projects/${PROJECT}/databases/(default)`);
  assert.ok(headers['ce-id'] && headers['ce-time'] && headers['ce-specversion'] === '1.0');
  const fields = protoFields(body);
  assert.ok(fields[1] && !fields[2], 'value only');
  const doc = Document.deserializeBinary(fields[1][0]);
  assert.equal(doc.name, `projects/${PROJECT}/databases/(default)/documents/events/e1/speakers/s1`);
  assert.equal(doc.fields.get('name').string_value, 'Ada');
});

await check('triggers: updated/written/deleted with old value and update mask', async () => {
  await register('us-central1-written-0', 'google.cloud.firestore.document.v1.written', 'events/{eventId}/speakers/{speakerId}');
  events.length = 0;
  await db.doc('events/e1/speakers/s1').update({ seen: true });
  await waitFor('written (update)', () => events.length === 1);
  const update = protoFields(events[0].body);
  assert.ok(update[1] && update[2] && update[3], 'value, old_value, update_mask');
  assert.deepEqual(protoFields(update[3][0])[1].map(String), ['seen']);
  await db.doc('events/e1/speakers/s1').delete();
  await waitFor('written (delete)', () => events.length === 2);
  const del = protoFields(events[1].body);
  assert.ok(!del[1] && del[2], 'old_value only');
});

await check('triggers: new generation replaces the old registration; 404 unregisters', async () => {
  await register('us-central1-onSpeaker-1', 'google.cloud.firestore.document.v1.created', 'events/{eventId}/speakers/{speakerId}');
  await register('us-central1-gone-0', 'google.cloud.firestore.document.v1.created', 'events/{id}/speakers/{s}');
  events.length = 0;
  await db.doc('events/e1/speakers/s2').set({ name: 'Grace' });
  await waitFor('events', () => events.length === 2);
  assert.deepEqual(events.map((e) => e.trigger).sort(), ['us-central1-onSpeaker-1', 'us-central1-written-0']);
  await waitFor('404 unregisters', () => standinLog.includes('us-central1-gone-0 is unknown'));
  const ids = (await (await fetch(`${base}/certforge/v1/triggers`)).json()).triggers.map((t) => t.id).sort();
  assert.deepEqual(ids, ['us-central1-onSpeaker-1', 'us-central1-written-0']);
});

await check('triggers: {path=**} and withAuthContext', async () => {
  await register('us-central1-deep-0', 'google.cloud.firestore.document.v1.created.withAuthContext', 'logs/{path=**}');
  events.length = 0;
  await db.doc('logs/a/b/c').set({ x: 1 });
  await waitFor('deep event', () => events.some((e) => e.trigger === 'us-central1-deep-0'));
  const e = events.find((x) => x.trigger === 'us-central1-deep-0');
  assert.equal(e.headers['ce-authtype'], 'admin');
});

// ---- data plane ------------------------------------------------------------------------------

const c = (id) => db.doc(`dp/root/x/${id}`);
await check('set() replaces, merge keeps', async () => {
  await c('1').set({ a: 1, m: { x: 1 } });
  await c('1').set({ b: 2 });
  assert.deepEqual((await c('1').get()).data(), { b: 2 });
  await c('1').set({ m: { y: 2 } }, { merge: true });
  assert.deepEqual((await c('1').get()).data(), { b: 2, m: { y: 2 } });
});
await check('FieldValue.delete() (top-level and nested)', async () => {
  await c('2').set({ a: 1, b: 2, m: { x: 1, y: 2 } });
  await c('2').update({ a: FieldValue.delete(), 'm.x': FieldValue.delete() });
  assert.deepEqual((await c('2').get()).data(), { b: 2, m: { y: 2 } });
});
await check('several and nested field transforms', async () => {
  await c('3').set({ n: 1, arr: ['a'], s: { c: 1 } });
  await c('3').set({ t: FieldValue.serverTimestamp(), n: FieldValue.increment(2), arr: FieldValue.arrayUnion('b', 'a') }, { merge: true });
  await c('3').update({ 's.c': FieldValue.increment(1), arr: FieldValue.arrayRemove('a'), u: FieldValue.serverTimestamp() });
  const d = (await c('3').get()).data();
  assert.equal(d.n, 3);
  assert.deepEqual(d.arr, ['b']);
  assert.equal(d.s.c, 2);
  assert.ok(d.t instanceof Timestamp && d.u instanceof Timestamp);
});
await check('preconditions: a failed create() leaves the batch unwritten', async () => {
  const batch = db.batch();
  batch.set(c('4'), { v: 1 });
  batch.create(c('1'), { v: 1 });
  await assert.rejects(batch.commit(), /already exists/i);
  assert.equal((await c('4').get()).exists, false);
  await assert.rejects(c('missing').update({ a: 1 }), /No document to update/);
});
await check('transactions: 10 concurrent read-modify-write increments', async () => {
  const r = db.doc('tx/counter');
  await r.set({ n: 0 });
  await Promise.all(
    Array.from({ length: 10 }, () =>
      db.runTransaction(async (tx) => {
        const s = await tx.get(r);
        tx.update(r, { n: s.get('n') + 1 });
      }),
    ),
  );
  assert.equal((await r.get()).get('n'), 10);
});
await check('queries: collectionGroup, cursors, offset, nested, OR, select, count', async () => {
  await db.doc('cg/a/sub/1').set({ k: 1 });
  await db.doc('cg/b/sub/2').set({ k: 2 });
  assert.deepEqual((await db.collectionGroup('sub').where('k', '>=', 1).get()).docs.map((d) => d.id), ['1', '2']);
  const p = db.collection('p');
  for (let i = 1; i <= 5; i++) await p.doc(String(i)).set({ n: i, tag: i % 2 ? 'odd' : 'even', m: { v: 10 - i } });
  assert.deepEqual((await p.orderBy('n').startAfter(2).limit(2).get()).docs.map((d) => d.id), ['3', '4']);
  assert.deepEqual((await p.orderBy('n', 'desc').offset(1).endAt(3).get()).docs.map((d) => d.id), ['4', '3']);
  assert.deepEqual((await p.where('m.v', '<', 7).orderBy('m.v').get()).docs.map((d) => d.id), ['5', '4']);
  const or = Filter.or(Filter.where('n', '==', 1), Filter.and(Filter.where('tag', '==', 'even'), Filter.where('n', '>', 2)));
  assert.deepEqual((await p.where(or).get()).docs.map((d) => d.id), ['1', '4']);
  assert.deepEqual((await p.select('n').limit(1).get()).docs[0].data(), { n: 1 });
  assert.equal((await p.where('n', '>', 3).count().get()).data().count, 2);
});
await check('listCollections, listDocuments, BulkWriter, recursiveDelete', async () => {
  assert.deepEqual((await db.doc('cg/b').listCollections()).map((x) => x.id), ['sub']);
  assert.deepEqual((await db.collection('cg').listDocuments()).map((x) => x.id), ['a', 'b']);
  const bw = db.bulkWriter();
  for (let i = 0; i < 25; i++) bw.set(db.doc(`bw/${i}`), { i });
  await bw.close();
  assert.equal((await db.collection('bw').count().get()).data().count, 25);
  await db.recursiveDelete(db.collection('cg'));
  assert.equal((await db.collectionGroup('sub').get()).size, 0);
});
await check('control plane: DELETE .../documents clears everything', async () => {
  const res = await fetch(`${base}/emulator/v1/projects/${PROJECT}/databases/(default)/documents`, { method: 'DELETE' });
  assert.equal(res.status, 200);
  assert.equal((await db.doc('tx/counter').get()).exists, false);
});

standin.kill('SIGINT');
const code = await new Promise((r) => standin.on('exit', (c2) => r(c2)));
await check('SIGINT stops the stand-in with code 0', async () => assert.equal(code, 0));
functionsServer.close();

console.log(results.join('\n'));
const failed = results.filter((r) => r.startsWith('FAIL')).length;
console.log(failed ? `${failed} check(s) FAILED` : `all ${results.length} checks passed`);
process.exit(failed ? 1 : 0);
