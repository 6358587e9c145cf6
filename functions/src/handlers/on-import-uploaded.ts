/**
 * Storage object finalized in the import bucket (CERTFORGE_IMPORT_BUCKET; the default bucket when it
 * is empty) → import of people, for `imports/{eventId}/{file}` (speakers) and
 * `imports/{eventId}/{role}/{file}` (attendees, volunteers, ...), a .csv, .tsv, .txt, .xlsx or
 * .json file (import/filters.ts; a Storage trigger sees every upload to its bucket, certificates
 * included, and cannot filter by path: anything else returns at once).
 *
 * The work is import/run-import.ts; the report goes to events/{eventId}/imports/{sha256}.
 * Delivery is at least once and the import idempotent: a transient failure is rethrown so
 * the platform redelivers (the trigger has retry on) until the upload is older than
 * CERTFORGE_MAX_RETRY_AGE_MINUTES, then the report is rejected with RETRY_EXHAUSTED.
 */
import { getStorage } from 'firebase-admin/storage';
import type { StorageEvent } from 'firebase-functions/v2/storage';
import { app, firestore, retryWindowMs } from '../firebase-app.js';
import { columnChoicesOf, importTarget } from '../import/filters.js';
import { logImportIgnored } from '../logs.js';
import { bucketImportSource } from '../import/object-source.js';
import { runImport, type ImportDeps } from '../import/run-import.js';
import { IMPORT_TIMEOUT_SECONDS } from '../config.js';

export async function handleImportUploaded(event: StorageEvent): Promise<void> {
  const { name, bucket, generation, metadata } = event.data;
  const target = importTarget(name);
  if (!target) {
    // Certificates and templates land here too: only near misses are worth a log line.
    if (name?.startsWith('imports/'))
      logImportIgnored({ path: name, reason: 'not imports/{eventId}/[{role}/]{file}.csv|tsv|txt|xlsx|json' });
    return;
  }
  const deps: ImportDeps = {
    db: firestore(),
    source: bucketImportSource(getStorage(app()).bucket(bucket)),
    leaseMs: (IMPORT_TIMEOUT_SECONDS + 30) * 1000,
    maxRetryAgeMs: retryWindowMs(),
  };
  await runImport(deps, {
    object: { bucket, path: name, generation: String(generation ?? ''), ...target, ...withChoices(metadata) },
    deliveryId: event.id,
    time: event.time,
  });
}

function withChoices(metadata: Record<string, string> | undefined): {
  columnChoices?: ReturnType<typeof columnChoicesOf>;
} {
  const columnChoices = columnChoicesOf(metadata);
  return columnChoices ? { columnChoices } : {};
}
