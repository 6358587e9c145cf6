/**
 * Helpers for the emulator integration tests (test/integration). They run under
 * `firebase emulators:exec` started by emulators/run.mjs, which sets
 * FIRESTORE_EMULATOR_HOST, FIREBASE_AUTH_EMULATOR_HOST, FIREBASE_STORAGE_EMULATOR_HOST and
 * CERTFORGE_EMULATOR_MODE (official | offline). Every test works in its own event
 * (random id), so tests never need to clear shared state.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { initializeApp as initializeClientApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth as getClientAuth, signInWithEmailAndPassword } from 'firebase/auth';
import { connectFunctionsEmulator, getFunctions, httpsCallable, type FunctionsError } from 'firebase/functions';
import { adminApp, adminAuth, adminFirestore, adminStorage, type DocumentReference } from './firebase-admin.js';
import type { CertificateRecord } from '../../functions/src/shared/model.js';

export const PROJECT_ID = process.env.GCLOUD_PROJECT ?? 'demo-certforge';
export const BUCKET = `${PROJECT_ID}.appspot.com`;
/** The bucket the CSV import watches: CERTFORGE_IMPORT_BUCKET of functions/.env.<project>, else the default bucket. */
export const IMPORT_BUCKET = importBucketOf(PROJECT_ID) ?? BUCKET;
export const REGION = 'europe-west1';
export const FUNCTIONS_ORIGIN = 'http://127.0.0.1:5001';
export const AUTH_ORIGIN = 'http://127.0.0.1:9099';

/** Tests that need the emulators call this first: a clear message instead of timeouts. */
export function requireEmulators(): void {
  const missing = ['FIRESTORE_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST', 'FIREBASE_STORAGE_EMULATOR_HOST'].filter(
    (name) => !process.env[name],
  );
  if (missing.length) {
    throw new Error(`Run through the emulators: npm run test:emulator (missing ${missing.join(', ')})`);
  }
  // firebase-admin's Storage client reads STORAGE_EMULATOR_HOST (with scheme).
  process.env.STORAGE_EMULATOR_HOST ??= `http://${process.env.FIREBASE_STORAGE_EMULATOR_HOST}`;
}

export function admin() {
  requireEmulators();
  const app = adminApp.getApps()[0] ?? adminApp.initializeApp({ projectId: PROJECT_ID, storageBucket: BUCKET });
  const db = adminFirestore.getFirestore(app);
  const storage = adminStorage.getStorage(app);
  return {
    app,
    db,
    bucket: storage.bucket(BUCKET),
    importBucket: storage.bucket(IMPORT_BUCKET),
    auth: adminAuth.getAuth(app),
  };
}

function importBucketOf(projectId: string): string | undefined {
  const file = new URL(`../../functions/.env.${projectId}`, import.meta.url);
  if (!existsSync(file)) return undefined;
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('CERTFORGE_IMPORT_BUCKET='));
  return line?.slice('CERTFORGE_IMPORT_BUCKET='.length).trim() || undefined;
}

export function newId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export const EXAMPLE_EVENT = {
  name: 'Open Source Infrastructure Summit 2026',
  date: '2026-03-12',
  place: 'Kraków, Poland',
  locale: 'en',
  signatories: [
    { name: 'Agnieszka Kowalska', role: 'Program Chair' },
    { name: 'Jonathan Whitfield', role: 'Conference Director' },
  ],
};

export async function createEvent(fields: Record<string, unknown> = {}): Promise<string> {
  const eventId = newId('evt');
  await admin()
    .db.collection('events')
    .doc(eventId)
    .set({ ...EXAMPLE_EVENT, organizerUids: [], ...fields });
  return eventId;
}

export function speakerRef(eventId: string, speakerId: string): DocumentReference {
  return admin().db.collection('events').doc(eventId).collection('speakers').doc(speakerId);
}

/** The speaker's `certificate` field as read back (the functions' own type). */
export type CertificateSnapshot = CertificateRecord;

/** Polls the speaker until its certificate is ready or failed (or the timeout). */
export async function waitForCertificate(
  ref: DocumentReference,
  { timeoutMs = 30_000, settled = (c: CertificateSnapshot) => c.status !== 'rendering' } = {},
): Promise<CertificateSnapshot> {
  const deadline = Date.now() + timeoutMs;
  let last: CertificateSnapshot | undefined;
  for (;;) {
    const snap = await ref.get();
    last = snap.get('certificate') as CertificateSnapshot | undefined;
    if (last && settled(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(`No settled certificate on ${ref.path} after ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Names of the objects under a prefix in the default bucket. */
export async function listFiles(prefix: string): Promise<string[]> {
  const [files] = await admin().bucket.getFiles({ prefix });
  return files.map((file) => file.name).sort();
}

export interface TestUser {
  uid: string;
  email: string;
  idToken: string;
  /** A web SDK app signed in as this user. */
  app: FirebaseApp;
}

/**
 * A user in the auth emulator with the given claims, signed in through the web SDK (so the
 * ID token carries the claims and email_verified exactly as a browser would get them).
 */
export async function createUser({
  email = `${newId('user')}@example.org`,
  emailVerified = true,
  claims = {} as Record<string, unknown>,
} = {}): Promise<TestUser> {
  const { auth } = admin();
  const password = `pw-${randomUUID()}`;
  const user = await auth.createUser({ email, password, emailVerified });
  if (Object.keys(claims).length) await auth.setCustomUserClaims(user.uid, claims);
  const app = initializeClientApp({ projectId: PROJECT_ID, apiKey: 'demo-key' }, newId('user-app'));
  const clientAuth = getClientAuth(app);
  connectAuthEmulator(clientAuth, AUTH_ORIGIN, { disableWarnings: true });
  const credential = await signInWithEmailAndPassword(clientAuth, email, password);
  return { uid: user.uid, email, idToken: await credential.user.getIdToken(), app };
}

/** POSTs a callable the way the protocol defines it ({ data } in, { result } | { error } out). */
export async function callRaw(
  name: string,
  data: unknown,
  idToken?: string,
): Promise<{
  status: number;
  body: {
    result?: Record<string, unknown>;
    error?: { status: string; message: string; details?: Record<string, unknown> };
  };
}> {
  const res = await fetch(`${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(idToken ? { authorization: `Bearer ${idToken}` } : {}) },
    body: JSON.stringify({ data }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

/**
 * The id under which the functions emulator accepts events for a function's trigger:
 * `<region>-<name>-<generation>`. /backends lists `<region>-<name>`; the generation starts at
 * 0 and grows on every hot reload of the functions (none happens during a test run).
 */
export async function triggerId(functionName: string): Promise<string> {
  const res = await fetch(`${FUNCTIONS_ORIGIN}/backends`);
  const body = (await res.json()) as { backends: { functionTriggers: { id: string; name: string }[] }[] };
  const trigger = body.backends.flatMap((backend) => backend.functionTriggers).find((t) => t.name === functionName);
  if (!trigger) throw new Error(`No function ${functionName} in the functions emulator`);
  return `${trigger.id}-0`;
}

/** The callable `name` through the Firebase client SDK, as `user` (the default app, signed out, without). */
export function sdkCallable(name: string, user?: TestUser, options?: { timeout?: number }) {
  const functions = getFunctions(user?.app, REGION);
  connectFunctionsEmulator(functions, '127.0.0.1', 5001);
  return httpsCallable<unknown, Record<string, unknown>>(functions, name, options);
}

/** The error a call of `name` as `user` with `data` fails with (throws if it succeeds). */
export async function sdkCallError(
  name: string,
  user: TestUser,
  data: unknown,
  options?: { timeout?: number },
): Promise<FunctionsError> {
  try {
    await sdkCallable(name, user, options)(data);
  } catch (error) {
    return error as FunctionsError;
  }
  throw new Error('expected the call to fail');
}

/** Polls until `check` passes (the emulator delivers triggers asynchronously). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
