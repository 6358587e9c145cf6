import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import { ISSUER_KEY } from '../config.js';
import './global-options.js';
import { lazyIssuing } from './lazy.js';

// A speaker created → their certificate (PDF; the PNG preview comes on first request).
export const onSpeakerCreated = onDocumentCreated(
  { document: 'events/{eventId}/speakers/{speakerId}', retry: true, secrets: [ISSUER_KEY] },
  lazyIssuing(() => import('../handlers/on-speaker-created.js').then((m) => m.handleSpeakerCreated)),
);
