/**
 * `verify`: the public page behind the URL printed on every certificate
 * (`${CERTFORGE_VERIFY_BASE_URL}/<certificateId>`), and what verifiers of its credential resolve.
 * No sign-in.
 *
 *   GET  /<id> | /verify/<id>               the page (HTML, in the reader's language), JSON (Accept: application/json,
 *                                           ?format=json) or the credential (Accept: application/vc, ?format=vc)
 *   GET  /<id>/preview.png                  the PNG preview (not for a revoked certificate)
 *   GET  /<id>/certificate.pdf              the PDF, where the event offers it (event.verification.offerPdf)
 *   GET  /<id>/credential.json              the Open Badges 3.0 credential as a download
 *   GET  /issuer                            the issuer profile (every signing key ever published)
 *   GET  /status/<listId>                   a signed Bitstring Status List credential
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
import type { CredentialCheck } from '../credential/open-badge.js';
import { CREDENTIAL_MEDIA_TYPE } from '../credential/open-badge.js';
import { credentialService, firestore, objectStore } from '../firebase-app.js';
import { logCertificateChecked, logUnexpected } from '../logs.js';
import {
  renderCertificatePage,
  renderErrorPage,
  renderNotFoundPage,
  htmlHeaders,
  type CheckProblem,
} from '../verify/html.js';
import { jsonHeaders, METHOD_NOT_ALLOWED_CODE, NOT_FOUND_CODE, UNAVAILABLE_CODE } from '../verify/json.js';
import { messages, pageLanguage, type PageLanguage } from '../verify/messages.js';
import { buildView, resolveChain, toJson, type CheckResult, type CredentialState } from '../verify/page-model.js';
import { representation, routeOf, type CertificateFile } from '../verify/route.js';
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
import { isNotFound } from '../shared/object-store.js';

/** Reads registry entries; the Firestore one in production, any other in tests. */
export interface CertificateRegistry {
  get(certificateId: string): Promise<PublicCertificate | undefined>;
}

/** The credential side: checks a credential, serves the issuer profile and the status lists. */
export interface CredentialAuthority {
  check(credential: unknown): Promise<CredentialCheck>;
  profile(): Promise<object>;
  statusList(listId: string): Promise<object | undefined>;
}

/** Reads a certificate's stored files (the default bucket). */
export interface CertificateFiles {
  read(path: string): Promise<Uint8Array | undefined>;
}

export interface VerifyDeps {
  registry: () => CertificateRegistry;
  credentials: () => CredentialAuthority;
  files: () => CertificateFiles;
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
/** The issuer profile and status lists are public documents; a status list changes on revocation. */
const CACHE_PUBLIC = 'public, max-age=60';
/** Check results, errors and "not found" (an id may become known a moment later) are not cached. */
const NO_STORE = 'no-store';
const ALLOW = 'GET, HEAD, POST, OPTIONS';

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { ...headers, 'content-length': String(bytes.byteLength) });
  res.end(bytes);
}

/** The request body as bytes (or fields a host parsed without keeping the bytes), within `maxBytes`. */
async function requestBody(
  req: VerifyRequest,
  maxBytes: number,
  limit: number,
): Promise<Buffer | Record<string, unknown>> {
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

/** A document verifiers read: JSON-LD, public, cross-origin. */
function sendDocument(
  res: ServerResponse,
  method: string,
  contentType: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  const headers = { ...jsonHeaders(CACHE_PUBLIC, true), 'content-type': `${contentType}; charset=utf-8`, ...extra };
  if (method === 'HEAD') {
    res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
    res.end();
    return;
  }
  send(res, 200, headers, body);
}

const FILE_TYPES: Record<CertificateFile, string> = {
  'preview.png': 'image/png',
  'certificate.pdf': 'application/pdf',
  'credential.json': CREDENTIAL_MEDIA_TYPE,
};

/** What the page says about the credential: the check, or why there is none. */
async function credentialState(entry: PublicCertificate, deps: VerifyDeps): Promise<CredentialState> {
  if (!entry.credentialJson) return 'none';
  try {
    const check = await deps.credentials().check(JSON.parse(entry.credentialJson));
    if (check.verified) return 'verified';
    if (check.signature && check.status === false) return 'revoked';
    if (!check.signature) return 'signature-failed';
    return 'uncheckable';
  } catch (error) {
    logUnexpected('verify: credential check', error);
    return 'uncheckable';
  }
}

export function createVerifyHandler(deps: VerifyDeps): (req: VerifyRequest, res: ServerResponse) => Promise<void> {
  const limit = deps.maxPdfBytes ?? MAX_PDF_BYTES;
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const wanted = representation(req.headers.accept, url.searchParams.get('format'));
    const json = wanted !== 'html';
    // The page's language before the entry is read (errors, 404); the event's locale refines it after.
    let language: PageLanguage = pageLanguage(req.headers['accept-language'], undefined);
    const fail = (
      status: number,
      code: string,
      key: 'methodNotAllowed' | 'unavailable',
      extra: Record<string, string> = {},
    ) => {
      const text = messages(language)[key];
      if (json)
        send(
          res,
          status,
          { ...jsonHeaders(NO_STORE, method !== 'POST'), ...extra },
          JSON.stringify(errorJson(code, messages('en')[key].text)),
        );
      else
        send(
          res,
          status,
          { ...htmlHeaders(NO_STORE, language), ...extra },
          renderErrorPage(text.title, text.text, language),
        );
    };
    const notFound = () => {
      const message = 'No certificate has this address.';
      if (json)
        send(res, 404, jsonHeaders(NO_STORE, method !== 'POST'), JSON.stringify(errorJson(NOT_FOUND_CODE, message)));
      else send(res, 404, htmlHeaders(NO_STORE, language), renderNotFoundPage(language));
    };
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
        fail(405, METHOD_NOT_ALLOWED_CODE, 'methodNotAllowed', { allow: ALLOW });
        return;
      }

      const route = routeOf(url.pathname);
      if (route.kind === 'not-found' || (method === 'POST' && route.kind !== 'certificate')) {
        notFound();
        return;
      }
      if (route.kind === 'issuer') {
        sendDocument(res, method, 'application/ld+json', JSON.stringify(await deps.credentials().profile()));
        return;
      }
      if (route.kind === 'status-list') {
        const list = await deps.credentials().statusList(route.listId);
        if (!list) notFound();
        else sendDocument(res, method, CREDENTIAL_MEDIA_TYPE, JSON.stringify(list));
        return;
      }

      const registry = deps.registry();
      const entry = await registry.get(route.certificateId);
      if (!entry) {
        notFound();
        return;
      }
      language = pageLanguage(req.headers['accept-language'], entry.locale);

      if (route.kind === 'file') {
        await sendFile(res, method, entry, route.file, deps, notFound);
        return;
      }
      if (wanted === 'vc') {
        if (!entry.credentialJson) notFound();
        else
          sendDocument(res, method, CREDENTIAL_MEDIA_TYPE, entry.credentialJson, {
            'cache-control': CACHE_PAGE,
            vary: 'Accept',
          });
        return;
      }

      let input: CheckInput | undefined;
      let problem: (CheckProblem & { status: number }) | undefined;
      try {
        if (method === 'POST') input = await readCheck(req, limit);
        else if (url.searchParams.has('sha256'))
          input = checkInputFromFields({ sha256: url.searchParams.get('sha256') ?? '' });
      } catch (error) {
        if (!(error instanceof CheckInputError)) throw error;
        if (json) {
          send(
            res,
            error.status,
            jsonHeaders(NO_STORE, method !== 'POST'),
            JSON.stringify(errorJson(error.code, error.message, error.details)),
          );
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
        logCertificateChecked({
          certificateId: entry.certificateId,
          method: check.method,
          matches: check.matches,
          ...(check.bytes ? { bytes: check.bytes } : {}),
        });
      }

      const [current, credential] = await Promise.all([
        entry.supersededBy ? resolveChain(entry, (id) => registry.get(id)) : undefined,
        credentialState(entry, deps),
      ]);
      const view = buildView(entry, current, credential);
      const cache = check || problem || method === 'POST' ? NO_STORE : CACHE_PAGE;
      if (json) {
        send(res, 200, jsonHeaders(cache, method !== 'POST'), JSON.stringify(toJson(view, check)));
      } else {
        send(
          res,
          problem?.status ?? 200,
          htmlHeaders(cache, language),
          renderCertificatePage(view, check, problem, language),
        );
      }
    } catch (error) {
      logUnexpected('verify', error);
      if (res.headersSent) {
        res.end();
        return;
      }
      fail(503, UNAVAILABLE_CODE, 'unavailable', { 'retry-after': '5' });
    }
  };
}

/**
 * A stored file of the certificate, through the function (the bucket stays private): the PNG
 * unless revoked, the PDF only where the event offers it and the certificate is valid, the
 * credential always (verifiers must be able to see that it was revoked).
 */
async function sendFile(
  res: ServerResponse,
  method: string,
  entry: PublicCertificate,
  file: CertificateFile,
  deps: VerifyDeps,
  notFound: () => void,
): Promise<void> {
  let bytes: Uint8Array | undefined;
  if (file === 'credential.json') {
    bytes = entry.credentialJson ? Buffer.from(entry.credentialJson, 'utf8') : undefined;
  } else if (file === 'preview.png') {
    bytes = entry.status !== 'revoked' && entry.pngPath ? await deps.files().read(entry.pngPath) : undefined;
  } else {
    bytes =
      entry.status === 'valid' && entry.offerPdf === true && entry.pdfPath
        ? await deps.files().read(entry.pdfPath)
        : undefined;
  }
  if (!bytes) {
    notFound();
    return;
  }
  const disposition = file === 'preview.png' ? 'inline' : 'attachment';
  const name = `certificate-${entry.certificateId}${file === 'credential.json' ? '.credential.json' : file === 'certificate.pdf' ? '.pdf' : '.png'}`;
  const headers = {
    'content-type': FILE_TYPES[file],
    'content-length': String(bytes.byteLength),
    'content-disposition': `${disposition}; filename="${name}"`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': file === 'credential.json' ? 'cross-origin' : 'same-origin',
    'x-robots-tag': 'noindex, nofollow',
    'cache-control': CACHE_PAGE,
    ...(file === 'credential.json' ? { 'access-control-allow-origin': '*' } : {}),
  };
  res.writeHead(200, headers);
  res.end(method === 'HEAD' ? undefined : bytes);
}

/** The deployed handler: the Firestore registry of the default app. */
export const handleVerify = createVerifyHandler({
  registry: () => firestoreRegistry(),
  credentials: () => credentialService(),
  files: () => storageFiles(),
});

/** The certificate files in the default bucket; a missing file is undefined. */
export function storageFiles(store = objectStore()): CertificateFiles {
  return {
    async read(path) {
      try {
        return await store.download(path);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
  };
}
