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
 *   GET  /<id>/badge.png, /<id>/badge.svg    the preview with the credential baked in (valid certificates)
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
import { bakePng, bakeSvg } from '../credential/baked-badge.js';
import { CREDENTIAL_MEDIA_TYPE } from '../credential/open-badge.js';
import { CONSOLE_URL } from '../config.js';
import { credentialService, firestore, objectStore, previewDeps } from '../firebase-app.js';
import { certificatePreview } from '../issue/preview.js';
import { logCertificateChecked, logUnexpected } from '../logs.js';
import { ERROR_CATALOG } from '../shared/error-catalog.js';
import type { PublicCertificate } from '../shared/model.js';
import { downloadIfExists } from '../shared/object-store.js';
import { registryRef } from '../shared/paths.js';
import { isExpired } from '../shared/validity.js';
import { renderCertificatePage, renderErrorPage, htmlHeaders } from '../verify/html.js';
import {
  jsonErrorMessage,
  jsonHeaders,
  METHOD_NOT_ALLOWED_CODE,
  NOT_FOUND_CODE,
  UNAVAILABLE_CODE,
  type VerifyErrorCode,
} from '../verify/json.js';
import { errorMessage, pageLanguage, type PageLanguage } from '../verify/messages.js';
import {
  buildView,
  resolveChain,
  toJson,
  type CheckResult,
  type CredentialState,
  type VerifyView,
} from '../verify/page-model.js';
import { representation, routeOf, type CertificateFile, type Representation } from '../verify/route.js';
import { normalizeSha256, sameSha256 } from '../verify/sha256.js';
import { countVisit, isBot, type StatKind } from '../verify/stats.js';
import {
  CheckInputError,
  MAX_PDF_BYTES,
  checkInputFromBody,
  checkInputFromFields,
  maxBodyBytes,
  tooLarge,
  type CheckInput,
} from '../verify/upload.js';
import { send, sendError } from './http-response.js';

/** Reads registry entries; the Firestore one in production, any other in tests. */
export interface CertificateRegistry {
  get(certificateId: string): Promise<PublicCertificate | undefined>;
}

/** The credential side: checks a credential, serves the issuer profile and the status lists. */
export interface CredentialAuthority {
  check(credential: unknown, at?: Date): Promise<CredentialCheck>;
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
  /**
   * The PNG preview of a certificate, rendered on first request where it was not yet
   * (issue/preview.ts); default: the stored file at `pngPath`.
   */
  preview?: (entry: PublicCertificate) => Promise<Uint8Array | undefined>;
  /** Largest PDF accepted for a check (default 10 MiB). */
  maxPdfBytes?: number;
  /** Counts a page view, PDF download or LinkedIn addition of an event (verify/stats.ts); default: none. */
  count?: (eventId: string, kind: StatKind) => Promise<void>;
  /** The organizer console's origin (CERTFORGE_CONSOLE_URL): recipients ask for corrections there; default none. */
  consoleUrl?: () => string;
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
      return { ...snap.data()!, certificateId: snap.id };
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
const ANSWERED_METHODS = new Set(['GET', 'HEAD', 'POST']);

/** One request to the verify function, and what is known of it so far. */
interface Exchange {
  req: VerifyRequest;
  res: ServerResponse;
  deps: VerifyDeps;
  url: URL;
  method: string;
  wanted: Representation;
  /** JSON rather than HTML (JSON or the credential was asked for). */
  json: boolean;
  /** From Accept-Language; refined by the event's locale once the entry is read (readEntry). */
  language: PageLanguage;
}

export function createVerifyHandler(deps: VerifyDeps): (req: VerifyRequest, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const exchange = openExchange(req, res, deps);
    try {
      await route(exchange);
    } catch (error) {
      logUnexpected('verify', error);
      if (res.headersSent) res.end();
      else sendVerifyError(exchange, UNAVAILABLE_CODE, { 'retry-after': '5' });
    }
  };
}

function openExchange(req: VerifyRequest, res: ServerResponse, deps: VerifyDeps): Exchange {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const wanted = representation(req.headers.accept, url.searchParams.get('format'));
  const language = pageLanguage(req.headers['accept-language'], undefined);
  return {
    req,
    res,
    deps,
    url,
    method: (req.method ?? 'GET').toUpperCase(),
    wanted,
    json: wanted !== 'html',
    language,
  };
}

/** The router: the method, then the route of the path (verify/route.ts). POST is for certificates only. */
async function route(exchange: Exchange): Promise<void> {
  if (exchange.method === 'OPTIONS') return sendPreflight(exchange.res);
  if (!ANSWERED_METHODS.has(exchange.method))
    return sendVerifyError(exchange, METHOD_NOT_ALLOWED_CODE, { allow: ALLOW });
  const target = routeOf(exchange.url.pathname);
  if (exchange.method === 'POST' && target.kind !== 'certificate') return sendVerifyError(exchange, NOT_FOUND_CODE);
  switch (target.kind) {
    case 'not-found':
      return sendVerifyError(exchange, NOT_FOUND_CODE);
    case 'issuer':
      return serveIssuer(exchange);
    case 'status-list':
      return serveStatusList(exchange, target.listId);
    case 'file':
      return serveFile(exchange, target.certificateId, target.file);
    case 'linkedin':
      return serveLinkedIn(exchange, target.certificateId);
    case 'certificate':
      return serveCertificate(exchange, target.certificateId);
  }
}

/** CORS preflight: reads from any origin. */
function sendPreflight(res: ServerResponse): void {
  res.writeHead(204, {
    allow: ALLOW,
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, HEAD',
    'access-control-max-age': '86400',
    'cache-control': NO_STORE,
  });
  res.end();
}

/** An error of the endpoint: the envelope in JSON, or its page in the reader's language (catalog message key). */
function sendVerifyError(exchange: Exchange, code: VerifyErrorCode, extra: Record<string, string> = {}): void {
  const { res, method, json, language } = exchange;
  if (json) {
    const headers = { ...jsonHeaders(NO_STORE, method !== 'POST'), ...extra };
    return sendError(res, { code, message: jsonErrorMessage(code) }, headers);
  }
  const { title, text } = errorMessage(language, ERROR_CATALOG[code].messageKey);
  const headers = { ...htmlHeaders(NO_STORE, language), ...extra };
  send(res, ERROR_CATALOG[code].status, headers, renderErrorPage(title, text, language));
}

/** A document verifiers read: JSON-LD, public, cross-origin. */
function sendDocument(exchange: Exchange, contentType: string, body: string, extra: Record<string, string> = {}): void {
  const headers = { ...jsonHeaders(CACHE_PUBLIC, true), 'content-type': `${contentType}; charset=utf-8`, ...extra };
  send(exchange.res, 200, headers, body, exchange.method === 'HEAD');
}

/** GET /issuer: the issuer profile. */
async function serveIssuer(exchange: Exchange): Promise<void> {
  sendDocument(exchange, 'application/ld+json', JSON.stringify(await exchange.deps.credentials().profile()));
}

/** GET /status/<listId>: a signed status list credential. */
async function serveStatusList(exchange: Exchange, listId: string): Promise<void> {
  const list = await exchange.deps.credentials().statusList(listId);
  if (!list) return sendVerifyError(exchange, NOT_FOUND_CODE);
  sendDocument(exchange, CREDENTIAL_MEDIA_TYPE, JSON.stringify(list));
}

/** The registry entry of `certificateId` (the page's language now follows its event), or the 404 answered. */
async function readEntry(exchange: Exchange, certificateId: string): Promise<PublicCertificate | undefined> {
  const entry = await exchange.deps.registry().get(certificateId);
  if (!entry) {
    sendVerifyError(exchange, NOT_FOUND_CODE);
    return undefined;
  }
  exchange.language = pageLanguage(exchange.req.headers['accept-language'], entry.locale);
  return entry;
}

/**
 * GET /<id>/<file>: a stored file of the certificate, through the function (the bucket stays
 * private).
 */
async function serveFile(exchange: Exchange, certificateId: string, file: CertificateFile): Promise<void> {
  const entry = await readEntry(exchange, certificateId);
  if (!entry) return;
  const bytes = await fileBytes(exchange.deps, entry, file);
  if (!bytes) return sendVerifyError(exchange, NOT_FOUND_CODE);
  if (file === 'certificate.pdf') await count(exchange, entry, 'downloads');
  send(exchange.res, 200, fileHeaders(entry, file), bytes, exchange.method === 'HEAD');
}

/** GET /<id>/linkedin: LinkedIn's "Add to profile" form for a valid certificate, counted. */
async function serveLinkedIn(exchange: Exchange, certificateId: string): Promise<void> {
  const entry = await readEntry(exchange, certificateId);
  if (!entry) return;
  const view = await certificateView(exchange.deps, entry);
  if (!view.linkedInUrl) return sendVerifyError(exchange, NOT_FOUND_CODE);
  await count(exchange, entry, 'linkedIn');
  exchange.res.writeHead(302, {
    location: view.linkedInUrl,
    'cache-control': NO_STORE,
    'referrer-policy': 'no-referrer',
  });
  exchange.res.end();
}

/**
 * Counts a GET from a person (not a HEAD, a check or a bot) for the event's numbers; a failure
 * to count never fails the request (logged).
 */
async function count(exchange: Exchange, entry: PublicCertificate, kind: StatKind): Promise<void> {
  const { deps, method, req } = exchange;
  if (!deps.count || method !== 'GET' || isBot(req.headers['user-agent'])) return;
  await deps.count(entry.eventId, kind).catch((error: unknown) => logUnexpected('verify.count', error));
}

/**
 * GET|POST /<id>: the credential (Accept: application/vc, ?format=vc), or the page / JSON with
 * the result of a check when the request asks for one.
 */
async function serveCertificate(exchange: Exchange, certificateId: string): Promise<void> {
  const entry = await readEntry(exchange, certificateId);
  if (!entry) return;
  if (exchange.wanted === 'vc') return serveCredential(exchange, entry);
  const { input, problem } = await readCheckRequest(exchange);
  if (problem && exchange.json)
    return sendError(exchange.res, problem, jsonHeaders(NO_STORE, exchange.method !== 'POST'));
  const check = input ? checkAgainst(entry, input) : undefined;
  // A person looking at the page (not a check, not the JSON of a program) is a view, counted
  // while the view is built.
  const [view] = await Promise.all([
    certificateView(exchange.deps, entry),
    !exchange.json && !input && !problem ? count(exchange, entry, 'views') : undefined,
  ]);
  sendCertificate(exchange, view, check, problem);
}

/** The public view of `entry`: its current version when replaced, the state of its credential. */
async function certificateView(deps: VerifyDeps, entry: PublicCertificate): Promise<VerifyView> {
  const registry = deps.registry();
  const [current, credential] = await Promise.all([
    entry.supersededBy ? resolveChain(entry, (id) => registry.get(id)) : undefined,
    credentialState(entry, deps),
  ]);
  const view = buildView(entry, current, credential);
  const console = deps.consoleUrl?.().trim().replace(/\/+$/, '');
  if (console && /^https?:\/\//.test(console) && view.status === 'valid')
    view.correctionUrl = `${console}/correction/${encodeURIComponent(entry.certificateId)}`;
  return view;
}

/** The certificate as JSON or as its page (with the check's result or problem); checks are not cached. */
function sendCertificate(exchange: Exchange, view: VerifyView, check?: CheckResult, problem?: CheckInputError): void {
  const { res, method, json, language } = exchange;
  const cache = check || problem || method === 'POST' ? NO_STORE : CACHE_PAGE;
  if (json) return send(res, 200, jsonHeaders(cache, method !== 'POST'), JSON.stringify(toJson(view, check)));
  const html = renderCertificatePage(view, check, problem, language);
  send(res, problem?.status ?? 200, htmlHeaders(cache, language), html);
}

/** The certificate's Open Badges credential, as issued. */
function serveCredential(exchange: Exchange, entry: PublicCertificate): void {
  if (!entry.credentialJson) return sendVerifyError(exchange, NOT_FOUND_CODE);
  sendDocument(exchange, CREDENTIAL_MEDIA_TYPE, entry.credentialJson, { 'cache-control': CACHE_PAGE, vary: 'Accept' });
}

/** What the request asks to check: a POSTed PDF or hash, or ?sha256=; a problem when it cannot be checked. */
async function readCheckRequest(exchange: Exchange): Promise<{ input?: CheckInput; problem?: CheckInputError }> {
  const { req, url, method, deps } = exchange;
  try {
    if (method === 'POST') return { input: await readCheck(req, deps.maxPdfBytes ?? MAX_PDF_BYTES) };
    if (url.searchParams.has('sha256'))
      return { input: checkInputFromFields({ sha256: url.searchParams.get('sha256') ?? '' }) };
    return {};
  } catch (error) {
    if (error instanceof CheckInputError) return { problem: error };
    throw error;
  }
}

/** The result of comparing `input` with the issued PDF's hash (logged). */
function checkAgainst(entry: PublicCertificate, input: CheckInput): CheckResult {
  const sha256 = normalizeSha256(input.sha256)!;
  const check: CheckResult = {
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
  return check;
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

/** What the page says about the credential: the check, or why there is none. */
async function credentialState(entry: PublicCertificate, deps: VerifyDeps): Promise<CredentialState> {
  if (!entry.credentialJson) return 'none';
  try {
    // An expired credential is checked as of just before it expired: is the signature good, was
    // it revoked? The page says "expired" itself.
    const until = entry.validUntil ? Date.parse(entry.validUntil) : NaN;
    const at = isExpired(entry.validUntil, Date.now()) ? new Date(until - 1000) : undefined;
    const check = await deps.credentials().check(JSON.parse(entry.credentialJson), at);
    if (check.verified) return 'verified';
    if (check.signature && check.status === false) return 'revoked';
    if (!check.signature) return 'signature-failed';
    return 'uncheckable';
  } catch (error) {
    logUnexpected('verify: credential check', error);
    return 'uncheckable';
  }
}

const FILE_TYPES: Record<CertificateFile, string> = {
  'preview.png': 'image/png',
  'certificate.pdf': 'application/pdf',
  'credential.json': CREDENTIAL_MEDIA_TYPE,
  'badge.png': 'image/png',
  'badge.svg': 'image/svg+xml',
};

const FILE_NAMES: Record<CertificateFile, string> = {
  'preview.png': '.png',
  'certificate.pdf': '.pdf',
  'credential.json': '.credential.json',
  'badge.png': '.badge.png',
  'badge.svg': '.badge.svg',
};

/**
 * The bytes of a stored file: the PNG unless revoked, the PDF only where the event offers it and
 * the certificate is valid, the credential always (verifiers must be able to see that it was
 * revoked), the baked badges for a valid, unexpired certificate with a credential (a wallet
 * imports what it is given: a revoked, replaced or expired one is not handed out again).
 */
async function fileBytes(
  deps: VerifyDeps,
  entry: PublicCertificate,
  file: CertificateFile,
): Promise<Uint8Array | undefined> {
  if (file === 'credential.json') return entry.credentialJson ? Buffer.from(entry.credentialJson, 'utf8') : undefined;
  const preview = () => {
    if (entry.status === 'revoked' || !entry.pngPath) return undefined;
    return deps.preview ? deps.preview(entry) : deps.files().read(entry.pngPath);
  };
  if (file === 'preview.png') return preview();
  if (file === 'badge.png' || file === 'badge.svg') {
    if (entry.status !== 'valid' || isExpired(entry.validUntil, Date.now()) || !entry.credentialJson) return undefined;
    const png = await preview();
    if (!png) return undefined;
    return file === 'badge.png'
      ? bakePng(png, entry.credentialJson)
      : Buffer.from(bakeSvg(png, entry.credentialJson, `Certificate of ${entry.recipientName}`), 'utf8');
  }
  const offered = entry.status === 'valid' && entry.offerPdf === true && entry.pdfPath;
  return offered ? deps.files().read(entry.pdfPath!) : undefined;
}

/** Headers of a stored file: a download (the PNG inline), never sniffed, the credential cross-origin. */
function fileHeaders(entry: PublicCertificate, file: CertificateFile): Record<string, string> {
  const disposition = file === 'preview.png' ? 'inline' : 'attachment';
  const extension = FILE_NAMES[file];
  return {
    'content-type': FILE_TYPES[file],
    'content-disposition': `${disposition}; filename="certificate-${entry.certificateId}${extension}"`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': file === 'credential.json' ? 'cross-origin' : 'same-origin',
    'x-robots-tag': 'noindex, nofollow',
    'cache-control': CACHE_PAGE,
    ...(file === 'credential.json' ? { 'access-control-allow-origin': '*' } : {}),
  };
}

/** The deployed handler: the Firestore registry of the default app. */
export const handleVerify = createVerifyHandler({
  registry: () => firestoreRegistry(),
  credentials: () => credentialService(),
  files: () => storageFiles(),
  preview: (entry) => certificatePreview(previewDeps(), entry),
  count: (eventId, kind) => countVisit(firestore(), eventId, kind),
  consoleUrl: () => CONSOLE_URL.value(),
});

/** The certificate files in the default bucket; a missing file is undefined. */
export function storageFiles(store = objectStore()): CertificateFiles {
  return { read: (path) => downloadIfExists(store, path) };
}
