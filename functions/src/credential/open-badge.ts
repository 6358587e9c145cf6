/**
 * Open Badges 3.0: every certificate version is an `OpenBadgeCredential` (VC 2.0 data model),
 * secured with a Data Integrity proof, cryptosuite eddsa-rdfc-2022, by the issuer's Ed25519 key.
 * Pure: no Firestore, no clock (dates come in), contexts bundled (contexts.ts). The libraries
 * are Digital Bazaar's (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022-cryptosuite,
 * ed25519-multikey, vc-bitstring-status-list), loaded on first use: they cost ~0.3 s to import,
 * which only instances that sign or verify pay.
 */
import { createHash, randomBytes } from 'node:crypto';
import { MULTIKEY_CONTEXT, OB_V3_CONTEXT, VC_V2_CONTEXT, documentLoader, loadBundledContexts } from './contexts.js';
import type { IssuerKey, PublicIssuerKey } from './issuer-key.js';
import type { PdfAttachment } from '../render/index.js';

/** The media type of a VC 2.0 credential (also accepted: application/vc+ld+json). */
export const CREDENTIAL_MEDIA_TYPE = 'application/vc';
export const CREDENTIAL_FILE_NAME = 'credential.json';

/** The credential (`json`: its text) as the PDF's associated file: an alternative, machine-verifiable form of the certificate. */
export function credentialAttachment(json: string): PdfAttachment {
  return {
    name: CREDENTIAL_FILE_NAME,
    text: json,
    description: 'Open Badges 3.0 credential (signed, verifiable)',
    mimeType: CREDENTIAL_MEDIA_TYPE,
    relationship: 'alternative',
  };
}

/** Who signs: one issuer per deployment (params CERTFORGE_ISSUER_NAME, CERTFORGE_ISSUER_URL). */
export interface Issuer {
  /** The profile's id: `<verify base>/issuer`. */
  id: string;
  name: string;
  /** The issuer's web site (OB 3.0 Profile.url). */
  url: string;
}

export interface CredentialInput {
  /** The certificate's verification URL: the credential's id. */
  verifyUrl: string;
  recipientName: string;
  /** Hashed with a random salt (OB 3.0 IdentityObject); never stored in clear. */
  email?: string;
  /** The role's English name: `Speaker`, `Attendee`, `Volunteer`, or the organizer's label. */
  role: string;
  /** The role id (`attendee`, `volunteer`): the achievement's id is per event and role id (speakers: per `Speaker`, as before roles). */
  roleId?: string;
  /** The role's wording from the event (the achievement's description). */
  wording?: string;
  /** The attendance the certificate was earned with, in words (the credential's evidence). */
  evidence?: string;
  talkTitle?: string;
  eventName: string;
  /** YYYY-MM-DD: validFrom. */
  eventIsoDate?: string;
  /** As printed on the certificate. */
  eventDate?: string;
  eventPlace?: string;
  /** The event's organization (event.issuer), the achievement's creator. */
  organizer: string;
  /** An opaque, stable key of the event (not its id): the achievement's id. */
  eventKey: string;
  issuedAt: Date;
  /** When the certificate's validity starts (a renewal: its moment); default the event date, else issuedAt. */
  validFrom?: Date;
  /** When it expires (event.validity): the credential's validUntil. */
  validUntil?: Date;
  status: { listUrl: string; index: number };
  /** Tests pin it; otherwise 16 random bytes. */
  salt?: string;
}

export type Credential = Record<string, unknown> & { proof?: Record<string, unknown> | Record<string, unknown>[] };

/** A deterministic urn:uuid (RFC 4122 v8 layout) from `parts`, so ids repeat for the same input. */
function urnUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const instant = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** OB 3.0 identityHash of an email: `sha256$` + hex sha256 of the lower-cased address and the salt. */
export function emailIdentityHash(email: string, salt: string): string {
  return `sha256$${createHash('sha256')
    .update(email.trim().toLowerCase() + salt)
    .digest('hex')}`;
}

/** The unsigned credential of one certificate version. */
export function openBadgeCredential(input: CredentialInput, issuer: Issuer): Credential {
  const achievementName = `${input.role} at ${input.eventName}`;
  const when = [input.eventDate, input.eventPlace].filter(Boolean).join(', ');
  const description = input.wording
    ? input.wording
    : input.talkTitle
      ? `Presented the talk “${input.talkTitle}” at ${input.eventName}${when ? ` (${when})` : ''}.`
      : `${input.role} at ${input.eventName}${when ? ` (${when})` : ''}.`;
  const identifiers: object[] = [
    { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: input.recipientName },
  ];
  if (input.email) {
    const salt = input.salt ?? randomBytes(16).toString('base64url');
    identifiers.push({
      type: 'IdentityObject',
      identityType: 'emailAddress',
      hashed: true,
      identityHash: emailIdentityHash(input.email, salt),
      salt,
    });
  }
  // Valid from the event's day, or from the issue when that comes first (a speaker's certificate
  // issued before the event): a credential is never valid only in the future.
  const eventStart =
    input.eventIsoDate && /^\d{4}-\d{2}-\d{2}$/.test(input.eventIsoDate)
      ? `${input.eventIsoDate}T00:00:00Z`
      : undefined;
  const validFrom = input.validFrom
    ? instant(input.validFrom)
    : eventStart && Date.parse(eventStart) <= input.issuedAt.getTime()
      ? eventStart
      : instant(input.issuedAt);
  return {
    '@context': [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: input.verifyUrl,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: achievementName,
    issuer: { id: issuer.id, type: ['Profile'], name: issuer.name, url: issuer.url },
    validFrom,
    ...(input.validUntil ? { validUntil: instant(input.validUntil) } : {}),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: identifiers,
      achievement: {
        id: urnUuid(
          'achievement',
          input.eventKey,
          input.roleId && input.roleId !== 'speaker' ? input.roleId : input.role,
        ),
        type: ['Achievement'],
        name: achievementName,
        description,
        criteria: {
          narrative: `${input.role === 'Speaker' ? 'Presented a talk' : `Took part as ${input.role.toLowerCase()}`} at ${input.eventName}${when ? `, ${when}` : ''}.`,
        },
        creator: { id: urnUuid('organizer', input.organizer), type: ['Profile'], name: input.organizer },
      },
    },
    ...(input.evidence ? { evidence: [{ type: ['Evidence'], name: 'Attendance', narrative: input.evidence }] } : {}),
    credentialStatus: {
      id: `${input.status.listUrl}#${input.status.index}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: String(input.status.index),
      statusListCredential: input.status.listUrl,
    },
  };
}

/** The Multikey verification method of a key (what `<issuer>#<keyId>` resolves to). */
export function verificationMethod(
  issuer: Pick<Issuer, 'id'>,
  key: Pick<PublicIssuerKey, 'keyId' | 'publicKeyMultibase'>,
) {
  return {
    '@context': MULTIKEY_CONTEXT,
    id: `${issuer.id}#${key.keyId}`,
    type: 'Multikey',
    controller: issuer.id,
    publicKeyMultibase: key.publicKeyMultibase,
  };
}

/** The issuer profile served at `issuer.id`: an OB 3.0 Profile that lists every published key. */
export function issuerProfile(issuer: Issuer, keys: readonly PublicIssuerKey[]) {
  return {
    '@context': [
      VC_V2_CONTEXT,
      OB_V3_CONTEXT,
      MULTIKEY_CONTEXT,
      { assertionMethod: { '@id': 'https://w3id.org/security#assertionMethod', '@type': '@id', '@container': '@set' } },
    ],
    id: issuer.id,
    type: ['Profile'],
    name: issuer.name,
    url: issuer.url,
    assertionMethod: keys.map((key) => {
      const { '@context': _context, ...method } = verificationMethod(issuer, key);
      return method;
    }),
  };
}

/**
 * What a verifier resolves from the issuer: the profile at `issuer.id`, a key at
 * `<issuer.id>#<keyId>` (dereferenced in the profile's keys), and anything else (the status lists)
 * through `other`. `keys` is read at most once per resolver, so one verification reads the
 * published keys once however many documents it resolves.
 */
export function issuerResolver(
  issuer: Issuer,
  keys: readonly PublicIssuerKey[] | (() => Promise<readonly PublicIssuerKey[]> | readonly PublicIssuerKey[]),
  other: (url: string) => Promise<object | undefined> | object | undefined = () => undefined,
): (url: string) => Promise<object | undefined> {
  let read: Promise<readonly PublicIssuerKey[]> | undefined;
  const published = () => (read ??= Promise.resolve(typeof keys === 'function' ? keys() : keys));
  return async (url) => {
    if (url === issuer.id) return issuerProfile(issuer, await published());
    if (url.startsWith(`${issuer.id}#`)) {
      const keyId = url.slice(issuer.id.length + 1);
      const key = (await published()).find((k) => k.keyId === keyId);
      return key ? verificationMethod(issuer, key) : undefined;
    }
    return other(url);
  };
}

let libraries:
  | Promise<{
      vc: typeof import('@digitalbazaar/vc');
      DataIntegrityProof: typeof import('@digitalbazaar/data-integrity').DataIntegrityProof;
      cryptosuite: unknown;
      multikey: typeof import('@digitalbazaar/ed25519-multikey');
      statusList: typeof import('@digitalbazaar/vc-bitstring-status-list');
    }>
  | undefined;

function loadLibraries() {
  libraries ??= Promise.all([
    import('@digitalbazaar/vc'),
    import('@digitalbazaar/data-integrity'),
    import('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'),
    import('@digitalbazaar/ed25519-multikey'),
    import('@digitalbazaar/vc-bitstring-status-list'),
  ]).then(([vc, di, suite, multikey, statusList]) => ({
    vc,
    DataIntegrityProof: di.DataIntegrityProof,
    cryptosuite: suite.cryptosuite,
    multikey,
    statusList,
  }));
  libraries.catch(() => {
    libraries = undefined;
  });
  return libraries;
}

/**
 * Loads the signing and verifying libraries and the bundled contexts without signing anything:
 * an issuing function starts this on its first call, beside its handler's modules (their file
 * reads overlap), instead of after them in its first signature.
 */
export async function preloadCredentialLibraries(): Promise<void> {
  await Promise.all([loadLibraries(), loadBundledContexts()]);
}

/** Signs `credential` with `key`; `created` is the proof's date (the issue time). */
export async function signCredential(
  credential: Credential,
  key: IssuerKey,
  issuer: Pick<Issuer, 'id'>,
  created: Date,
): Promise<Credential> {
  const { vc, DataIntegrityProof, cryptosuite, multikey } = await loadLibraries();
  const pair = await multikey.from({ ...verificationMethod(issuer, key), secretKeyMultibase: key.secretKeyMultibase });
  const suite = new DataIntegrityProof({ signer: pair.signer(), cryptosuite, date: instant(created) });
  const signed = (await vc.issue({
    credential: structuredClone(credential),
    suite,
    documentLoader: documentLoader(),
    now: created,
  })) as Credential;
  // A set of one proof: Open Badges 3.0's schema has `proof` as an array (0..*), and every
  // verifier reads a proof set (the canonical document and the signature are the same).
  return signed.proof && !Array.isArray(signed.proof) ? { ...signed, proof: [signed.proof] } : signed;
}

export interface CredentialCheck {
  /** Signature valid, by a key the issuer profile lists, and the status list says not revoked. */
  verified: boolean;
  signature: boolean;
  /** False when the status bit is set (revoked or replaced), undefined when it could not be checked. */
  status?: boolean;
  errors: string[];
}

/**
 * Verifies a credential the way any verifier would, with the same libraries: the proof over the
 * canonical form (eddsa-rdfc-2022), the key through `resolve` (the issuer profile and its keys,
 * the status list credential), and the Bitstring Status List entry. `resolve` returns the
 * document served at a URL, or undefined.
 */
export async function verifyCredential(
  credential: unknown,
  resolve: (url: string) => Promise<object | undefined> | object | undefined,
  now?: Date,
): Promise<CredentialCheck> {
  const { vc, DataIntegrityProof, cryptosuite, statusList } = await loadLibraries();
  const loader = documentLoader(resolve);
  const suite = new DataIntegrityProof({ cryptosuite });
  const result = await vc.verifyCredential({
    credential: credential as object,
    suite,
    documentLoader: loader,
    checkStatus: (options) =>
      statusList.checkStatus({
        ...options,
        suite,
        verifyBitstringStatusListCredential: true,
        verifyMatchingIssuers: true,
      }),
    ...(now ? { now } : {}),
  });
  const errors = collectErrors(result);
  const signature = Array.isArray(result.results)
    ? result.results.some((r) => (r as { verified?: boolean }).verified === true)
    : false;
  // The status check "verifies" when it could read and check the list; each entry's `status`
  // is the bit itself (true: revoked or replaced), which the vc library leaves to the caller.
  const statusResult = result.statusResult as { verified?: boolean; results?: Array<{ status?: boolean }> } | undefined;
  const status =
    statusResult?.verified === true ? !(statusResult.results ?? []).some((r) => r.status === true) : undefined;
  if (status === false) errors.push('The credential is revoked (its status list bit is set)');
  return { verified: result.verified === true && status === true, signature, status, errors };
}

function collectErrors(result: { error?: unknown; results?: unknown[]; statusResult?: { error?: unknown } }): string[] {
  const out: string[] = [];
  const add = (error: unknown) => {
    if (!error) return;
    if (Array.isArray(error)) return error.forEach(add);
    const e = error as { message?: string; errors?: unknown[] };
    if (Array.isArray(e.errors)) e.errors.forEach(add);
    if (e.message && !out.includes(e.message)) out.push(e.message);
  };
  add(result.error);
  for (const r of result.results ?? []) add((r as { error?: unknown }).error);
  add(result.statusResult?.error);
  return out;
}

/** Length of every status list, in positions (16 KiB: the Bitstring Status List's minimum, for herd privacy). */
export const STATUS_LIST_LENGTH = 131_072;

/** The signed BitstringStatusListCredential of `listUrl` with `setIndexes` set (revoked or replaced). */
export async function statusListCredential(
  listUrl: string,
  setIndexes: Iterable<number>,
  key: IssuerKey,
  issuer: Issuer,
  now: Date,
): Promise<Credential> {
  const { statusList } = await loadLibraries();
  const list = await statusList.createList({ length: STATUS_LIST_LENGTH });
  for (const index of setIndexes)
    if (Number.isInteger(index) && index >= 0 && index < STATUS_LIST_LENGTH) list.setStatus(index, true);
  const unsigned = await statusList.createCredential({ id: listUrl, list, statusPurpose: 'revocation' });
  return signCredential({ ...unsigned, issuer: issuer.id, validFrom: instant(now) }, key, issuer, now);
}
