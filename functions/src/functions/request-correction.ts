import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// Callable { certificateId, action: 'view' | 'request', name?, talkTitle?, note? }, the recipient → a correction request.
export const requestCorrection = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB' },
  lazy(() => import('../handlers/request-correction.js').then((m) => m.handleRequestCorrection)),
);
