/**
 * The pure parts of issue 4's lifecycle: when a change needs a corrected version, what the
 * public registry entry and the mail document hold, and the task ids / counter shards of
 * bulk issuance.
 */
import { describe, expect, it } from 'vitest';
import {
  COUNTER_SHARDS,
  PROGRESS_STEPS,
  issueTaskId,
  progressStep,
  samplesProgress,
  shardOf,
} from '../../functions/src/issue/bulk-issuance.js';
import { correctionNeeded } from '../../functions/src/issue/lifecycle.js';
import { retriesExhausted } from '../../functions/src/shared/retry.js';
import { templateData, certificateSubject } from '../../functions/src/shared/template-data.js';
import { certificateMail, isEmailAddress } from '../../functions/src/shared/mail.js';
import { credentialRequest, publicCertificate } from '../../functions/src/issue/registry-entry.js';
import type { CertificateRecord, SpeakerDoc } from '../../functions/src/shared/model.js';

const base: CertificateRecord = {
  status: 'ready',
  certificateId: 'AbCdEfGhIjKlMnOpQrStUv',
  claimId: 'event:1',
  attemptId: 'a',
  attempts: 1,
  templateId: 'classic',
  startedAt: new Date(0),
  subject: { name: 'Ada Lovelace', talkTitle: 'Notes' },
};
const speaker = (fields: Partial<SpeakerDoc>, certificate: Partial<CertificateRecord> | null = {}): SpeakerDoc => ({
  name: 'Ada Lovelace',
  talk: { title: 'Notes' },
  ...fields,
  ...(certificate ? { certificate: { ...base, ...certificate } } : {}),
});

describe('correctionNeeded', () => {
  it('a changed name or talk title needs a new version', () => {
    expect(correctionNeeded(speaker({}), speaker({ name: 'Ada King' }))).toBe(true);
    expect(correctionNeeded(speaker({}), speaker({ talk: { title: 'More notes' } }))).toBe(true);
    expect(correctionNeeded(speaker({}), speaker({ talk: undefined }))).toBe(true);
  });

  it('other fields, whitespace and the functions own writes do not', () => {
    expect(correctionNeeded(speaker({}), speaker({ bio: 'x', email: 'a@b.c' }))).toBe(false);
    expect(correctionNeeded(speaker({}), speaker({ name: '  Ada Lovelace ' }))).toBe(false);
    expect(correctionNeeded(speaker({}, { status: 'rendering' }), speaker({}, { status: 'ready' }))).toBe(false);
  });

  it('only settled, unrevoked certificates are corrected', () => {
    expect(correctionNeeded(speaker({}), speaker({ name: 'B' }, { status: 'rendering' }))).toBe(false);
    expect(correctionNeeded(speaker({}), speaker({ name: 'B' }, { revoked: { at: new Date(), reason: 'x' } }))).toBe(
      false,
    );
    expect(correctionNeeded(speaker({}), speaker({ name: 'B' }, null))).toBe(false);
    expect(
      correctionNeeded(
        speaker({}),
        speaker({ name: 'Fixed' }, { status: 'failed', subject: { name: null, talkTitle: 'Notes' } }),
      ),
    ).toBe(true);
  });

  it('records without a subject compare the document before and after', () => {
    const old = (fields: Partial<SpeakerDoc>) => speaker(fields, { subject: undefined });
    expect(correctionNeeded(old({}), old({ name: 'Ada King' }))).toBe(true);
    expect(correctionNeeded(old({}), old({ bio: 'x' }))).toBe(false);
  });

  it('a correction held back for this same subject is not tried again; an edit to another subject is', () => {
    const held = {
      code: 'RATE_LIMITED',
      message: 'm',
      subject: { name: 'Ada King', talkTitle: 'Notes' },
      at: new Date(),
    };
    expect(correctionNeeded(speaker({ name: 'Ada King' }), speaker({ name: 'Ada King' }, { held }))).toBe(false);
    expect(correctionNeeded(speaker({ name: 'Ada King' }), speaker({ name: 'Ada Byron' }, { held }))).toBe(true);
  });

  it('certificateSubject normalizes', () => {
    expect(certificateSubject({ name: ' Ada ', talk: { title: ' T ' } })).toEqual({ name: 'Ada', talkTitle: 'T' });
    expect(certificateSubject({ name: 42 })).toEqual({ name: null, talkTitle: null });
  });
});

describe('registry entry and mail', () => {
  const event = { name: 'Kraków Conf', date: '2026-03-12', place: 'Kraków', locale: 'pl', issuer: 'Fundacja' };
  const url = 'https://v.example/c/AbCdEfGhIjKlMnOpQrStUv';
  const data = templateData(
    event,
    { name: 'Zoë <b>', email: 'z@example.org', talk: { title: 'Umlauts' } },
    { certificateId: base.certificateId, verifyUrl: url },
  );
  const ready = {
    ...base,
    pdfPath: 'certificates/e/s/x.pdf',
    pngPath: 'certificates/e/s/x.png',
    sha256: 'ab'.repeat(32),
    pdfBytes: 1234,
    supersedes: 'OLD',
  };
  const credential = { id: url, type: ['VerifiableCredential', 'OpenBadgeCredential'] };
  const issued = {
    credential,
    json: JSON.stringify(credential, null, 2),
    statusList: 'AbCdEfGhIjKlMnOp-1',
    statusIndex: 42,
  };
  const entry = publicCertificate(
    event,
    'e',
    'events/e/speakers/s',
    ready,
    data,
    url,
    new Date('2026-03-13T10:00:00Z'),
    issued,
  );

  it('holds what the certificate states, as printed, and never the email', () => {
    expect(entry).toMatchObject({
      certificateId: base.certificateId,
      status: 'valid',
      recipientName: 'Zoë <b>',
      talkTitle: 'Umlauts',
      eventName: 'Kraków Conf',
      eventDate: '12 marca 2026',
      eventIsoDate: '2026-03-12',
      eventPlace: 'Kraków',
      issuer: 'Fundacja',
      locale: 'pl',
      verifyUrl: url,
      supersedes: 'OLD',
      credentialJson: issued.json,
      statusList: 'AbCdEfGhIjKlMnOp-1',
      statusIndex: 42,
      offerPdf: false,
    });
    expect(JSON.stringify(entry)).not.toContain('z@example.org');
    expect(publicCertificate({ name: 'Only Name' }, 'e', 'p', ready, data, url, new Date(), issued).issuer).toBe(
      'Only Name',
    );
    expect(
      publicCertificate({ name: 'X', verification: { offerPdf: true } }, 'e', 'p', ready, data, url, new Date(), issued)
        .offerPdf,
    ).toBe(true);
  });

  it('the credential request takes the achievement from the event and the email to be hashed', () => {
    const request = credentialRequest(
      'e',
      event,
      { name: 'Zoë <b>', email: ' z@example.org ', talk: { title: 'Umlauts' } },
      data,
      url,
      new Date('2026-03-13T10:00:00Z'),
      { role: 'Speaker', roleId: 'speaker' },
    );
    expect(request).toMatchObject({
      eventId: 'e',
      verifyUrl: url,
      recipientName: 'Zoë <b>',
      email: ' z@example.org ',
      role: 'Speaker',
      talkTitle: 'Umlauts',
      eventName: 'Kraków Conf',
      eventIsoDate: '2026-03-12',
      eventDate: '12 marca 2026',
      eventPlace: 'Kraków',
      organizer: 'Fundacja',
    });
    expect(
      credentialRequest('e', { name: 'Conf' }, { name: 'A' }, { name: 'A' }, url, new Date(), {
        role: 'Volunteer',
        roleId: 'volunteer',
        wording: 'Ran the desk',
      }),
    ).toMatchObject({
      eventName: 'Conf',
      organizer: 'Conf',
      role: 'Volunteer',
      roleId: 'volunteer',
      wording: 'Ran the desk',
    });
  });

  it('the mail document follows the Trigger Email format and escapes the name', () => {
    const mail = certificateMail(entry, ' z@example.org ', 'https://files.example/x.pdf?token=t');
    expect(mail.to).toEqual(['z@example.org']);
    expect(mail.message.subject).toBe('Your certificate: Kraków Conf');
    expect(mail.message.html).toContain('Zoë &lt;b&gt;');
    expect(mail.message.html).toContain(`href="${url}"`);
    expect(mail.message.text).toContain(url);
    expect(mail.message.attachments).toEqual([
      {
        filename: `certificate-${base.certificateId}.pdf`,
        path: 'https://files.example/x.pdf?token=t',
        contentType: 'application/pdf',
      },
    ]);
  });

  it('line breaks and control characters in names never reach the mail subject or text lines', () => {
    const hostile = {
      ...entry,
      eventName: 'Conf\r\nBcc: victim@example.org',
      recipientName: 'Eve\nLine\u2028two\u0007',
      issuer: 'Org\r\nX',
    };
    const mail = certificateMail(hostile, 'z@example.org', 'https://files.example/x.pdf');
    expect(mail.message.subject).toBe('Your certificate: Conf Bcc: victim@example.org');
    expect(mail.message.subject).not.toMatch(/[\r\n]/);
    const lines = mail.message.text.split('\n');
    expect(lines[0]).toBe('Hello Eve Line two,');
    expect(mail.message.text).not.toMatch(/[\r\u2028\u0007]/);
    expect(lines.some((l) => l.startsWith('Bcc:') || l === 'X.')).toBe(false);
  });

  it('isEmailAddress', () => {
    expect(isEmailAddress('a@b.co')).toBe(true);
    for (const bad of ['not an email', 'a@b', '@b.co', 'a b@c.de', `${'x'.repeat(250)}@b.co`, 42])
      expect(isEmailAddress(bad)).toBe(false);
  });
});

describe('bulk issuance ids', () => {
  it('task ids are deterministic per event, speaker and run, and valid Cloud Tasks ids', () => {
    const id = issueTaskId('evt/with odd chars', 'spk-1', 'run1');
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,500}$/);
    expect(issueTaskId('evt/with odd chars', 'spk-1', 'run1')).toBe(id);
    expect(issueTaskId('evt/with odd chars', 'spk-1', 'run2')).not.toBe(id);
    expect(issueTaskId('evt/with odd chars', 'spk-2', 'run1')).not.toBe(id);
    // No ambiguity from concatenation.
    expect(issueTaskId('a', 'bc', 'r')).not.toBe(issueTaskId('ab', 'c', 'r'));
  });

  it('speakers spread over all counter shards', () => {
    const used = new Set(Array.from({ length: 2000 }, (_, i) => shardOf(`s${i}`)));
    expect(used.size).toBe(COUNTER_SHARDS);
    for (const shard of used) expect(shard).toBeGreaterThanOrEqual(0);
  });

  it("a run's progress is recounted for about PROGRESS_STEPS speakers, whatever its size, spread over its shards", () => {
    for (const total of [10, 1000, 100_000]) {
      const step = progressStep(total);
      const ids = Array.from({ length: total }, (_, i) => `participant-${i}`);
      const sampled = ids.filter((id) => samplesProgress(id, step));
      if (total < PROGRESS_STEPS)
        expect(sampled).toHaveLength(total); // a step of 1: every speaker
      else {
        expect(sampled.length).toBeGreaterThan(PROGRESS_STEPS * 0.6);
        expect(sampled.length).toBeLessThan(PROGRESS_STEPS * 1.5);
        // Not one shard's speakers: the sample is independent of the shard choice.
        expect(new Set(sampled.map(shardOf)).size).toBeGreaterThan(Math.min(COUNTER_SHARDS, sampled.length) / 3);
      }
    }
  });
});

describe('retriesExhausted: the one give-up rule of every retried trigger', () => {
  const now = Date.parse('2026-03-12T10:00:00Z');
  it('an event is redelivered until it is older than the window', () => {
    const window = 30 * 60_000;
    expect(retriesExhausted({ kind: 'event', time: '2026-03-12T09:31:00Z' }, window, now)).toBe(false);
    expect(retriesExhausted({ kind: 'event', time: '2026-03-12T09:30:00Z' }, window, now)).toBe(false);
    expect(retriesExhausted({ kind: 'event', time: '2026-03-12T09:29:59Z' }, window, now)).toBe(true);
  });
  it('a task until its last attempt', () => {
    expect(retriesExhausted({ kind: 'task', retryCount: 6, maxAttempts: 8 }, 0, now)).toBe(false);
    expect(retriesExhausted({ kind: 'task', retryCount: 7, maxAttempts: 8 }, 0, now)).toBe(true);
  });
});
