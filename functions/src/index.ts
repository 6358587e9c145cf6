/**
 * certforge Cloud Functions (firebase-functions v2). Each function is defined in its own module,
 * functions/<name>.ts (its trigger and options), over a handler in handlers/ that loads on its
 * first call; the work is in issue/ (Firebase-aware) over render/ (pure pipeline).
 *
 *   onSpeakerCreated     Firestore events/{eventId}/speakers/{speakerId} created → certificate
 *   generateCertificate  callable { eventId, speakerId, force? } → status + download URLs
 *   previewTemplate      HTTP, organizers: template + sample data → PNG / PDF, nothing stored
 *   onSpeakerUpdated     name / talk title changed → a corrected version supersedes the old one
 *   onSpeakerDeleted     the speaker's certificate is revoked (files kept)
 *   onParticipantWritten events/{eventId}/participants/{id} (attendees, volunteers, ...) written →
 *                        eligibility recorded; certificate once earned; corrections; revocations
 *   revokeCertificate    callable { certificateId, reason }, organizers → revoked
 *   requestCorrection    callable { certificateId, action, name?, talkTitle?, note? }, the recipient →
 *                        a correction request the organizer approves or declines (organizerConsole)
 *   issueEventCertificates  callable { eventId, force? }, organizers → one task per speaker
 *   issueCertificateTask    task queue: one speaker's certificate, counted in the run
 *   verify               HTTP, public: /<certificateId> → verification page / JSON, PDF check
 *   buildPrintBundle     callable { eventId }, organizers → one PDF of the ready certificates, by name
 *   onImportUploaded     Storage imports/{eventId}/*.csv uploaded → speakers + events/{eventId}/imports report
 *   organizerConsole     callable { action, ... }, organizers → what the console (console/) reads and writes
 *   connectSource, disconnectSource, syncSource, pretixWebhook, syncConnectedSources, syncSourceTask
 *                        pretix and pretalx connectors (docs/connectors.md)
 *   setWebhookEndpoints, onWebhookOutboxCreated, deliverWebhookTask
 *                        outbound webhooks (docs/webhooks.md)
 *
 * An instance runs one function: the runtime (functions-framework in Cloud Functions, and each
 * worker of the Functions emulator) names it in FUNCTION_TARGET before it loads this module, and
 * only that function's definition is loaded, synchronously (`require` of an ES module, Node 22):
 * its trigger's provider, nothing of the others. Without FUNCTION_TARGET (firebase-tools'
 * discovery at deploy and in the emulator, which sets FUNCTIONS_CONTROL_API; tests), every
 * function is defined. Modules compile from Node's compile cache when it is there
 * (compile-cache.ts). Module load per function: test/bench/last-run.md, "Firebase".
 */
import { createRequire } from 'node:module';
import { enableCompileCache } from './compile-cache.js';

enableCompileCache();
const require = createRequire(import.meta.url);
const target = process.env.FUNCTION_TARGET;
const everything = !target || process.env.FUNCTIONS_CONTROL_API === 'true';

/** The function `name` of `./functions/<file>.js` when this instance runs it (or runs them all). */
function define<T>(name: string, file: string): T {
  if (!everything && name !== target) return undefined as T;
  return (require(`./functions/${file}.js`) as Record<string, T>)[name]!;
}

export const onSpeakerCreated = define<typeof import('./functions/on-speaker-created.js').onSpeakerCreated>(
  'onSpeakerCreated',
  'on-speaker-created',
);
export const generateCertificate = define<typeof import('./functions/generate-certificate.js').generateCertificate>(
  'generateCertificate',
  'generate-certificate',
);
export const onSpeakerUpdated = define<typeof import('./functions/on-speaker-updated.js').onSpeakerUpdated>(
  'onSpeakerUpdated',
  'on-speaker-updated',
);
export const onSpeakerDeleted = define<typeof import('./functions/on-speaker-deleted.js').onSpeakerDeleted>(
  'onSpeakerDeleted',
  'on-speaker-deleted',
);
export const onParticipantWritten = define<typeof import('./functions/on-participant-written.js').onParticipantWritten>(
  'onParticipantWritten',
  'on-participant-written',
);
export const onEventDeleted = define<typeof import('./functions/on-event-deleted.js').onEventDeleted>(
  'onEventDeleted',
  'on-event-deleted',
);
export const deleteEvent = define<typeof import('./functions/delete-event.js').deleteEvent>(
  'deleteEvent',
  'delete-event',
);
export const requestCorrection = define<typeof import('./functions/request-correction.js').requestCorrection>(
  'requestCorrection',
  'request-correction',
);
export const revokeCertificate = define<typeof import('./functions/revoke-certificate.js').revokeCertificate>(
  'revokeCertificate',
  'revoke-certificate',
);
export const issueEventCertificates = define<
  typeof import('./functions/issue-event-certificates.js').issueEventCertificates
>('issueEventCertificates', 'issue-event-certificates');
export const issueCertificateTask = define<typeof import('./functions/issue-certificate-task.js').issueCertificateTask>(
  'issueCertificateTask',
  'issue-certificate-task',
);
export const previewTemplate = define<typeof import('./functions/preview-template.js').previewTemplate>(
  'previewTemplate',
  'preview-template',
);
export const verify = define<typeof import('./functions/verify.js').verify>('verify', 'verify');
export const onImportUploaded = define<typeof import('./functions/on-import-uploaded.js').onImportUploaded>(
  'onImportUploaded',
  'on-import-uploaded',
);
export const buildPrintBundle = define<typeof import('./functions/build-print-bundle.js').buildPrintBundle>(
  'buildPrintBundle',
  'build-print-bundle',
);
export const connectSource = define<typeof import('./functions/connect-source.js').connectSource>(
  'connectSource',
  'connect-source',
);
export const disconnectSource = define<typeof import('./functions/disconnect-source.js').disconnectSource>(
  'disconnectSource',
  'disconnect-source',
);
export const syncSource = define<typeof import('./functions/sync-source.js').syncSource>('syncSource', 'sync-source');
export const pretixWebhook = define<typeof import('./functions/pretix-webhook.js').pretixWebhook>(
  'pretixWebhook',
  'pretix-webhook',
);
export const syncConnectedSources = define<typeof import('./functions/sync-connected-sources.js').syncConnectedSources>(
  'syncConnectedSources',
  'sync-connected-sources',
);
export const syncSourceTask = define<typeof import('./functions/sync-source-task.js').syncSourceTask>(
  'syncSourceTask',
  'sync-source-task',
);
export const setWebhookEndpoints = define<typeof import('./functions/set-webhook-endpoints.js').setWebhookEndpoints>(
  'setWebhookEndpoints',
  'set-webhook-endpoints',
);
export const onWebhookOutboxCreated = define<
  typeof import('./functions/on-webhook-outbox-created.js').onWebhookOutboxCreated
>('onWebhookOutboxCreated', 'on-webhook-outbox-created');
export const deliverWebhookTask = define<typeof import('./functions/deliver-webhook-task.js').deliverWebhookTask>(
  'deliverWebhookTask',
  'deliver-webhook-task',
);
export const organizerConsole = define<typeof import('./functions/organizer-console.js').organizerConsole>(
  'organizerConsole',
  'organizer-console',
);
