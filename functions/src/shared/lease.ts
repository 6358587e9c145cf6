/**
 * The one lease of certforge's claimed work: a certificate being rendered (the speaker's
 * `certificate`, issue/issue-certificate.ts) and an import being run (its report,
 * import/import-report.ts). An attempt claims the work in a transaction with an `attemptId` and
 * a `leaseUntil`; while the lease is live no other delivery takes it over; an attempt that hits
 * a transient failure releases it (leaseUntil 0) so that the redelivery takes over at once; an
 * attempt that died simply lets it run out.
 */
import { randomUUID } from 'node:crypto';
import type { DocumentReference } from 'firebase-admin/firestore';

/** What a leased record carries. */
export interface Leased {
  attemptId?: string;
  /** ms since epoch; 0 once released. */
  leaseUntil?: number;
}

/** True while another attempt's lease protects the work. */
export function leaseLive(held: Leased | undefined, now: number): boolean {
  return (held?.leaseUntil ?? 0) > now;
}

/** A new attempt's lease. */
export function newLease(now: number, leaseMs: number): { attemptId: string; leaseUntil: number } {
  return { attemptId: randomUUID(), leaseUntil: now + leaseMs };
}

/**
 * Releases the lease of `attemptId` on the record `at(data)` of `ref` (field path `field`), if
 * that attempt still holds it and `stillOpen(record)`: the next delivery may take over at once.
 */
export async function releaseLease(
  ref: DocumentReference,
  at: (data: Record<string, unknown> | undefined) => (Leased & { status?: unknown }) | undefined,
  field: string,
  attemptId: string,
  stillOpen: (record: Leased & { status?: unknown }) => boolean = () => true,
): Promise<void> {
  await ref.firestore.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    const record = at(snap.exists ? snap.data() : undefined);
    if (!record || record.attemptId !== attemptId || !stillOpen(record)) return;
    tx.update(ref, { [field]: 0 });
  });
}
