/**
 * A connector's sync: what pretix or pretalx says now → the event's people, through the one
 * writer of people (import/apply-speakers.ts), which writes only what changed (a second sync
 * writes nothing and fires no trigger). The triggers do the rest: an attendee who checked in is
 * issued (handlers/on-participant-written.ts), a cancelled ticket revokes, a speaker's fixed name
 * is a correction. Talks withdrawn after issuance are revoked here, with the reason.
 *
 * Connections: `events/{eventId}.connectors.{pretix|pretalx}` (what the organizer sees: server,
 * slugs, the last sync's report); the API tokens and pretix's webhook key in
 * `eventSecrets/{eventId}`, which no client rule reads (firestore.rules' final deny).
 */
import type { Firestore } from 'firebase-admin/firestore';
import { applySpeakers, type ApplyResult, type PersonRow } from '../import/apply-speakers.js';
import { revokeCertificate, withdrawDownloadLinks } from '../issue/lifecycle.js';
import type { ObjectStore } from '../shared/object-store.js';
import { eventRef, eventSecretsRef, participantRef } from '../shared/paths.js';
import type { ParticipantCollection } from '../shared/roles.js';
import { isRecord } from '../shared/values.js';
import { ConnectorError } from './errors.js';
import { connectorHttp, type ConnectorHttp } from './http-client.js';
import {
  admissionItems,
  orderPages,
  orderParticipants,
  readOrder,
  type PretixConnection,
  type SyncRejection,
} from './pretix.js';
import { pretalxSpeakers, submissionPages, submissionRows, type PretalxConnection } from './pretalx.js';

export type ConnectorSystem = 'pretix' | 'pretalx';
export const CONNECTOR_SYSTEMS: readonly ConnectorSystem[] = ['pretix', 'pretalx'];

/** What `events/{eventId}.connectors.<system>` holds (no secret). */
export interface ConnectionRecord {
  baseUrl: string;
  /** pretix only. */
  organizer?: string;
  event: string;
  /** pretix only: the role its attendees get. */
  role?: string;
  connectedAt: Date;
  lastSync?: SyncReport;
}

/** The secrets of one connection in eventSecrets/{eventId}.<system>. */
export interface ConnectionSecrets {
  token: string;
  /** pretix only: the last path segment of the webhook URL (a capability: 32 random bytes). */
  webhookKey?: string;
}

/** What one sync did, kept on the connection (bounded: the first MAX_REPORTED rejections). */
export interface SyncReport {
  at: Date;
  trigger: 'manual' | 'scheduled' | 'webhook' | 'connect';
  ok: boolean;
  created: number;
  updated: number;
  unchanged: number;
  revoked: number;
  rejectedCount: number;
  rejected: SyncRejection[];
  ms: number;
  error?: { code: string; message: string };
}

export const MAX_REPORTED = 100;

export interface SyncDeps {
  db: Firestore;
  store: ObjectStore;
  /** A client for a connection (tests and the emulator pass the default). */
  http?: (secrets: ConnectionSecrets) => ConnectorHttp;
  now?: () => Date;
}

/** pretix and pretalx both take `Authorization: Token <token>`. */
const tokenHttp = (secrets: ConnectionSecrets) => connectorHttp({ authorization: `Token ${secrets.token}` });

/** The connection and its secrets, or CONNECTOR_NOT_CONNECTED. */
export async function readConnection(
  db: Firestore,
  eventId: string,
  system: ConnectorSystem,
): Promise<{ connection: ConnectionRecord; secrets: ConnectionSecrets }> {
  const [event, secrets] = await Promise.all([eventRef(db, eventId).get(), eventSecretsRef(db, eventId).get()]);
  const connection = event.get(`connectors.${system}`) as ConnectionRecord | undefined;
  const secret = secrets.get(system) as ConnectionSecrets | undefined;
  if (!isRecord(connection) || !isRecord(secret) || typeof secret.token !== 'string')
    throw new ConnectorError('CONNECTOR_NOT_CONNECTED', `Event ${eventId} is not connected to ${system}`, { system });
  return { connection, secrets: secret };
}

function pretixConnection(connection: ConnectionRecord): PretixConnection {
  return {
    baseUrl: connection.baseUrl,
    organizer: connection.organizer ?? '',
    event: connection.event,
    role: connection.role ?? 'attendee',
  };
}

/** Adds one apply's counts to the report. */
function count(report: SyncReport, applied: ApplyResult, rejected: SyncRejection[]): void {
  report.created += applied.created;
  report.updated += applied.updated;
  report.unchanged += applied.unchanged;
  const failed = applied.failed.map((f) => ({
    ref: `record ${f.line}`,
    field: f.field,
    code: 'INVALID_RECORD' as const,
    reason: f.reason,
  }));
  for (const rejection of [...rejected, ...failed]) {
    report.rejectedCount++;
    if (report.rejected.length < MAX_REPORTED) report.rejected.push(rejection);
  }
}

function emptyReport(at: Date, trigger: SyncReport['trigger']): SyncReport {
  return {
    at,
    trigger,
    ok: true,
    created: 0,
    updated: 0,
    unchanged: 0,
    revoked: 0,
    rejectedCount: 0,
    rejected: [],
    ms: 0,
  };
}

async function apply(db: Firestore, eventId: string, rows: PersonRow[], collection: ParticipantCollection) {
  // Two records for one document (pretix lists a position once; pretalx a speaker once per talk): the last wins.
  const unique = [...new Map(rows.map((row) => [row.id, row])).values()];
  return applySpeakers(db, eventId, unique, { collection });
}

/**
 * Syncs the event with its connection of `system` and records the report on the connection.
 * A failure is recorded too (ok: false, the code and message) and thrown.
 */
export async function syncSource(
  deps: SyncDeps,
  eventId: string,
  system: ConnectorSystem,
  trigger: SyncReport['trigger'],
): Promise<SyncReport> {
  const now = deps.now ?? (() => new Date());
  const started = performance.now();
  const report = emptyReport(now(), trigger);
  const { connection, secrets } = await readConnection(deps.db, eventId, system);
  const http = (deps.http ?? tokenHttp)(secrets);
  try {
    if (system === 'pretix') await syncPretix(deps, eventId, pretixConnection(connection), http, report);
    else
      await syncPretalx(deps, eventId, { baseUrl: connection.baseUrl, event: connection.event }, http, report, now());
  } catch (error) {
    report.ok = false;
    report.error = {
      code: error instanceof ConnectorError ? error.code : 'INTERNAL',
      message: error instanceof ConnectorError ? error.message : 'The sync failed unexpectedly',
    };
    report.ms = Math.round(performance.now() - started);
    await recordReport(deps.db, eventId, system, report);
    throw error;
  }
  report.ms = Math.round(performance.now() - started);
  await recordReport(deps.db, eventId, system, report);
  return report;
}

async function recordReport(
  db: Firestore,
  eventId: string,
  system: ConnectorSystem,
  report: SyncReport,
): Promise<void> {
  const ref = eventRef(db, eventId);
  // Only while still connected (a disconnect during the sync wins).
  await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (snap.exists && isRecord(snap.get(`connectors.${system}`)))
      tx.update(ref, { [`connectors.${system}.lastSync`]: report });
  });
}

async function syncPretix(
  deps: SyncDeps,
  eventId: string,
  connection: PretixConnection,
  http: ConnectorHttp,
  report: SyncReport,
): Promise<void> {
  const admission = await admissionItems(http, connection);
  for await (const orders of orderPages(http, connection)) {
    const rows: PersonRow[] = [];
    const rejected: SyncRejection[] = [];
    for (const order of orders) {
      const mapped = orderParticipants(order, connection, admission);
      rows.push(...mapped.rows);
      rejected.push(...mapped.rejected);
    }
    count(report, await apply(deps.db, eventId, rows, 'participants'), rejected);
  }
}

/** One pretix order, re-read through the API and applied (a webhook's hint). */
export async function syncPretixOrder(deps: SyncDeps, eventId: string, code: string): Promise<SyncReport> {
  const now = deps.now ?? (() => new Date());
  const started = performance.now();
  const report = emptyReport(now(), 'webhook');
  const { connection, secrets } = await readConnection(deps.db, eventId, 'pretix');
  const http = (deps.http ?? tokenHttp)(secrets);
  const pretix = pretixConnection(connection);
  const [admission, order] = await Promise.all([admissionItems(http, pretix), readOrder(http, pretix, code)]);
  const mapped = orderParticipants(order, pretix, admission);
  count(report, await apply(deps.db, eventId, mapped.rows, 'participants'), mapped.rejected);
  report.ms = Math.round(performance.now() - started);
  return report;
}

/** The reason a revocation states when a talk is no longer in the program. */
export function withdrawnReason(state: string): string {
  return state === 'rejected'
    ? 'The talk was rejected'
    : state === 'withdrawn'
      ? 'The talk was withdrawn'
      : 'The talk was cancelled';
}

async function syncPretalx(
  deps: SyncDeps,
  eventId: string,
  connection: PretalxConnection,
  http: ConnectorHttp,
  report: SyncReport,
  at: Date,
): Promise<void> {
  const speakers = await pretalxSpeakers(http, connection);
  for await (const submissions of submissionPages(http, connection)) {
    const { rows, withdrawn, rejected } = submissionRows(submissions, connection, speakers);
    count(report, await apply(deps.db, eventId, rows, 'speakers'), rejected);
    for (const talk of withdrawn) {
      const ref = participantRef(deps.db, { eventId, collection: 'speakers', participantId: talk.id });
      const snap = await ref.get();
      if (!snap.exists) continue;
      const certificate = snap.get('certificate') as
        { status?: string; certificateId?: string; revoked?: unknown } | undefined;
      if (snap.get('source.state') !== talk.state) await ref.update({ 'source.state': talk.state });
      if (certificate?.status !== 'ready' || certificate.revoked || !certificate.certificateId) continue;
      const result = await revokeCertificate(deps.db, certificate.certificateId, withdrawnReason(talk.state), at);
      if (result.kind === 'revoked') {
        report.revoked++;
        await withdrawDownloadLinks(deps.store, result.entry);
      }
    }
  }
}

/** Every event connected to `system` (the scheduled sync's list). */
export async function connectedEvents(db: Firestore, system: ConnectorSystem): Promise<string[]> {
  const snap = await db.collection('events').where(`connectors.${system}.event`, '!=', null).select().get();
  return snap.docs.map((doc) => doc.id);
}
