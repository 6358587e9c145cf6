/**
 * Dates and times as exports write them, read into instants: Zoom's join and leave times,
 * Eventbrite's and Indico's check-in dates. Pure; linear in the text.
 *
 * Accepted: ISO 8601 (`2026-03-20T09:00:00Z`, `2026-03-20 09:00`, with or without an offset),
 * `YYYY/MM/DD hh:mm[:ss]`, slash dates with a 12- or 24-hour time (`03/20/2026 09:00:00 AM`,
 * month first unless the file says otherwise: see SlashOrder), dotted dates (`20.03.2026 09:00`,
 * day first), and English month names (`Mar 20, 2026 9:00 AM`, `20 Mar 2026 09:00`). A time
 * without an offset is a wall-clock time in the event's time zone (an IANA name; UTC by default).
 */

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** True when the text had a time of day. */
  hasTime: boolean;
  /** Minutes east of UTC, when the text gave an offset (`Z`, `+02:00`). */
  offset?: number;
}

/** How an ambiguous slash date (`03/04/2026`) is read: month first (Zoom's and Eventbrite's English exports) or day first. */
export type SlashOrder = 'mdy' | 'dmy';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const TIME = String.raw`(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?`;
const ISO = new RegExp(String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})${TIME}$`);
const SLASH = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${TIME}$`);
const DOTTED = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})${TIME}$`);
const MONTH_FIRST = new RegExp(String.raw`^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})${TIME}$`);
const DAY_FIRST = new RegExp(String.raw`^(\d{1,2}) ([A-Za-z]{3})[a-z]*\.? (\d{4})${TIME}$`);

/** The order the slash dates of `values` must be read in, when one of them decides it; undefined when none does. */
export function slashOrderOf(values: Iterable<string>): SlashOrder | undefined {
  for (const value of values) {
    const match = SLASH.exec(value.trim());
    if (!match) continue;
    if (Number(match[1]) > 12) return 'dmy';
    if (Number(match[2]) > 12) return 'mdy';
  }
  return undefined;
}

function offsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined) return undefined;
  if (zone === 'Z' || zone === 'UTC' || zone === 'GMT') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits[0] === '-' ? -minutes : minutes;
}

function build(year: number, month: number, day: number, time: (string | undefined)[]): WallClock | undefined {
  const [h, mi, s, meridiem, zone] = time;
  let hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined;
    const pm = meridiem[0]!.toLowerCase() === 'p';
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1) return undefined; // 31 April
  const offset = offsetMinutes(zone);
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    hasTime: h !== undefined,
    ...(offset !== undefined ? { offset } : {}),
  };
}

/** The wall-clock time a cell writes, or undefined when it is none of the accepted forms. */
export function parseWallClock(text: string, order: SlashOrder = 'mdy'): WallClock | undefined {
  const value = text.trim().replace(/\s+/g, ' ');
  if (value.length > 64) return undefined;
  let m = ISO.exec(value);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), m.slice(4));
  m = SLASH.exec(value);
  if (m) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    const dayFirst = order === 'dmy' ? b <= 12 || a > 12 : a > 12;
    return build(Number(m[3]), dayFirst ? b : a, dayFirst ? a : b, m.slice(4));
  }
  m = DOTTED.exec(value);
  if (m) return build(Number(m[3]), Number(m[2]), Number(m[1]), m.slice(4));
  m = MONTH_FIRST.exec(value);
  if (m && MONTHS.includes(m[1]!.toLowerCase()))
    return build(Number(m[3]), MONTHS.indexOf(m[1]!.toLowerCase()) + 1, Number(m[2]), m.slice(4));
  m = DAY_FIRST.exec(value);
  if (m && MONTHS.includes(m[2]!.toLowerCase()))
    return build(Number(m[3]), MONTHS.indexOf(m[2]!.toLowerCase()) + 1, Number(m[1]), m.slice(4));
  return undefined;
}

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of `timeZone` at the instant `utcMs`. */
function zoneOffset(utcMs: number, timeZone: string): number {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((p) => [p.type, Number(p.value)]));
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((local - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** True when `timeZone` is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds since the epoch of a wall-clock time: its own offset, else `timeZone`'s at that time. */
export function instantOf(wall: WallClock, timeZone = 'UTC'): number {
  const local = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  if (wall.offset !== undefined) return local - wall.offset * 60_000;
  if (timeZone === 'UTC') return local;
  // The offset at the local time read as UTC, then again at the instant found (right across a DST change).
  const first = local - zoneOffset(local, timeZone) * 60_000;
  return local - zoneOffset(first, timeZone) * 60_000;
}

/** `2026-03-20T08:00:00Z` (seconds precision). */
export function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `YYYY-MM-DD` of a wall-clock time. */
export function isoDay(wall: WallClock): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`;
}
