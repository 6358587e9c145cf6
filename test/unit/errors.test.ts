import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CertforgeError,
  ERROR_CODES,
  isCertforgeError,
  isErrorCode,
  toCertforgeError,
} from '../../functions/src/render/index.js';
import { rootPath } from '../helpers/fixtures.js';

describe('error codes', () => {
  it('are also the stable list of docs/architecture.md', () => {
    const architecture = readFileSync(rootPath('docs/architecture.md'), 'utf8');
    for (const code of ERROR_CODES) expect(architecture, code).toContain(code);
  });

  it('isErrorCode accepts exactly the codes', () => {
    for (const code of ERROR_CODES) expect(isErrorCode(code)).toBe(true);
    for (const value of ['internal', 'WASM_TRAP', '', 'INTERNAL ', 42, null, undefined, { code: 'INTERNAL' }]) {
      expect(isErrorCode(value), String(value)).toBe(false);
    }
  });
});

describe('CertforgeError', () => {
  it('is an Error with name, code, message, details and cause', () => {
    const cause = new Error('root');
    const error = new CertforgeError('MISSING_FIELD', 'Missing: name', { fields: ['name'] }, { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CertforgeError');
    expect(error.code).toBe('MISSING_FIELD');
    expect(error.message).toBe('Missing: name');
    expect(error.details).toEqual({ fields: ['name'] });
    expect(error.cause).toBe(cause);
    expect(error.stack).toContain('CertforgeError');
    expect(String(error)).toBe('CertforgeError: Missing: name');
  });

  it('details default to an empty object', () => {
    expect(new CertforgeError('INTERNAL', 'x').details).toEqual({});
  });

  it('serializes to {name, code, message, details} (no stack, no cause)', () => {
    const error = new CertforgeError(
      'LIMIT_EXCEEDED',
      'too big',
      { limit: 2000, actual: 2001 },
      { cause: new Error('c') },
    );
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'CertforgeError',
      code: 'LIMIT_EXCEEDED',
      message: 'too big',
      details: { limit: 2000, actual: 2001 },
    });
  });

  it('isCertforgeError tells it apart from look-alikes', () => {
    expect(isCertforgeError(new CertforgeError('INTERNAL', 'x'))).toBe(true);
    expect(isCertforgeError(new Error('x'))).toBe(false);
    expect(isCertforgeError({ name: 'CertforgeError', code: 'INTERNAL', message: 'x', details: {} })).toBe(false);
    expect(isCertforgeError(null)).toBe(false);
  });
});

describe('toCertforgeError', () => {
  it('passes a CertforgeError through unchanged', () => {
    const error = new CertforgeError('FONT_INVALID', 'bad font');
    expect(toCertforgeError(error)).toBe(error);
    expect(toCertforgeError(error, 'RENDER_FAILED')).toBe(error);
  });

  it('wraps an Error as INTERNAL with its message and the original as cause', () => {
    const original = new TypeError('boom');
    const error = toCertforgeError(original);
    expect(error).toBeInstanceOf(CertforgeError);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('boom');
    expect(error.cause).toBe(original);
    expect(error.details).toEqual({});
  });

  it('uses the fallback code', () => {
    expect(toCertforgeError(new Error('x'), 'RENDER_FAILED').code).toBe('RENDER_FAILED');
  });

  it('wraps non-Error values with their string form', () => {
    expect(toCertforgeError('plain string').message).toBe('plain string');
    expect(toCertforgeError(42).message).toBe('42');
    expect(toCertforgeError(undefined).message).toBe('undefined');
    expect(toCertforgeError({ code: 'MISSING_FIELD' }).code).toBe('INTERNAL');
  });
});
