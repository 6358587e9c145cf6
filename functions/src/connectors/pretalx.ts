/**
 * pretalx (open-source call for papers and schedule) → speakers. Pure mapping plus the API
 * calls; docs/connectors.md is the organizer's view. pretalx sends no webhooks for submissions,
 * so it is synced by pulling (syncSource, and the scheduled sync).
 *
 * One certificate per speaker and talk: a speaker with two talks gets two certificates, each
 * naming its talk. Why: a certificate states what its holder did ("Presented the talk X"), the
 * credential's achievement says the same, and a talk withdrawn after issuance must revoke exactly
 * its certificate and leave the other talk's standing. Co-speakers each get their own.
 *
 * Document: events/{eventId}/speakers/pretalx-{submission code}-{speaker code}, with `talk.title`
 * and `source`; so the speakers' trigger issues it, a name fixed in pretalx is a correction (a new
 * version), and a talk withdrawn (or rejected, cancelled) after issuance is revoked with the reason.
 */
import type { PersonRow } from '../import/apply-speakers.js';
import { isRecord, text } from '../shared/values.js';
import { pages, type ConnectorHttp } from './http-client.js';
import { eventName, type SyncRejection } from './pretix.js';

export interface PretalxConnection {
  baseUrl: string;
  event: string;
}

/** Submission states whose speakers earn a certificate, and those that revoke one. */
export const CONFIRMED_STATES = new Set(['confirmed']);
export const WITHDRAWN_STATES = new Set(['withdrawn', 'rejected', 'canceled', 'cancelled', 'deleted']);

export function pretalxEventApi(connection: PretalxConnection): string {
  return `${connection.baseUrl}/api/events/${encodeURIComponent(connection.event)}`;
}

/** The event as pretalx has it (checks the connection). */
export async function readPretalxEvent(http: ConnectorHttp, connection: PretalxConnection): Promise<{ name: string }> {
  return { name: eventName(await http.getJson(`${pretalxEventApi(connection)}/`), 'pretalx', connection.event) };
}

export interface PretalxSpeaker {
  code: string;
  name?: string;
  email?: string;
}

/** Every speaker of the event, by code. */
export async function pretalxSpeakers(
  http: ConnectorHttp,
  connection: PretalxConnection,
): Promise<Map<string, PretalxSpeaker>> {
  const speakers = new Map<string, PretalxSpeaker>();
  const origin = new URL(connection.baseUrl).origin;
  for await (const page of pages(http, `${pretalxEventApi(connection)}/speakers/?limit=50`, origin)) {
    for (const raw of page) {
      if (!isRecord(raw) || typeof raw.code !== 'string') continue;
      const name = text(raw.name);
      const email = text(raw.email);
      speakers.set(raw.code, { code: raw.code, ...(name ? { name } : {}), ...(email ? { email } : {}) });
    }
  }
  return speakers;
}

/** Every submission of the event (all states: the withdrawn ones revoke). */
export function submissionPages(http: ConnectorHttp, connection: PretalxConnection): AsyncGenerator<unknown[]> {
  return pages(http, `${pretalxEventApi(connection)}/submissions/?limit=50`, new URL(connection.baseUrl).origin);
}

/** A speaker code of a submission: pretalx lists codes, or (expanded) objects with a code. */
function speakerCodes(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((s) => (typeof s === 'string' ? s : isRecord(s) && typeof s.code === 'string' ? s.code : undefined))
    .filter((s): s is string => s !== undefined && /^[A-Za-z0-9]{1,32}$/.test(s))
    .slice(0, 50);
}

export function talkDocId(submission: string, speaker: string): string {
  return `pretalx-${submission}-${speaker}`;
}

export interface TalkWithdrawal {
  id: string;
  state: string;
}

/**
 * The speaker rows of one page of submissions: confirmed talks → one row per speaker and talk;
 * withdrawn, rejected or cancelled talks → the documents whose certificates are revoked.
 */
export function submissionRows(
  submissions: unknown[],
  connection: PretalxConnection,
  speakers: ReadonlyMap<string, PretalxSpeaker>,
): { rows: PersonRow[]; withdrawn: TalkWithdrawal[]; rejected: SyncRejection[] } {
  const rows: PersonRow[] = [];
  const withdrawn: TalkWithdrawal[] = [];
  const rejected: SyncRejection[] = [];
  for (const raw of submissions) {
    if (!isRecord(raw) || typeof raw.code !== 'string' || !/^[A-Za-z0-9]{1,32}$/.test(raw.code)) continue;
    const state = typeof raw.state === 'string' ? raw.state : '';
    const codes = speakerCodes(raw.speakers);
    if (WITHDRAWN_STATES.has(state)) {
      for (const code of codes) withdrawn.push({ id: talkDocId(raw.code, code), state });
      continue;
    }
    if (!CONFIRMED_STATES.has(state)) continue;
    const title = text(raw.title);
    for (const code of codes) {
      const speaker = speakers.get(code);
      const ref = `talk ${raw.code}, speaker ${code}`;
      if (!speaker?.name) {
        rejected.push({ ref, field: 'name', code: 'MISSING_NAME', reason: 'The speaker has no name in pretalx' });
        continue;
      }
      if ([...speaker.name].length > 300) {
        rejected.push({ ref, field: 'name', code: 'NAME_TOO_LONG', reason: 'The name is longer than 300 characters' });
        continue;
      }
      const fields: Record<string, unknown> = {
        name: speaker.name,
        ...(title ? { 'talk.title': title.slice(0, 500) } : {}),
        source: { system: 'pretalx', ref: `${connection.event}/${raw.code}/${code}`, state },
      };
      if (speaker.email && speaker.email.length <= 320) fields.email = speaker.email;
      rows.push({ id: talkDocId(raw.code, code), line: rows.length + rejected.length + 1, fields });
    }
  }
  return { rows, withdrawn, rejected };
}
