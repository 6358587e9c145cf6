/**
 * certforge Cloud Functions (firebase-functions v2). Thin bindings: each handler lives in
 * handlers/ and the work in issue/ (Firebase-aware) over render/ (pure pipeline).
 *
 *   onSpeakerCreated     Firestore events/{eventId}/speakers/{speakerId} created → certificate
 *   generateCertificate  callable { eventId, speakerId, force? } → status + download URLs
 *   previewTemplate      HTTP, organizers: template + sample data → PNG / PDF, nothing stored
 *   onSpeakerUpdated     name / talk title changed → a corrected version supersedes the old one
 *   onSpeakerDeleted     the speaker's certificate is revoked (files kept)
 *   onParticipantWritten events/{eventId}/participants/{id} (attendees, volunteers, ...) written →
 *                        eligibility recorded; certificate once earned; corrections; revocations
 *   revokeCertificate    callable { certificateId, reason }, organizers → revoked
 *   issueEventCertificates  callable { eventId, force? }, organizers → one task per speaker
 *   issueCertificateTask    task queue: one speaker's certificate, counted in the run
 *   verify               HTTP, public: /<certificateId> → verification page / JSON, PDF check
 *   buildPrintBundle     callable { eventId }, organizers → one PDF of the ready certificates, by name
 *   onImportUploaded     Storage imports/{eventId}/*.csv uploaded → speakers + events/{eventId}/imports report
 *   organizerConsole     callable { action, ... }, organizers → what the console (console/) reads and writes
 */
import {
  onDocumentCreated,
  onDocumentDeleted,
  onDocumentUpdated,
  onDocumentWritten,
} from 'firebase-functions/v2/firestore';
import { onTaskDispatched } from 'firebase-functions/v2/tasks';
import { onCall, onRequest } from 'firebase-functions/v2/https';
import { setGlobalOptions } from 'firebase-functions/v2/options';
import {
  ENFORCE_APP_CHECK,
  ISSUER_KEY,
  PREVIEW_WIDTH,
  REGION,
  RENDER_MEMORY_MIB,
  RENDER_TIMEOUT_SECONDS,
  TASK_MAX_CONCURRENT,
  TASK_MAX_PER_SECOND,
} from './config.js';
import { renderer, templateStore } from './firebase-app.js';
import { authorizeOrganizer } from './handlers/authorize-organizer.js';
import { handleGenerateCertificate } from './handlers/generate-certificate.js';
import { handleDeleteEvent } from './handlers/delete-event.js';
import { handleEventDeleted } from './handlers/on-event-deleted.js';
import {
  handleIssueCertificateTask,
  handleIssueEventCertificates,
  TASK_MAX_ATTEMPTS,
} from './handlers/issue-event-certificates.js';
import { handleSpeakerDeleted, handleSpeakerUpdated } from './handlers/on-speaker-changed.js';
import { handleSpeakerCreated } from './handlers/on-speaker-created.js';
import { handleParticipantWritten } from './handlers/on-participant-written.js';
import { handleRevokeCertificate } from './handlers/revoke-certificate.js';
import { createPreviewHandler } from './handlers/preview-template.js';
import { handleVerify } from './handlers/verify-certificate.js';

setGlobalOptions({
  region: REGION,
  memory: RENDER_MEMORY_MIB,
  // One CPU so that an instance can take a few requests at once; a render is ~5-30 ms of
  // CPU and the rest of a request waits on Storage / Firestore.
  cpu: 1,
  concurrency: 8,
  timeoutSeconds: RENDER_TIMEOUT_SECONDS,
});

export const onSpeakerCreated = onDocumentCreated(
  { document: 'events/{eventId}/speakers/{speakerId}', retry: true, secrets: [ISSUER_KEY] },
  handleSpeakerCreated,
);

export const generateCertificate = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, secrets: [ISSUER_KEY] },
  handleGenerateCertificate,
);

export const onSpeakerUpdated = onDocumentUpdated(
  { document: 'events/{eventId}/speakers/{speakerId}', retry: true, secrets: [ISSUER_KEY] },
  handleSpeakerUpdated,
);

export const onSpeakerDeleted = onDocumentDeleted(
  { document: 'events/{eventId}/speakers/{speakerId}', retry: true, memory: '256MiB' },
  handleSpeakerDeleted,
);

// Attendees and every other role (shared/roles.ts): a certificate the moment it is earned.
export const onParticipantWritten = onDocumentWritten(
  { document: 'events/{eventId}/participants/{participantId}', retry: true, secrets: [ISSUER_KEY] },
  handleParticipantWritten,
);

// Deleting an event revokes and removes everything of it, and tombstones its id so that
// nobody can create an event with that id and inherit its speakers or certificates.
export const onEventDeleted = onDocumentDeleted(
  { document: 'events/{eventId}', retry: true, memory: '256MiB', timeoutSeconds: 540 },
  handleEventDeleted,
);

// The one way to delete an event: tombstone and deletion in one transaction (docs/security.md).
export const deleteEvent = onCall({ enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB' }, handleDeleteEvent);

export const revokeCertificate = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB' },
  handleRevokeCertificate,
);

export const issueEventCertificates = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB', timeoutSeconds: 540 },
  handleIssueEventCertificates,
);

export const issueCertificateTask = onTaskDispatched(
  {
    retryConfig: { maxAttempts: TASK_MAX_ATTEMPTS, minBackoffSeconds: 2, maxBackoffSeconds: 120, maxDoublings: 4 },
    rateLimits: { maxConcurrentDispatches: TASK_MAX_CONCURRENT, maxDispatchesPerSecond: TASK_MAX_PER_SECOND },
    // Only Cloud Tasks (the queue's service account) may invoke it, never the public.
    invoker: 'private',
    secrets: [ISSUER_KEY],
  },
  handleIssueCertificateTask,
);

export const previewTemplate = onRequest(
  { cors: true, timeoutSeconds: 60 },
  createPreviewHandler({
    authorize: authorizeOrganizer,
    renderer,
    templates: templateStore,
    defaultWidth: () => PREVIEW_WIDTH.value(),
  }),
);

// Public verification page behind the URL printed on certificates: one Firestore read per
// request (more only for a replaced certificate). CORS for GET is set by the handler (JSON is
// public, uploads are not). Sized for the worst accepted requests, not the average: the platform
// buffers a body of up to 32 MB before the handler runs, and the handler keeps a 10 MB PDF while
// it hashes it, so 8 concurrent POSTs need ~340 MB over the ~90 MB base; and a certificate's PNG
// preview is rendered here on its first request (issue/preview.ts), which loads the renderer
// (~320 MB at its peak with the CJK fonts, test/bench/last-run.md): 1 GiB, concurrency 8. GETs
// of stored previews and pages are tiny. The issuer key signs the status lists it serves
// (docs/verification.md).
export const verify = onRequest(
  { memory: '1GiB', concurrency: 8, maxInstances: 40, timeoutSeconds: 30, invoker: 'public', secrets: [ISSUER_KEY] },
  handleVerify,
);

// CSV import of speakers (docs/csv-import.md). A Storage trigger fires for every object of its
// bucket (CERTFORGE_IMPORT_BUCKET, or the default bucket, where certificates are stored too);
// the handler returns at once for anything but imports/{eventId}/*.csv.
// Its imports sit here, next to the binding: the feature is one block of this file.
import { onObjectFinalized } from 'firebase-functions/v2/storage';
import { importBucket } from './config.js';
import { IMPORT_TIMEOUT_SECONDS, handleImportUploaded } from './handlers/on-import-uploaded.js';

export const onImportUploaded = onObjectFinalized(
  { bucket: importBucket(), retry: true, timeoutSeconds: IMPORT_TIMEOUT_SECONDS },
  handleImportUploaded,
);

// Print bundle (docs/print-bundle.md): every ready certificate of an event in one PDF, streamed
// to Storage. Memory does not grow with the count: measured peak RSS 174 MB for 1,000 and
// 195 MB for 5,000 certificates (bench, 82 MB of it the loaded modules), plus ~35 MB for the
// Storage upload stream; 1 GiB covers templates with big artwork at little cost (calls are
// rare), one request per instance so two bundles never share it. Time grows with the count:
// ~6 ms of CPU a certificate (27 s for 5,000), so 540 s covers the 10,000 cap with margin.
// Its imports sit here, next to the binding: the feature is one block of this file.
import { handleBuildPrintBundle } from './handlers/build-print-bundle.js';

export const buildPrintBundle = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '1GiB', cpu: 1, concurrency: 1, timeoutSeconds: 540 },
  handleBuildPrintBundle,
);

// Connectors (docs/connectors.md): pretix attendees and check-ins, pretalx speakers and talks.
// Syncs page through the servers' APIs (5,000 attendees: 100 pages) and write only what changed.
// Its imports sit here, next to the bindings: the feature is one block of this file.
import { onSchedule } from 'firebase-functions/v2/scheduler';
import {
  handleConnectSource,
  handleDisconnectSource,
  handlePretixWebhook,
  handleScheduledSync,
  handleSyncSource,
  handleSyncSourceTask,
} from './handlers/connectors.js';

export const connectSource = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '512MiB', timeoutSeconds: 540 },
  handleConnectSource,
);
export const disconnectSource = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB' },
  handleDisconnectSource,
);
export const syncSource = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '512MiB', timeoutSeconds: 540 },
  handleSyncSource,
);
// pretix's webhooks: public, but only an event's unguessable URL is accepted, and a notification
// is only a hint (the order is re-read through pretix's API).
// The platform parses a body (up to 32 MB) before the handler checks the URL's key: memory for a
// few such bodies at once, not twenty.
export const pretixWebhook = onRequest(
  { memory: '512MiB', concurrency: 4, maxInstances: 10, timeoutSeconds: 60, invoker: 'public' },
  handlePretixWebhook,
);
// What a lost webhook missed (pretix) and what has no webhook at all (pretalx): one task per
// connected event, so that one slow server delays only its own event.
export const syncConnectedSources = onSchedule(
  { schedule: 'every 30 minutes', memory: '256MiB', timeoutSeconds: 300 },
  handleScheduledSync,
);
export const syncSourceTask = onTaskDispatched(
  {
    retryConfig: { maxAttempts: 1 },
    rateLimits: { maxConcurrentDispatches: 10 },
    invoker: 'private',
    memory: '512MiB',
    timeoutSeconds: 540,
  },
  handleSyncSourceTask,
);

// Outbound events (docs/webhooks.md): certificate.issued / .corrected / .revoked to the organizer's
// URLs, signed per Standard Webhooks, retried on its schedule (one task per attempt).
// Its imports sit here, next to the bindings: the feature is one block of this file.
import {
  handleDeliverWebhookTask,
  handleSetWebhookEndpoints,
  handleWebhookOutboxCreated,
} from './handlers/outbound-webhooks.js';

export const setWebhookEndpoints = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '256MiB' },
  handleSetWebhookEndpoints,
);
// Fires only for events with webhook endpoints: the outbox is written with the change it announces.
export const onWebhookOutboxCreated = onDocumentCreated(
  { document: 'webhookOutbox/{outboxId}', retry: true, memory: '256MiB' },
  handleWebhookOutboxCreated,
);
export const deliverWebhookTask = onTaskDispatched(
  {
    // Each attempt is its own task (the Standard Webhooks schedule); this retry covers a crash.
    retryConfig: { maxAttempts: 3, minBackoffSeconds: 5 },
    rateLimits: { maxConcurrentDispatches: 20 },
    invoker: 'private',
    memory: '256MiB',
    timeoutSeconds: 60,
  },
  handleDeliverWebhookTask,
);

// The organizer console (console/, on Firebase Hosting; docs/console.md): its reads and writes
// beyond the callables above. Small answers (pages of 50 people, counts from aggregate queries);
// uploads of up to 7 MB (a spreadsheet, a template and its fonts) are held while stored.
import { handleOrganizerConsole } from './handlers/organizer-console.js';

export const organizerConsole = onCall(
  { enforceAppCheck: ENFORCE_APP_CHECK, memory: '512MiB', timeoutSeconds: 120 },
  handleOrganizerConsole,
);
