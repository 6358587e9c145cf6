import { isValidDocId } from '../shared/paths.js';
import { isRoleId, knownRole, SPEAKER_ROLE } from '../shared/roles.js';
import type { EventDoc } from '../shared/model.js';
import { isRecord } from '../shared/values.js';
import { COLUMN_CHOICES, type ColumnChoice } from './participants.js';
/**
 * Which uploads are imports. A Storage trigger fires for every object of its bucket (it cannot
 * filter by path), so the handler asks this first and returns at once for anything else.
 */

export interface ImportTarget {
  eventId: string;
  fileName: string;
  /** `speaker` for a file directly in the event's folder, else the folder's name (roleOfFolder reads it with the event). */
  role: string;
}

/** The files an import reads (import/participants.ts readPeople): spreadsheets and exports. */
export const IMPORT_EXTENSIONS = /.\.(csv|tsv|txt|xlsx|json)$/i;

/**
 * `imports/{eventId}/{fileName}` (speakers) or `imports/{eventId}/{role}/{fileName}` (that role:
 * `attendees/` or `attendee/`, `volunteers/`, any role id; `speakers/` is speakers too), a file
 * name ending in .csv, .tsv, .txt, .xlsx or .json in any case, like storage.rules → the event,
 * file name and role; anything else → null.
 */
export function importTarget(objectName: string | undefined): ImportTarget | null {
  if (!objectName) return null;
  const match = /^imports\/([^/]+)\/(?:([^/]+)\/)?([^/]+)$/.exec(objectName);
  if (!match) return null;
  const [, eventId, folder, fileName] = match as unknown as [string, string, string | undefined, string];
  if (!IMPORT_EXTENSIONS.test(fileName) || !isValidDocId(eventId)) return null;
  if (folder === undefined) return { eventId, fileName, role: SPEAKER_ROLE };
  const slug = folder.toLowerCase();
  return isRoleId(slug) ? { eventId, fileName, role: slug } : null;
}

/**
 * The role a folder names, plural or not: a role the event knows (built in or configured) as
 * written (`press`, `business`), else its singular when that is one (`attendees` → attendee,
 * `volunteers` → volunteer, `speakers` → speaker), else as written (the participants then say
 * UNKNOWN_ROLE until the event configures it).
 */
export function roleOfFolder(folder: string, event: EventDoc): string {
  if (knownRole(event, folder)) return folder;
  const singular = folder.replace(/s$/, '');
  return isRoleId(singular) && knownRole(event, singular) ? singular : folder;
}

/** The custom metadata key of an upload's column mapping (JSON: header → COLUMN_CHOICES), as the console writes it. */
export const COLUMNS_METADATA = 'certforgeColumns';

/**
 * The column mapping an upload carries (`certforgeColumns`), or undefined when it has none. A
 * mapping that is not an object of known choices (at most 200 headers) is no mapping: the import
 * reads the header by its own rules, and the report shows what it read.
 */
export function columnChoicesOf(
  metadata: Record<string, unknown> | undefined,
): Readonly<Record<string, ColumnChoice>> | undefined {
  const raw = metadata?.[COLUMNS_METADATA];
  if (typeof raw !== 'string' || raw.length > 64 * 1024) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const entries = Object.entries(parsed);
  if (entries.length === 0 || entries.length > 200) return undefined;
  const known = new Set<string>(COLUMN_CHOICES);
  if (!entries.every(([, choice]) => typeof choice === 'string' && known.has(choice))) return undefined;
  return Object.fromEntries(entries) as Record<string, ColumnChoice>;
}
