/** Small readers of untyped values (Firestore documents, JSON files, request bodies). */

/** A trimmed, non-empty string (numbers as their decimal text), or undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Makes a Firestore value plain JSON for the template: Timestamps become ISO strings,
 * other class instances (GeoPoint, DocumentReference, bytes) are left out.
 */
export function plain(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) return value.map(plain).filter((item) => item !== undefined);
  if (value instanceof Date) return value.toISOString();
  if (isRecord(value)) {
    if (typeof (value as { toDate?: unknown }).toDate === 'function') {
      return ((value as { toDate(): Date }).toDate()).toISOString();
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = plain(item);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  }
  return undefined;
}

