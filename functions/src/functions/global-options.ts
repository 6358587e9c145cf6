/**
 * The options every function starts from, set before any function is defined (each definition
 * module imports this one first).
 */
import { setGlobalOptions } from 'firebase-functions/v2/options';
import { REGION, RENDER_MEMORY_MIB, RENDER_TIMEOUT_SECONDS } from '../config.js';

setGlobalOptions({
  region: REGION,
  memory: RENDER_MEMORY_MIB,
  // One CPU so that an instance can take a few requests at once; a render is ~5-30 ms of
  // CPU and the rest of a request waits on Storage / Firestore.
  cpu: 1,
  concurrency: 8,
  timeoutSeconds: RENDER_TIMEOUT_SECONDS,
});
