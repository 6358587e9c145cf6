import { onObjectFinalized } from 'firebase-functions/v2/storage';
import { IMPORT_TIMEOUT_SECONDS, importBucket } from '../config.js';
import './global-options.js';
import { lazy } from './lazy.js';

// CSV import of speakers (docs/csv-import.md). A Storage trigger fires for every object of its
// bucket (CERTFORGE_IMPORT_BUCKET, or the default bucket, where certificates are stored too);
// the handler returns at once for anything but imports/{eventId}/*.csv.
export const onImportUploaded = onObjectFinalized(
  { bucket: importBucket(), retry: true, timeoutSeconds: IMPORT_TIMEOUT_SECONDS },
  lazy(() => import('../handlers/on-import-uploaded.js').then((m) => m.handleImportUploaded)),
);
