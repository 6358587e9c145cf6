/**
 * Every rate limit of certforge, in one place (docs/security.md, "Rate limits"). Each is
 * checked inside the transaction that spends it, so concurrent requests cannot both slip under.
 *
 * | what                                   | limit                              | window        | kept in                          |
 * |----------------------------------------|------------------------------------|---------------|----------------------------------|
 * | mail to one participant                | 1                                  | 24 h rolling  | mailLog/{hash of the path}       |
 * | mail to one address, all events        | MAIL_PER_ADDRESS (5)               | 24 h rolling  | mailRecipients/{hash of address} |
 * | mail of one event                      | CERTFORGE_MAIL_PER_EVENT_PER_DAY   | UTC day       | quotas/ (sharded counter)        |
 * | re-renders of one participant          | REISSUES_PER_PARTICIPANT (5)       | 24 h rolling  | certificate.reissuedAt           |
 * | re-renders of one event                | CERTFORGE_REISSUES_PER_EVENT_PER_DAY | UTC day     | quotas/ (sharded counter)        |
 * | forced bulk runs of one event          | MAX_FORCED_RUNS (3)                | 24 h rolling  | event.issuance.forcedRunsAt      |
 * | correction requests of one recipient   | 3 (issue/correction-requests.ts)   | 24 h rolling  | participant.correctionRequestedAt |
 * | correction requests of one event       | 200 (issue/correction-requests.ts) | UTC day       | quotas/ (sharded counter)        |
 *
 * A re-render is a new version of a certificate that exists: generateCertificate({ force }), a
 * correction after a name or title edit. The tasks of a forced bulk run are not counted one by
 * one: the run is (MAX_FORCED_RUNS). A mail held back by a limit is recorded on the certificate
 * (`certificate.mail`), the certificate itself is issued as usual.
 *
 * Two mechanisms: a list of recent instants in one document (exact; for what one person or
 * one participant does), and a daily counter split over shards (for what a whole event does,
 * where one document would be a write hot spot: Firestore sustains about one write per second
 * per document). A sharded counter allows `ceil(limit / shards)` per shard, so it never lets more
 * than the limit (rounded up to a multiple of the shard count) through; near the limit a request
 * reads further shards until it finds room.
 */
import { randomInt } from 'node:crypto';
import { sha256Id } from './hash.js';
import type { DocumentReference, Firestore, Transaction } from 'firebase-admin/firestore';
import { toDate, type FirestoreDate } from './model.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Certificate mails to one address in 24 h, whatever the event (a person at a few events a day). */
export const MAIL_PER_ADDRESS = 5;
/** Re-renders of one participant's certificate in 24 h (a few corrections; not an edit loop). */
export const REISSUES_PER_PARTICIPANT = 5;
/** Forced bulk runs per event in 24 h. */
export const MAX_FORCED_RUNS = 3;

/** The instants of `stored` (Dates, Timestamps, ms or ISO strings) within `windowMs` before `now`, oldest first. */
export function recentInstants(stored: unknown, now: number, windowMs: number = DAY_MS): number[] {
  if (!Array.isArray(stored)) return [];
  return stored
    .map((value: unknown) =>
      typeof value === 'number' ? value : toDate(value as FirestoreDate | string | undefined)?.getTime(),
    )
    .filter((ms): ms is number => typeof ms === 'number' && Number.isFinite(ms) && now - ms < windowMs && ms <= now)
    .sort((a, b) => a - b);
}

/** When a rolling limit of `limit` per `windowMs` lets the next one through (ISO), given the recent instants. */
export function nextAllowedAt(recent: readonly number[], limit: number, windowMs: number = DAY_MS): string {
  const oldestCounted = recent[recent.length - limit] ?? recent[0] ?? Date.now();
  return new Date(oldestCounted + windowMs).toISOString();
}

/** A limit per UTC day on a whole event, kept in sharded counters. */
export interface DailyQuota {
  /** Names the counter documents, e.g. `mail`, `reissue`. */
  name: string;
  limit: number;
}

/** A counter shard with room, read in a transaction: spend() in the same transaction takes one. */
export interface QuotaSlot {
  spend(tx: Transaction): void;
}

const SHARDS = 16;

function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** `quotas/{name}-{day}-{shard}-{hash of key}`: functions only; `expireAt` for a TTL policy. */
function quotaRef(db: Firestore, quota: DailyQuota, key: string, day: string, shard: number): DocumentReference {
  const hash = sha256Id(key, 22);
  return db.collection('quotas').doc(`${quota.name}-${day}-${shard}-${hash}`);
}

/**
 * Reads, in `tx`, a shard of today's counter with room: a slot to spend, or undefined when the
 * day's quota of `key` is used up. Reads only; call before the transaction's first write.
 */
export async function reserveDaily(
  tx: Transaction,
  db: Firestore,
  quota: DailyQuota,
  key: string,
  now: number,
): Promise<QuotaSlot | undefined> {
  if (quota.limit <= 0) return undefined;
  const shards = Math.min(SHARDS, quota.limit);
  const perShard = Math.ceil(quota.limit / shards);
  const day = utcDay(now);
  const start = randomInt(shards);
  for (let i = 0; i < shards; i++) {
    const ref = quotaRef(db, quota, key, day, (start + i) % shards);
    const snap = await tx.get(ref);
    const count = Number(snap.get('count') ?? 0);
    if (count < perShard) {
      return {
        spend: (t) => t.set(ref, { count: count + 1, day, expireAt: new Date(Date.parse(day) + 2 * DAY_MS) }),
      };
    }
  }
  return undefined;
}

/** The next UTC midnight (ISO): when a daily quota opens again. */
export function nextUtcDay(now: number): string {
  return new Date(Date.parse(utcDay(now)) + DAY_MS).toISOString();
}

/** `mailRecipients/{sha256 of the trimmed, lower-cased address}`: never the address itself. */
export function mailRecipientRef(db: Firestore, address: string): DocumentReference {
  return db.collection('mailRecipients').doc(sha256Id(address.trim().toLowerCase()));
}
