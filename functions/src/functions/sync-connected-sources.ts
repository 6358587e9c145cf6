import { onSchedule } from 'firebase-functions/v2/scheduler';
import './global-options.js';
import { lazy } from './lazy.js';

// What a lost webhook missed (pretix) and what has no webhook at all (pretalx): one task per
// connected event, so that one slow server delays only its own event.
export const syncConnectedSources = onSchedule(
  { schedule: 'every 30 minutes', memory: '256MiB', timeoutSeconds: 300 },
  lazy(() => import('../handlers/connectors.js').then((m) => m.handleScheduledSync)),
);
