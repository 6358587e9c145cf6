/**
 * Outbound events (docs/webhooks.md): certificate.issued, .corrected and .revoked, POSTed to the
 * URLs an organizer set, signed per Standard Webhooks (outbound/), retried on the Standard
 * Webhooks schedule, each attempt in the event's delivery log.
 *
 *   setWebhookEndpoints({ eventId, endpoints })  organizers: the event's endpoints (at most 5);
 *        a new endpoint's signing secret is answered once and kept in eventSecrets/{eventId}
 *   onRegistryEntryWritten   certificates/{certificateId} created (issued, or corrected when it
 *        supersedes one) or revoked → one delivery task per subscribed endpoint
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
import type { Change, DocumentSnapshot, FirestoreEvent } from 'firebase-functions/v2/firestore';
import type { Request as TaskRequest } from 'firebase-functions/v2/tasks';
import { z } from 'zod';
import { REGION } from '../config.js';
import { app, firestore } from '../firebase-app.js';
import { deliverWebhook, planDeliveries, DEFAULT_TIMEOUT_MS, type DeliveryRecord } from '../outbound/deliver.js';
import { validateEndpoints, type WebhookEndpointConfig } from '../outbound/endpoints.js';
import { newWebhookSecret, type CertificateEventFacts, type WebhookEventType } from '../outbound/standard-webhooks.js';
import { logWebhookDelivery } from '../logs.js';
import type { PublicCertificate } from '../shared/model.js';
import { eventRef, eventSecretsRef, participantKeyOfPath } from '../shared/paths.js';
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

/** What happened to a registry entry, as an outbound event: created (issued / corrected) or revoked. */
export function registryEvent(
  before: PublicCertificate | undefined,
  after: PublicCertificate | undefined,
): WebhookEventType | undefined {
  if (!after) return undefined;
  if (!before) return after.supersedes ? 'certificate.corrected' : 'certificate.issued';
  if (before.status !== 'revoked' && after.status === 'revoked') return 'certificate.revoked';
  return undefined;
}

export async function handleRegistryEntryWritten(
  event: FirestoreEvent<Change<DocumentSnapshot> | undefined, { certificateId: string }>,
): Promise<void> {
  const before = event.data?.before.exists ? (event.data.before.data() as PublicCertificate) : undefined;
  const after = event.data?.after.exists ? (event.data.after.data() as PublicCertificate) : undefined;
  const type = registryEvent(before, after);
  if (!type || !after) return;
  const db = firestore();
  const eventSnap = await eventRef(db, after.eventId).get();
  const endpoints = (eventSnap.get('webhooks') ?? []) as WebhookEndpointConfig[];
  if (!Array.isArray(endpoints) || endpoints.length === 0) return;
  const key = after.participantPath ? participantKeyOfPath(after.participantPath) : undefined;
  const wantsEmail = endpoints.some((endpoint) => endpoint.includeEmail === true);
  const email =
    wantsEmail && after.participantPath ? (await db.doc(after.participantPath).get()).get('email') : undefined;
  const facts: CertificateEventFacts = {
    certificateId: after.certificateId,
    eventId: after.eventId,
    participantId: key?.participantId ?? '',
    role: after.role ?? (key?.collection === 'participants' ? 'attendee' : SPEAKER_ROLE),
    recipientName: after.recipientName,
    verifyUrl: after.verifyUrl,
    status: after.status,
    ...(after.supersedes ? { supersedes: after.supersedes } : {}),
    ...(type === 'certificate.revoked' && after.revocationReason ? { reason: after.revocationReason } : {}),
    ...(typeof email === 'string' ? { email } : {}),
  };
  const queue = deliveryQueue();
  for (const { endpoint, message } of planDeliveries(endpoints, type, facts, new Date(event.time))) {
    const task: DeliveryTask = {
      eventId: after.eventId,
      endpointId: endpoint.id,
      messageId: message.id,
      type,
      body: message.body,
      attempt: 1,
    };
    await queue.enqueue(task, taskId(task), 0);
  }
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
