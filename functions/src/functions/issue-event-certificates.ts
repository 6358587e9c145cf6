import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// Callable { eventId, role?, force? }, organizers → one task per participant.
export const issueEventCertificates = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB', timeoutSeconds: 540 },
  lazy(() => import('../handlers/issue-event-certificates.js').then((m) => m.handleIssueEventCertificates)),
);
