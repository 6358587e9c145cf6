/**
 * `verify`: the public page behind the URL printed on every certificate
 * (`${CERTFORGE_VERIFY_BASE_URL}/<certificateId>`). No sign-in.
 *
 *   GET  /<id> | /verify/<id>               the page (HTML), or JSON with Accept: application/json / ?format=json
 *   GET  …?sha256=<hex>                     the same, with the result of comparing that hash to the issued PDF's
 *   POST multipart/form-data (file "pdf")   the same, with the result of checking the uploaded PDF
 *   POST application/pdf                    the PDF as the body
 *   POST form / JSON { sha256 }             a hash
 *   404  unknown id, malformed id, any other path: one answer for all (code CERTIFICATE_NOT_FOUND)
 *   405  other methods; 413 a PDF over 10 MB (LIMIT_EXCEEDED); 400/415 unusable check requests
 *
 * The registry `certificates/{id}` (PublicCertificate) is read with the Admin SDK; only the
 * public fields reach the answer (verify/page-model.ts). Details: docs/verification.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { firestore } from '../firebase-app.js';
import { logCertificateChecked, logUnexpected } from '../logs.js';
import { renderCertificatePage, renderErrorPage, renderNotFoundPage, htmlHeaders, type CheckProblem } from '../verify/html.js';
import { jsonHeaders, METHOD_NOT_ALLOWED_CODE, NOT_FOUND_CODE, UNAVAILABLE_CODE } from '../verify/json.js';
import { buildView, resolveChain, toJson, type CheckResult } from '../verify/page-model.js';
import { certificateIdFromPath, wantsJson } from '../verify/route.js';
import { normalizeSha256, sameSha256 } from '../verify/sha256.js';
import {
  CheckInputError,
  MAX_PDF_BYTES,
  checkInputFromBody,
  checkInputFromFields,
  maxBodyBytes,
  tooLarge,
  type CheckInput,
} from '../verify/upload.js';
import { errorJson } from '../shared/errors.js';
import type { PublicCertificate } from '../shared/model.js';
import { registryRef } from '../shared/paths.js';

/** Reads registry entries; the Firestore one in production, any other in tests. */
export interface CertificateRegistry {
  get(certificateId: string): Promise<PublicCertificate | undefined>;
}

export interface VerifyDeps {
  registry: () => CertificateRegistry;
  /** Largest PDF accepted for a check (default 10 MiB). */
  maxPdfBytes?: number;
}

/** As the hosts give it: functions-framework / the emulator have already read the body into rawBody. */
export interface VerifyRequest extends IncomingMessage {
  rawBody?: Buffer;
  body?: unknown;
}

/** `certificates/{certificateId}` through firebase-admin. */
export function firestoreRegistry(db = firestore()): CertificateRegistry {
  return {
    async get(certificateId) {
      const snap = await registryRef(db, certificateId).get();
      if (!snap.exists) return undefined;
      return { ...(snap.data() as PublicCertificate), certificateId: snap.id };
    },
  };
}

/** Page and JSON of a certificate change when it is revoked or replaced: caches keep them a minute at most. */
const CACHE_PAGE = 'private, max-age=60';
/** Check results, errors and "not found" (an id may become known a moment later) are not cached. */
const NO_STORE = 'no-store';
const ALLOW = 'GET, HEAD, POST, OPTIONS';

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(bytes.byteLength) });
  res.end(bytes);
}

/** The request body as bytes (or fields a host parsed without keeping the bytes), within `maxBytes`. */
async function requestBody(req: VerifyRequest, maxBytes: number, limit: number): Promise<Buffer | Record<string, unknown>> {
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  if (Buffer.isBuffer(req.body)) return req.body;
  if (typeof req.body === 'string') return Buffer.from(req.body, 'utf8');
  if (req.body && typeof req.body === 'object') return req.body as Record<string, unknown>;
  if (req.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readCheck(req: VerifyRequest, limit: number): Promise<CheckInput> {
  const contentType = req.headers['content-type'];
  const maxBytes = maxBodyBytes(contentType, limit);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(limit);
  const body = await requestBody(req, maxBytes, limit);
  return Buffer.isBuffer(body) ? checkInputFromBody(body, contentType, limit) : checkInputFromFields(body);
}

export function createVerifyHandler(deps: VerifyDeps): (req: VerifyRequest, res: ServerResponse) => Promise<void> {
  const limit = deps.maxPdfBytes ?? MAX_PDF_BYTES;
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const json = wantsJson(req.headers.accept, url.searchParams.get('format'));
    const fail = (status: number, code: string, title: string, message: string, extra: Record<string, string> = {}) =>
      json
        ? send(res, status, { ...jsonHeaders(NO_STORE, method !== 'POST'), ...extra }, JSON.stringify(errorJson(code, message)))
        : send(res, status, { ...htmlHeaders(NO_STORE), ...extra }, renderErrorPage(title, message));
    try {
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          allow: ALLOW,
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, HEAD',
          'access-control-max-age': '86400',
          'cache-control': NO_STORE,
        });
        res.end();
        return;
      }
      if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
        fail(405, METHOD_NOT_ALLOWED_CODE, 'Method not allowed', 'This address answers GET (the certificate) and POST (checking a PDF).', {
          allow: ALLOW,
        });
        return;
      }

      const registry = deps.registry();
      const certificateId = certificateIdFromPath(url.pathname);
      const entry = certificateId ? await registry.get(certificateId) : undefined;
      if (!entry) {
        const message = 'No certificate has this address.';
        if (json) send(res, 404, jsonHeaders(NO_STORE, method !== 'POST'), JSON.stringify(errorJson(NOT_FOUND_CODE, message)));
        else send(res, 404, htmlHeaders(NO_STORE), renderNotFoundPage());
        return;
      }

      let input: CheckInput | undefined;
      let problem: (CheckProblem & { status: number }) | undefined;
      try {
        if (method === 'POST') input = await readCheck(req, limit);
        else if (url.searchParams.has('sha256')) input = checkInputFromFields({ sha256: url.searchParams.get('sha256') ?? '' });
      } catch (error) {
        if (!(error instanceof CheckInputError)) throw error;
        if (json) {
          send(res, error.status, jsonHeaders(NO_STORE, method !== 'POST'), JSON.stringify(errorJson(error.code, error.message, error.details)));
          return;
        }
        problem = { status: error.status, code: error.code, message: error.message };
      }

      let check: CheckResult | undefined;
      if (input) {
        const sha256 = normalizeSha256(input.sha256)!;
        check = {
          method: input.kind === 'file' ? 'upload' : 'hash',
          sha256,
          matches: sameSha256(entry.sha256, sha256),
          ...(input.kind === 'file' ? { bytes: input.bytes, looksLikePdf: input.looksLikePdf } : {}),
        };
        logCertificateChecked({ certificateId: entry.certificateId, method: check.method, matches: check.matches, ...(check.bytes ? { bytes: check.bytes } : {}) });
      }

      const current = entry.supersededBy ? await resolveChain(entry, (id) => registry.get(id)) : undefined;
      const view = buildView(entry, current);
      const cache = check || problem || method === 'POST' ? NO_STORE : CACHE_PAGE;
      if (json) {
        send(res, 200, jsonHeaders(cache, method !== 'POST'), JSON.stringify(toJson(view, check)));
      } else {
        send(res, problem?.status ?? 200, htmlHeaders(cache), renderCertificatePage(view, check, problem));
      }
    } catch (error) {
      logUnexpected('verify', error);
      if (res.headersSent) {
        res.end();
        return;
      }
      fail(503, UNAVAILABLE_CODE, 'Temporarily unavailable', 'The certificate could not be read just now. Please try again in a moment.', {
        'retry-after': '5',
      });
    }
  };
}

/** The deployed handler: the Firestore registry of the default app. */
export const handleVerify = createVerifyHandler({ registry: () => firestoreRegistry() });
