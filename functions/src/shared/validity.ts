/**
 * How long an event's certificates are valid (training, CPD, safety courses): `event.validity`,
 * or a role's own `event.roles[roleId].validity`, one of
 *   { period: "P2Y" }           an ISO 8601 duration of years, months, weeks and days (P1Y6M, P90D),
 *                               counted from when the certificate's validity starts;
 *   { until: "2027-12-31" }     a fixed last day (valid through the end of that day, UTC).
 * No validity: certificates do not expire (as before).
 *
 * A certificate's validity starts with the event (its date) or, without one, when it is issued.
 * A correction keeps the period of the version it replaces; a renewal (generateCertificate with
 * `renew`) starts a new period at the moment of renewal. After `validUntil` the certificate is
 * "expired" on the verification page (not revoked: it certified what it states, for a time), its
 * credential carries `validUntil`, and templates can print `{{certificate.validUntil}}`.
 */
import { CertforgeError } from '../render/index.js';
import type { EventDoc } from './model.js';
import { roleConfig } from './roles.js';
import { isRecord } from './values.js';

export interface Validity {
  period?: { years: number; months: number; days: number };
  /** 'YYYY-MM-DD', the last day of validity. */
  until?: string;
}

/** Longest period accepted: 100 years (a typo like P2000Y is refused, not honoured). */
const MAX_YEARS = 100;
const DURATION = /^P(?:(\d{1,4})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,5})D)?$/;

function invalid(where: string, why: string): never {
  throw new CertforgeError(
    'INVALID_DATA',
    `${where} ${why}: give { "period": "P2Y" } (an ISO 8601 duration: years, months, weeks, days) or { "until": "2027-12-31" }`,
    { field: where },
  );
}

/** A validity setting read from `value` (the event's or a role's), or undefined; INVALID_DATA when malformed. */
export function parseValidity(value: unknown, where: string): Validity | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) return invalid(where, 'is not an object');
  const keys = Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null && value[k] !== '');
  if (keys.length === 0) return undefined;
  if (keys.length > 1 || !['period', 'until'].includes(keys[0]!)) return invalid(where, `has ${keys.join(', ')}`);
  if (keys[0] === 'until') {
    const until = value.until;
    const match = typeof until === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(until.trim()) : null;
    const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
    if (!day || day.toISOString().slice(0, 10) !== (until as string).trim())
      return invalid(`${where}.until`, 'is not a date');
    return { until: (until as string).trim() };
  }
  const period = typeof value.period === 'string' ? value.period.trim().toUpperCase() : '';
  const match = DURATION.exec(period);
  if (!match || period === 'P') return invalid(`${where}.period`, `is "${String(value.period).slice(0, 40)}"`);
  const [years, months, weeks, days] = match.slice(1).map((n) => Number(n ?? 0)) as [number, number, number, number];
  const total = { years: years + Math.floor(months / 12), months: months % 12, days: weeks * 7 + days };
  if (total.years + total.months + total.days === 0) return invalid(`${where}.period`, 'is zero');
  if (total.years + total.months / 12 + total.days / 365 > MAX_YEARS)
    return invalid(`${where}.period`, `is longer than ${MAX_YEARS} years`);
  return { period: total };
}

/** The validity of a role's certificates: the role's own, else the event's. */
export function validityOf(event: EventDoc, roleId: string): Validity | undefined {
  const own = roleConfig(event, roleId) as { validity?: unknown } | undefined;
  if (own && own.validity !== undefined) return parseValidity(own.validity, `event.roles.${roleId}.validity`);
  return parseValidity((event as { validity?: unknown }).validity, 'event.validity');
}

/**
 * The last instant a certificate is valid: the end (23:59:59 UTC) of the day `from` plus the
 * period reaches (calendar arithmetic: 31 January + P1M is the last day of February), or of the
 * `until` day.
 */
export function validUntil(validity: Validity, from: Date): Date {
  if (validity.until) return new Date(`${validity.until}T23:59:59Z`);
  const { years, months, days } = validity.period!;
  const y = from.getUTCFullYear() + years;
  const m = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  // Through the end of the day reached (UTC), as a printed "valid until" date reads.
  const end = new Date(Date.UTC(y, m, Math.min(from.getUTCDate(), lastDay), 23, 59, 59));
  end.setUTCDate(end.getUTCDate() + days);
  return end;
}

/** Whether a certificate valid until `until` (ISO instant or Date) has expired at `now`. */
export function isExpired(until: string | Date | undefined, now: number): boolean {
  if (until === undefined) return false;
  const at = typeof until === 'string' ? Date.parse(until) : until.getTime();
  return Number.isFinite(at) && at < now;
}
