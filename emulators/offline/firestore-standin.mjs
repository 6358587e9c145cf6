#!/usr/bin/env node
/**
 * certforge offline Firestore emulator stand-in.
 *
 * firebase-tools starts the Firestore emulator as
 *   java <flags> -jar $FIRESTORE_EMULATOR_BINARY_PATH --host H --port P --functions_emulator F ...
 * In offline mode (see emulators/run.mjs) that path is this file and `java` is the
 * shim in this directory, which runs it with Node. It speaks what firebase-tools, firebase-admin
 * and the tests expect of the official emulator on ONE port:
 *
 * - gRPC over HTTP/2 (firebase-admin via FIRESTORE_EMULATOR_HOST): the in-memory data plane of
 *   `@firestore-emulator/server`, with the fixes of firestore/*.mjs (queries, writes,
 *   transactions, trigger events);
 * - an HTTP/1.1 control plane:
 *     GET    /                                                        → "Ok" (health)
 *     POST   /emulator/v1/projects/<p>/eventarcTrigger?eventarcTriggerId=<id>  register a v2 trigger
 *     DELETE /emulator/v1/projects/<p>/eventarcTrigger?eventarcTriggerId=<id>  unregister it
 *     PUT    /emulator/v1/projects/<p>:securityRules                 accepted, NOT enforced
 *     DELETE /emulator/v1/projects/<p>/databases/<db>/documents      delete all documents
 *     GET    /certforge/v1/triggers                                  (stand-in only) list triggers
 *     GET    /certforge/v1/stats, DELETE to reset                    (stand-in only) reads and writes
 *                                                                    per collection (firestore/op-stats.mjs)
 *
 * Each connection is sniffed: one starting with the HTTP/2 preface ("PRI * HTTP/2.0") goes to the
 * gRPC server (grpc-js connection injector), anything else to the HTTP/1.1 server.
 * firebase-tools considers the emulator started once the port accepts connections.
 *
 * NOT emulated: security rules (every request is allowed), the web/client SDK streaming
 * protocol (Write stream, multi-target Listen), v1 (firebase-functions/v1) Firestore triggers,
 * import/export, REST document API. See emulators/README.md.
 */
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';
import { installQueryEngine } from './firestore/query.mjs';
import { DataPlane } from './firestore/data-plane.mjs';
import { TriggerDispatcher } from './firestore/triggers.mjs';
import { installGrpcHandlers } from './firestore/grpc-handlers.mjs';
import { OpStats } from './firestore/op-stats.mjs';

const require = createRequire(import.meta.url);
const { FirestoreServer } = require('@firestore-emulator/server');
const grpc = createRequire(require.resolve('@firestore-emulator/server'))('@grpc/grpc-js');
// firestore/*.mjs reach into the library's internals (the grpc-js server, the state's private
// fields and its query method): written against this version, which package.json pins.
const TESTED_LIBRARY_VERSION = '0.3.15';
const libraryVersion = require('@firestore-emulator/server/package.json').version;

function log(message) {
  console.log(`${new Date().toISOString()} [certforge firestore stand-in] ${message}`);
}

/** `--key value`, `--key=value` and bare `--flag` arguments (as firebase-tools passes them). */
function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) continue;
    const eq = token.indexOf('=');
    if (eq > 0) args[token.slice(2, eq)] = token.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) args[token.slice(2)] = argv[++i];
    else args[token.slice(2)] = true;
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const host = typeof args.host === 'string' ? args.host : '127.0.0.1';
const port = Number(args.port ?? 8080);
const functionsEmulator = typeof args.functions_emulator === 'string' ? args.functions_emulator : null;
// Events in flight per trigger (see firestore/triggers.mjs); CERTFORGE_TRIGGER_CONCURRENCY overrides.
const triggerConcurrency = Math.max(1, Number.parseInt(process.env.CERTFORGE_TRIGGER_CONCURRENCY ?? '', 10) || 1);

// Keep running whatever a request does: a test tool that dies takes the whole suite with it.
process.on('uncaughtException', (error) => log(`uncaught exception (ignored): ${error?.stack ?? error}`));
process.on('unhandledRejection', (error) => log(`unhandled rejection (ignored): ${error?.stack ?? error}`));

// ---- data plane -----------------------------------------------------------------------------

const firestore = new FirestoreServer(); // not started: we feed it connections ourselves
const state = firestore.state;
const grpcServer = firestore.server; // the library's grpc-js Server (a private field in its typings)
installQueryEngine(state);
const dataPlane = new DataPlane(state);
const dispatcher = new TriggerDispatcher(functionsEmulator, log, { concurrency: triggerConcurrency });
const stats = new OpStats();
installGrpcHandlers({ grpcServer, state, dataPlane, dispatcher, stats, log });
const injector = grpcServer.createConnectionInjector(grpc.ServerCredentials.createInsecure());

// ---- control plane --------------------------------------------------------------------------

const RULES_NOTICE =
  'certforge offline Firestore stand-in: security rules are accepted but NOT enforced (every request is allowed). ' +
  'Rules are only tested against the official emulator (Java >= 21).';

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text) {
  if (!text) return undefined;
  let value = JSON.parse(text);
  if (typeof value === 'string') value = JSON.parse(value); // some callers send a JSON-encoded string
  return value;
}

function reply(res, status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' });
  res.end(text);
}

async function controlPlane(req, res) {
  const url = new URL(req.url ?? '/', 'http://standin');
  const path = decodeURIComponent(url.pathname);
  const method = req.method ?? 'GET';
  let m;
  try {
    const body = await readBody(req);
    if (path === '/' && (method === 'GET' || method === 'HEAD')) return reply(res, 200, 'Ok\n');

    if ((m = /^\/emulator\/v1\/projects\/([^/:]+)\/eventarcTrigger$/.exec(path))) {
      const id = url.searchParams.get('eventarcTriggerId');
      if (!id) return reply(res, 400, { error: { code: 400, message: 'eventarcTriggerId is required' } });
      if (method === 'POST') {
        dispatcher.register(m[1], id, parseJson(body));
        return reply(res, 200, {});
      }
      if (method === 'DELETE') {
        dispatcher.unregister(id);
        log(`trigger ${id} unregistered`);
        return reply(res, 200, {});
      }
    }

    if ((m = /^\/emulator\/v1\/projects\/([^/:]+)\/triggers\/(.+)$/.exec(path)) && (method === 'PUT' || method === 'DELETE')) {
      log(`v1 (firebase-functions/v1) Firestore trigger ${m[2]} accepted but NOT delivered: the stand-in only sends v2 events`);
      return reply(res, 200, {});
    }

    if ((m = /^\/emulator\/v1\/projects\/([^/:]+):securityRules$/.exec(path)) && (method === 'PUT' || method === 'POST')) {
      log(`rules upload for project ${m[1]}: ${RULES_NOTICE}`);
      const rules = parseJson(body)?.rules ?? {};
      // firebase-tools prints the issues of a rules upload: the warning makes the gap visible.
      const issue = { sourcePosition: { fileName: 'security.rules', line: 1, column: 1 }, description: RULES_NOTICE, severity: 'WARNING' };
      return reply(res, 200, { rules, issues: [issue] });
    }

    if ((m = /^\/emulator\/v1\/projects\/([^/:]+)\/databases\/([^/]+)\/documents$/.exec(path)) && method === 'DELETE') {
      dataPlane.clear();
      log(`all documents deleted (request for project ${m[1]}, database ${m[2]})`);
      return reply(res, 200, {});
    }

    if (path === '/certforge/v1/stats' && method === 'GET') return reply(res, 200, stats.toJSON());
    if (path === '/certforge/v1/stats' && method === 'DELETE') {
      stats.reset();
      return reply(res, 200, {});
    }

    if (path === '/certforge/v1/triggers' && method === 'GET') {
      return reply(res, 200, { functionsEmulator, triggers: dispatcher.list() });
    }

    log(`unsupported request ${method} ${req.url}`);
    return reply(res, 404, {
      error: { code: 404, message: `${method} ${path} is not supported by the certforge offline Firestore stand-in (see emulators/README.md)` },
    });
  } catch (error) {
    log(`control plane ${method} ${req.url} failed: ${error?.stack ?? error}`);
    return reply(res, 400, { error: { code: 400, message: String(error?.message ?? error) } });
  }
}

const httpServer = http.createServer((req, res) => void controlPlane(req, res));

// ---- the shared port ------------------------------------------------------------------------

const sockets = new Set();
const front = net.createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => {});
  let head = Buffer.alloc(0);
  const onData = (chunk) => {
    head = Buffer.concat([head, chunk]);
    if (head.length < 3) return; // "PRI" vs an HTTP/1 method
    socket.removeListener('data', onData);
    socket.pause();
    socket.unshift(head); // put the sniffed bytes back for the real server
    if (head.subarray(0, 3).toString('latin1') === 'PRI') {
      // The HTTP/2 session reads what is buffered on the socket itself; resuming here would
      // hand the preface to nobody.
      injector.injectConnection(socket);
    } else {
      // The HTTP/1 server reads through 'data' events: let them flow again.
      httpServer.emit('connection', socket);
      socket.resume();
    }
  };
  socket.on('data', onData);
});

front.on('error', (error) => {
  log(`cannot listen on ${host}:${port}: ${error.message}`);
  if (error.code === 'EADDRINUSE') console.error(`address already in use ${host}:${port}`); // firebase-tools looks for this text
  process.exit(1);
});

front.listen(port, host, () => {
  log(`listening on ${host}:${port} (gRPC data plane + HTTP/1.1 control plane); pid ${process.pid}`);
  if (libraryVersion !== TESTED_LIBRARY_VERSION) {
    log(`WARNING: @firestore-emulator/server ${libraryVersion} is installed, the stand-in was written for ${TESTED_LIBRARY_VERSION}`);
  }
  log(
    functionsEmulator
      ? `Firestore trigger events go to the functions emulator at ${functionsEmulator}, at most ${triggerConcurrency} in flight per trigger`
      : 'no --functions_emulator: triggers are not delivered',
  );
  if (args.rules) log(`rules file ${args.rules}: ${RULES_NOTICE}`);
  const understood = ['host', 'port', 'functions_emulator', 'rules', 'project_id', 'single_project_mode', 'websocket_port', 'database-edition'];
  const ignored = Object.keys(args).filter((k) => !understood.includes(k));
  if (ignored.length) log(`ignored arguments: ${ignored.join(', ')}`);
  if (args.seed_from_export) log(`--seed_from_export is NOT supported: starting with an empty database`);
});

// ---- shutdown -------------------------------------------------------------------------------

let stopping = false;
function shutdown(reason) {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping`);
  front.close();
  httpServer.close();
  for (const socket of sockets) socket.destroy();
  injector.destroy();
  grpcServer.forceShutdown();
  dispatcher.agent.destroy();
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => shutdown(signal));

// firebase-tools starts us in our own process group and stops us with SIGINT. Should it die
// without doing so, we are re-parented: stop then rather than keep the port busy.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) shutdown(`parent process ${parentPid} exited`);
}, 1000).unref();
