import { isValidDocId } from '../shared/paths.js';
/**
 * Which uploads are imports. A Storage trigger fires for every object of its bucket (it cannot
 * filter by path), so the handler asks this first and returns at once for anything else.
 */

export interface ImportTarget {
  eventId: string;
  fileName: string;
}

/**
 * `imports/{eventId}/{fileName}.csv` (the extension in any case, one level: no subfolders,
 * like storage.rules) → the event and file name; anything else → null.
 */
export function importTarget(objectName: string | undefined): ImportTarget | null {
  if (!objectName) return null;
  const match = /^imports\/([^/]+)\/([^/]+)$/.exec(objectName);
  if (!match) return null;
  const [, eventId, fileName] = match as unknown as [string, string, string];
  if (!/.\.csv$/i.test(fileName) || !isValidDocId(eventId)) return null;
  return { eventId, fileName };
}
