/** Small readers of untyped values (Firestore documents, JSON files, request bodies). */
import { toIso, type FirestoreDate } from './model.js';

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
    if (typeof (value as { toDate?: unknown }).toDate === 'function') return toIso(value as FirestoreDate);
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

/** `value` cut to at most `max` characters (code points), the last one '…' when it was longer. */
export function excerpt(value: string, max: number): string {
  if (value.length <= max) return value;
  let count = 0;
  let offset = 0;
  let cut = 0;
  for (const ch of value) {
    if (++count > max) return `${value.slice(0, cut)}…`;
    offset += ch.length;
    if (count === max - 1) cut = offset;
  }
  return value;
}

/**
 * How deeply lists and objects nest in `value` (a scalar is 0, `{}` and `[]` are 1), counted
 * without recursion and only up to `limit + 1`: a value nested 5,000 levels deep costs no stack
 * and is not walked further than needed to know it is too deep.
 */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Equal as stored JSON values (objects compared key by key, whatever their order). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const list = b as unknown[];
    return a.length === list.length && a.every((item, i) => sameValue(item, list[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return (
    keys.length === Object.keys(right).length &&
    keys.every((key) => Object.hasOwn(right, key) && sameValue(left[key], right[key]))
  );
}
