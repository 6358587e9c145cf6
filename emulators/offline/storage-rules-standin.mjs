#!/usr/bin/env node
/**
 * certforge offline stand-in for the Cloud Storage rules runtime.
 *
 * The Storage emulator of firebase-tools is Node, but it evaluates security rules in a Java
 * process it starts as
 *   java <flags> -jar $STORAGE_EMULATOR_BINARY_PATH serve
 * and talks to over stdin/stdout, one JSON object per line
 * (firebase-tools lib/emulator/storage/rules/runtime.js):
 *   → (at start)                                   ← {"id":-1,"status":"ok",...}   "ready"
 *   → {"id":n,"action":"load_ruleset","context":{rulesetName,source:{files}}}
 *                                                  ← {"id":n,"status":"ok","errors":[],"warnings":[],"result":{"rulesVersion":2}}
 *   → {"id":n,"action":"verify","context":{rulesetName,path,method,variables,...}}
 *                                                  ← {"id":n,"status":"ok","errors":[],"warnings":[],"result":{"permit":false}}
 *
 * This stand-in loads any ruleset and DENIES every request it is asked about: least privilege,
 * since rules cannot be evaluated offline. Requests of the Admin SDK never get here (the Storage
 * emulator lets `Authorization: Bearer owner` through without asking the rules runtime), so
 * server-side code works; client (web SDK / REST without admin credentials) requests fail with
 * 403. Non-JSON lines on stdout are shown by firebase-tools as INFO: that is how the notices below
 * reach the console.
 */
import readline from 'node:readline';

const NOTICE =
  'certforge offline stand-in: Storage security rules are NOT evaluated offline; every client (non-admin) ' +
  'request is DENIED. Admin SDK requests bypass rules. Rules are only tested against the official emulator (Java >= 21).';

let noticeShown = false;
let firstDenialShown = false;

function send(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function notice(text) {
  process.stdout.write(`${text}\n`);
}

/** rules_version = '2' in any of the files → 2, else 1 (as the real runtime reports). */
function rulesVersion(source) {
  const files = source?.files ?? [];
  return files.some((f) => /rules_version\s*=\s*['"]2['"]/.test(f?.content ?? '')) ? 2 : 1;
}

function handle(request) {
  const base = { id: request.id, status: 'ok', errors: [], warnings: [] };
  switch (request.action) {
    case 'load_ruleset':
      if (!noticeShown) {
        notice(NOTICE);
        noticeShown = true;
      }
      return { ...base, result: { rulesVersion: rulesVersion(request.context?.source) } };
    case 'verify':
      if (!firstDenialShown) {
        notice(`certforge offline stand-in: denied ${request.context?.method} ${request.context?.path} (all client Storage requests are denied offline)`);
        firstDenialShown = true;
      }
      return { ...base, result: { permit: false } };
    default:
      return { ...base, errors: [`unsupported action ${request.action} (certforge offline stand-in)`], result: { permit: false } };
  }
}

// "Ready": firebase-tools waits for a response with id -1 before sending anything.
send({ id: -1, status: 'ok', errors: [], warnings: [], result: {} });

const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (!line.trim()) return;
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    process.stderr.write(`certforge storage rules stand-in: not JSON: ${line.slice(0, 200)}\n`);
    return;
  }
  try {
    send(handle(request));
  } catch (error) {
    send({ id: request?.id, status: 'ok', errors: [String(error?.message ?? error)], warnings: [], result: { permit: false } });
  }
});
// firebase-tools stops the runtime with SIGINT; a closed stdin means it is gone.
lines.on('close', () => process.exit(0));
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(0));
