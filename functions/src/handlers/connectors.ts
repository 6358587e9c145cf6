/**
 * The connectors' edge (docs/connectors.md):
 *
 *   connectSource({ eventId, system, baseUrl, event, token, organizer?, role? })  organizers:
 *       checks the connection against the server (the event exists, the token is accepted),
 *       stores the token where no client reads it (eventSecrets/{eventId}), runs a first sync;
 *       pretix: answers the webhook URL to add in pretix (a per-event capability URL)
 *   disconnectSource({ eventId, system })   organizers: the token and the connection removed
 *   syncSource({ eventId, system })          organizers: a pull sync now, its report
 *   pretixWebhook                            HTTP, public: POST /<eventId>/<key> from pretix
 *   syncConnectedSources                     scheduled, every 30 minutes: one syncSourceTask per connected event
 *
 * pretix does not sign its webhooks: a notification is accepted only on the event's unguessable
 * URL, and only as a hint: the order it names is re-read through the API with the event's token,
 * so a forged or replayed notification can at most cause a re-read of the truth.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { FieldValue } from 'firebase-admin/firestore';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { getFunctions } from 'firebase-admin/functions';
import { functionUrl, REGION } from '../config.js';
import { app, firestore, objectStore } from '../firebase-app.js';
import { sha256Id } from '../shared/hash.js';
import { ConnectorError } from '../connectors/errors.js';
import { connectorBaseUrl, connectorHttp } from '../connectors/http-client.js';
import { isSlug, pretixNotification, readPretixEvent } from '../connectors/pretix.js';
import { readPretalxEvent } from '../connectors/pretalx.js';
import {
  connectedEvents,
  CONNECTOR_SYSTEMS,
  readConnection,
  syncPretixOrder,
  syncSource,
  type ConnectionRecord,
  type ConnectorSystem,
  type SyncReport,
} from '../connectors/sync.js';
import { logConnector } from '../logs.js';
import { eventRef, eventSecretsRef, tombstoneRef } from '../shared/paths.js';
import { docId, parseInput, requestObject, roleId } from '../shared/request-schema.js';
import { ATTENDEE_ROLE, SPEAKER_ROLE } from '../shared/roles.js';
import { callable, requireOrganizer, requireSignIn } from './callable.js';
import { sendError, sendJson } from './http-response.js';

const system = z.enum(CONNECTOR_SYSTEMS as [ConnectorSystem, ...ConnectorSystem[]], {
  error: 'system must be "pretix" or "pretalx"',
});
const slug = (field: string) =>
  z
    .string({ error: `${field} must be a slug` })
    .refine(isSlug, { error: `${field} must be a slug (letters, digits, "-", ".")` });

export const ConnectSourceInput = requestObject('{ eventId, system, baseUrl, event, token, organizer?, role? }', {
  eventId: docId('eventId'),
  system,
  baseUrl: z.string({ error: 'baseUrl must be the server address' }).max(500),
  event: slug('event'),
  organizer: slug('organizer').optional(),
  token: z
    .string({ error: 'token must be the API token' })
    .regex(/^[A-Za-z0-9_.-]{8,200}$/, { error: 'token must be the API token (8-200 letters and digits)' }),
  role: roleId('role'),
});

export const SourceInput = requestObject('{ eventId, system }', { eventId: docId('eventId'), system });

/** Loopback http servers (a local pretix) are allowed on the emulator only. */
const onEmulator = () => process.env.FUNCTIONS_EMULATOR === 'true';

export interface ConnectSourceResult {
  system: ConnectorSystem;
  /** The event's name on the server: what the organizer connected. */
  remoteEventName: string;
  /** pretix: the URL to add as a webhook in pretix (organizer settings → Webhooks). */
  webhookUrl?: string;
  sync: SyncReport;
}

export const handleConnectSource = callable<ConnectSourceResult>(async (request) => {
  const caller = requireSignIn(request, 'connectSource', 'connect a ticketing or CfP system');
  const input = parseInput(ConnectSourceInput, request.data);
  await requireOrganizer(caller, input.eventId, 'connectSource', 'connect it to another system');
  const baseUrl = connectorBaseUrl(input.baseUrl, 'baseUrl', onEmulator());
  if (input.system === 'pretix' && !input.organizer)
    throw new ConnectorError('CONNECTOR_INVALID', 'organizer (the pretix organizer slug) is required', {
      field: 'organizer',
    });
  if (input.role === SPEAKER_ROLE)
    throw new ConnectorError(
      'CONNECTOR_INVALID',
      'pretix gives attendees or another role, not speakers: connect pretalx for speakers',
      {
        field: 'role',
      },
    );
  const http = connectorHttp({ authorization: `Token ${input.token}` });
  const remote =
    input.system === 'pretix'
      ? await readPretixEvent(http, { baseUrl, organizer: input.organizer!, event: input.event, role: ATTENDEE_ROLE })
      : await readPretalxEvent(http, { baseUrl, event: input.event });
  const db = firestore();
  const secretsRef = eventSecretsRef(db, input.eventId);
  const existing = (await secretsRef.get()).get(`${input.system}.webhookKey`) as string | undefined;
  // Replacing the token keeps the webhook URL, so pretix's webhook setting stays valid.
  const webhookKey = input.system === 'pretix' ? (existing ?? randomBytes(32).toString('base64url')) : undefined;
  const connection: ConnectionRecord = {
    baseUrl,
    event: input.event,
    ...(input.system === 'pretix' ? { organizer: input.organizer!, role: input.role ?? ATTENDEE_ROLE } : {}),
    connectedAt: new Date(),
  };
  const batch = db.batch();
  batch.set(
    secretsRef,
    { [input.system]: { token: input.token, ...(webhookKey ? { webhookKey } : {}) } },
    { merge: true },
  );
  batch.update(eventRef(db, input.eventId), { [`connectors.${input.system}`]: connection });
  await batch.commit();
  logConnector({ eventId: input.eventId, system: input.system, action: 'connected', uid: caller.uid });
  const sync = await syncSource({ db, store: objectStore() }, input.eventId, input.system, 'connect');
  return {
    system: input.system,
    remoteEventName: remote.name,
    ...(webhookKey ? { webhookUrl: `${functionUrl('pretixWebhook')}/${input.eventId}/${webhookKey}` } : {}),
    sync,
  };
});

export const handleDisconnectSource = callable<{ disconnected: boolean }>(async (request) => {
  const caller = requireSignIn(request, 'disconnectSource', 'disconnect a system');
  const input = parseInput(SourceInput, request.data);
  await requireOrganizer(caller, input.eventId, 'disconnectSource', 'disconnect it');
  const db = firestore();
  const batch = db.batch();
  batch.set(eventSecretsRef(db, input.eventId), { [input.system]: FieldValue.delete() }, { merge: true });
  batch.update(eventRef(db, input.eventId), { [`connectors.${input.system}`]: FieldValue.delete() });
  await batch.commit();
  logConnector({ eventId: input.eventId, system: input.system, action: 'disconnected', uid: caller.uid });
  return { disconnected: true };
});

export const handleSyncSource = callable<SyncReport>(async (request) => {
  const caller = requireSignIn(request, 'syncSource', 'sync a system');
  const input = parseInput(SourceInput, request.data);
  await requireOrganizer(caller, input.eventId, 'syncSource', 'sync it');
  return syncSource({ db: firestore(), store: objectStore() }, input.eventId, input.system, 'manual');
});

export const SYNC_TASK_FUNCTION = 'syncSourceTask';

/** One task's work: a connected event and its system. */
const SyncTaskInput = z.object({ eventId: docId('eventId'), system });

/**
 * Every connected event, each system, as its own task (syncSourceTask): a slow or hostile server
 * holds up only its own event's sync, never the others'. Task ids are per event, system and
 * half hour, so a rerun of the schedule adds nothing.
 */
export async function handleScheduledSync(): Promise<void> {
  const db = firestore();
  const queue = getFunctions(app()).taskQueue<z.infer<typeof SyncTaskInput>>(
    `locations/${REGION.value()}/functions/${SYNC_TASK_FUNCTION}`,
  );
  const slot = Math.floor(Date.now() / (30 * 60_000));
  for (const name of CONNECTOR_SYSTEMS) {
    for (const eventId of await connectedEvents(db, name)) {
      const id = `sync-${name}-${sha256Id(eventId, 16)}-${slot}`;
      await queue.enqueue({ eventId, system: name }, { id }).catch((error: { code?: string }) => {
        if (error.code !== 'functions/task-already-exists') throw error;
      });
    }
  }
}

/** One event's scheduled sync; its failure is recorded on the connection (lastSync) and not retried. */
export async function handleSyncSourceTask(request: { data: unknown }): Promise<void> {
  const input = SyncTaskInput.safeParse(request.data);
  if (!input.success) return;
  const { eventId, system: name } = input.data;
  try {
    const report = await syncSource({ db: firestore(), store: objectStore() }, eventId, name, 'scheduled');
    logConnector({ eventId, system: name, action: 'synced', created: report.created, updated: report.updated });
  } catch (error) {
    logConnector({ eventId, system: name, action: 'sync-failed', code: (error as { code?: string }).code });
  }
}

const MAX_WEBHOOK_BYTES = 64 * 1024;

function sameKey(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * POST /<eventId>/<key>: a pretix notification. 200 when applied (or nothing to do), 404 for any
 * unknown event or key (nothing told), 400 for a body that is no notification of this event, 503
 * when pretix's API could not be read (pretix retries its webhooks).
 */
export async function handlePretixWebhook(
  req: IncomingMessage & { rawBody?: Buffer; path?: string },
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'POST') return sendError(res, { code: 'METHOD_NOT_ALLOWED', message: 'Only POST' });
  // The last two segments: behind a Hosting rewrite the path keeps its prefix.
  const [eventId, key] = (req.path ?? new URL(req.url ?? '/', 'http://x').pathname)
    .split('/')
    .filter(Boolean)
    .slice(-2);
  const db = firestore();
  const notFound = () => sendError(res, { code: 'not-found', message: 'Unknown webhook' });
  if (!eventId || !key || !/^[A-Za-z0-9_-]{43}$/.test(key) || !docId('eventId').safeParse(eventId).success)
    return notFound();
  const [secrets, tombstone] = await Promise.all([eventSecretsRef(db, eventId).get(), tombstoneRef(db, eventId).get()]);
  const expected = secrets.get('pretix.webhookKey');
  if (tombstone.exists || typeof expected !== 'string' || !sameKey(expected, key)) return notFound();
  const raw = req.rawBody;
  if (!raw || raw.byteLength > MAX_WEBHOOK_BYTES)
    return sendError(res, { code: 'LIMIT_EXCEEDED', message: 'The notification is too large' });
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendError(res, { code: 'invalid-argument', message: 'The notification is not JSON' });
  }
  const notification = pretixNotification(body);
  if (!notification) return sendJson(res, 200, { applied: false, reason: 'not an order or check-in notification' });
  try {
    const { connection } = await readConnection(db, eventId, 'pretix');
    if (notification.organizer !== connection.organizer || notification.event !== connection.event)
      return sendError(res, { code: 'invalid-argument', message: 'The notification is for another pretix event' });
    const report = await syncPretixOrder({ db, store: objectStore() }, eventId, notification.code);
    logConnector({
      eventId,
      system: 'pretix',
      action: 'webhook',
      notification: notification.action,
      ...countsOf(report),
    });
    sendJson(res, 200, { applied: true, ...countsOf(report) });
  } catch (error) {
    if (error instanceof ConnectorError) {
      logConnector({ eventId, system: 'pretix', action: 'webhook-failed', code: error.code });
      return sendError(res, { code: error.code, message: error.message });
    }
    throw error;
  }
}

function countsOf(report: SyncReport) {
  return {
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    rejected: report.rejectedCount,
  };
}
