import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK, ISSUER_KEY, PREVIEW_MEMORY } from '../config.js';
import './global-options.js';
import { lazyIssuing } from './lazy.js';

// Callable { eventId, speakerId, force? } → status + download URLs.
export const generateCertificate = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, secrets: [ISSUER_KEY], memory: PREVIEW_MEMORY },
  lazyIssuing(() => import('../handlers/generate-certificate.js').then((m) => m.handleGenerateCertificate)),
);
