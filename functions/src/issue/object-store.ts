/**
 * The few Cloud Storage operations certforge needs, over a @google-cloud/storage Bucket
 * (firebase-admin's getStorage().bucket()). Narrow on purpose: the issuing path depends on
 * this interface, and the fault-injection tests wrap it.
 */
import { getDownloadURL, type getStorage } from 'firebase-admin/storage';

/** firebase-admin's bucket type (@google-cloud/storage's Bucket, without depending on it directly). */
export type Bucket = ReturnType<ReturnType<typeof getStorage>['bucket']>;

export interface UploadOptions {
  contentType: string;
  cacheControl: string;
  contentDisposition?: string;
  /** Custom metadata (string values). */
  metadata: Record<string, string>;
}

export interface ObjectStore {
  readonly bucketName: string;
  upload(path: string, bytes: Uint8Array, options: UploadOptions): Promise<void>;
  download(path: string): Promise<Uint8Array>;
  /** The object's generation, or undefined when it does not exist. */
  generation(path: string): Promise<string | undefined>;
  /** Names of the objects under `prefix`. */
  list(prefix: string): Promise<string[]>;
  /** Deletes the object; absent is fine. */
  remove(path: string): Promise<void>;
  /** A Firebase download URL (token-based; the token is set at upload). */
  downloadUrl(path: string): Promise<string>;
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 404;
}

export function bucketStore(bucket: Bucket): ObjectStore {
  return {
    bucketName: bucket.name,
    async upload(path, bytes, options) {
      await bucket.file(path).save(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        resumable: false,
        validation: 'md5',
        contentType: options.contentType,
        metadata: {
          cacheControl: options.cacheControl,
          ...(options.contentDisposition ? { contentDisposition: options.contentDisposition } : {}),
          metadata: options.metadata,
        },
      });
    },
    async download(path) {
      const [buffer] = await bucket.file(path).download();
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    },
    async generation(path) {
      try {
        const [metadata] = await bucket.file(path).getMetadata();
        return metadata.generation === undefined ? undefined : String(metadata.generation);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async list(prefix) {
      const [files] = await bucket.getFiles({ prefix, autoPaginate: true });
      return files.map((file) => file.name);
    },
    async remove(path) {
      await bucket.file(path).delete({ ignoreNotFound: true });
    },
    downloadUrl(path) {
      return getDownloadURL(bucket.file(path));
    },
  };
}
