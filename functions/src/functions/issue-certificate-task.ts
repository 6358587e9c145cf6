import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { ISSUER_KEY, TASK_MAX_ATTEMPTS, TASK_MAX_CONCURRENT, TASK_MAX_PER_SECOND } from '../config.js';
import './global-options.js';
import { lazyIssuing } from './lazy.js';

// The task queue of bulk issuance: one participant's certificate, counted in the run.
export const issueCertificateTask = onTaskDispatched(
  {
    retryConfig: { maxAttempts: TASK_MAX_ATTEMPTS, minBackoffSeconds: 2, maxBackoffSeconds: 120, maxDoublings: 4 },
    rateLimits: { maxConcurrentDispatches: TASK_MAX_CONCURRENT, maxDispatchesPerSecond: TASK_MAX_PER_SECOND },
    // Only Cloud Tasks (the queue's service account) may invoke it, never the public.
    invoker: 'private',
    secrets: [ISSUER_KEY],
  },
  lazyIssuing(() => import('../handlers/issue-event-certificates.js').then((m) => m.handleIssueCertificateTask)),
);
