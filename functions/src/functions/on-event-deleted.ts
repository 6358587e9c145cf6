import { onDocumentDeleted } from 'firebase-functions/v2/firestore';
import './global-options.js';
import { lazy } from './lazy.js';

// Deleting an event revokes and removes everything of it, and tombstones its id so that
// nobody can create an event with that id and inherit its speakers or certificates.
export const onEventDeleted = onDocumentDeleted(
  { document: 'events/{eventId}', retry: true, memory: '256MiB', timeoutSeconds: 540 },
  lazy(() => import('../handlers/on-event-deleted.js').then((m) => m.handleEventDeleted)),
);
