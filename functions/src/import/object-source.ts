/**
 * The uploaded CSV in Cloud Storage: read once (the sha256 of the whole object, its bytes when
 * not too large) and, after the import, tagged with the import id and status in its custom
 * metadata (the file itself is kept as the record of what was imported).
 */
import { createHash } from 'node:crypto';
import type { ImportObject } from './import-report.js';
import { isNotFound, type Bucket } from '../shared/object-store.js';

export interface ReadObject {
  /** The content, or undefined when it is larger than maxBytes (then only hashed). */
  bytes: Buffer | undefined;
  size: number;
  /** Hex sha256 of the whole object. */
  sha256: string;
}

export interface ImportSource {
  /** null when the object (that generation) no longer exists. */
  read(object: ImportObject, maxBytes: number): Promise<ReadObject | null>;
  /** Merges `metadata` into the object's custom metadata. */
  mark(object: ImportObject, metadata: Record<string, string>): Promise<void>;
}

export function bucketImportSource(bucket: Bucket): ImportSource {
  const file = (object: ImportObject) =>
    bucket.file(object.path, object.generation ? { generation: Number(object.generation) } : {});
  return {
    read: (object, maxBytes) =>
      new Promise<ReadObject | null>((resolve, reject) => {
        const hash = createHash('sha256');
        const chunks: Buffer[] = [];
        let size = 0;
        file(object)
          .createReadStream()
          .on('data', (chunk: Buffer) => {
            hash.update(chunk);
            size += chunk.length;
            if (size <= maxBytes) chunks.push(chunk);
            else chunks.length = 0;
          })
          .on('error', (error) => (isNotFound(error) ? resolve(null) : reject(error)))
          .on('end', () =>
            resolve({ bytes: size <= maxBytes ? Buffer.concat(chunks) : undefined, size, sha256: hash.digest('hex') }),
          );
      }),
    mark: async (object, metadata) => {
      await file(object).setMetadata({ metadata });
    },
  };
}
