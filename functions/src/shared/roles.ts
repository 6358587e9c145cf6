/**
 * Roles and eligibility: who a participant is (speaker, attendee, volunteer, ...) and whether they
 * have earned their certificate. One home for both, pure (no Firebase): the triggers, the
 * callables, the bulk runs, the imports, the connectors and the verification page all ask here.
 *
 * Where people live:
 *   events/{eventId}/speakers/{id}      role `speaker` (the product's first collection, unchanged)
 *   events/{eventId}/participants/{id}  every other role, named by the document's `role` (default `attendee`)
 *
 * A role is configured in `event.roles[roleId]` (shared/model.ts RoleConfig): its label, template,
 * wording and eligibility rule. Built-in roles work without configuration: `attendee` earns its
 * certificate by checking in at least once; the others (volunteer, organizer, reviewer, chair,
 * sponsor, moderator) on creation, like speakers. Any other role id must be configured by the event
 * (UNKNOWN_ROLE otherwise: the organizer sees it on the participant, nothing is issued).
 */
import type { Attendance, AttendanceEvidence, EligibilityRule, EventDoc, ParticipantDoc, RoleConfig } from './model.js';
import { isRecord, text } from './values.js';

export type ParticipantCollection = 'speakers' | 'participants';

export const SPEAKER_ROLE = 'speaker';
export const ATTENDEE_ROLE = 'attendee';

/** Roles every event has without configuring them, with their English names (translated on the verification page). */
export const BUILT_IN_ROLES: Readonly<Record<string, string>> = Object.freeze({
  speaker: 'Speaker',
  attendee: 'Attendee',
  volunteer: 'Volunteer',
  organizer: 'Organizer',
  reviewer: 'Reviewer',
  chair: 'Chair',
  sponsor: 'Sponsor',
  moderator: 'Moderator',
});

/** A role id: a lower-case slug of at most 32 characters (`attendee`, `program-committee`). */
export const ROLE_ID_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

export function isRoleId(value: unknown): value is string {
  return typeof value === 'string' && ROLE_ID_PATTERN.test(value);
}

/** At most this many roles per event, and this many check-ins counted per participant. */
export const ROLE_LIMITS = Object.freeze({
  maxRoles: 32,
  maxCheckins: 1000,
  maxDays: 366,
  maxLabel: 80,
  maxWording: 500,
});

/**
 * The role id a written value names: trimmed, lower-cased, spaces and `_` as `-`
 * ("Volunteer", " program committee " → `volunteer`, `program-committee`); undefined when it is
 * no slug after that.
 */
export function normalizeRoleId(value: unknown): string | undefined {
  const raw = text(value);
  if (!raw) return undefined;
  const slug = raw.toLowerCase().replace(/[\s_]+/g, '-');
  return isRoleId(slug) ? slug : undefined;
}

/** The role of a participant document: `speaker` in speakers/, else its `role` (default `attendee`). */
export function roleIdOf(collection: ParticipantCollection, participant: ParticipantDoc | undefined): string {
  if (collection === 'speakers') return SPEAKER_ROLE;
  if (participant?.role === undefined || participant.role === null || participant.role === '') return ATTENDEE_ROLE;
  return normalizeRoleId(participant.role) ?? String(participant.role);
}

/** The collection a role's participants live in. */
export function collectionOfRole(roleId: string): ParticipantCollection {
  return roleId === SPEAKER_ROLE ? 'speakers' : 'participants';
}

/** The event's configuration of a role (absent: the built-in defaults). */
export function roleConfig(event: EventDoc, roleId: string): RoleConfig | undefined {
  const roles = event.roles;
  if (!isRecord(roles) || !Object.prototype.hasOwnProperty.call(roles, roleId)) return undefined;
  const config = roles[roleId];
  return isRecord(config) ? (config as RoleConfig) : undefined;
}

/** True when the event knows the role: built in, or configured. */
export function knownRole(event: EventDoc, roleId: string): boolean {
  return Object.prototype.hasOwnProperty.call(BUILT_IN_ROLES, roleId) || roleConfig(event, roleId) !== undefined;
}

/** Every role of the event: the built-in ones and the configured ones. */
export function rolesOf(event: EventDoc): string[] {
  const configured = isRecord(event.roles) ? Object.keys(event.roles).filter(isRoleId) : [];
  return [...new Set([...Object.keys(BUILT_IN_ROLES), ...configured])];
}

/** The rule a role's participants must meet: the configured one; `attendee` defaults to one check-in. */
export function eligibilityRule(event: EventDoc, roleId: string): EligibilityRule | undefined {
  const configured = roleConfig(event, roleId)?.eligibility;
  if (isRecord(configured)) return configured;
  return roleId === ATTENDEE_ROLE ? { checkins: 1 } : undefined;
}

/** The template of a role's certificates: the role's, else the event's, else the default. */
export function roleTemplateId(event: EventDoc, roleId: string, defaultTemplateId: string): string {
  return text(roleConfig(event, roleId)?.templateId) ?? text(event.templateId) ?? defaultTemplateId;
}

/** The role's English name: the organizer's label (English or only text), the built-in name, or the id in title case. */
export function roleName(event: EventDoc, roleId: string): string {
  const label = roleConfig(event, roleId)?.label;
  const own = typeof label === 'string' ? text(label) : isRecord(label) ? text(label.en) : undefined;
  if (own) return own;
  return (
    BUILT_IN_ROLES[roleId] ??
    roleId.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => `${dash ? ' ' : ''}${c.toUpperCase()}`)
  );
}

/** The organizer's label of the role as configured (text or per language), for the verification page. */
export function roleLabel(event: EventDoc, roleId: string): string | Record<string, string> | undefined {
  const label = roleConfig(event, roleId)?.label;
  if (typeof label === 'string') return text(label);
  if (!isRecord(label)) return undefined;
  const out: Record<string, string> = {};
  for (const [language, value] of Object.entries(label)) {
    const t = text(value);
    if (t && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) out[language] = t;
  }
  return Object.keys(out).length ? out : undefined;
}

export function roleWording(event: EventDoc, roleId: string): string | undefined {
  return text(roleConfig(event, roleId)?.wording);
}

export type EligibilityCode =
  'NO_ATTENDANCE' | 'TOO_FEW_CHECKINS' | 'TOO_FEW_DAYS' | 'TOO_FEW_MINUTES' | 'TICKET_CANCELED' | 'UNKNOWN_ROLE';

export interface Eligibility {
  eligible: boolean;
  code?: EligibilityCode;
  message?: string;
  evidence: AttendanceEvidence;
}

/** True when the ticket was cancelled or refunded (no certificate; a revocation once issued). */
export function ticketCanceled(participant: ParticipantDoc | undefined): boolean {
  const status = participant?.ticket?.status;
  return status === 'canceled' || status === 'cancelled' || status === 'refunded';
}

/** The YYYY-MM-DD of an instant in a time zone (UTC when the zone is unknown). */
export function dayIn(instant: Date, timeZone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone: timeZone || 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(instant);
  } catch {
    return instant.toISOString().slice(0, 10);
  }
}

/** The evidence a participant's attendance adds up to: check-ins, distinct days (event time zone), minutes. */
export function attendanceEvidence(attendance: Attendance | undefined, timeZone?: string): AttendanceEvidence {
  const days = new Set<string>();
  let checkins = 0;
  if (isRecord(attendance)) {
    const instants = Array.isArray(attendance.checkins) ? attendance.checkins.slice(0, ROLE_LIMITS.maxCheckins) : [];
    for (const value of instants) {
      const at = typeof value === 'string' ? new Date(value) : undefined;
      if (!at || Number.isNaN(at.getTime())) continue;
      checkins += 1;
      days.add(dayIn(at, timeZone));
    }
    if (checkins === 0 && attendance.checkedIn === true) checkins = 1;
    const listed = Array.isArray(attendance.days) ? attendance.days.slice(0, ROLE_LIMITS.maxDays) : [];
    for (const day of listed) if (typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day)) days.add(day);
    if (checkins === 0 && days.size > 0) checkins = days.size;
  }
  const rawMinutes = isRecord(attendance) ? attendance.minutes : undefined;
  const minutes =
    typeof rawMinutes === 'number' && Number.isFinite(rawMinutes) && rawMinutes > 0 ? Math.floor(rawMinutes) : 0;
  if (checkins === 0 && minutes > 0) checkins = 1;
  return { checkins, days: [...days].sort(), minutes };
}

/**
 * Whether a participant of `roleId` has earned the certificate: the ticket stands, the role is
 * known and every condition of its rule holds. Speakers (and roles without a rule) are eligible
 * on creation.
 */
export function evaluateEligibility(
  event: EventDoc,
  roleId: string,
  participant: ParticipantDoc | undefined,
): Eligibility {
  const evidence = attendanceEvidence(participant?.attendance, text(event.timeZone));
  const no = (code: EligibilityCode, message: string): Eligibility => ({ eligible: false, code, message, evidence });
  if (ticketCanceled(participant))
    return no(
      'TICKET_CANCELED',
      `The ticket was ${participant?.ticket?.status === 'refunded' ? 'refunded' : 'cancelled'}`,
    );
  if (!knownRole(event, roleId))
    return no(
      'UNKNOWN_ROLE',
      `The event has no role "${roleId}": add it to the event's roles, or correct the participant's role`,
    );
  const rule = eligibilityRule(event, roleId);
  if (!rule) return { eligible: true, evidence };
  const need = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.ceil(value) : 0;
  const hasAny = evidence.checkins > 0 || evidence.minutes > 0 || evidence.days.length > 0;
  const checkins = need(rule.checkins);
  if (checkins && evidence.checkins < checkins)
    return hasAny
      ? no('TOO_FEW_CHECKINS', `Checked in ${evidence.checkins} times; the certificate needs ${checkins}`)
      : no('NO_ATTENDANCE', 'No check-in or attendance recorded yet');
  const days = need(rule.days);
  if (days && evidence.days.length < days)
    return hasAny
      ? no('TOO_FEW_DAYS', `Attended on ${evidence.days.length} of the ${days} days the certificate needs`)
      : no('NO_ATTENDANCE', 'No check-in or attendance recorded yet');
  const minutes = need(rule.minutes);
  if (minutes && evidence.minutes < minutes)
    return hasAny
      ? no('TOO_FEW_MINUTES', `${evidence.minutes} minutes attended; the certificate needs ${minutes}`)
      : no('NO_ATTENDANCE', 'No check-in or attendance recorded yet');
  return { eligible: true, evidence };
}

/**
 * The eligibility of a document in participants/: speakers belong in speakers/ (their trigger,
 * runs and bundles), so a participant whose role says `speaker` is not issued from here
 * (UNKNOWN_ROLE, with a message saying where speakers go); anyone else as evaluateEligibility.
 */
export function participantEligibility(event: EventDoc, participant: ParticipantDoc | undefined): Eligibility {
  const roleId = roleIdOf('participants', participant);
  if (roleId !== SPEAKER_ROLE) return evaluateEligibility(event, roleId, participant);
  return {
    eligible: false,
    code: 'UNKNOWN_ROLE',
    message: 'Speakers are issued from the speakers list (events/{eventId}/speakers), not as participants',
    evidence: attendanceEvidence(participant?.attendance, text(event.timeZone)),
  };
}

/** Participant fields certforge keeps for itself or a connector: never handed to a template. */
export const PARTICIPANT_PRIVATE_FIELDS = ['eligibility', 'source', 'ticket', 'attendance'] as const;

/** True when two eligibility results say the same (so that a trigger does not rewrite an unchanged record). */
export function sameEligibility(
  a: { eligible: boolean; code?: string; evidence?: Partial<Eligibility['evidence']> } | undefined,
  b: Eligibility,
): boolean {
  if (!a) return false;
  return (
    a.eligible === b.eligible &&
    (a.code ?? null) === (b.code ?? null) &&
    a.evidence?.checkins === b.evidence.checkins &&
    a.evidence?.minutes === b.evidence.minutes &&
    (a.evidence?.days ?? []).join(',') === b.evidence.days.join(',')
  );
}

/** The attendance summary a template gets as {{attendance.days}}, {{attendance.minutes}}, {{attendance.dates}}. */
export function attendanceData(evidence: AttendanceEvidence): Record<string, unknown> {
  return {
    checkins: evidence.checkins,
    days: evidence.days.length,
    dates: evidence.days.join(', '),
    minutes: evidence.minutes,
    hours: Math.round((evidence.minutes / 60) * 10) / 10,
  };
}

/** The evidence in words, for the credential ("Attended on 2 days (2026-05-04, 2026-05-05); 185 minutes online"). */
export function evidenceNarrative(evidence: AttendanceEvidence): string | undefined {
  const parts: string[] = [];
  if (evidence.days.length)
    parts.push(
      `Attended on ${evidence.days.length} day${evidence.days.length === 1 ? '' : 's'} (${evidence.days.join(', ')})`,
    );
  else if (evidence.checkins)
    parts.push(`Checked in ${evidence.checkins === 1 ? 'once' : `${evidence.checkins} times`}`);
  if (evidence.minutes) parts.push(`${evidence.minutes} minutes online`);
  return parts.length ? `${parts.join('; ')}.` : undefined;
}
