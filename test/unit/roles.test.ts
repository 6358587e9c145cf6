/** Roles and eligibility (functions/src/shared/roles.ts): who a participant is and whether they earned the certificate. */
import { describe, expect, it } from 'vitest';
import {
  attendanceData,
  attendanceEvidence,
  evaluateEligibility,
  evidenceNarrative,
  normalizeRoleId,
  roleIdOf,
  roleLabel,
  roleName,
  roleTemplateId,
  sameEligibility,
} from '../../functions/src/shared/roles.js';
import { ownWriteOnly, participantAction } from '../../functions/src/issue/lifecycle.js';
import type { EventDoc, ParticipantDoc } from '../../functions/src/shared/model.js';

const event: EventDoc = {
  name: 'Conf',
  timeZone: 'Europe/Warsaw',
  roles: {
    attendee: { eligibility: { days: 2 }, templateId: 'attendance' },
    'program-committee': { label: { en: 'Program committee', de: 'Programmkomitee' }, wording: 'Reviewed talks' },
    online: { eligibility: { minutes: 90 } },
  },
};

describe('role ids', () => {
  it('are read from the document, however spelled; speakers/ is always speaker; none is attendee', () => {
    expect(roleIdOf('speakers', { name: 'A', role: 'volunteer' })).toBe('speaker');
    expect(roleIdOf('participants', { name: 'A' })).toBe('attendee');
    expect(roleIdOf('participants', { name: 'A', role: ' Program Committee ' })).toBe('program-committee');
    expect(normalizeRoleId('Volunteer')).toBe('volunteer');
    expect(normalizeRoleId('../x')).toBeUndefined();
    expect(normalizeRoleId(42)).toBeUndefined();
  });

  it('take their template, label and English name from the event, with built-in defaults', () => {
    expect(roleTemplateId(event, 'attendee', 'classic')).toBe('attendance');
    expect(roleTemplateId({ templateId: 'modern' }, 'volunteer', 'classic')).toBe('modern');
    expect(roleTemplateId({}, 'volunteer', 'classic')).toBe('classic');
    expect(roleName(event, 'program-committee')).toBe('Program committee');
    expect(roleName({}, 'volunteer')).toBe('Volunteer');
    expect(roleName({ roles: { 'session-host': {} } }, 'session-host')).toBe('Session Host');
    expect(roleLabel(event, 'program-committee')).toEqual({ en: 'Program committee', de: 'Programmkomitee' });
    expect(roleLabel(event, 'attendee')).toBeUndefined();
  });
});

describe('eligibility', () => {
  const attendee = (attendance: ParticipantDoc['attendance'], extra: Partial<ParticipantDoc> = {}): ParticipantDoc => ({
    name: 'Ada',
    role: 'attendee',
    attendance,
    ...extra,
  });

  it('an attendee needs a check-in by default; none recorded says so', () => {
    const noRule: EventDoc = { name: 'x' };
    expect(evaluateEligibility(noRule, 'attendee', attendee(undefined))).toMatchObject({
      eligible: false,
      code: 'NO_ATTENDANCE',
    });
    expect(evaluateEligibility(noRule, 'attendee', attendee({ checkins: ['2026-05-04T08:00:00Z'] }))).toMatchObject({
      eligible: true,
      evidence: { checkins: 1, days: ['2026-05-04'], minutes: 0 },
    });
    expect(evaluateEligibility(noRule, 'attendee', attendee({ checkedIn: true })).eligible).toBe(true);
  });

  it('counts distinct days in the event time zone (23:30 UTC is the next day in Warsaw)', () => {
    const twoUtcDaysOneLocal = attendee({ checkins: ['2026-05-04T05:00:00Z', '2026-05-04T23:30:00Z'] });
    const result = evaluateEligibility(event, 'attendee', twoUtcDaysOneLocal);
    expect(result.evidence.days).toEqual(['2026-05-04', '2026-05-05']);
    expect(result.eligible).toBe(true);
    const sameDay = attendee({ checkins: ['2026-05-04T06:00:00Z', '2026-05-04T15:00:00Z'] });
    expect(evaluateEligibility(event, 'attendee', sameDay)).toMatchObject({
      eligible: false,
      code: 'TOO_FEW_DAYS',
      evidence: { checkins: 2, days: ['2026-05-04'] },
    });
  });

  it('sums minutes online against the rule', () => {
    expect(evaluateEligibility(event, 'online', attendee({ minutes: 89.9 }))).toMatchObject({
      eligible: false,
      code: 'TOO_FEW_MINUTES',
    });
    expect(evaluateEligibility(event, 'online', attendee({ minutes: 90 })).eligible).toBe(true);
  });

  it('a cancelled or refunded ticket is never eligible, an unknown role is named', () => {
    expect(
      evaluateEligibility(
        event,
        'attendee',
        attendee({ days: ['2026-05-04', '2026-05-05'] }, { ticket: { status: 'refunded' } }),
      ),
    ).toMatchObject({ eligible: false, code: 'TICKET_CANCELED' });
    expect(evaluateEligibility(event, 'juror', { name: 'A', role: 'juror' })).toMatchObject({
      eligible: false,
      code: 'UNKNOWN_ROLE',
    });
    expect(evaluateEligibility(event, 'volunteer', { name: 'A', role: 'volunteer' }).eligible).toBe(true);
  });

  it('reads hostile attendance in bounded time: garbage entries are not evidence', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString());
    const started = performance.now();
    const evidence = attendanceEvidence({ checkins: many, days: ['x', '2026-13-45x'], minutes: Number.NaN });
    expect(evidence.checkins).toBe(1000);
    expect(evidence.minutes).toBe(0);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(attendanceEvidence({ checkins: [42 as unknown as string, 'not a date'] })).toEqual({
      checkins: 0,
      days: [],
      minutes: 0,
    });
  });

  it('states the evidence for the template and the credential', () => {
    const evidence = { checkins: 3, days: ['2026-05-04', '2026-05-05'], minutes: 185 };
    expect(attendanceData(evidence)).toEqual({
      checkins: 3,
      days: 2,
      dates: '2026-05-04, 2026-05-05',
      minutes: 185,
      hours: 3.1,
    });
    expect(evidenceNarrative(evidence)).toBe('Attended on 2 days (2026-05-04, 2026-05-05); 185 minutes online.');
    expect(evidenceNarrative({ checkins: 0, days: [], minutes: 0 })).toBeUndefined();
  });
});

describe('what a participant write asks for', () => {
  const ready = { status: 'ready' as const, certificateId: 'c'.repeat(22), subject: { name: 'Ada', talkTitle: null } };
  const base = { name: 'Ada', role: 'attendee' };

  it('issues once earned, records why not before', () => {
    const before = participantAction({}, undefined, base as ParticipantDoc);
    expect(before).toMatchObject({ action: 'none', record: true, eligibility: { code: 'NO_ATTENDANCE' } });
    const after = participantAction(
      {},
      base as ParticipantDoc,
      { ...base, attendance: { checkedIn: true } } as ParticipantDoc,
    );
    expect(after.action).toBe('issue');
  });

  it('revokes an issued certificate when the ticket is cancelled, corrects a changed name, else nothing', () => {
    const issued = { ...base, attendance: { checkedIn: true }, certificate: ready } as unknown as ParticipantDoc;
    expect(participantAction({}, issued, { ...issued, ticket: { status: 'canceled' } }).action).toBe('revoke');
    expect(participantAction({}, issued, { ...issued, name: 'Ada L.' }).action).toBe('correct');
    expect(participantAction({}, issued, issued).action).toBe('none');
  });

  it("leaves the functions' own writes alone, unless the certificate no longer states the document", () => {
    const issued = { ...base, attendance: { checkedIn: true }, certificate: ready } as unknown as ParticipantDoc;
    const rendering = { ...issued, certificate: { ...ready, status: 'rendering' } } as unknown as ParticipantDoc;
    expect(ownWriteOnly(rendering, issued)).toBe(true);
    expect(ownWriteOnly(issued, { ...issued, eligibility: { eligible: true } } as unknown as ParticipantDoc)).toBe(
      true,
    );
    // The name changed while it rendered: the commit's write must still correct it.
    expect(ownWriteOnly({ ...rendering, name: 'Ada L.' }, { ...issued, name: 'Ada L.' })).toBe(false);
    expect(ownWriteOnly(issued, { ...issued, attendance: { checkedIn: true, minutes: 5 } })).toBe(false);
    expect(ownWriteOnly(undefined, issued)).toBe(false);
    const cancelled = { ...issued, ticket: { status: 'canceled' } } as ParticipantDoc;
    expect(ownWriteOnly({ ...cancelled, certificate: { ...ready, status: 'rendering' } } as never, cancelled)).toBe(
      false,
    );
  });

  it('does not rewrite an unchanged eligibility record (no trigger loop)', () => {
    const result = evaluateEligibility({}, 'attendee', { ...base, attendance: { checkedIn: true } });
    expect(sameEligibility({ ...result, at: new Date() } as never, result)).toBe(true);
    const doc = {
      ...base,
      attendance: { checkedIn: true },
      eligibility: { ...result, at: new Date() },
    } as ParticipantDoc;
    expect(participantAction({}, doc, doc).record).toBe(false);
  });
});
