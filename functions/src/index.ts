/**
 * certforge Cloud Functions (firebase-functions v2). Thin bindings: each handler lives in
 * handlers/ and the work in issue/ (Firebase-aware) over render/ (pure pipeline).
 *
 *   onSpeakerCreated     Firestore events/{eventId}/speakers/{speakerId} created → certificate
 *   generateCertificate  callable { eventId, speakerId, force? } → status + download URLs
 *   previewTemplate      HTTP, organizers: template + sample data → PNG / PDF, nothing stored
 */
import { onDocumentCreated } from 'firebase-functions/v2/firestore';
import { onCall, onRequest } from 'firebase-functions/v2/https';
import { setGlobalOptions } from 'firebase-functions/v2/options';
import { ENFORCE_APP_CHECK, PREVIEW_WIDTH, REGION, RENDER_MEMORY_MIB, RENDER_TIMEOUT_SECONDS } from './config.js';
import { renderer, templateStore } from './firebase-app.js';
import { authorizeOrganizer } from './handlers/authorize-organizer.js';
import { handleGenerateCertificate } from './handlers/generate-certificate.js';
import { handleSpeakerCreated } from './handlers/on-speaker-created.js';
import { createPreviewHandler } from './handlers/preview-template.js';

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
  { document: 'events/{eventId}/speakers/{speakerId}', retry: true },
  handleSpeakerCreated,
);

export const generateCertificate = onCall({ enforceAppCheck: ENFORCE_APP_CHECK }, handleGenerateCertificate);

export const previewTemplate = onRequest(
  { cors: true, timeoutSeconds: 60 },
  createPreviewHandler({
    authorize: authorizeOrganizer,
    renderer,
    templates: templateStore,
    defaultWidth: () => PREVIEW_WIDTH.value(),
  }),
);
