/**
 * SHA-256 of a PDF and comparison with the hash recorded when the certificate was issued.
 * Hashes are lower-case hex (64 characters), as `certificates/{id}.sha256` stores them.
 */
import { timingSafeEqual } from 'node:crypto';
import { sha256Hex } from '../shared/hash.js';

const HEX_64 = /^[0-9a-f]{64}$/;

export { sha256Hex };

/**
 * A hash as a visitor may type or paste it: surrounding spaces, upper case, a `sha256:` or
 * `sha256=` prefix and inner spaces/colons (as some tools group the digits) are accepted.
 * Returns the 64 lower-case hex digits, or undefined when it is not a SHA-256.
 */
export function normalizeSha256(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 200) return undefined;
  const hex = input
    .trim()
    .toLowerCase()
    .replace(/^sha-?256[:=]\s*/, '')
    .replace(/[\s:]/g, '');
  return HEX_64.test(hex) ? hex : undefined;
}

/** True when both are the same SHA-256 (any accepted spelling); false for anything malformed. */
export function sameSha256(expected: string, candidate: string): boolean {
  const a = normalizeSha256(expected);
  const b = normalizeSha256(candidate);
  if (!a || !b) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
