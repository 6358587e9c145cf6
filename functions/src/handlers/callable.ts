/**
 * The opening and the closing every callable shares: who is calling (a uid), whether they
 * organize the event, and what a failure answers (callable: every error through
 * error-mapping.ts). What they sent is read by each handler's schema (shared/request-schema.ts).
 * One place, so the answers are the same everywhere.
 */
import type { DocumentReference } from 'firebase-admin/firestore';
import { HttpsError, type CallableRequest } from 'firebase-functions/v2/https';
import { firestore } from '../firebase-app.js';
import { logCallableRejected } from '../logs.js';
import { isOrganizer } from '../shared/access.js';
import type { EventDoc } from '../shared/model.js';
import { eventRef, tombstoneRef } from '../shared/paths.js';
import { callableFailure } from './error-mapping.js';

/** A callable's handler. */
export type CallableHandler<T> = (request: CallableRequest<unknown>) => Promise<T>;

/**
 * `handle` as a callable answers: what it returns, or its error mapped once for every callable
 * (HttpsErrors as thrown, a transient failure as `unavailable`, certforge codes through the
 * error catalog; error-mapping.ts callableFailure).
 */
export function callable<T>(handle: CallableHandler<T>): CallableHandler<T> {
  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      throw callableFailure(error);
    }
  };
}

/**
 * The error for an event that does not exist: `not-found` for admins only. Anyone else gets
 * the same `permission-denied` as for someone else's event, so that signed-in users cannot
 * probe which event ids exist.
 */
export function missingEventError(eventId: string, token: Record<string, unknown> | undefined): HttpsError {
  return token?.certforgeAdmin === true
    ? new HttpsError('not-found', `No event ${eventId}`)
    : new HttpsError('permission-denied', 'Only the organizers of this event may do this');
}

/** The caller of a callable: a uid, and the ID token's claims. */
export interface Caller {
  uid: string;
  token: Record<string, unknown> | undefined;
}

/**
 * The signed-in caller of `callable`. The emulator accepts any token and then yields an auth
 * without uid: the uid is what is checked. `what` completes "Sign in to …".
 */
export function requireSignIn(request: CallableRequest<unknown>, callable: string, what: string): Caller {
  const uid = request.auth?.uid;
  if (!uid) {
    logCallableRejected({ callable, reason: 'unauthenticated' });
    throw new HttpsError('unauthenticated', `Sign in to ${what}`);
  }
  return { uid, token: request.auth?.token as Record<string, unknown> | undefined };
}

export interface EventAccess extends Caller {
  eventId: string;
  eventRef: DocumentReference;
  event: EventDoc;
  /** A listed organizer of the event, or the certforgeAdmin claim. */
  organizer: boolean;
  /** When this event document was created (its incarnation: see belongsToEvent). */
  createdAt?: Date;
}

/**
 * Whether a document created at `createdAt` (a participant, a certificate) belongs to the event as
 * it exists now. Participants are created after their event (the rules need the event to exist);
 * one older than the event document is a leftover of a deleted event whose id was written again
 * before onEventDeleted removed it, and no callable hands it to the new owner.
 */
export function belongsToEvent(access: Pick<EventAccess, 'createdAt'>, createdAt: Date | undefined): boolean {
  return !access.createdAt || !createdAt || createdAt.getTime() >= access.createdAt.getTime();
}

/**
 * The event as `caller` sees it: missing events answer as someone else's (missingEventError). A
 * tombstoned id (a deleted event, eventTombstones/{eventId}) is missing even if a document was
 * written there again by the Admin SDK: its leftovers never pass to a new owner.
 */
export async function readEventAs(caller: Caller, eventId: string): Promise<EventAccess> {
  const db = firestore();
  const ref = eventRef(db, eventId);
  const [snap, tombstone] = await db.getAll(ref, tombstoneRef(db, eventId));
  if (!snap?.exists || tombstone?.exists !== false) throw missingEventError(eventId, caller.token);
  const event = snap.data() as EventDoc;
  return {
    ...caller,
    eventId,
    eventRef: ref,
    event,
    organizer: isOrganizer(event, caller.uid, caller.token),
    ...(snap.createTime ? { createdAt: snap.createTime.toDate() } : {}),
  };
}

/**
 * `caller` as an organizer of `eventId`, with the event read; `permission-denied` for anyone
 * else. `what` completes "Only the organizers of this event may …".
 */
export async function requireOrganizer(
  caller: Caller,
  eventId: string,
  callable: string,
  what: string,
): Promise<EventAccess> {
  const access = await readEventAs(caller, eventId);
  if (!access.organizer) throw permissionDenied(callable, access, `Only the organizers of this event may ${what}`);
  return access;
}

/** The refusal of a signed-in caller (logged). */
export function permissionDenied(
  callable: string,
  access: Caller & { eventId: string },
  message: string,
  extra: Record<string, unknown> = {},
): HttpsError {
  logCallableRejected({ callable, reason: 'permission-denied', uid: access.uid, eventId: access.eventId, ...extra });
  return new HttpsError('permission-denied', message);
}
