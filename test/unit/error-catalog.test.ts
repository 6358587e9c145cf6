/**
 * The error catalog (functions/src/shared/error-catalog.ts): every code declared by a layer is
 * in it and nothing in it is declared nowhere; callables and HTTP endpoints answer from it as
 * they did before it existed; its message keys are the verify page's messages in every language.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ERROR_CODES } from '../../functions/src/bundle/pdf-bundle.js';
import { ConfigError } from '../../functions/src/config.js';
import { UnknownDocumentError } from '../../functions/src/credential/contexts.js';
import { CREDENTIAL_CODES } from '../../functions/src/credential/errors.js';
import { PDF_SIGNATURE_CODES } from '../../functions/src/pdf-signature/errors.js';
import { CORRECTION_CODES } from '../../functions/src/issue/correction-requests.js';
import {
  callableFailure,
  httpStatusFor,
  httpsCodeFor,
  requestFailure,
} from '../../functions/src/handlers/error-mapping.js';
import { FILE_ERROR_CODES, ROW_ERROR_CODES } from '../../functions/src/import/errors.js';
import { CONNECTOR_CODES } from '../../functions/src/connectors/errors.js';
import { WEBHOOK_ERROR_CODES } from '../../functions/src/outbound/errors.js';
import { NOT_ELIGIBLE_CODE } from '../../functions/src/handlers/generate-certificate.js';
import { ISSUE_ONLY_CODES, IssueError } from '../../functions/src/issue/errors.js';
import { CertforgeError, ERROR_CODES } from '../../functions/src/render/errors.js';
import { CATALOG_CODES, ERROR_CATALOG, catalogEntry } from '../../functions/src/shared/error-catalog.js';
import { CodedError, TRANSIENT_CODE, TransientError } from '../../functions/src/shared/errors.js';
import { RequestError } from '../../functions/src/shared/request-schema.js';
import { METHOD_NOT_ALLOWED_CODE, NOT_FOUND_CODE, UNAVAILABLE_CODE } from '../../functions/src/verify/json.js';
import { PAGE_LANGUAGES, errorMessage } from '../../functions/src/verify/messages.js';
import { CHECK_ERROR_CODES, CheckInputError } from '../../functions/src/verify/upload.js';
import { rootPath } from '../helpers/fixtures.js';

const SOURCE = rootPath('functions/src');
const CATALOG_FILE = join(SOURCE, 'shared/error-catalog.ts');

function sourceFiles(dir = SOURCE): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The text without the comments that start a line (doc comments, notes inside lists). */
function withoutComments(text: string): string {
  return text.replace(/^\s*\/\*[\s\S]*?\*\//gm, '').replace(/^\s*\/\/.*$/gm, '');
}

const quoted = (text: string) => [...text.matchAll(/'([^'\n]+)'/g)].map((m) => m[1]!);

/**
 * Codes declared in the source, found by how they are declared: code lists (`…CODES = [ … ]`),
 * code constants (`…_CODE = '…'`), the code of a CodedError / HttpError subclass, and the
 * `readonly code = '…'` of another error class.
 */
function scannedCodes(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles()) {
    if (file === CATALOG_FILE) continue;
    const text = withoutComments(readFileSync(file, 'utf8'));
    const where = relative(SOURCE, file);
    for (const list of text.matchAll(/const [A-Z_]*CODES\s*=\s*\[([\s\S]*?)\]/g)) {
      for (const code of quoted(list[1]!)) found.set(code, where);
    }
    for (const constant of text.matchAll(/const [A-Z_]+_CODE\s*=\s*'([^']+)'/g)) found.set(constant[1]!, where);
    for (const generic of text.matchAll(/(?:CodedError|HttpError)<'([^']+)'>/g)) found.set(generic[1]!, where);
    for (const field of text.matchAll(/readonly code\s*=\s*'([^']+)'/g)) found.set(field[1]!, where);
  }
  return found;
}

/** Every code the layers declare, from their own exports. */
const DECLARED = new Set<string>([
  ...ERROR_CODES,
  ...ISSUE_ONLY_CODES,
  ...FILE_ERROR_CODES,
  ...ROW_ERROR_CODES,
  ...CREDENTIAL_CODES,
  ...PDF_SIGNATURE_CODES,
  ...CORRECTION_CODES,
  ...BUNDLE_ERROR_CODES,
  ...CHECK_ERROR_CODES,
  ...CONNECTOR_CODES,
  ...WEBHOOK_ERROR_CODES,
  NOT_ELIGIBLE_CODE,
  NOT_FOUND_CODE,
  METHOD_NOT_ALLOWED_CODE,
  UNAVAILABLE_CODE,
  TRANSIENT_CODE,
  new ConfigError('x').code,
  new UnknownDocumentError('x').code,
]);

describe('the error catalog', () => {
  it('has every code a layer exports', () => {
    const missing = [...DECLARED].filter((code) => !CATALOG_CODES.includes(code as never));
    expect(missing).toEqual([]);
  });

  it('has every code declared anywhere in functions/src (lists, constants, error classes)', () => {
    const scanned = scannedCodes();
    expect(scanned.size).toBeGreaterThanOrEqual(DECLARED.size);
    const missing = [...scanned].filter(([code]) => !CATALOG_CODES.includes(code as never));
    expect(missing).toEqual([]);
  });

  it('has no code that functions/src does not use', () => {
    const used = new Set(
      sourceFiles()
        .filter((file) => file !== CATALOG_FILE)
        .flatMap((file) => quoted(withoutComments(readFileSync(file, 'utf8')))),
    );
    expect(CATALOG_CODES.filter((code) => !used.has(code))).toEqual([]);
  });

  it('spells "method not allowed" one way', () => {
    for (const file of sourceFiles()) {
      expect(readFileSync(file, 'utf8'), relative(SOURCE, file)).not.toContain("'method-not-allowed'");
    }
  });

  it('is consistent: retryable codes are 429/503 (or a conflict), HTTP statuses match the callable codes', () => {
    const statusOf: Record<string, number[]> = {
      'failed-precondition': [413, 422],
      internal: [500],
      unavailable: [503],
      'resource-exhausted': [429],
      'invalid-argument': [400, 415],
      unauthenticated: [401],
      'permission-denied': [403],
      'not-found': [404],
      aborted: [409],
      unimplemented: [405],
    };
    for (const code of CATALOG_CODES) {
      const entry = ERROR_CATALOG[code];
      expect(statusOf[entry.callable], code).toContain(entry.status);
      expect(entry.retryable, code).toBe([409, 429, 503].includes(entry.status));
    }
  });

  it('maps the render and issue codes as error-mapping.ts did before the catalog', () => {
    // The rule it replaced: RATE_LIMITED → resource-exhausted/429; RETRY_EXHAUSTED, TRANSIENT →
    // unavailable/503; INTERNAL, RENDER_FAILED, NOT_INITIALIZED → internal/500; any other issue
    // code → failed-precondition, 413 for LIMIT_EXCEEDED and 422 otherwise; the rest internal/500.
    const before = (code: string): [string, number] => {
      if (code === 'RATE_LIMITED') return ['resource-exhausted', 429];
      if (code === 'RETRY_EXHAUSTED' || code === TRANSIENT_CODE) return ['unavailable', 503];
      if (['INTERNAL', 'RENDER_FAILED', 'NOT_INITIALIZED'].includes(code)) return ['internal', 500];
      if ([...ERROR_CODES, ...ISSUE_ONLY_CODES].includes(code as never))
        return ['failed-precondition', code === 'LIMIT_EXCEEDED' ? 413 : 422];
      return ['internal', 500];
    };
    // RUN_IN_PROGRESS came after the catalog (issue runs per role): aborted/409, checked above.
    for (const code of [
      ...ERROR_CODES,
      ...ISSUE_ONLY_CODES.filter((code) => code !== 'RUN_IN_PROGRESS'),
      TRANSIENT_CODE,
      ...CREDENTIAL_CODES,
      'CONFIG_INVALID',
      'NOPE',
    ]) {
      expect([httpsCodeFor(code), httpStatusFor(code)], code).toEqual(before(code));
    }
  });

  it('gives the check errors the statuses verify answered before (400, 413, 415)', () => {
    const statuses = Object.fromEntries(CHECK_ERROR_CODES.map((code) => [code, new CheckInputError(code, 'x').status]));
    expect(statuses).toEqual({
      LIMIT_EXCEEDED: 413,
      NO_INPUT: 400,
      INVALID_HASH: 400,
      INVALID_UPLOAD: 400,
      UNSUPPORTED_MEDIA_TYPE: 415,
    });
    expect([NOT_FOUND_CODE, METHOD_NOT_ALLOWED_CODE, UNAVAILABLE_CODE].map(httpStatusFor)).toEqual([404, 405, 503]);
  });

  it('treats an unknown code as the service failing', () => {
    expect(catalogEntry('SOMETHING_ELSE')).toMatchObject({ callable: 'internal', status: 500, retryable: false });
    expect(catalogEntry('toString')).toMatchObject({ callable: 'internal', status: 500 });
  });
});

describe('message keys', () => {
  const publicCodes = [...CHECK_ERROR_CODES, NOT_FOUND_CODE, METHOD_NOT_ALLOWED_CODE, UNAVAILABLE_CODE];

  it('every code the public verify endpoint returns has one', () => {
    for (const code of publicCodes) expect(catalogEntry(code).messageKey, code).toBeDefined();
  });

  it("are the verify page's messages in all eight languages (English shows the check's own words)", () => {
    expect(PAGE_LANGUAGES).toHaveLength(8);
    for (const code of CATALOG_CODES) {
      const key = catalogEntry(code).messageKey;
      if (!key) continue;
      for (const language of PAGE_LANGUAGES) {
        const message = errorMessage(language, key);
        if (key.startsWith('check.problems.') && language === 'en') {
          expect(message, `${code} ${language}`).toBeUndefined();
          continue;
        }
        expect(message?.text, `${code} ${language}`).toMatch(/\S/);
        if (!key.startsWith('check.')) expect(message?.title, `${code} ${language}`).toMatch(/\S/);
      }
    }
  });
});

describe('what a callable answers (callableFailure)', () => {
  /** The HttpsError answered (firebase-functions' class, as the functions load it). */
  type Answer = Error & { code: string; details?: unknown };
  const answer = (error: unknown) => {
    const answered = callableFailure(error) as Answer;
    expect(answered.constructor.name).toBe('HttpsError');
    return answered;
  };

  it('passes HttpsErrors through', () => {
    const error = requestFailure({ code: 'invalid-argument', message: 'No' });
    expect(callableFailure(error)).toBe(error);
  });

  it('answers RATE_LIMITED as resource-exhausted with the code and details flat', () => {
    const error = answer(new IssueError('RATE_LIMITED', 'Slow down', { scope: 'event', limit: 3 }));
    expect(error.code).toBe('resource-exhausted');
    expect(error.message).toBe('Slow down');
    expect(error.details).toEqual({ code: 'RATE_LIMITED', scope: 'event', limit: 3 });
  });

  it('answers a transient failure as unavailable (TRANSIENT)', () => {
    const error = answer(new TransientError('Firestore unavailable'));
    expect(error.code).toBe('unavailable');
    expect(error.details).toEqual({ code: TRANSIENT_CODE });
    expect(error.message).not.toContain('Firestore');
  });

  it('answers a refused request as invalid-argument without details', () => {
    const error = answer(new RequestError('invalid-argument', 'Unknown field(s): extra'));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toBe('Unknown field(s): extra');
    expect(error.details).toBeUndefined();
  });

  it('answers bundle and confirmation refusals with their code', () => {
    const tooLarge = answer(new CodedError('BUNDLE_TOO_LARGE', 'Too many', { count: 2, max: 1 }));
    expect([tooLarge.code, tooLarge.details]).toEqual([
      'failed-precondition',
      { code: 'BUNDLE_TOO_LARGE', count: 2, max: 1 },
    ]);
    const mismatch = answer(new CodedError('CONFIRMATION_MISMATCH', 'Not the name'));
    expect([mismatch.code, mismatch.details]).toEqual(['invalid-argument', { code: 'CONFIRMATION_MISMATCH' }]);
  });

  it('rethrows internal errors unchanged (firebase-functions hides their message)', () => {
    for (const error of [
      new CertforgeError('INTERNAL', 'secret'),
      new Error('secret'),
      new CodedError('UNKNOWN_X', 'x'),
    ]) {
      expect(callableFailure(error)).toBe(error);
    }
  });
});
