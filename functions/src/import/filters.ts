import { isValidDocId } from '../shared/paths.js';
import { BUILT_IN_ROLES, isRoleId, SPEAKER_ROLE } from '../shared/roles.js';
/**
 * Which uploads are imports. A Storage trigger fires for every object of its bucket (it cannot
 * filter by path), so the handler asks this first and returns at once for anything else.
 */

export interface ImportTarget {
  eventId: string;
  fileName: string;
  /** The role the file's people get: `speaker` (a file directly in the event's folder, or in speakers/), else the folder's. */
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
  const role = roleOfFolder(folder);
  return role ? { eventId, fileName, role } : null;
}

/** `speakers` → speaker, `attendees` → attendee, `volunteer` → volunteer: a folder names a role, plural or not. */
export function roleOfFolder(folder: string): string | undefined {
  const id = folder.toLowerCase();
  if (isRoleId(id) && (Object.hasOwn(BUILT_IN_ROLES, id) || !id.endsWith('s'))) return id;
  const singular = id.replace(/s$/, '');
  return isRoleId(singular) ? singular : undefined;
}
