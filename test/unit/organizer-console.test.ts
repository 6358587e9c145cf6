/**
 * The organizer console's pure parts: the requests `organizerConsole` accepts (one zod schema per
 * action), the column mapping an organizer chooses (read by the import's own reader), the counted
 * verification routes and who is not counted, the catalogs (every language has every key by type;
 * here: every code the functions answer with is explained), and the mail in the event's language.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUE_ONLY_CODES } from '../../functions/src/issue/errors.js';
import { ERROR_CODES } from '../../functions/src/render/errors.js';
import { rootPath } from '../helpers/fixtures.js';
import { ConsoleRequest, MAX_UPLOAD_BYTES } from '../../functions/src/console/requests.js';
import { FILE_ERROR_CODES, ROW_ERROR_CODES } from '../../functions/src/import/errors.js';
import { columnChoicesOf, COLUMNS_METADATA } from '../../functions/src/import/filters.js';
import { readPeople } from '../../functions/src/import/participants.js';
import { parseSpeakerFile } from '../../functions/src/import/speakers-csv.js';
import { LANGUAGES, negotiateLanguage } from '../../functions/src/shared/languages.js';
import { certificateMail } from '../../functions/src/shared/mail.js';
import { MAIL_MESSAGES } from '../../functions/src/shared/mail-messages.js';
import type { PublicCertificate } from '../../functions/src/shared/model.js';
import { parseInput, RequestError } from '../../functions/src/shared/request-schema.js';
import { routeOf } from '../../functions/src/verify/route.js';
import { isBot, statsDocId } from '../../functions/src/verify/stats.js';
import { CATALOGS } from '../../console/src/messages/index.js';

const read = (data: unknown) => parseInput(ConsoleRequest, data);

function refusal(data: unknown): RequestError {
  try {
    read(data);
  } catch (error) {
    expect(error).toBeInstanceOf(RequestError);
    return error as RequestError;
  }
  throw new Error('accepted');
}

describe('organizerConsole requests', () => {
  it('know each action and nothing else', () => {
    expect(read({ action: 'listEvents' })).toEqual({ action: 'listEvents' });
    expect(refusal({ action: 'dropDatabase' }).message).toBe('action must be one the console knows');
    expect(refusal({ action: 'listEvents', admin: true }).message).toBe('Unknown field(s): admin');
    expect(refusal('listEvents').message).toBe('Expected an object { action, ... }');
  });

  it('read an event: trimmed text, a language tag, a real time zone, at most 4 signatories', () => {
    const saved = read({
      action: 'saveEvent',
      event: { name: '  PyCon PL  ', locale: 'pt-BR', timeZone: 'Europe/Warsaw', signatories: [{ name: 'Ada' }] },
    });
    expect(saved).toMatchObject({ event: { name: 'PyCon PL', locale: 'pt-BR', timeZone: 'Europe/Warsaw' } });
    expect(refusal({ action: 'saveEvent', event: { name: ' ' } }).message).toBe('name is required');
    // An existing event's fields are cleared with '' (the settings form sends every field).
    expect(read({ action: 'saveEvent', eventId: 'e', event: { name: 'x', locale: '', timeZone: '' } })).toMatchObject({
      event: { locale: '', timeZone: '' },
    });
    expect(refusal({ action: 'saveEvent', event: { name: 'x', timeZone: 'Mars/Olympus' } }).message).toMatch(
      /IANA time zone/,
    );
    expect(refusal({ action: 'saveEvent', event: { name: 'x', locale: 'english please' } }).message).toMatch(
      /language tag/,
    );
    const five = Array.from({ length: 5 }, (_, i) => ({ name: `S${i}` }));
    expect(refusal({ action: 'saveEvent', event: { name: 'x', signatories: five } }).message).toBe(
      'at most 4 signatories',
    );
    // The functions' own fields are not the console's to write.
    expect(refusal({ action: 'saveEvent', event: { name: 'x', organizerUids: ['me'] } }).message).toBe(
      'Unknown field(s): organizerUids',
    );
    expect(refusal({ action: 'saveEvent', eventId: 'a/b', event: { name: 'x' } }).message).toMatch(/document id/);
    // A role's own template, or '' to use the event's again.
    expect(
      read({ action: 'saveEvent', event: { name: 'x', roleTemplates: { attendee: 't0a1', speaker: '' } } }),
    ).toMatchObject({ event: { roleTemplates: { attendee: 't0a1', speaker: '' } } });
    expect(
      refusal({ action: 'saveEvent', event: { name: 'x', roleTemplates: { 'Not A Role': 'classic' } } }).message,
    ).toBe('roleTemplates keys must be role ids');
  });

  it('read a person: a name, an email address or none', () => {
    const person = { action: 'savePerson', eventId: 'e', collection: 'speakers' };
    expect(read({ ...person, person: { name: ' Ada ', email: 'ada@example.org' } })).toMatchObject({
      person: { name: 'Ada', email: 'ada@example.org' },
    });
    expect(read({ ...person, person: { name: 'Ada', email: '' } })).toMatchObject({ person: { email: '' } });
    expect(refusal({ ...person, person: { name: 'Ada', email: 'ada at example' } }).message).toBe(
      'email must be an email address',
    );
    expect(refusal({ ...person, person: { name: '' } }).message).toBe('name is required');
  });

  it('page people 1..200 at a time, by a known state', () => {
    expect(read({ action: 'listPeople', eventId: 'e', collection: 'speakers' })).toMatchObject({ pageSize: 50 });
    expect(refusal({ action: 'listPeople', eventId: 'e', collection: 'speakers', pageSize: 201 }).message).toBe(
      'pageSize must be at most 200',
    );
    expect(refusal({ action: 'listPeople', eventId: 'e', collection: 'everyone' }).message).toMatch(/collection/);
    expect(refusal({ action: 'listPeople', eventId: 'e', collection: 'speakers', status: 'lost' }).message).toMatch(
      /status must be one of/,
    );
  });

  it('take files as base64 up to the upload limit, with a column mapping of known choices', () => {
    const file = { action: 'previewImport', eventId: 'e', fileName: 'people.csv', content: 'bmFtZQo=' };
    expect(read({ ...file, columns: { Presentation: 'talk.title' } })).toMatchObject({
      columns: { Presentation: 'talk.title' },
    });
    expect(refusal({ ...file, content: 'not base64!' }).message).toMatch(/base64/);
    const tooBig = refusal({ ...file, content: 'A'.repeat(Math.ceil(((MAX_UPLOAD_BYTES + 3) * 4) / 3)) });
    expect(tooBig.code).toBe('LIMIT_EXCEEDED');
    expect(refusal({ ...file, fileName: '../../etc/passwd' }).message).toMatch(/must not contain/);
    expect(refusal({ ...file, columns: { Presentation: 'password' } }).message).toMatch(/a column is read as one of/);
  });
});

describe('the column mapping an organizer chooses', () => {
  const csv = new TextEncoder().encode(
    'Full Name,E-mail address,Presentation,Notes\nGrace Hopper,grace@example.org,Compilers,vip\n',
  );

  it('is read by the import of speakers and of other roles alike, over its own rules', async () => {
    const plain = await parseSpeakerFile(csv, undefined, 'people.csv');
    expect(plain.columns).not.toHaveProperty('talk.title');
    const mapped = await parseSpeakerFile(csv, undefined, 'people.csv', {
      Presentation: 'talk.title',
      Notes: 'ignore',
    });
    expect(mapped.columns).toMatchObject({ name: 'Full Name', email: 'E-mail address', 'talk.title': 'Presentation' });
    expect(mapped.rows[0]!.fields).toMatchObject({ 'talk.title': 'Compilers' });
    expect(mapped.ignoredColumns.map((c) => c.header)).toContain('Notes');

    const people = await readPeople(csv, {
      fileName: 'people.csv',
      policy: { kind: 'import', maxColumns: 200, columnChoices: { 'E-mail address': 'ignore' } },
    });
    expect(people.columns).not.toHaveProperty('email');
    expect(people.rows[0]!.fields).not.toHaveProperty('email');
  });

  it('travels in the upload’s metadata, and anything else there is no mapping', () => {
    const meta = (value: unknown) => ({
      [COLUMNS_METADATA]: typeof value === 'string' ? value : JSON.stringify(value),
    });
    expect(columnChoicesOf(meta({ Presentation: 'talk.title' }))).toEqual({ Presentation: 'talk.title' });
    expect(columnChoicesOf(undefined)).toBeUndefined();
    expect(columnChoicesOf(meta('{not json'))).toBeUndefined();
    expect(columnChoicesOf(meta({ Presentation: 'certificate' }))).toBeUndefined();
    expect(columnChoicesOf(meta([]))).toBeUndefined();
    expect(columnChoicesOf(meta({}))).toBeUndefined();
  });
});

describe('what the verification page counts', () => {
  it('has a LinkedIn route of its own, and counts per UTC day and shard only', () => {
    expect(routeOf('/verify/AbCdEfGhIjKlMnOpQrSt_-/linkedin')).toEqual({
      kind: 'linkedin',
      certificateId: 'AbCdEfGhIjKlMnOpQrSt_-',
    });
    expect(statsDocId(new Date('2026-03-12T23:59:59Z'), 7)).toBe('2026-03-12-7');
  });

  it('leaves out link previewers, crawlers and requests without a browser', () => {
    for (const ua of [
      'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'facebookexternalhit/1.1',
      'WhatsApp/2.23.20.0',
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'curl/8.5.0',
      undefined,
    ])
      expect(isBot(ua), String(ua)).toBe(true);
    expect(isBot('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1')).toBe(
      false,
    );
  });
});

describe('one catalog system', () => {
  it('has the console in every language of the verification page and the mail', () => {
    expect(Object.keys(CATALOGS).sort()).toEqual([...LANGUAGES].sort());
    expect(Object.keys(MAIL_MESSAGES).sort()).toEqual([...LANGUAGES].sort());
    expect(CATALOGS.ar.dir).toBe('rtl');
    expect(MAIL_MESSAGES.ar.dir).toBe('rtl');
    for (const language of LANGUAGES.filter((l) => l !== 'ar')) expect(CATALOGS[language].dir).toBe('ltr');
    // The same negotiation: the browser's languages, in order.
    expect(negotiateLanguage('pt-BR,en;q=0.8')).toBe('pt');
    expect(negotiateLanguage('ko,zh-TW;q=0.5')).toBe('zh');
  });

  it('explains every import problem the functions can answer with, in every language', () => {
    for (const language of LANGUAGES) {
      expect(Object.keys(CATALOGS[language].importPage.rowProblems).sort(), language).toEqual(
        [...ROW_ERROR_CODES].sort(),
      );
      expect(Object.keys(CATALOGS[language].importPage.fileProblems).sort(), language).toEqual(
        [...FILE_ERROR_CODES].sort(),
      );
    }
  });

  it('explains every way a certificate can fail and every warning of the renderer, in every language', () => {
    const warningCodes = new Set(['PREVIEW_DOWNSCALED']);
    const core = rootPath('wasm/core/src');
    for (const file of readdirSync(core, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.rs')))
      for (const m of readFileSync(join(core, file), 'utf8').matchAll(/Warning::new\(\s*"([A-Z_]+)"/g))
        warningCodes.add(m[1]!);
    expect(warningCodes.size).toBeGreaterThan(5);
    for (const language of LANGUAGES) {
      const { failures, templatePage } = CATALOGS[language];
      for (const code of [...ERROR_CODES, ...ISSUE_ONLY_CODES])
        expect(failures, `${language} ${code}`).toHaveProperty(code);
      for (const code of warningCodes) expect(templatePage.warnings, `${language} ${code}`).toHaveProperty(code);
    }
  });

  it('is really translated: no language but English shows the English text', () => {
    const en = JSON.stringify(CATALOGS.en.people);
    for (const language of LANGUAGES.filter((l) => l !== 'en'))
      expect(JSON.stringify(CATALOGS[language].people), language).not.toBe(en);
  });

  it('writes the mail in the event’s language, right to left for Arabic', () => {
    const entry = {
      certificateId: 'AbCdEfGhIjKlMnOpQrSt_-',
      recipientName: 'Ana García',
      eventName: 'PyConES',
      issuer: 'Python España',
      verifyUrl: 'https://certs.example.org/verify/AbCdEfGhIjKlMnOpQrSt_-',
      eventId: 'e',
      participantPath: 'events/e/speakers/s',
    } as PublicCertificate;
    const es = certificateMail({ ...entry, locale: 'es-ES' }, 'ana@example.org', 'https://x/pdf');
    expect(es.message.subject).toBe(MAIL_MESSAGES.es.subject('PyConES'));
    expect(es.message.text).toContain(MAIL_MESSAGES.es.greeting('Ana García'));
    expect(es.message.subject).not.toBe(MAIL_MESSAGES.en.subject('PyConES'));
    const ar = certificateMail({ ...entry, locale: 'ar' }, 'ana@example.org', 'https://x/pdf');
    expect(ar.message.html).toMatch(/^<div dir="rtl">/);
    const unknown = certificateMail({ ...entry, locale: 'pl' }, 'ana@example.org', 'https://x/pdf');
    expect(unknown.message.subject).toBe('Your certificate: PyConES');
  });
});
