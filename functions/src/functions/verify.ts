import { onRequest } from 'firebase-functions/v2/https';
import { ISSUER_KEY } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// Public verification page behind the URL printed on certificates: one Firestore read per
// request (more only for a replaced certificate). CORS for GET is set by the handler (JSON is
// public, uploads are not). Sized for the worst accepted requests, not the average: the platform
// buffers a body of up to 32 MB before the handler runs, and the handler keeps a 10 MB PDF while
// it hashes it, so 8 concurrent POSTs need ~340 MB over the ~90 MB base; and a certificate's PNG
// preview is rendered here on its first request (issue/preview.ts), which loads the renderer
// (test/bench/last-run.md): 1 GiB, concurrency 8. GETs of stored previews and pages are tiny.
// The issuer key signs the status lists it serves (docs/verification.md).
export const verify = onRequest(
  { memory: '1GiB', concurrency: 8, maxInstances: 40, timeoutSeconds: 30, invoker: 'public', secrets: [ISSUER_KEY] },
  lazy(() => import('../handlers/verify-certificate.js').then((m) => m.handleVerify)),
);
