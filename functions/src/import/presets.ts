/**
 * Presets: the exports organizers download from Zoom, Eventbrite and Indico, recognized from
 * their header and read for what they say about attendance. Pure. docs/csv-import.md
 * ("Exports of other systems") is the user's view; test/fixtures/exports/README.md says where
 * each shape comes from.
 *
 * - zoom: the participant report (Reports > Usage > Participants, "Export"): `Name (Original
 *   Name)`, `User Email`, `Join Time`, `Leave Time`, `Duration (Minutes)`, `Guest`, `In Waiting
 *   Room`, …; one row per join, so a person who rejoined has several. With "Export with meeting
 *   data", a meeting summary (`Meeting ID`, `Topic`, `Start Time`, …) stands on the lines before the
 *   participant table (read past: findTableStart), or, in newer exports, at the start of every
 *   row, whose header then names `User Email` and `Duration (Minutes)` twice: the meeting's first,
 *   the participant's last (the last one is read). "Show unique users" writes `Total Duration
 *   (Minutes)` instead of the times.
 * - eventbrite: the Attendee Summary report: `Order #`, `Order Date`, `First Name`, `Last Name`,
 *   `Email`, `Quantity`, `Ticket Type`, `Attendee #`, …, `Attendee Status` (Attending, Checked In,
 *   Not Attending, …), then the event's own questions.
 * - indico: the registrants' CSV/Excel export: `ID`, `Name` (Indico's "first last"), the form's
 *   fields (`First Name`, `Last Name`, `Email Address`, `Affiliation`, `Title`, …), then the
 *   chosen extra columns: `Registration date`, `Registration state` (Completed, Pending,
 *   Withdrawn, Rejected, Awaiting payment), `Price`, `Checked in`, `Check-in date`, ….
 */
import { headerKey } from './table-headers.js';

export const PRESET_NAMES = ['zoom', 'eventbrite', 'indico'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
/** What readPeople is asked: a preset by name, `auto` (detect from the header; the default) or `none`. */
export type PresetOption = PresetName | 'auto' | 'none';

/**
 * What a preset reads from a column, beyond the generic meanings:
 * - `name`, `given`, `family`, `email`: the person (Zoom's name cell may end in the original name);
 * - `join`, `leave`, `minutes`, `waitingRoom`: a Zoom session;
 * - `status`: a ticket or registration status; `checkedIn`: a yes/no; `checkinTime`: when;
 * - `sourceRef`: the system's own id of the registration (the row's `source.ref`);
 * - `{ field }`: kept as that field; `{ ignore }`: not read, for that reason.
 */
export type PresetColumn =
  | 'name'
  | 'given'
  | 'family'
  | 'email'
  | 'join'
  | 'leave'
  | 'minutes'
  | 'waitingRoom'
  | 'status'
  | 'checkedIn'
  | 'checkinTime'
  | 'sourceRef'
  | { field: string }
  | { ignore: string };

export interface Preset {
  name: PresetName;
  /** The column a header is for in this export; undefined: the generic rules. */
  column(header: string): PresetColumn | undefined;
  /** When a header names one column twice, the last is read (Zoom: the participant's after the meeting's). */
  lastDuplicateWins: boolean;
  /** Its full-name column is the system's own "first last": the name parts win over it. */
  namePartsWin: boolean;
}

const ZOOM_OTHER = 'not read from a Zoom report (meeting data, guest and consent flags)';

const ZOOM_COLUMNS = new Map<string, PresetColumn>([
  ['nameoriginalname', 'name'],
  ['participant', 'name'],
  ['participantname', 'name'],
  ['name', 'name'],
  ['useremail', 'email'],
  ['email', 'email'],
  ['participantemail', 'email'],
  ['jointime', 'join'],
  ['leavetime', 'leave'],
  ['durationminutes', 'minutes'],
  ['totaldurationminutes', 'minutes'],
  ['inwaitingroom', 'waitingRoom'],
]);

const EVENTBRITE_COLUMNS = new Map<string, PresetColumn>([
  ['firstname', 'given'],
  ['lastname', 'family'],
  ['email', 'email'],
  ['attendeestatus', 'status'],
  ['orderstatus', 'status'],
  ['checkedin', 'checkedIn'],
  ['checkindate', 'checkinTime'],
  ['checkintime', 'checkinTime'],
  ['checkedinat', 'checkinTime'],
  ['checkedindate', 'checkinTime'],
  ['attendee', 'sourceRef'], // "Attendee #"
  ['attendeeid', 'sourceRef'],
  ['order', { field: 'orderNumber' }], // "Order #"
  ['orderdate', { field: 'orderDate' }],
  ['tickettype', { field: 'ticketType' }],
]);

const INDICO_COLUMNS = new Map<string, PresetColumn>([
  ['id', 'sourceRef'],
  ['name', 'name'],
  ['firstname', 'given'],
  ['lastname', 'family'],
  ['email', 'email'],
  ['emailaddress', 'email'],
  ['title', { field: 'honorific' }], // Indico's "Title" is Mr, Ms, Dr, Prof.
  ['registrationstate', 'status'],
  ['registrationdate', { field: 'registrationDate' }],
  ['checkedin', 'checkedIn'],
  ['checkindate', 'checkinTime'],
]);

export const PRESETS: Readonly<Record<PresetName, Preset>> = Object.freeze({
  zoom: {
    name: 'zoom',
    column: (header: string) => ZOOM_COLUMNS.get(headerKey(header)) ?? { ignore: ZOOM_OTHER },
    lastDuplicateWins: true,
    namePartsWin: false,
  },
  eventbrite: {
    name: 'eventbrite',
    column: (header: string) => EVENTBRITE_COLUMNS.get(headerKey(header)),
    lastDuplicateWins: false,
    namePartsWin: false,
  },
  indico: {
    name: 'indico',
    column: (header: string) => INDICO_COLUMNS.get(headerKey(header)),
    lastDuplicateWins: false,
    namePartsWin: true,
  },
});

/** The preset whose export a header row is, if any. */
export function detectPreset(header: readonly string[]): PresetName | undefined {
  const keys = new Set(header.map(headerKey));
  const has = (...names: string[]) => names.every((name) => keys.has(name));
  if (has('nameoriginalname') || has('jointime', 'leavetime')) return 'zoom';
  if (has('order') && (has('attendeestatus') || has('attendee') || has('tickettype'))) return 'eventbrite';
  if (has('registrationstate') || (has('id', 'name') && (has('registrationdate') || has('checkindate'))))
    return 'indico';
  return undefined;
}

/** Zoom's meeting summary header (`Meeting ID`, `Topic`, …), which stands before the participant table in some exports. */
function isZoomSummary(cells: readonly string[]): boolean {
  const keys = new Set(cells.map(headerKey));
  return keys.has('meetingid') && keys.has('topic') && !keys.has('nameoriginalname') && !keys.has('jointime');
}

/** How many non-blank records after a summary the participant header may come (the summary's values, a title). */
const SUMMARY_LINES = 8;

/**
 * The index of the header among the first non-blank records: 0, or, after Zoom's meeting
 * summary, the first record that is a Zoom participant header. Undefined when a summary is not
 * followed by one (the file is then read from its first record, which fails as any header would).
 */
export function findTableStart(records: readonly { cells: string[] }[]): number | undefined {
  if (records.length === 0 || !isZoomSummary(records[0]!.cells)) return 0;
  for (let i = 1; i < Math.min(records.length, SUMMARY_LINES + 1); i++) {
    if (detectPreset(records[i]!.cells) === 'zoom') return i;
  }
  return undefined;
}

/** A ticket or registration status. */
export type StatusMeaning = 'valid' | 'checkedIn' | 'canceled' | 'refunded';

const STATUS = new Map<string, StatusMeaning>([
  // Eventbrite attendee and order statuses.
  ['attending', 'valid'],
  ['checkedin', 'checkedIn'],
  ['notattending', 'canceled'],
  ['deleted', 'canceled'],
  ['transferred', 'canceled'],
  ['canceled', 'canceled'],
  ['cancelled', 'canceled'],
  ['refunded', 'refunded'],
  ['refundedcanceled', 'refunded'],
  // Indico registration states.
  ['completed', 'valid'],
  ['complete', 'valid'],
  ['pending', 'valid'],
  ['awaitingpayment', 'valid'],
  ['unpaid', 'valid'],
  ['withdrawn', 'canceled'],
  ['rejected', 'canceled'],
]);

/** What a status cell says; `valid` for an empty or unknown one. */
export function statusMeaning(value: string): StatusMeaning {
  return STATUS.get(headerKey(value)) ?? 'valid';
}

const YES = new Set(
  ['yes', 'y', 'true', '1', 'x', 'si', 'sí', 'sim', 'oui', 'ja', 'はい', '是', '예', 'نعم'].map(headerKey),
);

/** A yes/no cell (`Yes`, `TRUE`, `1`, `x`, `✓`, `Sí`, `Oui`, `Ja`, …); anything else is no. */
export function isYes(value: string): boolean {
  return YES.has(headerKey(value)) || value.trim() === '✓' || value.trim() === '✔';
}

/**
 * Zoom's name cell: `Display Name (Original Name)` when the participant renamed themselves,
 * else the name. The display name is the name; the original name is kept when it differs.
 */
export function splitZoomName(value: string): { name: string; originalName?: string } {
  const match = /^(.*\S)\s+\(([^()]+)\)$/u.exec(value.trim());
  if (!match) return { name: value.trim() };
  const [, name, original] = match as unknown as [string, string, string];
  return original.trim() === name ? { name } : { name, originalName: original.trim() };
}
