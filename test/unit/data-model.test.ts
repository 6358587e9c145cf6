/** The Firestore contract → template data mapping, ids, roles and error classification (no emulator). */
import { describe, expect, it } from 'vitest';
import { IssueError, permanentError } from '../../functions/src/issue/errors.js';
import { httpsCodeFor } from '../../functions/src/handlers/error-mapping.js';
import { parseRequest } from '../../functions/src/handlers/generate-certificate.js';
import { CertforgeError } from '../../functions/src/render/index.js';
import { adminFirestore } from '../helpers/firebase-admin.js';
import { templateData, checkSpeaker, formatEventDate, templateIdOf } from '../../functions/src/shared/template-data.js';
import { isOrganizer, isSpeakerThemself } from '../../functions/src/shared/access.js';
import { isValidDocId } from '../../functions/src/shared/paths.js';
import { TransientError } from '../../functions/src/shared/errors.js';
import { isTransient, withRetries } from '../../functions/src/shared/retry.js';

const { Timestamp } = adminFirestore;

const identity = { certificateId: 'AbCdEfGhIjKlMnOpQrStUv', verifyUrl: 'https://v.example/c/AbCdEfGhIjKlMnOpQrStUv' };

describe('templateData', () => {
  const event = {
    name: 'Summit',
    date: '2026-03-12',
    place: 'Kraków',
    locale: 'pl',
    organizerUids: ['u1'],
    signatories: [{ name: 'A', role: 'Chair' }],
    templateId: 'modern',
  };

  it('maps event, speaker and identity, formats ISO dates in the event locale, keeps email out', () => {
    const data = templateData(
      event,
      { name: '  Zoë  ', email: 'z@example.org', talk: { title: 'T' }, company: 'ACME' },
      identity,
    );
    expect(data).toEqual({
      name: 'Zoë',
      talk: { title: 'T' },
      company: 'ACME',
      event: { name: 'Summit', date: '12 marca 2026', place: 'Kraków', isoDate: '2026-03-12' },
      signatories: [{ name: 'A', role: 'Chair' }],
      locale: 'pl',
      issuedAt: '2026-03-12',
      certificate: { id: identity.certificateId, url: identity.verifyUrl },
    });
    expect(JSON.stringify(data)).not.toContain('z@example.org');
  });

  it('never hands the certificate record to the template and converts Timestamps', () => {
    const data = templateData(
      { name: 'E', date: 'Spring 2026' },
      {
        name: 'N',
        joined: Timestamp.fromDate(new Date('2026-01-02T03:04:05Z')),
        certificate: { status: 'ready' } as never,
      },
      identity,
    );
    expect(data.certificate).toEqual({ id: identity.certificateId, url: identity.verifyUrl });
    expect(data.joined).toBe('2026-01-02T03:04:05.000Z');
    expect((data.event as Record<string, unknown>).date).toBe('Spring 2026');
  });

  it('formats dates in right-to-left and CJK locales, falls back for unknown locales', () => {
    expect(formatEventDate('2026-03-12', 'ar')).toMatch(/٢٠٢٦|2026/);
    expect(formatEventDate('2026-03-12', 'ja')).toBe('2026年3月12日');
    expect(formatEventDate('2026-03-12', 'not a locale!')).toBe('March 12, 2026');
    expect(formatEventDate('12 March 2026', 'en')).toBe('12 March 2026');
  });

  it('requires a string name within the limit, with typed codes', () => {
    expect(() => checkSpeaker({})).toThrow(expect.objectContaining({ code: 'MISSING_FIELD' }));
    expect(() => checkSpeaker({ name: '   ' })).toThrow(expect.objectContaining({ code: 'MISSING_FIELD' }));
    expect(() => checkSpeaker({ name: 42 as unknown as string })).toThrow(
      expect.objectContaining({ code: 'INVALID_DATA' }),
    );
    expect(() => checkSpeaker({ name: 'x'.repeat(301) })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(checkSpeaker({ name: 'x'.repeat(300) })).toHaveLength(300);
  });

  it('uses the event template or the default', () => {
    expect(templateIdOf({ templateId: 'modern' }, 'classic')).toBe('modern');
    expect(templateIdOf({ templateId: ' ' }, 'classic')).toBe('classic');
    expect(templateIdOf({}, 'classic')).toBe('classic');
  });
});

describe('roles', () => {
  it('organizers: listed uid or the certforgeAdmin claim', () => {
    expect(isOrganizer({ organizerUids: ['a'] }, 'a', {})).toBe(true);
    expect(isOrganizer({ organizerUids: ['a'] }, 'b', {})).toBe(false);
    expect(isOrganizer({ organizerUids: ['a'] }, 'b', { certforgeAdmin: true })).toBe(true);
    expect(isOrganizer({}, 'b', { certforgeAdmin: 'true' })).toBe(false);
  });

  it('a speaker is themself only with a verified, case-insensitively equal email', () => {
    const speaker = { name: 'N', email: 'Ada@Example.org ' };
    expect(isSpeakerThemself(speaker, { email: 'ada@example.org', email_verified: true })).toBe(true);
    expect(isSpeakerThemself(speaker, { email: 'ada@example.org', email_verified: false })).toBe(false);
    expect(isSpeakerThemself(speaker, { email: 'eve@example.org', email_verified: true })).toBe(false);
    expect(isSpeakerThemself({ name: 'N' }, { email: 'ada@example.org', email_verified: true })).toBe(false);
    expect(isSpeakerThemself({ name: 'N', email: '' }, { email: '', email_verified: true })).toBe(false);
  });
});

describe('generateCertificate input', () => {
  it('accepts ids and an optional boolean force', () => {
    expect(parseRequest({ eventId: 'e1', speakerId: 's1' })).toEqual({
      eventId: 'e1',
      speakerId: 's1',
      collection: 'speakers',
    });
    expect(parseRequest({ eventId: 'e1', speakerId: 's1', force: true })).toEqual({
      eventId: 'e1',
      speakerId: 's1',
      collection: 'speakers',
      force: true,
    });
  });

  it('takes an attendee or other role by participantId', () => {
    expect(parseRequest({ eventId: 'e1', participantId: 'p1' })).toEqual({
      eventId: 'e1',
      speakerId: 'p1',
      collection: 'participants',
    });
  });

  it.each([
    [null],
    ['e1/s1'],
    [[]],
    [{ eventId: 'e1' }],
    [{ eventId: 'a/b', speakerId: 's' }],
    [{ eventId: '..', speakerId: 's' }],
    [{ eventId: 'e', speakerId: 'x'.repeat(129) }],
    [{ eventId: 'e', speakerId: '__x__' }],
    [{ eventId: 'e', speakerId: 's', force: 'yes' }],
    [{ eventId: 'e', speakerId: 's', extra: 1 }],
    [{ eventId: 'e', speakerId: 's', participantId: 'p' }],
    [{ eventId: 'e', participantId: 'a/b' }],
  ])('rejects %j with invalid-argument', (data) => {
    expect(() => parseRequest(data)).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });

  it('validates document ids', () => {
    expect(isValidDocId('spk-001')).toBe(true);
    expect(isValidDocId('名前')).toBe(true);
    expect(isValidDocId('')).toBe(false);
    expect(isValidDocId('.')).toBe(false);
  });
});

describe('errors', () => {
  it('classifies transient failures of Storage, Firestore and the network', () => {
    expect(isTransient({ code: 503 })).toBe(true);
    expect(isTransient({ code: 429 })).toBe(true);
    expect(isTransient({ code: 14 })).toBe(true); // gRPC UNAVAILABLE
    expect(isTransient({ code: 'ECONNRESET' })).toBe(true);
    expect(isTransient(new Error('x', { cause: { code: 'ECONNREFUSED' } }))).toBe(true);
    expect(isTransient({ code: 404 })).toBe(false);
    expect(isTransient({ code: 7 })).toBe(false); // PERMISSION_DENIED
    expect(isTransient(new CertforgeError('TEMPLATE_PARSE', 'bad'))).toBe(false);
    expect(isTransient(new IssueError('TEMPLATE_NOT_FOUND', 'none'))).toBe(false);
  });

  it('stores render and issue errors with their code, anything else as INTERNAL without internals', () => {
    expect(permanentError(new CertforgeError('MISSING_FIELD', 'm', { fields: ['talk.title'] }))).toEqual({
      code: 'MISSING_FIELD',
      message: 'm',
      details: { fields: ['talk.title'] },
    });
    expect(permanentError(new TypeError('secret stack'))).toEqual({
      code: 'INTERNAL',
      message: expect.not.stringContaining('secret'),
    });
  });

  it('maps codes to HttpsError codes', () => {
    expect(httpsCodeFor('TEMPLATE_PARSE')).toBe('failed-precondition');
    expect(httpsCodeFor('MISSING_FIELD')).toBe('failed-precondition');
    expect(httpsCodeFor('RETRY_EXHAUSTED')).toBe('unavailable');
    expect(httpsCodeFor('INTERNAL')).toBe('internal');
  });

  it('retries transient failures with backoff, then gives up with a TransientError', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          if (calls < 3) throw Object.assign(new Error('flaky'), { code: 503 });
          return 'ok';
        },
        { baseDelayMs: 1 },
      ),
    ).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw Object.assign(new Error('down'), { code: 14 });
        },
        { attempts: 2, baseDelayMs: 1 },
      ),
    ).rejects.toBeInstanceOf(TransientError);
    expect(calls).toBe(2);
    calls = 0;
    await expect(
      withRetries(
        async () => {
          calls++;
          throw new CertforgeError('TEMPLATE_PARSE', 'bad');
        },
        { baseDelayMs: 1 },
      ),
    ).rejects.toMatchObject({ code: 'TEMPLATE_PARSE' });
    expect(calls).toBe(1);
  });
});
