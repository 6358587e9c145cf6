import { onDocumentDeleted } from 'firebase-functions/v2/firestore';
import './global-options.js';
import { lazy } from './lazy.js';

// The speaker's certificate is revoked (files kept).
export const onSpeakerDeleted = onDocumentDeleted(
  { document: 'events/{eventId}/speakers/{speakerId}', retry: true, memory: '256MiB' },
  lazy(() => import('../handlers/on-speaker-changed.js').then((m) => m.handleSpeakerDeleted)),
);
