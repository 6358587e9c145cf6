import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// Connectors (docs/connectors.md): forget an event's pretix or pretalx connection.
export const disconnectSource = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB' },
  lazy(() => import('../handlers/connectors.js').then((m) => m.handleDisconnectSource)),
);
