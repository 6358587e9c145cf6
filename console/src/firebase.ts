/**
 * The console's connection to Firebase: Auth (email and password, email link, Google) and the
 * callables, reached through Hosting's rewrites (/api/<name>, firebase.json), so the console
 * needs no region and talks only to its own origin and to Auth. On localhost it uses the Auth
 * emulator. The project's web config comes from Hosting (/__/firebase/init.json); the emulators
 * of a `demo-` project have none, so a local console falls back to the demo project's.
 */
import { initializeApp, type FirebaseApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import { getFunctions, httpsCallableFromURL, type Functions } from 'firebase/functions';

/** Where the Auth emulator listens (firebase.json emulators.auth.port). */
const AUTH_EMULATOR_PORT = 9099;
const DEMO_CONFIG = {
  projectId: 'demo-certforge',
  apiKey: 'demo-api-key',
  authDomain: 'demo-certforge.firebaseapp.com',
};

export const isLocal = ['localhost', '127.0.0.1', '[::1]'].includes(location.hostname);

let app: FirebaseApp | undefined;
let auth: Auth | undefined;
let functions: Functions | undefined;

/** Reads the web config and connects; call once before anything else. */
export async function connect(): Promise<void> {
  // The emulators of a `demo-` project have no web config to serve: no round trip for it locally.
  const config = isLocal ? DEMO_CONFIG : await hostingConfig();
  app = initializeApp(config);
  auth = getAuth(app);
  if (isLocal)
    connectAuthEmulator(auth, `http://${location.hostname}:${AUTH_EMULATOR_PORT}`, { disableWarnings: true });
  functions = getFunctions(app);
}

/** The project's web config, as Firebase Hosting serves it. */
async function hostingConfig(): Promise<Record<string, string>> {
  const response = await fetch('/__/firebase/init.json');
  const json = response.ok ? ((await response.json()) as Record<string, string> | null) : null;
  if (!json || typeof json.projectId !== 'string')
    throw new Error('No Firebase web config at /__/firebase/init.json: deploy the console with Firebase Hosting.');
  return json;
}

export function firebaseAuth(): Auth {
  if (!auth) throw new Error('connect() first');
  return auth;
}

/** An error a callable answered with: its code (`permission-denied`, ...), message and certforge code. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly detailCode: string | undefined,
  ) {
    super(message);
  }
}

/** Calls the callable `name` with `data` (through /api/<name>); errors as ApiError. */
export async function call<T>(name: string, data: unknown, timeoutMs = 120_000): Promise<T> {
  if (!functions) throw new Error('connect() first');
  const fn = httpsCallableFromURL<unknown, T>(functions, `${location.origin}/api/${name}`, { timeout: timeoutMs });
  try {
    return (await fn(data)).data;
  } catch (error) {
    const e = error as { code?: string; message?: string; details?: { code?: string } };
    const code = (e.code ?? 'internal').replace(/^functions\//, '');
    throw new ApiError(
      code,
      e.message ?? String(error),
      typeof e.details?.code === 'string' ? e.details.code : undefined,
    );
  }
}

/** A file's bytes as base64, for the upload actions. */
export async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
