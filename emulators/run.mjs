#!/usr/bin/env node
/**
 * Runs the Firebase emulators (functions, auth, storage, firestore) for certforge, with the
 * official emulators where they can run and an offline stand-in for the Java parts elsewhere.
 *
 *   node emulators/run.mjs exec "<command>"   firebase emulators:exec: start, run the
 *                                                       command, stop; exits with its exit code
 *   node emulators/run.mjs start [firebase args]   firebase emulators:start
 *
 * Mode (printed on one line at start):
 * - official: `java -version` reports >= 21. firebase-tools runs (and on first use downloads)
 *   the official Firestore emulator and Storage rules runtime jars, nothing is replaced.
 * - offline: otherwise (firebase-tools refuses Java < 21; the jars cannot be downloaded without
 *   internet). emulators/offline/java is put first on PATH and the two jar paths point at the
 *   Node stand-ins (FIRESTORE_EMULATOR_BINARY_PATH, STORAGE_EMULATOR_BINARY_PATH).
 * CERTFORGE_EMULATORS=official|offline forces a mode. The child gets
 * CERTFORGE_EMULATOR_MODE=official|offline so tests can tell (rules tests skip offline).
 *
 * Always: firebase-tools runs on Node 22 (the repo's `node` devDependency when this script runs
 * on another Node): the functions emulator runs functions on the Node that runs firebase-tools
 * (process.execPath) unless the functions directory ships its own node_modules/node, and
 * firebase-admin 14 needs Node 22. <repo>/node_modules/.bin comes first on PATH, so `node` in the
 * command is Node 22 too. The update notifier is off (NO_UPDATE_NOTIFIER), and so is the
 * GCE metadata-server probe of the Google client libraries (METADATA_SERVER_DETECTION=none).
 *
 * firebase-tools and everything it starts run in their own process group: SIGINT/SIGTERM/SIGHUP
 * to this script go to the whole group (a terminal's Ctrl-C reaches only this script), a second
 * Ctrl-C forces firebase-tools to stop at once, and whatever is left in the group when
 * firebase-tools exits is terminated. The Firestore stand-in stops by itself when firebase-tools
 * is gone. Exit code: the command's (exec), 128+signal when interrupted.
 *
 * CERTFORGE_PROJECT_DIR runs against another Firebase project directory (used to test this
 * tooling); the project id stays demo-certforge.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants as osConstants } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ONLY = 'functions,auth,storage,firestore,tasks,hosting';
const PROJECT_ID = 'demo-certforge';
const MIN_JAVA = 21; // firebase-tools' MIN_SUPPORTED_JAVA_MAJOR_VERSION

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const offlineDir = join(here, 'offline');
const binDir = join(repoRoot, 'node_modules', '.bin');
const firebaseCli = join(repoRoot, 'node_modules', 'firebase-tools', 'lib', 'bin', 'firebase.js');
const projectDir = process.env.CERTFORGE_PROJECT_DIR ? resolve(process.env.CERTFORGE_PROJECT_DIR) : repoRoot;
const tag = '[certforge emulators]';

function fail(message, code = 2) {
  console.error(`${tag} ${message}`);
  process.exit(code);
}

// ---- arguments ----------------------------------------------------------------------------

const [verb, ...rest] = process.argv.slice(2);
let firebaseArgs;
if (verb === 'exec' && rest.length > 0) {
  // One argument is the command line as is; several are joined with spaces.
  firebaseArgs = ['emulators:exec', '--only', ONLY, '--project', PROJECT_ID, rest.join(' ')];
} else if (verb === 'start') {
  firebaseArgs = ['emulators:start', '--only', ONLY, '--project', PROJECT_ID, ...rest];
} else {
  fail('usage: node emulators/run.mjs exec "<command>" | start [firebase emulators:start options]');
}
if (!existsSync(firebaseCli)) fail(`firebase-tools is not installed (${firebaseCli}): run npm install`);

// ---- Node 22 ------------------------------------------------------------------------------

function nodeMajor(bin) {
  const r = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  return r.status === 0 ? Number.parseInt(r.stdout, 10) : null;
}

let nodeBin = process.execPath;
if (Number.parseInt(process.versions.node, 10) !== 22) {
  const local = join(binDir, 'node');
  if (existsSync(local) && nodeMajor(local) === 22) nodeBin = local;
  else console.warn(`${tag} warning: no Node 22 found (running ${process.version}); functions (runtime nodejs22, firebase-admin 14) may fail`);
}

// ---- mode ---------------------------------------------------------------------------------

/** PATH without our shim directory (it may be inherited from an enclosing offline run). */
const inheritedPath = (process.env.PATH ?? '').split(delimiter).filter((p) => p && resolve(p) !== offlineDir);

function javaVersion() {
  const r = spawnSync('java', ['-Duser.language=en', '-version'], { encoding: 'utf8', env: { ...process.env, PATH: inheritedPath.join(delimiter) } });
  if (r.error) return { major: null, text: `no usable java on PATH (${r.error.code ?? r.error.message})` };
  const m = /version "([1-9][0-9]*)/.exec(`${r.stdout}\n${r.stderr}`); // the pattern firebase-tools uses
  return m ? { major: Number(m[1]), text: `java -version reports ${m[1]}` } : { major: null, text: 'java -version is not parseable' };
}

const requested = (process.env.CERTFORGE_EMULATORS ?? '').trim().toLowerCase();
if (requested && !['official', 'offline', 'auto'].includes(requested)) {
  fail(`CERTFORGE_EMULATORS must be official, offline or auto (got "${process.env.CERTFORGE_EMULATORS}")`);
}
const java = javaVersion();
let mode;
let why;
if (requested === 'official' || requested === 'offline') {
  mode = requested;
  why = `CERTFORGE_EMULATORS=${requested} (${java.text})`;
  if (mode === 'official' && !(java.major >= MIN_JAVA)) why += `; firebase-tools will refuse Java < ${MIN_JAVA}`;
} else if (java.major >= MIN_JAVA) {
  mode = 'official';
  why = `${java.text}`;
} else {
  mode = 'offline';
  why = `${java.text}; the official Firestore emulator needs Java >= ${MIN_JAVA}`;
}

// ---- function params --------------------------------------------------------------------------

// On every start firebase-tools writes the resolved default of each param that no .env file sets
// into functions/.env.local, and that file outranks functions/.env.demo-certforge (the emulator
// settings kept in git). A copy left by an older build would pin old defaults (it once pinned the
// production verify URL and 48 concurrent tasks), so it is removed here and regenerated.
// Local overrides belong in functions/.env.demo-certforge.
rmSync(join(projectDir, 'functions', '.env.local'), { force: true });

// PDF signatures (docs/pdf-signatures.md): CERTFORGE_EMULATOR_PDF_SIGNER=<signer file> and
// optionally CERTFORGE_EMULATOR_TSA_URL=<url> sign every PDF this run issues; they go into
// functions/.env.local for this run only. `npm run test:emulator` names the test PKI's signer and
// time-stamping authority (test/setup/test-pki.mjs; the emulator tests' global setup serves it).
if (process.env.CERTFORGE_EMULATOR_PDF_SIGNER) {
  const signer = resolve(process.env.CERTFORGE_EMULATOR_PDF_SIGNER);
  if (!existsSync(signer)) fail(`CERTFORGE_EMULATOR_PDF_SIGNER names ${signer}, which does not exist`);
  const tsa = process.env.CERTFORGE_EMULATOR_TSA_URL;
  writeFileSync(
    join(projectDir, 'functions', '.env.local'),
    `CERTFORGE_PDF_SIGNER=file:${signer}\n${tsa ? `CERTFORGE_TSA_URL=${tsa}\n` : ''}`,
  );
}

// The secret CERTFORGE_ISSUER_KEY (the key that signs the credentials): the functions emulator
// reads secrets from functions/.secret.local. A demo key is generated there on first use; the
// file is git-ignored, so no key is ever committed. It is kept across runs, so credentials
// issued by an earlier run still verify.
const issuerKeyCli = join(projectDir, 'functions', 'lib', 'cli', 'issuer-key.js');
if (!existsSync(issuerKeyCli)) fail('functions/lib is not built: run `npm run build` first');
const keyed = spawnSync(process.execPath, [issuerKeyCli, 'demo', '--secret-local', join(projectDir, 'functions', '.secret.local')], { stdio: 'inherit' });
if (keyed.status !== 0) fail('could not create the demo issuer key in functions/.secret.local');

// ---- environment --------------------------------------------------------------------------

const env = { ...process.env };
const pathParts = inheritedPath.filter((p) => resolve(p) !== binDir);
pathParts.unshift(binDir);
const standins = {
  FIRESTORE_EMULATOR_BINARY_PATH: join(offlineDir, 'firestore-standin.mjs'),
  STORAGE_EMULATOR_BINARY_PATH: join(offlineDir, 'storage-rules-standin.mjs'),
};
if (mode === 'offline') {
  try {
    createRequire(join(offlineDir, 'firestore-standin.mjs')).resolve('@firestore-emulator/server');
  } catch {
    fail('offline mode needs the devDependency @firestore-emulator/server: run npm install');
  }
  pathParts.unshift(offlineDir);
  Object.assign(env, standins);
} else {
  for (const [name, file] of Object.entries(standins)) if (env[name] === file) delete env[name];
}
env.PATH = pathParts.join(delimiter);
env.CERTFORGE_EMULATOR_MODE = mode;
env.CERTFORGE_NODE = nodeBin; // the java shim runs the stand-ins with it
env.NO_UPDATE_NOTIFIER = '1'; // firebase-tools' update check (update-notifier)
// Google client libraries (firebase-tools, firebase-admin in tests and functions) probe the GCE
// metadata server for credentials; nothing here runs on GCE, and the probe can stall where the
// address is firewalled.
env.METADATA_SERVER_DETECTION ??= 'none';

console.log(
  `${tag} ${mode} mode: ${why}.` +
    (mode === 'offline'
      ? ' Firestore = Node stand-in (security rules NOT enforced), Storage rules deny every client request (admin SDK unaffected).'
      : ' firebase-tools runs the official emulators (downloaded on first use).') +
    ' Override: CERTFORGE_EMULATORS=official|offline.',
);

// ---- run ----------------------------------------------------------------------------------

const child = spawn(nodeBin, [firebaseCli, ...firebaseArgs], {
  cwd: projectDir,
  env,
  // A process group of its own (so signals can be sent to all of it); stdin is not passed: a
  // background process group must not read the terminal.
  detached: true,
  stdio: ['ignore', 'inherit', 'inherit'],
});

let interrupted = null;
let lastSignal = { name: null, at: 0 };
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    const now = Date.now();
    // The same signal twice within a moment is one event (terminal and npm both forward Ctrl-C).
    if (lastSignal.name === signal && now - lastSignal.at < 300) return;
    lastSignal = { name: signal, at: now };
    interrupted ??= signal;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  });
}

child.on('error', (error) => fail(`cannot start firebase-tools: ${error.message}`, 1));
child.on('exit', (code, signal) => {
  try {
    process.kill(-child.pid, 'SIGTERM'); // leftovers of the group, if any
  } catch {
    // none
  }
  const bySignal = interrupted ?? signal;
  process.exit(bySignal ? 128 + (osConstants.signals[bySignal] ?? 1) : (code ?? 1));
});
