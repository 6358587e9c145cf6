/**
 * The few Cloud Storage operations certforge needs, over a @google-cloud/storage Bucket
 * (firebase-admin's getStorage().bucket()). Narrow on purpose: the issuing path depends on
 * this interface, and the fault-injection tests wrap it.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { getStorage } from 'firebase-admin/storage';

/** firebase-admin's bucket type (@google-cloud/storage's Bucket, without depending on it directly). */
export type Bucket = ReturnType<ReturnType<typeof getStorage>['bucket']>;

export interface UploadOptions {
  contentType: string;
  cacheControl: string;
  contentDisposition?: string;
  /** Custom metadata (string values). */
  metadata: Record<string, string>;
}

export interface StreamUploadOptions extends UploadOptions {
  /**
   * Custom metadata known only once everything is written (e.g. the sha256), merged into the
   * object's metadata after the upload and before the stream finishes.
   */
  finalMetadata?: () => Record<string, string>;
}

export interface ObjectStore {
  readonly bucketName: string;
  upload(path: string, bytes: Uint8Array, options: UploadOptions): Promise<void>;
  /**
   * An upload written as a stream (one request, not resumable). 'finish' means stored, with
   * `finalMetadata`; destroy it (or let a write fail) to abandon: nothing is stored then.
   */
  uploadStream(path: string, options: StreamUploadOptions): Writable;
  download(path: string): Promise<Uint8Array>;
  /** The object's generation, or undefined when it does not exist. */
  generation(path: string): Promise<string | undefined>;
  /** The object's custom metadata, or undefined when it does not exist. */
  customMetadata(path: string): Promise<Record<string, string> | undefined>;
  /** Names of the objects under `prefix`. */
  list(prefix: string): Promise<string[]>;
  /** Deletes the object; absent is fine. */
  remove(path: string): Promise<void>;
  /** Replaces the object's Firebase download token, so that earlier download URLs stop working; absent is fine. */
  rotateDownloadToken(path: string): Promise<void>;
  /** A Firebase download URL (token-based; the token is set at upload, created if missing). */
  downloadUrl(path: string): Promise<string>;
}

/** Single-request upload (no resumable session), md5-checked, with our object metadata. */
function writeOptions(options: UploadOptions) {
  return {
    resumable: false,
    validation: 'md5' as const,
    contentType: options.contentType,
    metadata: {
      cacheControl: options.cacheControl,
      ...(options.contentDisposition ? { contentDisposition: options.contentDisposition } : {}),
      metadata: options.metadata,
    },
  };
}

/** A Cloud Storage "no such object" error. */
export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 404;
}

/** The object's bytes, or undefined when it does not exist. */
export async function downloadIfExists(store: ObjectStore, path: string): Promise<Uint8Array | undefined> {
  try {
    return await store.download(path);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export function bucketStore(bucket: Bucket): ObjectStore {
  return {
    bucketName: bucket.name,
    async upload(path, bytes, options) {
      await bucket
        .file(path)
        .save(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), writeOptions(options));
    },
    uploadStream(path, options) {
      const file = bucket.file(path);
      const target = file.createWriteStream(writeOptions(options));
      // A plain forwarding Writable, so that 'finish' comes after the final metadata is set.
      let failed: Error | undefined;
      target.on('error', (error) => {
        failed = error;
      });
      return new Writable({
        write(chunk: Buffer, _encoding, callback) {
          if (failed) return callback(failed);
          if (target.write(chunk)) return callback();
          const onDrain = () => {
            target.off('error', onError);
            callback();
          };
          const onError = (error: Error) => {
            target.off('drain', onDrain);
            callback(error);
          };
          target.once('drain', onDrain).once('error', onError);
        },
        final(callback) {
          if (failed) return callback(failed);
          // end()'s callback gets the upload's error, if any (Node >= 15), else runs on 'finish'.
          target.end((error?: Error | null) => {
            if (error) return callback(error);
            const extra = options.finalMetadata?.();
            if (!extra) return callback();
            file.setMetadata({ metadata: extra }).then(() => callback(), callback);
          });
        },
        destroy(error, callback) {
          // Aborts the request: a simple upload stores nothing unless it completes.
          if (!target.destroyed) target.destroy(error ?? new Error('upload abandoned'));
          callback(error);
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
    async customMetadata(path) {
      try {
        const [metadata] = await bucket.file(path).getMetadata();
        return Object.fromEntries(Object.entries(metadata.metadata ?? {}).map(([k, v]) => [k, String(v)]));
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
    async rotateDownloadToken(path) {
      try {
        await bucket.file(path).setMetadata({ metadata: { firebaseStorageDownloadTokens: randomUUID() } });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
    async downloadUrl(path) {
      // What firebase-admin's getDownloadURL() builds, from the token set at upload, read with
      // the GCS JSON API (getDownloadURL asks the Firebase endpoint, which the Storage
      // emulator puts behind the security rules).
      const file = bucket.file(path);
      const [metadata] = await file.getMetadata();
      let token = String(metadata.metadata?.firebaseStorageDownloadTokens ?? '').split(',')[0];
      if (!token) {
        token = randomUUID();
        await file.setMetadata({ metadata: { firebaseStorageDownloadTokens: token } });
      }
      return tokenDownloadUrl(bucket.name, path, token);
    },
  };
}

/** The Firebase download URL of an object whose `firebaseStorageDownloadTokens` holds `token`. */
export function tokenDownloadUrl(bucketName: string, path: string, token: string): string {
  const emulator = process.env.FIREBASE_STORAGE_EMULATOR_HOST ?? process.env.STORAGE_EMULATOR_HOST;
  const origin = emulator
    ? emulator.startsWith('http')
      ? emulator
      : `http://${emulator}`
    : 'https://firebasestorage.googleapis.com';
  return `${origin}/v0/b/${bucketName}/o/${encodeURIComponent(path)}?alt=media&token=${token}`;
}
