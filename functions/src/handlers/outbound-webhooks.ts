/**
 * Outbound events (docs/webhooks.md): certificate.issued, .corrected and .revoked, POSTed to the
 * URLs an organizer set, signed per Standard Webhooks (outbound/), retried on the Standard
 * Webhooks schedule, each attempt in the event's delivery log.
 *
 *   setWebhookEndpoints({ eventId, endpoints })  organizers: the event's endpoints (at most 5);
 *        a new endpoint's signing secret is answered once and kept in eventSecrets/{eventId}
 *   onWebhookOutboxCreated   webhookOutbox/{id}, written by the issuing commit (issued, corrected)
 *        and by every revocation in their own transactions, only for events with endpoints →
 *        one delivery task per subscribed endpoint
 *   deliverWebhookTask       task queue: one attempt; a retry is the next task, scheduled at the
 *        attempt's `nextAttemptAt` (task ids `<message>-<endpoint>-<attempt>`: a redelivered
 *        trigger or task never sends an attempt twice)
 *
 * The endpoints are on the event (`webhooks`, no secret; the rules let no client write them); the
 * log is events/{eventId}/webhookDeliveries/{messageId}_{endpointId}. A recipient's email is in a
 * body only for an endpoint the organizer marked `includeEmail`.
 */
import { getFunctions } from 'firebase-admin/functions';
import { FieldValue } from 'firebase-admin/firestore';
import type { FirestoreEvent, QueryDocumentSnapshot } from 'firebase-functions/v2/firestore';
import type { Request as TaskRequest } from 'firebase-functions/v2/tasks';
import { z } from 'zod';
import { REGION } from '../config.js';
import { app, firestore } from '../firebase-app.js';
import { deliverWebhook, planDeliveries, DEFAULT_TIMEOUT_MS, type DeliveryRecord } from '../outbound/deliver.js';
import { validateEndpoints, type WebhookEndpointConfig } from '../outbound/endpoints.js';
import {
  isWebhookEventType,
  newWebhookSecret,
  type CertificateEventFacts,
  type WebhookEventType,
} from '../outbound/standard-webhooks.js';
import { logWebhookDelivery } from '../logs.js';
import { toDate, type FirestoreDate } from '../shared/model.js';
import { eventRef, eventSecretsRef, participantKeyOfPath, registryRef } from '../shared/paths.js';
import { docId, parseInput, requestObject } from '../shared/request-schema.js';
import { SPEAKER_ROLE } from '../shared/roles.js';
import { isRecord } from '../shared/values.js';
import { callable, requireOrganizer, requireSignIn } from './callable.js';

export const DELIVER_TASK_FUNCTION = 'deliverWebhookTask';

export const SetWebhookEndpointsInput = requestObject('{ eventId, endpoints }', {
  eventId: docId('eventId'),
  endpoints: z.array(z.unknown(), { error: 'endpoints must be a list' }).max(20),
});

const onEmulator = () => process.env.FUNCTIONS_EMULATOR === 'true';

export interface SetWebhookEndpointsResult {
  endpoints: WebhookEndpointConfig[];
  /** The signing secrets of the endpoints created by this call, by endpoint id: shown once. */
  secrets: Record<string, string>;
}

export const handleSetWebhookEndpoints = callable<SetWebhookEndpointsResult>(async (request) => {
  const caller = requireSignIn(request, 'setWebhookEndpoints', 'set webhooks');
  const input = parseInput(SetWebhookEndpointsInput, request.data);
  await requireOrganizer(caller, input.eventId, 'setWebhookEndpoints', 'set its webhooks');
  const endpoints = validateEndpoints(input.endpoints, { allowInsecureLocal: onEmulator() });
  const db = firestore();
  const secretsRef = eventSecretsRef(db, input.eventId);
  const secrets: Record<string, string> = {};
  await db.runTransaction(async (tx) => {
    const stored = ((await tx.get(secretsRef)).get('webhookSecrets') ?? {}) as Record<string, string>;
    const kept: Record<string, string> = {};
    for (const endpoint of endpoints) {
      if (typeof stored[endpoint.id] === 'string') kept[endpoint.id] = stored[endpoint.id]!;
      else kept[endpoint.id] = secrets[endpoint.id] = newWebhookSecret();
    }
    // Removed endpoints lose their secret; the others keep theirs.
    tx.set(secretsRef, { webhookSecrets: kept }, { mergeFields: ['webhookSecrets'] });
    tx.update(eventRef(db, input.eventId), { webhooks: endpoints });
  });
  return { endpoints, secrets };
});

export interface DeliveryTask {
  eventId: string;
  endpointId: string;
  messageId: string;
  type: WebhookEventType;
  body: string;
  attempt: number;
}

const DeliveryTaskInput = z.object({
  eventId: docId('eventId'),
  endpointId: z.string().max(64),
  messageId: z.string().max(160),
  type: z.enum(['certificate.issued', 'certificate.corrected', 'certificate.revoked']),
  body: z.string().max(16_384),
  attempt: z.number().int().min(1).max(50),
}) satisfies z.ZodType<DeliveryTask>;

export interface DeliveryQueue {
  enqueue(task: DeliveryTask, id: string, delaySeconds: number): Promise<void>;
}

function deliveryQueue(): DeliveryQueue {
  const queue = getFunctions(app()).taskQueue<DeliveryTask>(
    `locations/${REGION.value()}/functions/${DELIVER_TASK_FUNCTION}`,
  );
  return {
    async enqueue(task, id, delaySeconds) {
      try {
        await queue.enqueue(task, {
          id,
          ...(delaySeconds > 0 ? { scheduleDelaySeconds: Math.ceil(delaySeconds) } : {}),
        });
      } catch (error) {
        // The same attempt enqueued before (a redelivered trigger or task): nothing to add.
        if ((error as { code?: string }).code !== 'functions/task-already-exists') throw error;
      }
    },
  };
}

const taskId = (task: Pick<DeliveryTask, 'messageId' | 'endpointId' | 'attempt'>) =>
  `${task.messageId}-${task.endpointId}-${task.attempt}`.replace(/[^A-Za-z0-9_-]/g, '_');

/** An outbox document (shared/paths.ts webhookOutboxRef), written with the change it announces. */
interface OutboxEntry {
  type: WebhookEventType;
  certificateId: string;
  eventId: string;
  at: FirestoreDate;
}

/**
 * webhookOutbox/{id} created → one delivery task per subscribed endpoint, then the outbox document
 * is deleted. The issuing commit and every revocation write it in their own transaction, and only
 * for an event with endpoints: an event without webhooks costs nothing, and no announcement is lost
 * between a change and its delivery (the trigger is retried; task ids make a retry add nothing).
 */
export async function handleWebhookOutboxCreated(
  event: FirestoreEvent<QueryDocumentSnapshot | undefined, { outboxId: string }>,
): Promise<void> {
  const outbox = event.data?.data() as OutboxEntry | undefined;
  if (!event.data || !outbox || !isWebhookEventType(outbox.type)) return;
  const db = firestore();
  const [entrySnap, eventSnap] = await Promise.all([
    registryRef(db, outbox.certificateId).get(),
    eventRef(db, outbox.eventId).get(),
  ]);
  const entry = entrySnap.data();
  const endpoints = (eventSnap.get('webhooks') ?? []) as WebhookEndpointConfig[];
  if (entry && Array.isArray(endpoints) && endpoints.length > 0) {
    const key = entry.participantPath ? participantKeyOfPath(entry.participantPath) : undefined;
    const wantsEmail = endpoints.some((endpoint) => endpoint.includeEmail === true);
    const email =
      wantsEmail && entry.participantPath ? (await db.doc(entry.participantPath).get()).get('email') : undefined;
    const facts: CertificateEventFacts = {
      certificateId: entry.certificateId,
      eventId: entry.eventId,
      participantId: key?.participantId ?? '',
      role: entry.role ?? (key?.collection === 'participants' ? 'attendee' : SPEAKER_ROLE),
      recipientName: entry.recipientName,
      verifyUrl: entry.verifyUrl,
      status: outbox.type === 'certificate.revoked' ? 'revoked' : 'valid',
      ...(entry.supersedes && outbox.type === 'certificate.corrected' ? { supersedes: entry.supersedes } : {}),
      ...(outbox.type === 'certificate.revoked' && entry.revocationReason ? { reason: entry.revocationReason } : {}),
      ...(typeof email === 'string' ? { email } : {}),
    };
    const queue = deliveryQueue();
    const occurredAt = toDate(outbox.at) ?? new Date(event.time);
    for (const { endpoint, message } of planDeliveries(endpoints, outbox.type, facts, occurredAt)) {
      const task: DeliveryTask = {
        eventId: entry.eventId,
        endpointId: endpoint.id,
        messageId: message.id,
        type: outbox.type,
        body: message.body,
        attempt: 1,
      };
      await queue.enqueue(task, taskId(task), 0);
    }
  }
  await event.data.ref.delete();
}

/** At most this many attempts kept in one delivery's log document. */
const MAX_LOGGED_ATTEMPTS = 20;

export async function handleDeliverWebhookTask(request: TaskRequest<unknown>): Promise<void> {
  const parsed = DeliveryTaskInput.safeParse(request.data);
  if (!parsed.success) return; // nothing a retry could fix
  await runDelivery(parsed.data, { fetch, queue: deliveryQueue(), now: Date.now });
}

/** One attempt of a delivery: sent, logged, and the next attempt scheduled when it is to be retried. */
export async function runDelivery(
  task: DeliveryTask,
  deps: { fetch: typeof fetch; queue: DeliveryQueue; now: () => number },
): Promise<DeliveryRecord | undefined> {
  const db = firestore();
  const [eventSnap, secretsSnap] = await Promise.all([
    eventRef(db, task.eventId).get(),
    eventSecretsRef(db, task.eventId).get(),
  ]);
  const endpoints = (eventSnap.get('webhooks') ?? []) as WebhookEndpointConfig[];
  const endpoint = Array.isArray(endpoints) ? endpoints.find((e) => e.id === task.endpointId) : undefined;
  const secret = secretsSnap.get(`webhookSecrets.${task.endpointId}`);
  // Removed or disabled since: nothing is sent.
  if (!endpoint || endpoint.enabled === false || typeof secret !== 'string') return undefined;
  const record = await deliverWebhook(
    { fetch: deps.fetch, now: deps.now, timeoutMs: DEFAULT_TIMEOUT_MS, allowInsecureLocal: onEmulator() },
    { id: endpoint.id, url: endpoint.url, secret },
    { id: task.messageId, type: task.type, body: task.body },
    task.attempt,
  );
  const logRef = eventRef(db, task.eventId).collection('webhookDeliveries').doc(`${task.messageId}_${task.endpointId}`);
  await db.runTransaction(async (tx) => {
    const [snap, eventNow] = await Promise.all([tx.get(logRef), tx.get(eventRef(db, task.eventId))]);
    const attempts = (
      isRecord(snap.data()) && Array.isArray(snap.get('attempts')) ? snap.get('attempts') : []
    ) as DeliveryRecord[];
    if (attempts.some((a) => a.attempt === record.attempt)) return; // this attempt was logged by a duplicate task
    tx.set(
      logRef,
      {
        messageId: task.messageId,
        endpointId: task.endpointId,
        url: endpoint.url,
        type: task.type,
        status: record.status,
        attemptsMade: record.attempt,
        lastAttemptAt: record.at,
        ...(record.nextAttemptAt ? { nextAttemptAt: record.nextAttemptAt } : { nextAttemptAt: FieldValue.delete() }),
        attempts: [...attempts, record].slice(-MAX_LOGGED_ATTEMPTS),
      },
      { merge: true },
    );
    if (record.disableEndpoint && eventNow.exists) {
      const current = (eventNow.get('webhooks') ?? []) as WebhookEndpointConfig[];
      tx.update(eventRef(db, task.eventId), {
        webhooks: current.map((e) => (e.id === task.endpointId ? { ...e, enabled: false } : e)),
      });
    }
  });
  logWebhookDelivery({
    eventId: task.eventId,
    endpointId: task.endpointId,
    messageId: task.messageId,
    attempt: record.attempt,
    status: record.status,
    httpStatus: record.httpStatus,
  });
  if (record.status === 'retrying' && record.nextAttemptAt) {
    const next = { ...task, attempt: task.attempt + 1 };
    await deps.queue.enqueue(next, taskId(next), (Date.parse(record.nextAttemptAt) - deps.now()) / 1000);
  }
  return record;
}
