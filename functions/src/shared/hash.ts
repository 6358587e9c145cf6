/** SHA-256, the two ways certforge writes it: hex for file hashes, base64url for opaque document ids. */
import { createHash } from 'node:crypto';

/** Lower-case hex SHA-256 of bytes (or UTF-8 text): what certificate records and file metadata store. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** base64url SHA-256 of text, optionally cut to `length` characters: ids that reveal nothing of what they name. */
export function sha256Id(text: string, length?: number): string {
  const id = createHash('sha256').update(text).digest('base64url');
  return length === undefined ? id : id.slice(0, length);
}
