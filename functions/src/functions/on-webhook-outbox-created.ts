import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import './global-options.js';
import { lazy } from './lazy.js';

// Fires only for events with webhook endpoints: the outbox is written with the change it announces.
export const onWebhookOutboxCreated = onDocumentCreated(
  { document: 'webhookOutbox/{outboxId}', retry: true, memory: '256MiB' },
  lazy(() => import('../handlers/outbound-webhooks.js').then((m) => m.handleWebhookOutboxCreated)),
);
