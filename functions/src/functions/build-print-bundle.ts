import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// Print bundle (docs/print-bundle.md): every ready certificate of an event in one PDF, streamed
// to Storage. Memory does not grow with the count: measured peak RSS 174 MB for 1,000 and
// 195 MB for 5,000 certificates (bench, 82 MB of it the loaded modules), plus ~35 MB for the
// Storage upload stream; 1 GiB covers templates with big artwork at little cost (calls are
// rare), one request per instance so two bundles never share it. Time grows with the count:
// ~6 ms of CPU a certificate (27 s for 5,000), so 540 s covers the 10,000 cap with margin.
export const buildPrintBundle = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '1GiB', cpu: 1, concurrency: 1, timeoutSeconds: 540 },
  lazy(() => import('../handlers/build-print-bundle.js').then((m) => m.handleBuildPrintBundle)),
);
