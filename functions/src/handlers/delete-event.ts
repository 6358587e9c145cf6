/**
 * Callable `deleteEvent({ eventId, confirm })`: the event's organizers (or the certforgeAdmin
 * claim) delete an event. `confirm` repeats the event's name (trimmed), as an organizer types
 * it to confirm: deletion revokes every certificate of the event and removes its participants,
 * import reports, bulk-run records and files, and cannot be undone.
 *
 * One transaction writes the tombstone `eventTombstones/{eventId}` and deletes the event
 * document, so the id is unusable from that instant: the rules refuse to create an event with a
 * tombstone, and every callable treats a tombstoned event as missing (callable.ts readEventAs).
 * The cleanup itself is onEventDeleted's (on-event-deleted.ts). Clients cannot delete event
 * documents directly (firestore.rules): a delete without its tombstone in the same step would
 * leave a window in which whoever re-created the id inherited the leftover speakers and files.
 *
 * Result: `{ eventId, deletedAt }`. Errors: `unauthenticated`, `invalid-argument` (shape, or a
 * `confirm` that is not the event's name), `permission-denied` (not an organizer, or no such
 * event, alike), `not-found` for admins.
 */
import { z } from 'zod';
import { firestore } from '../firebase-app.js';
import { logEventDeleteRequested } from '../logs.js';
import { isOrganizer } from '../shared/access.js';
import type { CatalogCode } from '../shared/error-catalog.js';
import { CodedError } from '../shared/errors.js';
import { eventRef, tombstoneRef } from '../shared/paths.js';
import { docId, parseInput, requestObject } from '../shared/request-schema.js';
import { text } from '../shared/values.js';
import { callable, missingEventError, permissionDenied, requireSignIn } from './callable.js';

export interface DeleteEventResult {
  eventId: string;
  /** ISO instant of the deletion (the tombstone's). */
  deletedAt: string;
}

const CONFIRM_REQUIRED = "confirm is required: the event's name, as a confirmation";

/** The request: `confirm` as typed (compared trimmed). */
export const DeleteEventInput = requestObject('{ eventId, confirm }', {
  eventId: docId('eventId'),
  confirm: z
    .string({ error: CONFIRM_REQUIRED })
    .refine((confirm) => confirm.trim() !== '', { error: CONFIRM_REQUIRED }),
});

export function parseDeleteEventRequest(data: unknown): { eventId: string; confirm: string } {
  return parseInput(DeleteEventInput, data);
}

export const handleDeleteEvent = callable<DeleteEventResult>(async (request) => {
  const caller = requireSignIn(request, 'deleteEvent', 'delete an event');
  const input = parseDeleteEventRequest(request.data);
  const db = firestore();
  const ref = eventRef(db, input.eventId);
  const deletedAt = new Date();
  await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) throw missingEventError(input.eventId, caller.token);
    const event = snap.data()!;
    if (!isOrganizer(event, caller.uid, caller.token))
      throw permissionDenied(
        'deleteEvent',
        { ...caller, eventId: input.eventId },
        'Only the organizers of this event may delete it',
      );
    const name = text(event.name) ?? input.eventId;
    if (input.confirm.trim() !== name)
      throw new CodedError<CatalogCode>(
        'CONFIRMATION_MISMATCH',
        "confirm does not match the event's name; nothing was deleted",
      );
    tx.set(tombstoneRef(db, input.eventId), { eventId: input.eventId, deletedAt, deletedBy: caller.uid });
    tx.delete(ref);
  });
  logEventDeleteRequested({ eventId: input.eventId, uid: caller.uid });
  return { eventId: input.eventId, deletedAt: deletedAt.toISOString() };
});
