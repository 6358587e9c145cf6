import { onRequest } from 'firebase-functions/v2/https';
import './global-options.js';
import { lazy } from './lazy.js';

// pretix's webhooks: public, but only an event's unguessable URL is accepted, and a notification
// is only a hint (the order is re-read through pretix's API).
// The platform parses a body (up to 32 MB) before the handler checks the URL's key: memory for a
// few such bodies at once, not twenty.
export const pretixWebhook = onRequest(
  { memory: '512MiB', concurrency: 4, maxInstances: 10, timeoutSeconds: 60, invoker: 'public' },
  lazy(() => import('../handlers/connectors.js').then((m) => m.handlePretixWebhook)),
);
