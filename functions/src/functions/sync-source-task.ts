import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import './global-options.js';
import { lazy } from './lazy.js';

// One connected event's sync (syncConnectedSources enqueues one task per event).
export const syncSourceTask = onTaskDispatched(
  {
    retryConfig: { maxAttempts: 1 },
    rateLimits: { maxConcurrentDispatches: 10 },
    invoker: 'private',
    memory: '512MiB',
    timeoutSeconds: 540,
  },
  lazy(() => import('../handlers/connectors.js').then((m) => m.handleSyncSourceTask)),
);
