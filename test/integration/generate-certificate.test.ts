/**
 * The generateCertificate callable on the functions emulator, through raw HTTP (the callable
 * protocol) and through the real firebase web SDK (httpsCallable + connectFunctionsEmulator),
 * with users from the auth emulator.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  callRaw,
  createEvent,
  createUser,
  sdkCallError,
  sdkCallable,
  speakerRef,
  waitForCertificate,
  type TestUser,
} from '../helpers/emulator.js';

let organizer: TestUser;
let otherOrganizer: TestUser;
let speaker: TestUser;
let unverified: TestUser;
let eventId: string;

beforeAll(async () => {
  admin();
  [organizer, otherOrganizer, speaker] = await Promise.all([
    createUser({ claims: { organizer: true } }),
    createUser({ claims: { organizer: true } }),
    createUser({ email: `speaker-${Date.now()}@example.org` }),
  ]);
  unverified = await createUser({ email: `SPEAKER-unverified-${Date.now()}@example.org`, emailVerified: false });
  eventId = await createEvent({ organizerUids: [organizer.uid] });
  await createEvent({ organizerUids: [otherOrganizer.uid] });
  await speakerRef(eventId, 'me').set({
    name: 'Shira Ben-David',
    email: speaker.email.toUpperCase(),
    talk: { title: 'מערכות מבוזרות' },
  });
  await speakerRef(eventId, 'sneaky').set({ name: 'Unverified', email: unverified.email, talk: { title: 'T' } });
  await waitForCertificate(speakerRef(eventId, 'me'));
});

const callable = (user?: TestUser) => sdkCallable('generateCertificate', user);
const sdkError = (user: TestUser, data: unknown) => sdkCallError('generateCertificate', user, data);

describe('generateCertificate (raw HTTP)', () => {
  it('no auth → unauthenticated', async () => {
    const { status, body } = await callRaw('generateCertificate', { eventId, speakerId: 'me' });
    expect(status).toBe(401);
    expect(body.error?.status).toBe('UNAUTHENTICATED');
  });

  it('a garbage token (which the emulator does not verify) still gets no uid → unauthenticated', async () => {
    const { body } = await callRaw('generateCertificate', { eventId, speakerId: 'me' }, 'not-a-token');
    expect(body.error?.status).toBe('UNAUTHENTICATED');
  });

  it('an organizer of another event → permission-denied', async () => {
    const { status, body } = await callRaw('generateCertificate', { eventId, speakerId: 'me' }, otherOrganizer.idToken);
    expect(status).toBe(403);
    expect(body.error?.status).toBe('PERMISSION_DENIED');
  });

  it.each([
    [{ eventId: 'a/b', speakerId: 'me' }],
    [{ speakerId: 'me' }],
    [{ eventId: 'x', speakerId: 'me', force: 'yes' }],
    [{ eventId: 'x', speakerId: 'me', admin: true }],
    ['just a string'],
  ])('bad input %j → invalid-argument', async (data) => {
    const { status, body } = await callRaw('generateCertificate', data, organizer.idToken);
    expect(status).toBe(400);
    expect(body.error?.status).toBe('INVALID_ARGUMENT');
  });

  it('unknown speaker → not-found for an organizer; unknown event → permission-denied (no probing of event ids)', async () => {
    expect(
      (await callRaw('generateCertificate', { eventId, speakerId: 'nobody' }, organizer.idToken)).body.error?.status,
    ).toBe('NOT_FOUND');
    expect(
      (await callRaw('generateCertificate', { eventId: 'no-event', speakerId: 'me' }, organizer.idToken)).body.error
        ?.status,
    ).toBe('PERMISSION_DENIED');
  });

  it('the organizer gets the certificate with working download URLs', async () => {
    const { status, body } = await callRaw('generateCertificate', { eventId, speakerId: 'me' }, organizer.idToken);
    expect(status).toBe(200);
    const result = body.result!;
    expect(result).toMatchObject({ status: 'ready', rendered: false, templateId: 'classic' });
    const pdf = await fetch(result.pdfUrl as string);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const png = await fetch(result.pngUrl as string);
    expect(png.headers.get('content-type')).toBe('image/png');
    // The public page and LinkedIn's add-to-profile link come with it.
    expect(result.verifyUrl).toBe(
      `http://127.0.0.1:5001/demo-certforge/europe-west1/verify/${result.certificateId as string}`,
    );
    const linkedIn = new URL(result.linkedInUrl as string);
    expect(linkedIn.origin + linkedIn.pathname).toBe('https://www.linkedin.com/profile/add');
    expect(Object.fromEntries(linkedIn.searchParams)).toMatchObject({
      startTask: 'CERTIFICATION_NAME',
      issueYear: String(new Date().getUTCFullYear()),
      certUrl: result.verifyUrl,
      certId: result.certificateId,
    });
    expect(linkedIn.searchParams.get('name')).toContain('Open Source Infrastructure Summit 2026');
  });
});

describe('generateCertificate (web SDK)', () => {
  it('the speaker, by verified email (case-insensitive), gets their certificate', async () => {
    const { data } = await callable(speaker)({ eventId, speakerId: 'me' });
    const stored = (await speakerRef(eventId, 'me').get()).get('certificate');
    expect(data).toMatchObject({ status: 'ready', certificateId: stored.certificateId, sha256: stored.sha256 });
    expect(String(data.pdfUrl)).toContain(encodeURIComponent(stored.pdfPath));
  });

  it('the speaker may not see another speaker, nor force a new rendering', async () => {
    expect((await sdkError(speaker, { eventId, speakerId: 'sneaky' })).code).toBe('functions/permission-denied');
    expect((await sdkError(speaker, { eventId, speakerId: 'nobody' })).code).toBe('functions/permission-denied');
    expect((await sdkError(speaker, { eventId, speakerId: 'me', force: true })).code).toBe(
      'functions/permission-denied',
    );
  });

  it('an unverified email is not enough', async () => {
    expect((await sdkError(unverified, { eventId, speakerId: 'sneaky' })).code).toBe('functions/permission-denied');
  });

  it('an organizer of another event is denied; certforgeAdmin may act on any event', async () => {
    expect((await sdkError(otherOrganizer, { eventId, speakerId: 'me' })).code).toBe('functions/permission-denied');
    const superUser = await createUser({ claims: { certforgeAdmin: true } });
    const { data } = await callable(superUser)({ eventId, speakerId: 'me' });
    expect(data.status).toBe('ready');
  });

  it('force (organizer) renders a new certificate that supersedes the old one, both files kept', async () => {
    const before = (await speakerRef(eventId, 'me').get()).get('certificate');
    const { data } = await callable(organizer)({ eventId, speakerId: 'me', force: true });
    expect(data).toMatchObject({ status: 'ready', rendered: true });
    expect(data.certificateId).not.toBe(before.certificateId);
    const after = (await speakerRef(eventId, 'me').get()).get('certificate');
    expect(after.supersedes).toBe(before.certificateId);
    const [oldExists] = await admin().bucket.file(before.pdfPath).exists();
    expect(oldExists).toBe(true);
  });

  it('renders on demand a speaker that has none yet, and maps a failure to failed-precondition with its code', async () => {
    const fresh = await createEvent({ organizerUids: [organizer.uid], templateId: 'missing-template' });
    await speakerRef(fresh, 's').set({ name: 'Kenji Watanabe', talk: { title: '分散システム' } });
    await waitForCertificate(speakerRef(fresh, 's'));
    const error = await sdkError(organizer, { eventId: fresh, speakerId: 's' });
    expect(error.code).toBe('functions/failed-precondition');
    expect(error.details).toMatchObject({ code: 'TEMPLATE_NOT_FOUND' });
    expect(error.message).not.toMatch(/\.js:\d+/);
    await admin().db.collection('events').doc(fresh).update({ templateId: 'modern' });
    const { data } = await callable(organizer)({ eventId: fresh, speakerId: 's', force: true });
    expect(data).toMatchObject({ status: 'ready', templateId: 'modern', rendered: true });
  });
});
