/**
 * The issuer's Ed25519 signing key. It lives in the secret CERTFORGE_ISSUER_KEY as JSON:
 * `{ "keyId": "2026-12", "publicKeyMultibase": "z6Mk…", "secretKeyMultibase": "zrv…" }`
 * (`npm run issuer-key -- <keyId>` makes one). The verification method of a credential is
 * `<verify base>/issuer#<keyId>`. Rotation: put a new key with a new id in the secret; the first
 * signature with it records its public half in `issuerKeys/{keyId}` (as every key before it), and
 * the issuer profile lists every recorded key, so credentials signed by retired keys still verify.
 */
import type { Firestore } from 'firebase-admin/firestore';
import { issuerKeyRef, issuerKeys } from '../shared/paths.js';
import { CredentialError } from './errors.js';

export interface IssuerKey {
  keyId: string;
  publicKeyMultibase: string;
  secretKeyMultibase: string;
}

/** A published key: what the issuer profile lists. */
export interface PublicIssuerKey {
  keyId: string;
  publicKeyMultibase: string;
  /** When this key first signed (ISO 8601). */
  firstUsedAt?: string;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const MULTIBASE = /^z[1-9A-HJ-NP-Za-km-z]{40,120}$/;

/** The secret's value → a key; ISSUER_KEY_INVALID with what is wrong (never the key itself). */
export function parseIssuerKey(secret: string | undefined): IssuerKey {
  if (!secret || !secret.trim())
    throw new CredentialError(
      'ISSUER_KEY_INVALID',
      'The secret CERTFORGE_ISSUER_KEY is empty: set it with the output of `npm run issuer-key`',
    );
  let value: unknown;
  try {
    value = JSON.parse(secret);
  } catch {
    throw new CredentialError(
      'ISSUER_KEY_INVALID',
      'The secret CERTFORGE_ISSUER_KEY is not JSON: set it with the output of `npm run issuer-key`',
    );
  }
  const key = value as Partial<IssuerKey>;
  const problems = [
    typeof key.keyId === 'string' && KEY_ID.test(key.keyId) ? undefined : 'keyId (1–64 of A-Z a-z 0-9 . _ -)',
    typeof key.publicKeyMultibase === 'string' &&
    key.publicKeyMultibase.startsWith('z6Mk') &&
    MULTIBASE.test(key.publicKeyMultibase)
      ? undefined
      : 'publicKeyMultibase (an Ed25519 Multikey, z6Mk…)',
    typeof key.secretKeyMultibase === 'string' &&
    key.secretKeyMultibase.startsWith('zrv') &&
    MULTIBASE.test(key.secretKeyMultibase)
      ? undefined
      : 'secretKeyMultibase (zrv…)',
  ].filter((p): p is string => p !== undefined);
  if (problems.length)
    throw new CredentialError(
      'ISSUER_KEY_INVALID',
      `The secret CERTFORGE_ISSUER_KEY lacks a valid ${problems.join(', ')}`,
      { fields: problems },
    );
  return {
    keyId: key.keyId!,
    publicKeyMultibase: key.publicKeyMultibase!,
    secretKeyMultibase: key.secretKeyMultibase!,
  };
}

/** A new key (for `npm run issuer-key` and the emulator's demo key). */
export async function generateIssuerKey(keyId: string): Promise<IssuerKey> {
  if (!KEY_ID.test(keyId))
    throw new CredentialError(
      'ISSUER_KEY_INVALID',
      `A key id is 1–64 of A-Z a-z 0-9 . _ -, got ${JSON.stringify(keyId)}`,
    );
  const { generate } = await import('@digitalbazaar/ed25519-multikey');
  const pair = await generate();
  return { keyId, publicKeyMultibase: pair.publicKeyMultibase, secretKeyMultibase: pair.secretKeyMultibase! };
}

/**
 * Records the key's public half under its id before it signs anything (once per instance and
 * key). A different public key already recorded under that id is ISSUER_KEY_CONFLICT.
 */
export async function publishIssuerKey(db: Firestore, key: IssuerKey, now: Date): Promise<void> {
  const ref = issuerKeyRef(db, key.keyId);
  await db.runTransaction(async (tx) => {
    const snap = await tx.get(ref);
    if (snap.exists) {
      if (snap.get('publicKeyMultibase') !== key.publicKeyMultibase) {
        throw new CredentialError(
          'ISSUER_KEY_CONFLICT',
          `Another public key is already published as issuer key ${key.keyId}: give the new key a new keyId (npm run issuer-key -- <new id>)`,
          { keyId: key.keyId },
        );
      }
      return;
    }
    tx.create(ref, { publicKeyMultibase: key.publicKeyMultibase, firstUsedAt: now.toISOString() });
  });
}

/** Every published key, oldest first. */
export async function publishedIssuerKeys(db: Firestore): Promise<PublicIssuerKey[]> {
  const snap = await issuerKeys(db).get();
  return snap.docs
    .map((doc) => ({
      keyId: doc.id,
      publicKeyMultibase: String(doc.get('publicKeyMultibase')),
      firstUsedAt: doc.get('firstUsedAt') as string | undefined,
    }))
    .filter((key) => MULTIBASE.test(key.publicKeyMultibase))
    .sort((a, b) => (a.firstUsedAt ?? '').localeCompare(b.firstUsedAt ?? '') || a.keyId.localeCompare(b.keyId));
}
