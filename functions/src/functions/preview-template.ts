import { onRequest } from 'firebase-functions/v2/https';
import { PREVIEW_MEMORY, PREVIEW_WIDTH } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// HTTP, organizers: template + sample data → PNG / PDF, nothing stored.
export const previewTemplate = onRequest(
  { cors: true, timeoutSeconds: 60, memory: PREVIEW_MEMORY },
  lazy(async () => {
    const [{ createPreviewHandler }, { authorizeOrganizer }, { renderer, templateStore }] = await Promise.all([
      import('../handlers/preview-template.js'),
      import('../handlers/authorize-organizer.js'),
      import('../firebase-app.js'),
    ]);
    return createPreviewHandler({
      authorize: authorizeOrganizer,
      renderer,
      templates: templateStore,
      defaultWidth: () => PREVIEW_WIDTH.value(),
    });
  }),
);
