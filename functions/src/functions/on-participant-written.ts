import { onDocumentWritten } from 'firebase-functions/v2/firestore';
import { ISSUER_KEY } from '../config.js';
import './global-options.js';
import { lazyIssuing } from './lazy.js';

// Attendees and every other role (shared/roles.ts): a certificate the moment it is earned;
// corrections and revocations.
export const onParticipantWritten = onDocumentWritten(
  { document: 'events/{eventId}/participants/{participantId}', retry: true, secrets: [ISSUER_KEY] },
  lazyIssuing(() => import('../handlers/on-participant-written.js').then((m) => m.handleParticipantWritten)),
);
