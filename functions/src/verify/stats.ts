/**
 * What an organizer learns of their certificates' reach (the console's overview): verification
 * page views, PDF downloads and LinkedIn additions, counted per event and UTC day. Nothing about
 * the visitor is stored: no cookie, no IP address, no user agent, no certificate id; only three
 * numbers per day, in `events/{eventId}/stats/{YYYY-MM-DD}-{shard}`, kept as long as the event
 * (deleted with it). Requests from link-preview bots and crawlers are not counted.
 *
 * Each count is one Firestore increment on one of STATS_SHARDS documents of the day, chosen at
 * random: a page shared widely gets far more than the one sustained write per second a single
 * document takes. The console sums them with one aggregate query.
 */
import { FieldValue, type Firestore } from 'firebase-admin/firestore';
import { eventRef } from '../shared/paths.js';

export type StatKind = 'views' | 'downloads' | 'linkedIn';

export const STATS_SHARDS = 10;

/** Link previewers and crawlers (Slack, LinkedIn, WhatsApp, search engines, ...). */
const BOT =
  /bot\b|bot\/|crawler|spider|preview|facebookexternalhit|slackbot|linkedinbot|whatsapp|telegram|discord|embedly|curl\/|wget\//i;

export function isBot(userAgent: string | undefined): boolean {
  return !userAgent || BOT.test(userAgent);
}

/** The document of one shard of a day's counters. */
export function statsDocId(now: Date, shard: number): string {
  return `${now.toISOString().slice(0, 10)}-${shard}`;
}

/** Counts one `kind` for the event now. */
export async function countVisit(db: Firestore, eventId: string, kind: StatKind, now = new Date()): Promise<void> {
  const shard = Math.floor(Math.random() * STATS_SHARDS);
  await eventRef(db, eventId)
    .collection('stats')
    .doc(statsDocId(now, shard))
    .set({ [kind]: FieldValue.increment(1), day: now.toISOString().slice(0, 10) }, { merge: true });
}
