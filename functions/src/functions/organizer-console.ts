import { onCall } from 'firebase-functions/v2/https';
import { ENFORCE_APP_CHECK } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// The organizer console (console/, on Firebase Hosting; docs/console.md): its reads and writes
// beyond the callables above. Small answers (pages of 50 people, counts from aggregate queries);
// uploads of up to 7 MB (a spreadsheet, a template and its fonts) are held while stored.
export const organizerConsole = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '512MiB', timeoutSeconds: 120 },
  lazy(() => import('../handlers/organizer-console.js').then((m) => m.handleOrganizerConsole)),
);
