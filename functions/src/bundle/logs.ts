/** The print bundle's log lines, one named function each (structured fields for Cloud Logging). */
import * as logger from 'firebase-functions/logger';

export function logBundleRejected(fields: Record<string, unknown>): void {
  logger.info('buildPrintBundle rejected', fields);
}

export function logBundleReady(fields: Record<string, unknown>): void {
  logger.info('print bundle ready', fields);
}

export function logBundleFailed(fields: Record<string, unknown>): void {
  logger.warn('print bundle failed', fields);
}
