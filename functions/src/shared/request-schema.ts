/**
 * The one reader of what a request sends: each request has a zod schema next to its handler
 * (strict objects: an unknown key is refused), built from the pieces below, and parseInput
 * reads a request with it. A refused request is a RequestError with the code `invalid-argument`
 * (or the catalogued code a check names in its params, e.g. LIMIT_EXCEEDED), which callables
 * answer as HttpsError `invalid-argument` (handlers/error-mapping.ts) and HTTP endpoints as the
 * JSON envelope with status 400 (handlers/http-response.ts).
 */
import { z } from 'zod';
import { isCatalogCode, type CatalogCode } from './error-catalog.js';
import { CodedError } from './errors.js';
import { isCertificateId, isValidDocId } from './paths.js';
import { isRoleId } from './roles.js';

/** A request refused for its shape or values; the message names the field and the rule. */
export class RequestError extends CodedError<CatalogCode> {
  override name = 'RequestError' as const;
}

/**
 * A request's object: only `fields`, each checked by its schema. `shape` (e.g. `{ eventId,
 * force? }`) is shown when the request is not an object at all.
 */
export function requestObject<T extends z.ZodRawShape>(shape: string, fields: T) {
  return z.strictObject(fields, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return `Unknown field(s): ${issue.keys.join(', ')}`;
      if (issue.code === 'invalid_type') return `Expected an object ${shape}`;
      return undefined;
    },
  });
}

/** A Firestore document id (shared/paths.ts isValidDocId). */
export function docId(field: string) {
  const message = `${field} must be a document id (1-128 characters, no "/")`;
  return z.string({ error: message }).refine(isValidDocId, { error: message });
}

/** A certificate id (shared/paths.ts isCertificateId). */
export function certificateId(field: string) {
  const message = `${field} must be a certificate id`;
  return z.string({ error: message }).refine(isCertificateId, { error: message });
}

/** An optional role id (shared/roles.ts): a lower-case slug such as `attendee` or `volunteer`. */
export function roleId(field: string) {
  const message = `${field} must be a role id (a lower-case slug such as "attendee" or "volunteer")`;
  return z.string({ error: message }).refine(isRoleId, { error: message }).optional();
}

/** An optional boolean (absent is false). */
export function flag(field: string) {
  return z.boolean({ error: `${field} must be a boolean` }).default(false);
}

/** `data` read with `schema`, or the RequestError of its first problem. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = firstIssue(result.error.issues);
  throw new RequestError(issueCode(issue), issue.message);
}

/**
 * The problem to report: keys that do not belong first, then a request that is not an object,
 * then the first field in schema order (the order of the hand-written checks before).
 */
function firstIssue(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue {
  return (
    issues.find((issue) => issue.code === 'unrecognized_keys') ??
    issues.find((issue) => issue.path.length === 0 && issue.code === 'invalid_type') ??
    issues[0]!
  );
}

/** `invalid-argument`, unless a check names another catalogued code (`params: { code }`). */
function issueCode(issue: z.core.$ZodIssue): CatalogCode {
  const named = issue.code === 'custom' ? issue.params?.code : undefined;
  return isCatalogCode(named) ? named : 'invalid-argument';
}
