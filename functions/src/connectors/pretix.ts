/**
 * pretix (open-source ticketing) → attendees. Pure mapping plus the API calls; docs/connectors.md
 * is the organizer's view.
 *
 * Who: every order position of an admission product that is not an add-on, named by the name on
 * the ticket (`attendee_name`, or its parts), never the buyer's. A position without a name is
 * reported (MISSING_NAME), not guessed. Its email is the ticket's `attendee_email`.
 * Evidence: the position's check-ins (`checkins[].datetime`, entries only) → `attendance.checkins`.
 * Ticket: the order's status (`p` paid → valid, `n` pending → pending, `c` cancelled and `e`
 * expired → canceled; a cancelled position of a paid order → canceled) → `ticket.status`.
 * Document: events/{eventId}/participants/pretix-{position id}, `source` {system, ref}, so that a
 * sync, a webhook and a re-sync all write the same document and change nothing when nothing changed.
 */
import type { PersonRow } from '../import/apply-speakers.js';
import { isRecord, text } from '../shared/values.js';
import { ConnectorError } from './errors.js';
import { pages, type ConnectorHttp } from './http-client.js';

export interface PretixConnection {
  baseUrl: string;
  organizer: string;
  event: string;
  /** The role its attendees get (default `attendee`). */
  role: string;
}

/** A row pretix gave that could not become a participant: where, what, why. */
export interface SyncRejection {
  /** `order ABC12, position 2`, `talk XY7Z, speaker ABCD`. */
  ref: string;
  field: string | null;
  code: 'MISSING_NAME' | 'NAME_TOO_LONG' | 'INVALID_RECORD';
  reason: string;
}

const SLUG = /^[a-zA-Z0-9][a-zA-Z0-9.-]{0,49}$/;

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && SLUG.test(value);
}

export function eventApi(connection: Pick<PretixConnection, 'baseUrl' | 'organizer' | 'event'>): string {
  return `${connection.baseUrl}/api/v1/organizers/${encodeURIComponent(connection.organizer)}/events/${encodeURIComponent(connection.event)}`;
}

/** pretix order codes: letters and digits (5 by default, longer on some installations). */
export function isOrderCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z0-9]{1,32}$/.test(value);
}

/** The ids of the event's admission products (not merchandise, not parking). */
export async function admissionItems(http: ConnectorHttp, connection: PretixConnection): Promise<Set<number>> {
  const ids = new Set<number>();
  const url = `${eventApi(connection)}/items/`;
  for await (const page of pages(http, url, new URL(connection.baseUrl).origin)) {
    for (const item of page) {
      if (isRecord(item) && typeof item.id === 'number' && item.admission !== false) ids.add(item.id);
    }
  }
  return ids;
}

/** The event as pretix has it (checks the connection: exists, token accepted). */
export async function readPretixEvent(http: ConnectorHttp, connection: PretixConnection): Promise<{ name: string }> {
  return { name: eventName(await http.getJson(`${eventApi(connection)}/`), 'pretix', connection.event) };
}

/** An event's name as pretix and pretalx give it: one text, or by language (the first). */
export function eventName(body: unknown, system: string, fallback: string): string {
  if (!isRecord(body)) throw new ConnectorError('CONNECTOR_BAD_RESPONSE', `${system} did not describe the event`, {});
  return (isRecord(body.name) ? text(Object.values(body.name)[0]) : text(body.name)) ?? fallback;
}

/** Every order of the event, a page at a time, with cancelled positions (so that a cancellation is seen). */
export function orderPages(http: ConnectorHttp, connection: PretixConnection): AsyncGenerator<unknown[]> {
  return pages(
    http,
    // Test-mode orders (pretix's shop in test mode) are nobody's tickets.
    `${eventApi(connection)}/orders/?include_canceled_positions=true&testmode=false`,
    new URL(connection.baseUrl).origin,
  );
}

/** One order, re-read through the API (a webhook only names it). */
export async function readOrder(http: ConnectorHttp, connection: PretixConnection, code: string): Promise<unknown> {
  return http.getJson(`${eventApi(connection)}/orders/${encodeURIComponent(code)}/?include_canceled_positions=true`);
}

const MAX_NAME = 300;

function ticketStatus(orderStatus: unknown, positionCanceled: boolean): 'valid' | 'pending' | 'canceled' {
  if (positionCanceled || orderStatus === 'c' || orderStatus === 'e') return 'canceled';
  return orderStatus === 'n' ? 'pending' : 'valid';
}

/** The name on a ticket: `attendee_name`, else its parts (given name first; pretix's own schemes). */
function ticketName(position: Record<string, unknown>): string | undefined {
  const full = text(position.attendee_name);
  if (full) return full;
  const parts = position.attendee_name_parts;
  if (!isRecord(parts)) return undefined;
  const ordered = ['title', 'given_name', 'middle_name', 'family_name', 'full_name', 'calling_name']
    .map((key) => text(parts[key]))
    .filter(Boolean);
  return ordered.length ? ordered.join(' ') : undefined;
}

/**
 * The participants of one order: one row per named admission position (add-ons and other
 * products left out), or a rejection saying why not.
 */
export function orderParticipants(
  order: unknown,
  connection: PretixConnection,
  admission: ReadonlySet<number>,
): { rows: PersonRow[]; rejected: SyncRejection[] } {
  const rows: PersonRow[] = [];
  const rejected: SyncRejection[] = [];
  if (isRecord(order) && order.testmode === true) return { rows, rejected };
  if (!isRecord(order) || !isOrderCode(order.code) || !Array.isArray(order.positions)) {
    rejected.push({
      ref: `order ${isRecord(order) && typeof order.code === 'string' ? order.code.slice(0, 32) : '?'}`,
      field: null,
      code: 'INVALID_RECORD',
      reason: 'pretix sent an order without a code or positions',
    });
    return { rows, rejected };
  }
  for (const raw of order.positions.slice(0, 1000)) {
    if (!isRecord(raw) || typeof raw.id !== 'number') continue;
    const ref = `order ${order.code}, position ${typeof raw.positionid === 'number' ? raw.positionid : raw.id}`;
    if (raw.addon_to !== null && raw.addon_to !== undefined) continue;
    if (typeof raw.item === 'number' && admission.size > 0 && !admission.has(raw.item)) continue;
    const name = ticketName(raw);
    if (!name) {
      rejected.push({
        ref,
        field: 'attendee_name',
        code: 'MISSING_NAME',
        reason:
          'The ticket has no attendee name (ask for it in pretix: Settings → Customer data → Ask for attendee names)',
      });
      continue;
    }
    if ([...name].length > MAX_NAME) {
      rejected.push({
        ref,
        field: 'attendee_name',
        code: 'NAME_TOO_LONG',
        reason: `The name is longer than ${MAX_NAME} characters`,
      });
      continue;
    }
    const checkins = (Array.isArray(raw.checkins) ? raw.checkins : [])
      .filter((c): c is Record<string, unknown> => isRecord(c) && (c.type === undefined || c.type === 'entry'))
      .map((c) => text(c.datetime))
      .filter((d): d is string => d !== undefined && !Number.isNaN(Date.parse(d)))
      .map((d) => new Date(d).toISOString())
      .sort()
      .slice(0, 1000);
    const email = text(raw.attendee_email);
    const fields: Record<string, unknown> = {
      name,
      role: connection.role,
      attendance: { checkins },
      ticket: {
        status: ticketStatus(order.status, raw.canceled === true),
        order: order.code,
        position: typeof raw.positionid === 'number' ? raw.positionid : raw.id,
      },
      source: { system: 'pretix', ref: `${connection.organizer}/${connection.event}/${raw.id}` },
    };
    if (email && email.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(email)) fields.email = email;
    rows.push({ id: `pretix-${raw.id}`, line: rows.length + rejected.length + 1, fields });
  }
  return { rows, rejected };
}

/** pretix's notification (a webhook body): who and what, as a hint to re-read the order. */
export interface PretixNotification {
  organizer: string;
  event: string;
  code: string;
  action: string;
}

/** Reads a webhook body; undefined when it is not a pretix order notification we act on. */
export function pretixNotification(body: unknown): PretixNotification | undefined {
  if (!isRecord(body)) return undefined;
  const { organizer, event, code, action } = body;
  if (!isSlug(organizer) || !isSlug(event) || !isOrderCode(code)) return undefined;
  if (typeof action !== 'string' || !/^pretix\.event\.(order|checkin)[a-z_.]*$/.test(action)) return undefined;
  return { organizer, event, code, action };
}
