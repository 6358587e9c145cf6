/**
 * `npm run preview`: the preview endpoint served by @google-cloud/functions-framework,
 * without the emulators or a Firebase project. Local use only: there is no ID token to
 * check, so requests are accepted from loopback addresses only. Inline `svg` templates
 * and the bundled ones (`templateId: "classic" | "modern"`) are served.
 *
 *   npm run preview   →  http://localhost:8090/  (GET: a page to try templates; POST: the API)
 */
import { http } from '@google-cloud/functions-framework';
import { createPreviewHandler, type Authorization, type PreviewRequest } from '../handlers/preview-template.js';
import { bundledTemplates } from '../issue/template-store.js';
import { initRenderer } from '../render/index.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export async function loopbackOnly(req: PreviewRequest): Promise<Authorization> {
  const address = req.socket.remoteAddress ?? '';
  if (LOOPBACK.has(address)) return { uid: 'local' };
  return { status: 403, message: 'The local preview server only answers this machine' };
}

export const previewTemplate = createPreviewHandler({
  authorize: loopbackOnly,
  renderer: () => initRenderer(),
  templates: () => bundledTemplates(() => initRenderer()),
  defaultWidth: () => Number(process.env.CERTFORGE_PREVIEW_WIDTH ?? 1200),
});

http('previewTemplate', previewTemplate);
