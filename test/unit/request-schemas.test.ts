/**
 * One schema per request (zod, strict), read by the one parseInput: what each callable and the
 * preview endpoint accept, and the `invalid-argument` (or LIMIT_EXCEEDED) they refuse with.
 */
import { describe, expect, it } from 'vitest';
import { parseBundleRequest } from '../../functions/src/handlers/build-print-bundle.js';
import { callable } from '../../functions/src/handlers/callable.js';
import { parseDeleteEventRequest } from '../../functions/src/handlers/delete-event.js';
import { parseRequest } from '../../functions/src/handlers/generate-certificate.js';
import { IssueTaskInput, parseIssueEventRequest } from '../../functions/src/handlers/issue-event-certificates.js';
import { MAX_PREVIEW_SVG_BYTES, parsePreviewBody } from '../../functions/src/handlers/preview-template.js';
import { parseRevokeRequest } from '../../functions/src/handlers/revoke-certificate.js';
import { RequestError } from '../../functions/src/shared/request-schema.js';

const CERTIFICATE_ID = 'AbCdEfGhIjKlMnOpQrSt_-';

/** The RequestError `read` throws. */
function refusal(read: () => unknown): RequestError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(RequestError);
    return error as RequestError;
  }
  throw new Error('accepted');
}

describe('callable requests', () => {
  it('name unknown fields, a request that is not an object, and the field at fault', () => {
    expect(refusal(() => parseRequest({ eventId: 'e', speakerId: 's', admin: true, x: 1 })).message).toBe(
      'Unknown field(s): admin, x',
    );
    expect(refusal(() => parseRequest('e/s')).message).toBe(
      'Expected an object { eventId, speakerId | participantId, force?, renew? }',
    );
    expect(refusal(() => parseRequest({ eventId: 'a/b', speakerId: 's' })).message).toBe(
      'eventId must be a document id (1-128 characters, no "/")',
    );
    expect(refusal(() => parseRequest({ eventId: 'e', speakerId: 's', force: 'yes' })).message).toBe(
      'force must be a boolean',
    );
    // Unknown keys are reported first, as the hand-written checks did.
    expect(refusal(() => parseRequest({ eventId: 'a/b', extra: 1 })).message).toBe('Unknown field(s): extra');
    expect(refusal(() => parseRequest(null)).code).toBe('invalid-argument');
  });

  it('generateCertificate keeps force only when true', () => {
    expect(parseRequest({ eventId: 'e', speakerId: 's', force: false })).toStrictEqual({
      eventId: 'e',
      speakerId: 's',
      collection: 'speakers',
    });
    expect(parseRequest({ eventId: 'e', speakerId: 's', force: true })).toStrictEqual({
      eventId: 'e',
      speakerId: 's',
      collection: 'speakers',
      force: true,
    });
    // A renewal: a new version whose validity period starts now.
    expect(parseRequest({ eventId: 'e', participantId: 'p', renew: true })).toStrictEqual({
      eventId: 'e',
      speakerId: 'p',
      collection: 'participants',
      renew: true,
    });
    expect(refusal(() => parseRequest({ eventId: 'e', speakerId: 's', renew: 'yes' })).code).toBe('invalid-argument');
  });

  it('issueEventCertificates: force is a boolean, false when absent', () => {
    expect(parseIssueEventRequest({ eventId: 'e' })).toStrictEqual({ eventId: 'e', force: false });
    expect(parseIssueEventRequest({ eventId: 'e', force: true })).toStrictEqual({ eventId: 'e', force: true });
    // A renewal run implies force.
    expect(parseIssueEventRequest({ eventId: 'e', renew: true })).toStrictEqual({
      eventId: 'e',
      force: true,
      renew: true,
    });
    for (const bad of [{ eventId: 'a/b' }, { eventId: 'e', force: 'yes' }, { eventId: 'e', extra: 1 }, []]) {
      expect(refusal(() => parseIssueEventRequest(bad)).code, JSON.stringify(bad)).toBe('invalid-argument');
    }
  });

  it('revokeCertificate: a certificate id and a trimmed reason of 1-500 characters', () => {
    expect(parseRevokeRequest({ certificateId: CERTIFICATE_ID, reason: '  Issued by mistake ' })).toStrictEqual({
      certificateId: CERTIFICATE_ID,
      reason: 'Issued by mistake',
    });
    // Characters are code points: 500 emoji are 1,000 UTF-16 units.
    expect(parseRevokeRequest({ certificateId: CERTIFICATE_ID, reason: '🎓'.repeat(500) }).reason).toHaveLength(1000);
    expect(refusal(() => parseRevokeRequest({ certificateId: CERTIFICATE_ID })).message).toBe(
      'reason is required (shown on the verification page)',
    );
    expect(refusal(() => parseRevokeRequest({ certificateId: CERTIFICATE_ID, reason: ' ' })).message).toMatch(
      /required/,
    );
    expect(refusal(() => parseRevokeRequest({ certificateId: CERTIFICATE_ID, reason: 'r'.repeat(501) })).message).toBe(
      'reason is longer than 500 characters',
    );
    expect(refusal(() => parseRevokeRequest({ certificateId: '../x', reason: 'x' })).message).toBe(
      'certificateId must be a certificate id',
    );
  });

  it('deleteEvent: confirm is required and kept as typed', () => {
    expect(parseDeleteEventRequest({ eventId: 'e', confirm: ' Conf ' })).toStrictEqual({
      eventId: 'e',
      confirm: ' Conf ',
    });
    for (const bad of [{ eventId: 'e' }, { eventId: 'e', confirm: '  ' }, { eventId: 'e', confirm: 'x', extra: 1 }]) {
      expect(refusal(() => parseDeleteEventRequest(bad)).code, JSON.stringify(bad)).toBe('invalid-argument');
    }
  });

  it('buildPrintBundle: { eventId, role?, format? } (one PDF unless a ZIP is asked for)', () => {
    expect(parseBundleRequest({ eventId: 'evt-1' })).toStrictEqual({ eventId: 'evt-1', format: 'pdf' });
    expect(parseBundleRequest({ eventId: 'evt-1', format: 'zip' })).toStrictEqual({ eventId: 'evt-1', format: 'zip' });
    expect(refusal(() => parseBundleRequest({ eventId: 'e', format: 'rar' })).message).toBe(
      'format must be "pdf" or "zip"',
    );
    expect(refusal(() => parseBundleRequest({ eventId: 'e', extra: true })).message).toBe('Unknown field(s): extra');
  });

  it('the issuing task: its four fields, a key more from a newer producer ignored, anything else is not a task', () => {
    const payload = { eventId: 'e', speakerId: 's', runId: 'r', force: false };
    expect(IssueTaskInput.safeParse(payload)).toMatchObject({ success: true, data: payload });
    expect(IssueTaskInput.safeParse({ ...payload, role: 'attendee' })).toEqual({ success: true, data: payload });
    for (const bad of [{ ...payload, runId: 1 }, { ...payload, force: undefined }, null]) {
      expect(IssueTaskInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('a callable (callable())', () => {
  it('answers a refused request as HttpsError invalid-argument', async () => {
    const handler = callable(async (request) => parseBundleRequest(request.data));
    const error = await handler({ data: { eventId: 'a/b' } } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('eventId') });
    expect((error as Error).constructor.name).toBe('HttpsError');
  });
});

describe('the preview body', () => {
  it('defaults format to png and data to {}, and reads JSON text', () => {
    expect(parsePreviewBody({ svg: '<svg/>' })).toStrictEqual({ svg: '<svg/>', data: {}, format: 'png' });
    expect(parsePreviewBody(Buffer.from('{"templateId":"classic","format":"pdf","width":400}'))).toStrictEqual({
      templateId: 'classic',
      data: {},
      format: 'pdf',
      width: 400,
    });
  });

  it.each([
    ['not JSON', '{', 'The body must be JSON'],
    ['not an object', [], 'Expected an object { svg | templateId, data, format?, width? }'],
    ['unknown field', { svg: '<svg/>', script: 1 }, 'Unknown field(s): script'],
    ['no template', { data: {} }, 'Give exactly one of svg or templateId'],
    ['both', { svg: '<svg/>', templateId: 'classic' }, 'Give exactly one of svg or templateId'],
    ['empty svg', { svg: '' }, 'svg must be a non-empty string'],
    ['data a list', { svg: '<svg/>', data: [] }, 'data must be an object'],
    ['bad format', { svg: '<svg/>', format: 'gif' }, 'format must be "png" or "pdf"'],
    ['fractional width', { svg: '<svg/>', width: 400.5 }, /^width must be an integer in/],
  ])('%s → invalid-argument', (_label, body, message) => {
    const error = refusal(() => parsePreviewBody(body));
    expect(error.code).toBe('invalid-argument');
    expect(error.message).toMatch(message);
  });

  it('refuses a template over its size with LIMIT_EXCEEDED (413)', () => {
    const error = refusal(() => parsePreviewBody({ svg: 'x'.repeat(MAX_PREVIEW_SVG_BYTES + 1) }));
    expect(error.code).toBe('LIMIT_EXCEEDED');
    expect(error.message).toBe(`svg is larger than ${MAX_PREVIEW_SVG_BYTES} bytes`);
  });
});
