/**
 * What a visitor POSTs to check a PDF against a certificate:
 *
 *   multipart/form-data              a file part (the page's form: field `pdf`), or a `sha256` field
 *   application/pdf, …/octet-stream  the PDF itself as the body
 *   application/x-www-form-urlencoded, application/json   { sha256 }
 *
 * The PDF is hashed as it is parsed and never kept. Bodies arrive already read by the host
 * (Cloud Functions / functions-framework and the emulator keep them in `req.rawBody`), so the
 * limits here bound what is parsed and hashed; the body's own size is checked first.
 */
import { createHash } from 'node:crypto';
import busboy from 'busboy';
import { HttpError } from '../shared/errors.js';
import { normalizeSha256 } from './sha256.js';

/** Largest PDF accepted for a check: 10 MiB (certificates are ~15-300 KB). */
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
/** Room for multipart headers and boundaries around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;
/** Largest body without a file (a form with a hash). */
const MAX_FIELDS_BYTES = 16 * 1024;

export type CheckInput =
  { kind: 'file'; sha256: string; bytes: number; looksLikePdf: boolean } | { kind: 'hash'; sha256: string };

/** Codes of a request that cannot be checked (statuses: shared/error-catalog.ts, 400, 413 or 415). */
export const CHECK_ERROR_CODES = [
  'LIMIT_EXCEEDED',
  'NO_INPUT',
  'INVALID_HASH',
  'INVALID_UPLOAD',
  'UNSUPPORTED_MEDIA_TYPE',
] as const;
export type CheckErrorCode = (typeof CHECK_ERROR_CODES)[number];

/** A request that cannot be checked: a stable code, a message for the visitor, the code's HTTP status. */
export class CheckInputError extends HttpError<CheckErrorCode> {
  override name = 'CheckInputError';
}

export function tooLarge(limit: number): CheckInputError {
  const megabytes = Math.round(limit / (1024 * 1024));
  return new CheckInputError(
    'LIMIT_EXCEEDED',
    `The file is larger than ${megabytes} MB; a certificate PDF is much smaller.`,
    { limitBytes: limit },
  );
}

/** The largest body worth reading for a content type (the handler rejects larger ones before parsing). */
export function maxBodyBytes(contentType: string | undefined, limit = MAX_PDF_BYTES): number {
  const type = mediaType(contentType);
  if (type === 'multipart/form-data') return limit + MULTIPART_OVERHEAD;
  if (type === 'application/pdf' || type === 'application/octet-stream') return limit;
  return MAX_FIELDS_BYTES;
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function hashInput(value: unknown): CheckInput {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    throw new CheckInputError('NO_INPUT', 'Choose the certificate PDF, or give its SHA-256.');
  }
  const sha256 = normalizeSha256(raw);
  if (!sha256) throw new CheckInputError('INVALID_HASH', 'A SHA-256 is 64 hexadecimal characters (0-9, a-f).');
  return { kind: 'hash', sha256 };
}

function fileInput(bytes: Uint8Array): CheckInput {
  if (bytes.byteLength === 0) throw new CheckInputError('NO_INPUT', 'The file is empty. Choose the certificate PDF.');
  return {
    kind: 'file',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.byteLength,
    looksLikePdf: startsLikePdf(bytes),
  };
}

function startsLikePdf(head: Uint8Array): boolean {
  return Buffer.from(head.subarray(0, 5)).toString('latin1') === '%PDF-';
}

/** Fields a host already parsed (no raw body available): only `sha256` is read. */
export function checkInputFromFields(fields: Record<string, unknown>): CheckInput {
  return hashInput(fields.sha256);
}

/** Parses a POST body already read in full. Throws CheckInputError. */
export async function checkInputFromBody(
  body: Buffer,
  contentType: string | undefined,
  limit = MAX_PDF_BYTES,
): Promise<CheckInput> {
  const type = mediaType(contentType);
  if (body.byteLength > maxBodyBytes(contentType, limit)) throw tooLarge(limit);
  switch (type) {
    case 'multipart/form-data':
      return parseMultipart(body, contentType!, limit);
    case 'application/pdf':
    case 'application/octet-stream':
      return fileInput(body);
    case 'application/x-www-form-urlencoded':
      return hashInput(new URLSearchParams(body.toString('utf8')).get('sha256') ?? undefined);
    case 'application/json': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        throw new CheckInputError('INVALID_UPLOAD', 'The body is not JSON; send { "sha256": "<64 hex digits>" }.');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new CheckInputError('INVALID_UPLOAD', 'Send { "sha256": "<64 hex digits>" }.');
      }
      return hashInput((parsed as Record<string, unknown>).sha256);
    }
    default:
      throw new CheckInputError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the PDF as multipart/form-data (field "pdf") or application/pdf, or a sha256 as a form field or JSON.',
      );
  }
}

function invalidUpload(): CheckInputError {
  return new CheckInputError('INVALID_UPLOAD', 'The upload is not valid multipart/form-data.');
}

/** The first file part is hashed as it streams; a `sha256` field is used when there is no file. */
function parseMultipart(body: Buffer, contentType: string, limit: number): Promise<CheckInput> {
  return new Promise<CheckInput>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { files: 1, fileSize: limit, fields: 8, fieldSize: 1024, parts: 10 },
      });
    } catch {
      reject(invalidUpload());
      return;
    }
    let file: { hash: ReturnType<typeof createHash>; bytes: number; head: Buffer; truncated: boolean } | undefined;
    let hashField: string | undefined;
    let failed = false;
    const fail = (error: CheckInputError) => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    parser.on('file', (_name, stream, info) => {
      // A form submitted without choosing a file sends an empty part with an empty filename.
      const state = { hash: createHash('sha256'), bytes: 0, head: Buffer.alloc(0), truncated: false };
      stream.on('data', (chunk: Buffer) => {
        state.bytes += chunk.byteLength;
        if (state.head.byteLength < 5) state.head = Buffer.concat([state.head, chunk.subarray(0, 5)]);
        state.hash.update(chunk);
      });
      stream.on('limit', () => {
        state.truncated = true;
      });
      stream.on('end', () => {
        if (state.bytes > 0 || info.filename) file = state;
      });
      // A part cut before its closing boundary errors the file stream as well as the parser; an
      // 'error' without a listener would be thrown uncaught and end the whole instance.
      stream.on('error', () => fail(invalidUpload()));
    });
    parser.on('field', (name, value) => {
      if (name === 'sha256') hashField = value;
    });
    parser.on('error', () => fail(invalidUpload()));
    parser.on('close', () => {
      if (failed) return;
      try {
        if (file && file.truncated) throw tooLarge(limit);
        if (file && file.bytes > 0) {
          resolve({
            kind: 'file',
            sha256: file.hash.digest('hex'),
            bytes: file.bytes,
            looksLikePdf: startsLikePdf(file.head),
          });
          return;
        }
        if (hashField !== undefined && hashField.trim() !== '') {
          resolve(hashInput(hashField));
          return;
        }
        if (file) throw new CheckInputError('NO_INPUT', 'The file is empty. Choose the certificate PDF.');
        throw new CheckInputError('NO_INPUT', 'Choose the certificate PDF, or give its SHA-256.');
      } catch (error) {
        fail(error as CheckInputError);
      }
    });
    parser.end(body);
  });
}
