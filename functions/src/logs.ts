/**
 * Every log line of the functions, one named function each: consistent wording, structured
 * fields (certificate id, timings) that Cloud Logging indexes, easy to assert in tests.
 */
import * as logger from 'firebase-functions/logger';
import type { IssueLog } from './issue/issue-certificate.js';

export const issueLog: IssueLog = {
  ready: (fields) => logger.info('certificate ready', fields),
  failed: (fields) => logger.warn('certificate failed', fields),
  skipped: (fields) => logger.info('certificate skipped', fields),
  transient: (fields) => logger.warn('certificate attempt failed, will retry', fields),
};

export function logRetryExhausted(fields: Record<string, unknown>): void {
  logger.error('certificate retries exhausted', fields);
}

export function logInstanceReady(fields: { initMs: number }): void {
  logger.info('render instance ready', fields);
}

export function logCallableRejected(fields: Record<string, unknown>): void {
  logger.info('generateCertificate rejected', fields);
}

export function logPreview(fields: Record<string, unknown>): void {
  logger.info('template preview', fields);
}

export function logUnexpected(where: string, error: unknown): void {
  logger.error(`unexpected error in ${where}`, {
    error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
  });
}

export function logCorrection(fields: Record<string, unknown>): void {
  logger.info('certificate corrected', fields);
}

export function logRevoked(fields: Record<string, unknown>): void {
  logger.info('certificate revoked', fields);
}

export function logIssuance(message: string, fields: Record<string, unknown>): void {
  logger.info(message, fields);
}

export function logEventDeleted(fields: { eventId: string; revoked: number; documents: number; files: number }): void {
  logger.info('certforge: event deleted; its certificates revoked, speakers, records and files removed', fields);
}
