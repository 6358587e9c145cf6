import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// Connectors (docs/connectors.md): pretix attendees and check-ins, pretalx speakers and talks.
// Syncs page through the servers' APIs (5,000 attendees: 100 pages) and write only what changed.
export const connectSource = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '512MiB', timeoutSeconds: 540 },
  lazy(() => import('../handlers/connectors.js').then((m) => m.handleConnectSource)),
);
