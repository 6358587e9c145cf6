import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// Callable { certificateId, reason }, organizers → revoked.
export const revokeCertificate = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB' },
  lazy(() => import('../handlers/revoke-certificate.js').then((m) => m.handleRevokeCertificate)),
);
