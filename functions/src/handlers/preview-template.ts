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
import { IssueError } from '../issue/errors.js';
import type { TemplateStore } from '../issue/template-store.js';
import { logPreview, logUnexpected } from '../logs.js';
import { PNG_WIDTH_MAX, PNG_WIDTH_MIN, isCertforgeError, type CertificateData, type Renderer, type Template } from '../render/index.js';
import { errorJson, HttpError } from '../shared/errors.js';
import { httpStatusFor } from './error-mapping.js';

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
const ALLOWED_KEYS = new Set(['svg', 'templateId', 'data', 'format', 'width']);

interface PreviewInput {
  svg?: string;
  templateId?: string;
  data: CertificateData;
  format: 'png' | 'pdf';
  width?: number;
}

function sendJson(res: PreviewResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function sendError(res: PreviewResponse, status: number, code: string, message: string, details?: Record<string, unknown>): void {
  sendJson(res, status, errorJson(code, message, details));
}

export function parsePreviewBody(body: unknown): PreviewInput {
  let value = body;
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    try {
      value = JSON.parse(value.toString());
    } catch {
      throw new HttpError(400, 'invalid-argument', 'The body must be JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'invalid-argument', 'Expected a JSON object { svg | templateId, data, format?, width? }');
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !ALLOWED_KEYS.has(key));
  if (unknown.length) throw new HttpError(400, 'invalid-argument', `Unknown field(s): ${unknown.join(', ')}`);
  const { svg, templateId, data, format = 'png', width } = record;
  if ((svg === undefined) === (templateId === undefined)) throw new HttpError(400, 'invalid-argument', 'Give exactly one of svg or templateId');
  if (svg !== undefined && (typeof svg !== 'string' || svg.length === 0)) throw new HttpError(400, 'invalid-argument', 'svg must be a non-empty string');
  if (typeof svg === 'string' && Buffer.byteLength(svg) > MAX_PREVIEW_SVG_BYTES) {
    throw new HttpError(413, 'LIMIT_EXCEEDED', `svg is larger than ${MAX_PREVIEW_SVG_BYTES} bytes`);
  }
  if (templateId !== undefined && typeof templateId !== 'string') throw new HttpError(400, 'invalid-argument', 'templateId must be a string');
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    throw new HttpError(400, 'invalid-argument', 'data must be an object');
  }
  if (format !== 'png' && format !== 'pdf') throw new HttpError(400, 'invalid-argument', 'format must be "png" or "pdf"');
  if (width !== undefined && (!Number.isInteger(width) || (width as number) < PNG_WIDTH_MIN || (width as number) > PNG_WIDTH_MAX)) {
    throw new HttpError(400, 'invalid-argument', `width must be an integer in ${PNG_WIDTH_MIN}..${PNG_WIDTH_MAX}`);
  }
  return {
    ...(typeof svg === 'string' ? { svg } : {}),
    ...(typeof templateId === 'string' ? { templateId } : {}),
    data: (data ?? {}) as CertificateData,
    format,
    ...(typeof width === 'number' ? { width } : {}),
  };
}

export function createPreviewHandler(deps: PreviewDeps): (req: PreviewRequest, res: PreviewResponse) => Promise<void> {
  return async (req, res) => {
    try {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(PREVIEW_PAGE);
        return;
      }
      if (req.method !== 'POST') {
        res.setHeader('allow', 'GET, POST');
        sendError(res, 405, 'method-not-allowed', 'Use POST with a JSON body, or GET for the preview page');
        return;
      }
      const auth = await deps.authorize(req);
      if ('status' in auth) {
        sendError(res, auth.status, auth.status === 401 ? 'unauthenticated' : 'permission-denied', auth.message);
        return;
      }
      const input = parsePreviewBody(req.body);
      const renderer = await deps.renderer();
      const render = (template: Template) =>
        renderer.renderCertificate(template, input.data, { png: input.format === 'png', pngWidth: input.width ?? deps.defaultWidth() });
      const start = performance.now();
      let result;
      if (input.svg !== undefined) {
        result = await render(renderer.compileTemplate(input.svg));
      } else {
        if (!deps.templates) throw new HttpError(400, 'invalid-argument', 'Stored templates are not available here; send svg');
        result = await deps.templates().use(input.templateId!, (resolved) => render(resolved.template));
      }
      const body = input.format === 'png' ? result.png! : result.pdf;
      logPreview({ uid: auth.uid, format: input.format, bytes: body.byteLength, ms: Math.round(performance.now() - start) });
      res.writeHead(200, {
        'content-type': input.format === 'png' ? 'image/png' : 'application/pdf',
        'content-length': body.byteLength,
        'cache-control': 'no-store',
        'x-certforge-sha256': result.sha256,
        'x-certforge-warnings': result.warnings.map((warning) => warning.code).join(','),
      });
      res.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    } catch (error) {
      if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
      if (isCertforgeError(error) || error instanceof IssueError) {
        const details = { ...error.details };
        delete details.trap;
        return sendError(res, httpStatusFor(error.code), error.code, error.message, details);
      }
      logUnexpected('previewTemplate', error);
      sendError(res, 500, 'INTERNAL', 'Unexpected error while rendering the preview');
    }
  };
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
