/**
 * What every part of the benchmark computes and prints the same way: medians and means, times in
 * the report's precision, and the list prices the bills are made of.
 */

export function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A time (or any figure) to three significant digits at most: 1234 → "1234", 12.34 → "12.3", 1.234 → "1.23". */
export const ms = (n: number): string =>
  Number.isNaN(n) ? '-' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);

/** List prices, USD, Tier 1 regions (europe-west1), before free tiers; Firestore Standard edition. */
export const PRICES = {
  /** Cloud Run functions, request-based billing. */
  vcpuSecond: 0.000024,
  gibSecond: 0.0000025,
  perMillionInvocations: 0.4,
  /** Cloud Storage Class A operations (object writes). */
  storageClassAPer10k: 0.05,
  firestoreReadsPer100k: 0.06,
  firestoreWritesPer100k: 0.18,
  tasksPerMillion: 0.4,
};
