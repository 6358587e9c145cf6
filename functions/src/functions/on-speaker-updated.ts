import { onDocumentUpdated } from 'firebase-functions/v2/firestore';
import { ISSUER_KEY } from '../config.js';
import './global-options.js';
import { lazyIssuing } from './lazy.js';

// Name or talk title changed → a corrected version supersedes the old one.
export const onSpeakerUpdated = onDocumentUpdated(
  { document: 'events/{eventId}/speakers/{speakerId}', retry: true, secrets: [ISSUER_KEY] },
  lazyIssuing(() => import('../handlers/on-speaker-changed.js').then((m) => m.handleSpeakerUpdated)),
);
