/**
 * The issuer's Ed25519 signing key. It lives in the secret CERTFORGE_ISSUER_KEY as JSON:
 * `{ "keyId": "2026-12", "publicKeyMultibase": "z6Mk…", "secretKeyMultibase": "zr…" }`
 * (`npm run issuer-key -- <keyId>` makes one). The verification method of a credential is
 * `<verify base>/issuer#<keyId>`. Rotation: put a new key with a new id in the secret; the first
 * signature with it records its public half in `issuerKeys/{keyId}` (as every key before it), and
 * the issuer profile lists every recorded key, so credentials signed by retired keys still verify.
 */
import { decode as decodeBase58 } from 'base58-universal';
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
/** Multicodec headers of Ed25519 keys (varint 0xed / 0x1300): what a Multikey's bytes start with. */
const PUBLIC_HEADER = [0xed, 0x01];
const SECRET_HEADER = [0x80, 0x26];

/**
 * Whether `value` is a base58btc multibase (`z…`) Ed25519 key: the multicodec header, then 32
 * bytes (a secret may carry its public half: 64). Checked on the bytes: the text's first
 * characters after `z6Mk` / `zr` vary with the key.
 */
function isMultikey(value: unknown, header: number[], lengths: number[]): value is string {
  if (typeof value !== 'string' || !value.startsWith('z') || value.length > 200) return false;
  let bytes: Uint8Array;
  try {
    bytes = decodeBase58(value.slice(1));
  } catch {
    return false;
  }
  return header.every((b, i) => bytes[i] === b) && lengths.includes(bytes.length - header.length);
}

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
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CredentialError(
      'ISSUER_KEY_INVALID',
      'The secret CERTFORGE_ISSUER_KEY is not a JSON object: set it with the output of `npm run issuer-key`',
    );
  const key = value as Partial<IssuerKey>;
  const problems = [
    typeof key.keyId === 'string' && KEY_ID.test(key.keyId) ? undefined : 'keyId (1–64 of A-Z a-z 0-9 . _ -)',
    isMultikey(key.publicKeyMultibase, PUBLIC_HEADER, [32])
      ? undefined
      : 'publicKeyMultibase (an Ed25519 Multikey, z6Mk…)',
    isMultikey(key.secretKeyMultibase, SECRET_HEADER, [32, 64])
      ? undefined
      : 'secretKeyMultibase (an Ed25519 secret Multikey, zr…)',
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

/**
 * Whether the secret and public halves belong together: a signature made with the secret
 * verifies with the public key. A secret stored beside another key's public half would
 * otherwise sign every credential with a key the issuer profile does not list, and each
 * would fail verification ("Invalid signature") long after it was issued. ISSUER_KEY_INVALID
 * when they do not match.
 */
export async function checkIssuerKeyPair(key: IssuerKey): Promise<void> {
  const { from } = await import('@digitalbazaar/ed25519-multikey');
  const probe = new TextEncoder().encode(`certforge issuer key check ${key.keyId}`);
  let matches: boolean;
  try {
    const pair = await from({
      type: 'Multikey',
      publicKeyMultibase: key.publicKeyMultibase,
      secretKeyMultibase: key.secretKeyMultibase,
    });
    const signature = await pair.signer().sign({ data: probe });
    matches = await pair.verifier().verify({ data: probe, signature });
  } catch {
    matches = false;
  }
  if (!matches)
    throw new CredentialError(
      'ISSUER_KEY_INVALID',
      `The secret CERTFORGE_ISSUER_KEY holds a publicKeyMultibase that does not belong to its secretKeyMultibase (key ${key.keyId}): set it with the output of \`npm run issuer-key\``,
      { keyId: key.keyId, fields: ['publicKeyMultibase'] },
    );
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
    .filter((key) => isMultikey(key.publicKeyMultibase, PUBLIC_HEADER, [32]))
    .sort((a, b) => (a.firstUsedAt ?? '').localeCompare(b.firstUsedAt ?? '') || a.keyId.localeCompare(b.keyId));
}
