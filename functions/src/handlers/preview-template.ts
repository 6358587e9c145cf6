/**
 * HTTP preview for template authors: a template (SVG text, or the id of a stored one) and
 * sample data in, PNG or PDF out; nothing is stored.
 *
 *   POST <url>  Authorization: Bearer <Firebase ID token>   (organizers only)
 *   { "svg": "<svg…>" | "templateId": "classic", "data": {…}, "format": "png" | "pdf", "width": 1200 }
 *   → 200 image/png | application/pdf, headers X-Certforge-Sha256, X-Certforge-Warnings (codes)
 *   → 4xx/5xx application/json { "error": { "code", "message", "details"? } }
 *   GET <url>   a self-contained page to try it from a browser.
 *
 * One handler, two hosts: the deployed `previewTemplate` function (firebase-functions
 * onRequest, ID-token auth) and `npm run preview` (functions-framework, loopback only).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { TemplateStore } from '../issue/template-store.js';
import { logPreview, logUnexpected } from '../logs.js';
import { PNG_WIDTH_MAX, PNG_WIDTH_MIN, type CertificateData, type Renderer, type Template } from '../render/index.js';
import { isCatalogCode } from '../shared/error-catalog.js';
import { isCodedError } from '../shared/errors.js';
import { parseInput, requestObject, RequestError } from '../shared/request-schema.js';
import { NO_STORE_JSON, send, sendError } from './http-response.js';

/** Express-like request as both hosts give it (body already parsed from JSON). */
export interface PreviewRequest extends IncomingMessage {
  body?: unknown;
}

export type PreviewResponse = ServerResponse;

/** Who is calling: a user id, or an HTTP status + message to refuse with. */
export type Authorization = { uid: string } | { status: 401 | 403; message: string };

export interface PreviewDeps {
  authorize(req: PreviewRequest): Promise<Authorization>;
  renderer: () => Promise<Renderer>;
  /** Stored templates (`templateId` requests); omitted → only `svg` requests are served. */
  templates?: () => TemplateStore;
  defaultWidth: () => number;
}

/** Largest template accepted inline (the core has its own, stricter limits too). */
export const MAX_PREVIEW_SVG_BYTES = 4 * 1024 * 1024;

/** Headers of the GET page. */
const PAGE_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };

const WIDTH_RULE = `width must be an integer in ${PNG_WIDTH_MIN}..${PNG_WIDTH_MAX}`;

/** The request body: exactly one of `svg` and `templateId`; a template over its size is LIMIT_EXCEEDED (413). */
export const PreviewInput = requestObject('{ svg | templateId, data, format?, width? }', {
  svg: z
    .string({ error: 'svg must be a non-empty string' })
    .min(1, { error: 'svg must be a non-empty string' })
    .refine((svg) => Buffer.byteLength(svg) <= MAX_PREVIEW_SVG_BYTES, {
      error: `svg is larger than ${MAX_PREVIEW_SVG_BYTES} bytes`,
      params: { code: 'LIMIT_EXCEEDED' },
    })
    .optional(),
  templateId: z.string({ error: 'templateId must be a string' }).optional(),
  data: z
    .record(z.string(), z.unknown(), { error: 'data must be an object' })
    .default({})
    .transform((data) => data as CertificateData),
  format: z.enum(['png', 'pdf'], { error: 'format must be "png" or "pdf"' }).default('png'),
  width: z
    .int({ error: WIDTH_RULE })
    .min(PNG_WIDTH_MIN, { error: WIDTH_RULE })
    .max(PNG_WIDTH_MAX, { error: WIDTH_RULE })
    .optional(),
}).refine((body) => (body.svg === undefined) !== (body.templateId === undefined), {
  error: 'Give exactly one of svg or templateId',
});

export type PreviewInput = z.output<typeof PreviewInput>;

/** The body as a host gives it (parsed, or a string / Buffer of JSON), read with PreviewInput. */
export function parsePreviewBody(body: unknown): PreviewInput {
  return parseInput(PreviewInput, typeof body === 'string' || Buffer.isBuffer(body) ? jsonValue(body) : body);
}

function jsonValue(text: string | Buffer): unknown {
  try {
    return JSON.parse(text.toString());
  } catch {
    throw new RequestError('invalid-argument', 'The body must be JSON');
  }
}

export function createPreviewHandler(deps: PreviewDeps): (req: PreviewRequest, res: PreviewResponse) => Promise<void> {
  return async (req, res) => {
    try {
      if (req.method === 'GET') return send(res, 200, PAGE_HEADERS, PREVIEW_PAGE);
      if (req.method !== 'POST') {
        const message = 'Use POST with a JSON body, or GET for the preview page';
        return sendError(res, { code: 'METHOD_NOT_ALLOWED', message }, { ...NO_STORE_JSON, allow: 'GET, POST' });
      }
      const auth = await deps.authorize(req);
      if ('status' in auth) {
        return sendError(res, {
          code: auth.status === 401 ? 'unauthenticated' : 'permission-denied',
          message: auth.message,
        });
      }
      await renderPreview(deps, parsePreviewBody(req.body), auth.uid, res);
    } catch (error) {
      if (isCodedError(error) && isCatalogCode(error.code)) {
        return sendError(res, { code: error.code, message: error.message, details: error.details });
      }
      logUnexpected('previewTemplate', error);
      sendError(res, { code: 'INTERNAL', message: 'Unexpected error while rendering the preview' });
    }
  };
}

/** Renders `input` and answers with the PNG or PDF, its sha256 and its warnings' codes. */
async function renderPreview(deps: PreviewDeps, input: PreviewInput, uid: string, res: PreviewResponse): Promise<void> {
  const renderer = await deps.renderer();
  const render = (template: Template) =>
    renderer.renderCertificate(template, input.data, {
      png: input.format === 'png',
      pngWidth: input.width ?? deps.defaultWidth(),
    });
  const start = performance.now();
  let result;
  if (input.svg !== undefined) {
    result = await render(renderer.compileTemplate(input.svg));
  } else {
    if (!deps.templates)
      throw new RequestError('invalid-argument', 'Stored templates are not available here; send svg');
    result = await deps.templates().use(input.templateId!, (resolved) => render(resolved.template));
  }
  const body = input.format === 'png' ? result.png! : result.pdf;
  logPreview({ uid, format: input.format, bytes: body.byteLength, ms: Math.round(performance.now() - start) });
  send(
    res,
    200,
    {
      'content-type': input.format === 'png' ? 'image/png' : 'application/pdf',
      'cache-control': 'no-store',
      'x-certforge-sha256': result.sha256,
      'x-certforge-warnings': result.warnings.map((warning) => warning.code).join(','),
    },
    body,
  );
}

/** The GET page: paste a template and data, see the PNG or PDF. No external assets. */
const PREVIEW_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>certforge template preview</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:0;padding:1rem;max-width:80rem;margin-inline:auto;color:#1b1b1b}
textarea{width:100%;font:12px ui-monospace,monospace;box-sizing:border-box}
label{display:block;font-weight:600;margin-top:.75rem}
.row{display:flex;gap:1rem;flex-wrap:wrap;align-items:end}
#out img{max-width:100%;border:1px solid #ccc}#err{color:#a40000;white-space:pre-wrap}
</style></head><body>
<h1>certforge template preview</h1>
<p>Paste an SVG template and sample data. Nothing is stored.</p>
<label for="svg">Template (SVG)</label><textarea id="svg" rows="12" placeholder="&lt;svg …&gt;"></textarea>
<label for="data">Data (JSON)</label><textarea id="data" rows="6">{"name":"Ada Lovelace","talk":{"title":"Notes on the Analytical Engine"},"event":{"name":"Example Conf","date":"1843","place":"London"},"signatories":[{"name":"Charles Babbage","role":"Chair"}],"certificate":{"id":"PREVIEW","url":"https://example.org/verify/PREVIEW"}}</textarea>
<div class="row"><div><label for="format">Format</label><select id="format"><option>png</option><option>pdf</option></select></div>
<div><label for="token">ID token (deployed only)</label><input id="token" size="40" autocomplete="off"></div>
<button id="go" type="button">Render</button></div>
<p id="err" role="alert"></p><div id="out" aria-live="polite"></div>
<script>
document.getElementById('go').onclick = async () => {
  const err = document.getElementById('err'), out = document.getElementById('out');
  err.textContent = ''; out.textContent = 'Rendering…';
  let data; try { data = JSON.parse(document.getElementById('data').value || '{}'); } catch (e) { err.textContent = 'Data is not JSON: ' + e.message; out.textContent=''; return; }
  const format = document.getElementById('format').value, token = document.getElementById('token').value.trim();
  const res = await fetch(location.href, { method: 'POST', headers: Object.assign({ 'content-type': 'application/json' }, token ? { authorization: 'Bearer ' + token } : {}),
    body: JSON.stringify({ svg: document.getElementById('svg').value, data, format }) });
  if (!res.ok) { const body = await res.json().catch(() => ({})); err.textContent = (body.error ? body.error.code + ': ' + body.error.message : res.status); out.textContent=''; return; }
  const url = URL.createObjectURL(await res.blob());
  out.innerHTML = format === 'png' ? '<img alt="Rendered certificate">' : '<a download="preview.pdf">Download the PDF</a>';
  if (format === 'png') out.firstChild.src = url; else out.firstChild.href = url;
  const warnings = res.headers.get('x-certforge-warnings'); if (warnings) err.textContent = 'Warnings: ' + warnings;
};
</script></body></html>`;
