import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import './global-options.js';
import { lazy } from './lazy.js';

// One delivery attempt of an outbound webhook.
export const deliverWebhookTask = onTaskDispatched(
  {
    // Each attempt is its own task (the Standard Webhooks schedule); this retry covers a crash.
    retryConfig: { maxAttempts: 3, minBackoffSeconds: 5 },
    rateLimits: { maxConcurrentDispatches: 20 },
    invoker: 'private',
    memory: '256MiB',
    timeoutSeconds: 60,
  },
  lazy(() => import('../handlers/outbound-webhooks.js').then((m) => m.handleDeliverWebhookTask)),
);
