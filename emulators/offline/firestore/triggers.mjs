/**
 * Firestore → Cloud Functions (v2) event delivery for the offline Firestore stand-in.
 *
 * The functions emulator registers each v2 Firestore trigger with
 *   POST /emulator/v1/projects/<project>/eventarcTrigger?eventarcTriggerId=<id>
 *   { eventType, database, namespace, document: { value, matchType } }
 * and receives events on
 *   POST http://<functions emulator>/functions/projects/<project>/triggers/<id>
 * as binary-mode CloudEvents: `ce-*` headers, `content-type: application/protobuf` and a body
 * that is the base64 text of a google.events.cloud.firestore.v1.DocumentEventData message
 * (1: value, 2: old_value, 3: update_mask), as the official emulator sends them.
 *
 * Delivery is asynchronous (the write has already been answered), one request per matching
 * trigger, never retried; failures are logged and never stop the stand-in. At most
 * `concurrency` events per trigger are in flight (the functions emulator answers when the
 * function has finished); the others wait in order. Without a limit the functions emulator
 * starts one worker process per concurrent event: 20 creates cost 20 cold starts. The default
 * is 1: with 2, the functions emulator still started a third and fourth worker now and then
 * (a worker is marked idle a moment after it answers), each a cold start competing for the
 * CPU; one warm worker in sequence was faster on 2 cores (bench: median 1.8 s vs 2.4 s).
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { valueBytes } from './values.mjs';

const EVENT_PREFIX = 'google.cloud.firestore.document.v1.';
const KINDS = { created: ['created', 'written'], updated: ['updated', 'written'], deleted: ['deleted', 'written'] };
const DATASCHEMA = 'https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/firestore/v1/data.proto';
const DOC_NAME_RE = /^projects\/([^/]+)\/databases\/([^/]+)\/documents\/(.+)$/;

// ---- protobuf encoding of DocumentEventData (three length-delimited fields) ------------------

function varint(n) {
  const bytes = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

function lengthDelimited(fieldNumber, payload) {
  return Buffer.concat([varint((fieldNumber << 3) | 2), varint(payload.length), payload]);
}

/** DocumentEventData { Document value = 1; Document old_value = 2; DocumentMask update_mask = 3; } */
export function encodeDocumentEventData({ before, after, updateMask }) {
  const parts = [];
  if (after) parts.push(lengthDelimited(1, Buffer.from(after.serializeBinary())));
  if (before) parts.push(lengthDelimited(2, Buffer.from(before.serializeBinary())));
  if (updateMask?.length) {
    parts.push(lengthDelimited(3, Buffer.concat(updateMask.map((p) => lengthDelimited(1, Buffer.from(p, 'utf8'))))));
  }
  return Buffer.concat(parts);
}

/** Top-level fields that differ between two versions of a document (the event's update mask). */
function changedFields(before, after) {
  const keys = new Set([...before.fields.keys(), ...after.fields.keys()]);
  return [...keys]
    .filter((k) => {
      const a = before.fields.get(k);
      const b = after.fields.get(k);
      return !a || !b || !valueBytes(a).equals(valueBytes(b));
    })
    .sort();
}

// ---- document patterns ----------------------------------------------------------------------

/**
 * Does a document path (`events/e1/speakers/s1`) match a trigger pattern? Patterns are
 * segment-wise: `{name}` or `*` matches one segment, `{name=**}` or `**` any number (also zero).
 */
export function matchesPattern(pattern, path) {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  const multi = (seg) => seg === '**' || /^\{[^}=]+=\*\*\}$/.test(seg);
  const single = (seg) => seg === '*' || /^\{[^}=]+(=\*)?\}$/.test(seg);
  const match = (i, j) => {
    if (i === p.length) return j === s.length;
    if (multi(p[i])) {
      for (let k = j; k <= s.length; k++) if (match(i + 1, k)) return true;
      return false;
    }
    if (j === s.length) return false;
    return (single(p[i]) || p[i] === s[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}

// ---- the registry and dispatcher ------------------------------------------------------------

export class TriggerDispatcher {
  /**
   * @param functionsEmulator `host:port` of the functions emulator (null: events are dropped)
   * @param log logging function
   * @param concurrency events in flight per trigger
   */
  constructor(functionsEmulator, log, { concurrency = 1 } = {}) {
    this.functionsEmulator = functionsEmulator;
    this.log = log;
    this.concurrency = concurrency;
    this.triggers = new Map(); // trigger id → registration
    this.queues = new Map(); // trigger id → { active, waiting: [] }
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  }

  /**
   * Registers a trigger. Trigger ids are `<function id>-<generation>`: a new generation of the
   * same function (hot reload) replaces the older registration.
   */
  register(project, id, body) {
    const { eventType, database = '(default)', namespace = '(default)', document } = body ?? {};
    if (typeof eventType !== 'string' || !eventType.startsWith(EVENT_PREFIX) || typeof document?.value !== 'string') {
      throw new Error(`Unsupported trigger registration: ${JSON.stringify(body)}`);
    }
    const functionId = id.replace(/-\d+$/, '');
    for (const [otherId, other] of this.triggers) {
      if (otherId !== id && other.functionId === functionId) {
        this.triggers.delete(otherId);
        this.log(`trigger ${otherId} replaced by ${id}`);
      }
    }
    const kind = eventType.slice(EVENT_PREFIX.length).replace(/\.withAuthContext$/, '');
    this.triggers.set(id, {
      id,
      functionId,
      project,
      eventType,
      kind,
      withAuthContext: eventType.endsWith('.withAuthContext'),
      database,
      namespace,
      pattern: document.value.replace(/^\/+|\/+$/g, ''),
      exact: document.matchType === 'EXACT',
    });
    this.log(`trigger ${id}: ${eventType} on ${document.value} (${document.matchType ?? 'PATH_PATTERN'}, database ${database})`);
  }

  unregister(id) {
    return this.triggers.delete(id);
  }

  list() {
    return [...this.triggers.values()];
  }

  /**
   * Delivers the events of a commit's changes to every matching trigger.
   * @param changes `{ path, before, after }` with v1 Documents or null
   * @param auth `{ type, id }` of the writer, for the `.withAuthContext` event types
   * @param time the commit time
   */
  dispatch(changes, auth, time) {
    if (this.triggers.size === 0) return;
    for (const change of changes) {
      const m = DOC_NAME_RE.exec(change.path);
      if (!m) continue;
      const [, project, database, document] = m;
      const kind = !change.before ? 'created' : !change.after ? 'deleted' : 'updated';
      const updateMask = kind === 'updated' ? changedFields(change.before, change.after) : undefined;
      let body;
      for (const trigger of this.triggers.values()) {
        if (trigger.project !== project || trigger.database !== database || trigger.namespace !== '(default)') continue;
        if (!KINDS[kind].includes(trigger.kind)) continue;
        if (trigger.exact ? trigger.pattern !== document : !matchesPattern(trigger.pattern, document)) continue;
        body ??= encodeDocumentEventData({ before: change.before, after: change.after, updateMask }).toString('base64');
        this.enqueue(trigger, { project, database, document, time, auth, body });
      }
    }
  }

  enqueue(trigger, event) {
    let queue = this.queues.get(trigger.id);
    if (!queue) this.queues.set(trigger.id, (queue = { active: 0, waiting: [] }));
    queue.waiting.push(event);
    this.pump(trigger, queue);
  }

  pump(trigger, queue) {
    while (queue.active < this.concurrency && queue.waiting.length > 0) {
      queue.active++;
      this.send(trigger, queue.waiting.shift(), () => {
        queue.active--;
        this.pump(trigger, queue);
      });
    }
  }

  send(trigger, { project, database, document, time, auth, body }, done) {
    if (!this.functionsEmulator) {
      this.log(`no functions emulator address (--functions_emulator): event for ${trigger.id} dropped`);
      done();
      return;
    }
    const [host, port] = splitHostPort(this.functionsEmulator);
    const headers = {
      'content-type': 'application/protobuf',
      'content-length': Buffer.byteLength(body),
      'ce-specversion': '1.0',
      'ce-id': randomUUID(),
      'ce-type': trigger.eventType,
      'ce-source': `//firestore.googleapis.com/projects/${project}/databases/${database}`,
      'ce-subject': `documents/${document}`,
      'ce-time': time.toISOString(),
      'ce-dataschema': DATASCHEMA,
      'ce-project': project,
      'ce-database': database,
      'ce-namespace': '(default)',
      'ce-document': document,
      'ce-location': 'us-central1',
    };
    if (trigger.withAuthContext) {
      headers['ce-authtype'] = auth.type;
      if (auth.id) headers['ce-authid'] = auth.id;
    }
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        done();
      }
    };
    const req = http.request(
      { host, port, method: 'POST', path: `/functions/projects/${project}/triggers/${trigger.id}`, headers, agent: this.agent },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          finish();
          if (res.statusCode === 404) {
            // The functions emulator no longer knows this id (function removed or reloaded).
            this.triggers.delete(trigger.id);
            this.log(`trigger ${trigger.id} is unknown to the functions emulator (404): unregistered`);
          } else if (res.statusCode >= 300) {
            const text = Buffer.concat(chunks).toString('utf8').slice(0, 500);
            this.log(`event ${headers['ce-type']} for ${document} → ${trigger.id}: HTTP ${res.statusCode} ${text}`);
          }
        });
        res.on('error', finish);
      },
    );
    // The functions emulator ends a function at its timeout; this only guards against a hang.
    req.setTimeout(10 * 60_000, () => req.destroy(new Error('no answer within 10 minutes')));
    req.on('error', (error) => {
      finish();
      this.log(`event ${headers['ce-type']} for ${document} → ${trigger.id} not delivered: ${error.message}`);
    });
    req.end(body);
  }
}

function splitHostPort(address) {
  // host:port, [v6]:port or v6-without-brackets:port
  const m = /^\[?(.*?)\]?:(\d+)$/.exec(address);
  return m ? [m[1], Number(m[2])] : [address, 80];
}

/** The writer of a gRPC request, for `.withAuthContext` events: admin, app_user, unauthenticated, unknown. */
export function authOf(metadata) {
  const header = metadata?.get('authorization')?.[0];
  if (!header) return { type: 'unauthenticated' };
  const token = String(header).replace(/^Bearer\s+/i, '');
  if (token === 'owner') return { type: 'admin' };
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
    const uid = payload.user_id ?? payload.sub;
    if (uid) return { type: 'app_user', id: String(uid) };
  } catch {
    // not a JWT
  }
  return { type: 'unknown' };
}
