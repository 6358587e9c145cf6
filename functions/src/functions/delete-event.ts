import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// The one way to delete an event: tombstone and deletion in one transaction (docs/security.md).
export const deleteEvent = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB' },
  lazy(() => import('../handlers/delete-event.js').then((m) => m.handleDeleteEvent)),
);
