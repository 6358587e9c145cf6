/**
 * A real pretix (2026.8.0 from PyPI) for the connector tests: `startPretix()` copies the migrated
 * template database that test/setup/connector-servers.mjs prepared, seeds an organizer, an event, a
 * product, a check-in list and an API token through pretix's own ORM (test/servers/pretix_seed.py),
 * starts `python -m pretix runserver` on a free port of 127.0.0.1 and waits until the API answers.
 * The helpers on the returned object act only through pretix's REST API with that token, as a real
 * client would. `stop()` ends the server's process group and removes its temp dir.
 *
 * The generic parts (free port, process group, readiness, the Python scripts) are exported for
 * test/helpers/pretalx-server.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** test/servers/: the Python scripts and the pinned requirements. */
export const SERVERS_DIR = join(repoRoot, 'test', 'servers');

/** What test/setup/connector-servers.mjs' `prepare(name)` returns. */
export interface PreparedServer {
  name: string;
  version: string;
  module: string;
  configEnv: string;
  dir: string;
  python: string;
  templateDb: string;
  requirements: string;
  timings: { installSeconds?: number; migrateSeconds?: number };
}
interface SetupModule {
  prepare(name: string): PreparedServer;
  SERVERS: Record<string, { config(args: { dataDir: string; db: string; port?: number }): string }>;
}

let setupModule: Promise<SetupModule> | undefined;
function loadSetup(): Promise<SetupModule> {
  // A computed specifier: tsc does not type the .mjs, SetupModule above does.
  const url = pathToFileURL(join(repoRoot, 'test', 'setup', 'connector-servers.mjs')).href;
  setupModule ??= import(url) as Promise<SetupModule>;
  return setupModule;
}

/**
 * Makes sure the venv and template database exist (idempotent; installs and migrates on first use,
 * which blocks for minutes: run `node test/setup/connector-servers.mjs` before the tests in CI).
 */
export async function prepareServer(name: 'pretix' | 'pretalx'): Promise<PreparedServer> {
  return (await loadSetup()).prepare(name);
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** One started Python web server with its temp dir, log and a way to stop it. */
export interface DjangoProcess {
  baseUrl: string;
  port: number;
  tempDir: string;
  env: NodeJS.ProcessEnv;
  prepared: PreparedServer;
  /** The last lines the server printed (stdout and stderr). */
  logs(): string;
  stop(): Promise<void>;
  /** Milliseconds: copying the template, seeding (in parallel with the start), until the API answered. */
  timings: { copyMs: number; seedMs: number; readyMs: number };
}

export interface StartDjangoOptions {
  name: 'pretix' | 'pretalx';
  /** A path on the server that answers (any status below 500) once it is up. */
  readyPath: string;
  /** The ORM script to run once the database is copied: [script in test/servers/, ...args]. */
  seed: string[];
  /** Edits the config file's text before the server starts. */
  editConfig?: (config: string) => string;
  readyTimeoutMs?: number;
}

/**
 * Copies the template database into a new temp dir, writes the config, then seeds the copy
 * (the ORM script) and starts `python -m <module> runserver 127.0.0.1:<port> --noreload` at the
 * same time; resolves once the seed has printed its result line and the server answers.
 */
export async function startDjango(options: StartDjangoOptions): Promise<{ server: DjangoProcess; seedLine: string }> {
  const prepared = await prepareServer(options.name);
  const setup = await loadSetup();
  const started = Date.now();
  const tempDir = mkdtempSync(join(tmpdir(), `certforge-${options.name}-`));
  const dataDir = join(tempDir, 'data');
  mkdirSync(dataDir);
  const db = join(tempDir, 'db.sqlite3');
  copyFileSync(prepared.templateDb, db);
  const port = await freePort();
  const config = join(tempDir, `${options.name}.cfg`);
  const configText = setup.SERVERS[options.name]!.config({ dataDir, db, port });
  writeFileSync(config, options.editConfig ? options.editConfig(configText) : configText);
  const copyMs = Date.now() - started;

  const env: NodeJS.ProcessEnv = { ...process.env, [prepared.configEnv]: config, PYTHONUNBUFFERED: '1' };
  delete env.DJANGO_SETTINGS_MODULE;
  const baseUrl = `http://127.0.0.1:${port}`;
  const logLines: string[] = [];
  const remember = (chunk: Buffer) => {
    logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (logLines.length > 400) logLines.splice(0, logLines.length - 400);
  };

  const seedStarted = Date.now();
  const seeding = runPython(prepared, env, tempDir, [
    join(SERVERS_DIR, options.seed[0]!),
    ...options.seed.slice(1),
  ]).then((out) => ({ out, ms: Date.now() - seedStarted }));

  const child = spawn(prepared.python, ['-m', prepared.module, 'runserver', `127.0.0.1:${port}`, '--noreload'], {
    cwd: tempDir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const proc of running) killGroup(proc, 'SIGKILL');
    });
  }
  child.stdout!.on('data', remember);
  child.stderr!.on('data', remember);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.once('exit', () => running.delete(child));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    rmSync(tempDir, { recursive: true, force: true });
  };

  try {
    const [seed] = await Promise.all([
      seeding,
      waitUntilReady(`${baseUrl}${options.readyPath}`, child, logLines, options.readyTimeoutMs ?? 120_000),
    ]);
    const seedLine = seed.out.split('\n').find((line) => /^(SEED|DONE) /.test(line));
    if (!seedLine) throw new Error(`${options.seed[0]} printed no result line:\n${seed.out}`);
    const server: DjangoProcess = {
      baseUrl,
      port,
      tempDir,
      env,
      prepared,
      logs: () => logLines.join('\n'),
      stop,
      timings: { copyMs, seedMs: seed.ms, readyMs: Date.now() - started },
    };
    return { server, seedLine: seedLine.slice(5) };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilReady(url: string, child: ChildProcess, logLines: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${logLines.slice(-40).join('\n')}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${logLines.slice(-40).join('\n')}`);
}

/** Runs a script with the server's venv python and config; resolves with its stdout. */
export function runPython(
  prepared: PreparedServer,
  env: NodeJS.ProcessEnv,
  cwd: string,
  args: string[],
): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(prepared.python, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolveRun(out);
      else
        reject(new Error(`${args.join(' ')} failed (exit ${code}):\n${out}\n${err.split('\n').slice(-30).join('\n')}`));
    });
  });
}

/** An HTTP error from a server's API, with its status and parsed body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** A JSON API call with an Authorization header; throws ApiError for a status of 400 or above. */
export async function callJson(
  url: string,
  authorization: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: {
      Authorization: authorization,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  if (response.status >= 400) {
    throw new ApiError(response.status, parsed, `${method} ${url} → ${response.status}: ${text.slice(0, 2000)}`);
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// pretix

export interface PretixAttendee {
  /** A full name (stored as attendee_name_parts {_legacy: name}); or give nameParts. */
  name?: string;
  nameParts?: { given_name: string; family_name: string };
  email?: string;
}

export interface PretixCreatedOrder {
  code: string;
  /** The order positions' ids (API `id`), in the order of `attendees`. */
  positionIds: number[];
  /** The order as the create call returned it. */
  order: any;
}

/** What both test servers (pretix, pretalx) offer: where they are, their token, their API. */
export interface TestServer {
  /** http://127.0.0.1:<port>. */
  baseUrl: string;
  /** The API root (pretix `/api/v1/`, pretalx `/api/`). */
  apiUrl: string;
  event: string;
  /** The seeded API token: send as `Authorization: Token <token>`. */
  token: string;
  /** The event's first and last day. */
  dateFrom: string;
  dateTo: string;
  timings: { copyMs: number; seedMs: number; readyMs: number };
  /** An authenticated API call; `path` is relative to the API root or a full URL (e.g. a `next` link). */
  api(method: string, path: string, body?: unknown): Promise<any>;
  /** GET a paginated list and follow `next` to the end; returns all `results`. */
  list(path: string): Promise<any[]>;
  /** `events/<event>/` + path: a path inside the seeded event. */
  eventPath(path: string): string;
  logs(): string;
  stop(): Promise<void>;
}

export interface PretixServer extends TestServer {
  organizer: string;
  checkinListId: number;
  productId: number;
  quotaId: number;
  createOrder(
    attendees: PretixAttendee[],
    options?: { paid?: boolean; buyerEmail?: string; buyerName?: string },
  ): Promise<PretixCreatedOrder>;
  markPaid(code: string): Promise<any>;
  cancelOrder(code: string): Promise<any>;
  /** Cancels one position of an order (orders/{code}/change/ cancel_positions): that position gets canceled=true. */
  cancelPosition(code: string, positionId: number): Promise<any>;
  /** PATCH the position's attendee name (a string or given/family parts). */
  changeAttendeeName(positionId: number, name: string | { given_name: string; family_name: string }): Promise<any>;
  /** checkinrpc/redeem with the position's secret, this check-in list and an explicit datetime (ISO). */
  checkIn(positionId: number, datetime: string, options?: { type?: 'entry' | 'exit'; force?: boolean }): Promise<any>;
  /** An organizer-level webhook for the seeded event. */
  createWebhook(targetUrl: string, actionTypes: string[]): Promise<any>;
}

export interface StartPretixOptions {
  organizer?: string;
  event?: string;
  /** The first day, ISO datetime (default 2026-09-14T09:00:00+00:00); the event lasts `days` days. */
  dateFrom?: string;
  days?: number;
  /**
   * Whether pretix may call webhooks on private and loopback addresses (`allow_http_to_private_networks`);
   * default true, so that webhooks reach a local functions emulator. false: pretix silently makes no call.
   */
  webhookAllowPrivate?: boolean;
  /** The check-in list's allow_multiple_entries (pretix's default, false: a second redeem is `already_redeemed`). */
  allowMultipleEntries?: boolean;
  /** The ticket quota (default 1000). */
  quota?: number;
}

/** GET a paginated list (`{ results, next }`, pretix and pretalx alike) and follow `next` to the end. */
export async function listAll(api: (method: string, path: string) => Promise<any>, path: string): Promise<any[]> {
  const results: any[] = [];
  let next: string | null = path;
  while (next) {
    const page: any = await api('GET', next);
    results.push(...page.results);
    next = page.next;
  }
  return results;
}

export async function startPretix(options: StartPretixOptions = {}): Promise<PretixServer> {
  const spec = {
    organizer: options.organizer ?? 'certforge',
    event: options.event ?? 'conf',
    dateFrom: options.dateFrom ?? '2026-09-14T09:00:00+00:00',
    days: options.days ?? 3,
    allowMultipleEntries: options.allowMultipleEntries ?? false,
    ...(options.quota ? { quota: options.quota } : {}),
  };
  const { server, seedLine } = await startDjango({
    name: 'pretix',
    readyPath: '/api/v1/',
    seed: ['pretix_seed.py', JSON.stringify(spec)],
    editConfig: (config) =>
      options.webhookAllowPrivate === false
        ? config.replace('allow_http_to_private_networks=true', 'allow_http_to_private_networks=false')
        : config,
  });
  const seeded = JSON.parse(seedLine) as {
    organizer: string;
    event: string;
    token: string;
    productId: number;
    quotaId: number;
    checkinListId: number;
    dateFrom: string;
    dateTo: string;
  };
  const apiUrl = `${server.baseUrl}/api/v1/`;
  const authorization = `Token ${seeded.token}`;
  const api = (method: string, path: string, body?: unknown) =>
    callJson(/^https?:/.test(path) ? path : apiUrl + path.replace(/^\//, ''), authorization, method, body);
  const orgPath = (path: string) => `organizers/${seeded.organizer}/${path}`;
  const eventPath = (path: string) => orgPath(`events/${seeded.event}/${path}`);

  return {
    baseUrl: server.baseUrl,
    apiUrl,
    organizer: seeded.organizer,
    event: seeded.event,
    token: seeded.token,
    checkinListId: seeded.checkinListId,
    productId: seeded.productId,
    quotaId: seeded.quotaId,
    dateFrom: seeded.dateFrom,
    dateTo: seeded.dateTo,
    timings: server.timings,
    api,
    eventPath,
    list: (path) => listAll(api, path),
    async createOrder(attendees, orderOptions = {}) {
      const order = await api('POST', eventPath('orders/'), {
        email: orderOptions.buyerEmail ?? 'buyer@certforge.test',
        locale: 'en',
        sales_channel: 'web',
        payment_provider: 'banktransfer',
        status: orderOptions.paid ? 'p' : 'n',
        send_email: false,
        ...(orderOptions.buyerName
          ? { invoice_address: { name_parts: { _scheme: 'given_family', given_name: orderOptions.buyerName } } }
          : {}),
        positions: attendees.map((attendee) => ({
          item: seeded.productId,
          ...(attendee.nameParts
            ? { attendee_name_parts: { _scheme: 'given_family', ...attendee.nameParts } }
            : attendee.name !== undefined
              ? { attendee_name: attendee.name }
              : {}),
          ...(attendee.email !== undefined ? { attendee_email: attendee.email } : {}),
        })),
      });
      return { code: order.code, positionIds: order.positions.map((p: any) => p.id), order };
    },
    markPaid: (code) => api('POST', eventPath(`orders/${code}/mark_paid/`), { send_email: false }),
    cancelOrder: (code) => api('POST', eventPath(`orders/${code}/mark_canceled/`), { send_email: false }),
    cancelPosition: (code, positionId) =>
      api('POST', eventPath(`orders/${code}/change/`), {
        cancel_positions: [{ position: positionId }],
        send_email: false,
      }),
    changeAttendeeName: (positionId, name) =>
      api(
        'PATCH',
        eventPath(`orderpositions/${positionId}/`),
        typeof name === 'string'
          ? { attendee_name: name }
          : { attendee_name_parts: { _scheme: 'given_family', ...name } },
      ),
    async checkIn(positionId, datetime, checkInOptions = {}) {
      const position = await api('GET', eventPath(`orderpositions/${positionId}/`));
      return api('POST', orgPath('checkinrpc/redeem/'), {
        secret: position.secret,
        lists: [seeded.checkinListId],
        datetime,
        type: checkInOptions.type ?? 'entry',
        force: checkInOptions.force ?? false,
        source_type: 'barcode',
        questions_supported: false,
      });
    },
    createWebhook: (targetUrl, actionTypes) =>
      api('POST', orgPath('webhooks/'), {
        target_url: targetUrl,
        enabled: true,
        all_events: false,
        limit_events: [seeded.event],
        action_types: actionTypes,
      }),
    logs: server.logs,
    stop: server.stop,
  };
}
