import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// Connectors (docs/connectors.md): sync an event's source now.
export const syncSource = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '512MiB', timeoutSeconds: 540 },
  lazy(() => import('../handlers/connectors.js').then((m) => m.handleSyncSource)),
);
