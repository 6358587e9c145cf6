import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// Outbound events (docs/webhooks.md): certificate.issued / .corrected / .revoked to the organizer's
// URLs, signed per Standard Webhooks, retried on its schedule (one task per attempt).
export const setWebhookEndpoints = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB' },
  lazy(() => import('../handlers/outbound-webhooks.js').then((m) => m.handleSetWebhookEndpoints)),
);
