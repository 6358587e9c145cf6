/**
 * The one way the HTTP endpoints (previewTemplate, verify) answer: a body with its length, JSON,
 * and errors in the one JSON envelope `{ error: { code, message, details? } }` (shared/errors.ts
 * errorJson) with the status of their code (shared/error-catalog.ts).
 */
import type { ServerResponse } from 'node:http';
import { catalogEntry, type CatalogCode } from '../shared/error-catalog.js';
import { errorJson } from '../shared/errors.js';

/** Headers of a JSON answer no cache keeps (the preview endpoint's; verify has its own, verify/json.ts). */
export const NO_STORE_JSON: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

/** Details that stay in the logs: `trap` marks a WebAssembly trap behind an INTERNAL or LIMIT_EXCEEDED. */
const INTERNAL_DETAILS = ['trap'];

/** An error as the envelope carries it: only catalogued codes are answered. */
export interface ErrorAnswer {
  code: CatalogCode;
  message: string;
  details?: Record<string, unknown>;
}

/** `body` with its content-length; the headers only when `headOnly` (a HEAD request). */
export function send(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array,
  headOnly = false,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'content-length': String(bytes.byteLength) });
  res.end(headOnly ? undefined : bytes);
}

/** `value` as JSON. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = NO_STORE_JSON,
): void {
  send(res, status, headers, JSON.stringify(value));
}

/** `error` in the JSON envelope, with the HTTP status of its code. */
export function sendError(
  res: ServerResponse,
  error: ErrorAnswer,
  headers: Readonly<Record<string, string>> = NO_STORE_JSON,
): void {
  sendJson(
    res,
    catalogEntry(error.code).status,
    errorJson(error.code, error.message, publicDetails(error.details)),
    headers,
  );
}

function publicDetails(details: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!details) return undefined;
  const shown = { ...details };
  for (const key of INTERNAL_DETAILS) delete shown[key];
  return shown;
}
