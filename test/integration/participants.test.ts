/**
 * Attendees and other roles on the emulators (functions/src/shared/roles.ts,
 * handlers/on-participant-written.ts): the real onParticipantWritten trigger records eligibility,
 * issues the certificate the moment it is earned and exactly once, revokes it when the ticket is
 * cancelled, and the registry, credential and verification page name the role.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTIONS_ORIGIN,
  PROJECT_ID,
  REGION,
  admin,
  createEvent,
  createUser,
  eventually,
  newId,
  sdkCallError,
  sdkCallable,
  waitForCertificate,
} from '../helpers/emulator.js';
import { cleanText, joinedLines } from '../helpers/fixtures.js';
import { pdfToText } from '../helpers/pdf-tools.js';

beforeAll(() => {
  admin();
});

function participantRef(eventId: string, participantId: string) {
  return admin().db.collection('events').doc(eventId).collection('participants').doc(participantId);
}

async function registryOf(certificateId: string) {
  return (await admin().db.collection('certificates').doc(certificateId).get()).data()!;
}

/** Every registry entry issued for one participant (there must be exactly one per version). */
async function entriesOf(eventId: string, participantId: string) {
  const snap = await admin().db.collection('certificates').where('eventId', '==', eventId).get();
  return snap.docs.filter((doc) => doc.get('participantPath') === `events/${eventId}/participants/${participantId}`);
}

describe('attendance certificates', () => {
  it('records why an attendee is not eligible, issues on the late check-in, once, with the evidence', async () => {
    const eventId = await createEvent({ timeZone: 'Europe/Warsaw', roles: { attendee: { eligibility: { days: 2 } } } });
    const ref = participantRef(eventId, 'att-1');
    await ref.set({ name: 'Zofia Wiśniewska', email: 'zofia@example.org', role: 'attendee' });
    const none = await eventually(
      async () => (await ref.get()).get('eligibility'),
      (value) => value !== undefined,
    );
    expect(none).toMatchObject({ eligible: false, code: 'NO_ATTENDANCE' });
    await ref.update({ attendance: { checkins: ['2026-03-12T08:00:00Z'] } });
    const one = await eventually(
      async () => (await ref.get()).get('eligibility.code'),
      (code) => code === 'TOO_FEW_DAYS',
    );
    expect(one).toBe('TOO_FEW_DAYS');
    expect((await ref.get()).get('certificate')).toBeUndefined();

    // The second day's check-in earns it: issued by the trigger, once.
    await ref.update({ attendance: { checkins: ['2026-03-12T08:00:00Z', '2026-03-13T07:30:00Z'] } });
    const certificate = await waitForCertificate(ref);
    expect(certificate.status).toBe('ready');
    expect(certificate.pdfPath).toBe(`certificates/${eventId}/participants/att-1/${certificate.certificateId}.pdf`);
    const entry = await registryOf(certificate.certificateId);
    expect(entry).toMatchObject({
      role: 'attendee',
      participantPath: `events/${eventId}/participants/att-1`,
      evidence: { checkins: 2, days: ['2026-03-12', '2026-03-13'], minutes: 0 },
    });
    const credential = JSON.parse(entry.credentialJson as string);
    expect(credential.name).toBe('Attendee at Open Source Infrastructure Summit 2026');
    expect(credential.evidence[0].narrative).toBe('Attended on 2 days (2026-03-12, 2026-03-13).');

    const [pdf] = await admin().bucket.file(certificate.pdfPath!).download();
    expect(joinedLines(pdfToText(new Uint8Array(pdf)))).toContain(cleanText('Zofia Wiśniewska'));

    const page = await fetch(`${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}/verify/${certificate.certificateId}`, {
      headers: { 'accept-language': 'de' },
    });
    const html = await page.text();
    expect(html).toContain('Zertifikat für Teilnehmende');
    expect(html).toContain('2 Tage');

    // Later writes (a third check-in) change nothing: still one certificate.
    await ref.update({
      attendance: { checkins: ['2026-03-12T08:00:00Z', '2026-03-13T07:30:00Z', '2026-03-13T12:00:00Z'] },
    });
    await eventually(
      async () => (await ref.get()).get('eligibility.evidence.checkins'),
      (n) => n === 3,
    );
    expect((await ref.get()).get('certificate.certificateId')).toBe(certificate.certificateId);
    expect(await entriesOf(eventId, 'att-1')).toHaveLength(1);
  });

  it('a storm of 25 concurrent check-in writes issues exactly one certificate', async () => {
    const eventId = await createEvent();
    const ref = participantRef(eventId, 'storm');
    await ref.set({ name: 'Storm Person', role: 'attendee' });
    await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        ref.set({ attendance: { checkins: [`2026-03-12T08:${String(i).padStart(2, '0')}:00Z`] } }, { merge: true }),
      ),
    );
    const certificate = await waitForCertificate(ref);
    expect(certificate.status).toBe('ready');
    // Let every delivery of the storm run out.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await entriesOf(eventId, 'storm')).toHaveLength(1);
    expect((await ref.get()).get('certificate.certificateId')).toBe(certificate.certificateId);
  });

  it('a ticket cancelled before issuance means no certificate; after issuance a revocation with the reason', async () => {
    const eventId = await createEvent();
    const early = participantRef(eventId, 'early');
    await early.set({
      name: 'Early Cancel',
      role: 'attendee',
      ticket: { status: 'canceled' },
      attendance: { checkedIn: true },
    });
    await eventually(
      async () => (await early.get()).get('eligibility.code'),
      (code) => code === 'TICKET_CANCELED',
    );
    expect((await early.get()).get('certificate')).toBeUndefined();

    const late = participantRef(eventId, 'late');
    await late.set({ name: 'Late Cancel', role: 'attendee', attendance: { checkedIn: true } });
    const certificate = await waitForCertificate(late);
    await late.update({ 'ticket.status': 'refunded' });
    const entry = await eventually(
      () => registryOf(certificate.certificateId),
      (value) => value.status === 'revoked',
    );
    expect(entry.revocationReason).toBe('The ticket was cancelled or refunded');
    expect((await late.get()).get('certificate.revoked.reason')).toBe('The ticket was cancelled or refunded');
  });
});

describe('organizer-defined roles', () => {
  it('a volunteer gets the role template, label and wording at creation; an unknown role is named and not issued', async () => {
    const eventId = await createEvent({
      roles: {
        volunteer: { templateId: 'modern', wording: 'Ran the registration desk for three days' },
        jury: { label: { en: 'Jury member', es: 'Miembro del jurado' } },
      },
    });
    const volunteer = participantRef(eventId, 'vol');
    await volunteer.set({ name: 'Amaru Mamani', role: 'volunteer' });
    const certificate = await waitForCertificate(volunteer);
    expect(certificate).toMatchObject({ status: 'ready', templateId: 'modern' });
    const credential = JSON.parse((await registryOf(certificate.certificateId)).credentialJson as string);
    expect(credential.credentialSubject.achievement.description).toBe('Ran the registration desk for three days');
    expect(credential.name).toBe('Volunteer at Open Source Infrastructure Summit 2026');

    const jury = participantRef(eventId, 'jury');
    await jury.set({ name: 'Lucía Fernández', role: 'jury' });
    const juryCertificate = await waitForCertificate(jury);
    const entry = await registryOf(juryCertificate.certificateId);
    expect(entry).toMatchObject({ role: 'jury', roleLabel: { en: 'Jury member', es: 'Miembro del jurado' } });
    const page = await fetch(`${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}/verify/${juryCertificate.certificateId}`, {
      headers: { 'accept-language': 'es' },
    });
    expect(await page.text()).toContain('Certificado de miembro del jurado');

    const unknown = participantRef(eventId, 'unknown');
    await unknown.set({ name: 'Nobody Known', role: 'wizard' });
    const eligibility = await eventually(
      async () => (await unknown.get()).get('eligibility'),
      (value) => value !== undefined,
    );
    expect(eligibility).toMatchObject({ eligible: false, code: 'UNKNOWN_ROLE' });
    expect((await unknown.get()).get('certificate')).toBeUndefined();
  });

  it('generateCertificate({ participantId }) refuses an attendee who has not earned it, with the reason', async () => {
    const organizer = await createUser({ claims: { organizer: true } });
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    const id = newId('att');
    await participantRef(eventId, id).set({ name: 'Not Yet', role: 'attendee' });
    const error = await sdkCallError('generateCertificate', organizer, { eventId, participantId: id });
    expect(error.code).toBe('functions/failed-precondition');
    expect(error.details).toMatchObject({ code: 'NOT_ELIGIBLE', reason: 'NO_ATTENDANCE' });

    await participantRef(eventId, id).update({ attendance: { minutes: 30, checkins: ['2026-03-12T09:00:00Z'] } });
    const result = await eventually(
      async () => (await sdkCallable('generateCertificate', organizer)({ eventId, participantId: id })).data,
      (data) => data.status === 'ready',
    );
    expect(result.verifyUrl).toMatch(/\/verify\/[A-Za-z0-9_-]{22}$/);
  });

  it('bulk runs and print bundles work per role', async () => {
    const organizer = await createUser({ claims: { organizer: true } });
    const eventId = await createEvent({ organizerUids: [organizer.uid] });
    await participantRef(eventId, 'a1').set({
      name: 'Ana Attendee',
      role: 'attendee',
      attendance: { checkedIn: true },
    });
    await participantRef(eventId, 'a2').set({ name: 'Bo Attendee', role: 'attendee' });
    await participantRef(eventId, 'v1').set({ name: 'Vera Volunteer', role: 'volunteer' });
    await waitForCertificate(participantRef(eventId, 'a1'));
    await waitForCertificate(participantRef(eventId, 'v1'));

    const run = (await sdkCallable('issueEventCertificates', organizer)({ eventId, role: 'attendee', force: true }))
      .data;
    // a2 has not checked in: not enrolled; v1 is another role.
    expect(run.total).toBe(1);
    await eventually(
      async () => (await admin().db.collection('events').doc(eventId).get()).get('issuance'),
      (issuance) => issuance?.finishedAt != null,
      60_000,
    );
    const bundle = (
      await sdkCallable('buildPrintBundle', organizer, { timeout: 120_000 })({ eventId, role: 'volunteer' })
    ).data;
    expect(bundle.count).toBe(1);
  });
});
