/**
 * The Firestore side of credentials, one instance per function instance: publishes the issuer
 * key before it first signs, takes status list positions, signs each certificate version's
 * OpenBadgeCredential, and serves what verifiers resolve (the issuer profile, its keys, the
 * status lists, built from the registry's statuses). It owns the one cache of the layer: signed
 * status lists by their set bits. Each request reads the list's revoked and replaced entries (a
 * revocation shows at once); the list is signed again only when that set changed.
 */
import { randomInt } from 'node:crypto';
import type { Firestore } from 'firebase-admin/firestore';
import { ByteLru } from '../render/index.js';
import {
  eventKey,
  isStatusListId,
  publicUrls,
  registries,
  statusIndexRef,
  statusListId,
  statusListRef,
} from '../shared/paths.js';
import { CredentialError } from './errors.js';
import { checkIssuerKeyPair, publishIssuerKey, publishedIssuerKeys, type IssuerKey } from './issuer-key.js';
import {
  STATUS_LIST_LENGTH,
  issuerResolver,
  openBadgeCredential,
  signCredential,
  statusListCredential,
  verifyCredential,
  type Credential,
  type CredentialCheck,
  type CredentialInput,
  type Issuer,
} from './open-badge.js';

export interface CredentialSettings {
  verifyBaseUrl: string;
  issuerName: string;
  /** The issuer's web site; empty: the verify base. */
  issuerUrl: string;
  /** The signing key (the secret), read when first needed. */
  key: () => IssuerKey;
}

/** What a certificate version's credential is made from (the service adds issuer and status). */
export type CredentialRequest = Omit<CredentialInput, 'status' | 'eventKey'> & {
  eventId: string;
  certificateId: string;
};

export interface IssuedCredential {
  credential: Credential;
  /** The credential as text, serialized once: the PDF's credential.json and the registry's copy are these bytes. */
  json: string;
  /** Its status list and position, recorded on the registry entry. */
  statusList: string;
  statusIndex: number;
}

/** Registry statuses whose status list bit is set. */
export const STATUS_SET = ['revoked', 'superseded'] as const;
/** Random tries for a free position in one list before the next list of the event. */
const TRIES_PER_LIST = 16;
const MAX_LISTS = 64;

export class CredentialService {
  private readonly published = new Map<string, Promise<void>>();
  /** Signed status lists, by list id and its set bits (4 MiB, 200 lists: a list is ~1 KB signed). */
  private readonly lists = new ByteLru<string, Credential>(4 * 1024 * 1024, 200);
  /** Status lists known to have been issued (ids only; bounded by the lists this instance served). */
  private readonly issuedLists = new Set<string>();

  constructor(
    private readonly db: Firestore,
    private readonly settings: () => CredentialSettings,
    private readonly now: () => number = Date.now,
  ) {}

  issuer(): Issuer {
    const s = this.settings();
    const urls = publicUrls(s.verifyBaseUrl);
    return { id: urls.issuer, name: s.issuerName, url: s.issuerUrl || s.verifyBaseUrl };
  }

  /** The key, its public half published under its id (once per instance and key). */
  private async signingKey(): Promise<IssuerKey> {
    const key = this.settings().key();
    let publishing = this.published.get(key.keyId);
    if (!publishing) {
      // The pair is checked before its public half is published or anything is signed with it.
      publishing = checkIssuerKeyPair(key).then(() => publishIssuerKey(this.db, key, new Date(this.now())));
      this.published.set(key.keyId, publishing);
      publishing.catch(() => this.published.delete(key.keyId));
    }
    await publishing;
    return key;
  }

  /** A free position in the event's status lists, taken for `certificateId` (random: herd privacy). */
  async takeStatusPosition(eventId: string, certificateId: string): Promise<{ listId: string; index: number }> {
    for (let n = 1; n <= MAX_LISTS; n++) {
      const listId = statusListId(eventId, n);
      for (let attempt = 0; attempt < TRIES_PER_LIST; attempt++) {
        const index = randomInt(STATUS_LIST_LENGTH);
        try {
          await statusIndexRef(this.db, listId, index).create({ certificateId, at: new Date(this.now()) });
          await this.recordList(listId);
          return { listId, index };
        } catch (error) {
          if (!isAlreadyExists(error)) throw error;
        }
      }
    }
    throw new CredentialError(
      'STATUS_LIST_FULL',
      `No free status list position for the event after ${MAX_LISTS} lists`,
      { eventId },
    );
  }

  /** Records that `listId` was issued (once per instance and list: a write per list, not per certificate). */
  private async recordList(listId: string): Promise<void> {
    if (this.issuedLists.has(listId)) return;
    try {
      await statusListRef(this.db, listId).create({ createdAt: new Date(this.now()) });
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    this.issuedLists.add(listId);
  }

  /**
   * Whether `listId` was ever issued: its record, or (lists issued before records were kept) any
   * taken position, which then gets its record. A list id nobody was given costs a document read
   * and an empty one-document query, and is never signed.
   */
  private async wasIssued(listId: string): Promise<boolean> {
    if (this.issuedLists.has(listId)) return true;
    if ((await statusListRef(this.db, listId).get()).exists) {
      this.issuedLists.add(listId);
      return true;
    }
    const taken = await statusListRef(this.db, listId).collection('indexes').limit(1).get();
    if (taken.empty) return false;
    await this.recordList(listId);
    return true;
  }

  /** Signs the credential of one certificate version, with a status list position of its own. */
  async issue(request: CredentialRequest): Promise<IssuedCredential> {
    const key = await this.signingKey();
    const { eventId, certificateId, ...input } = request;
    const { listId, index } = await this.takeStatusPosition(eventId, certificateId);
    const issuer = this.issuer();
    const urls = publicUrls(this.settings().verifyBaseUrl);
    const unsigned = openBadgeCredential(
      { ...input, eventKey: eventKey(eventId), status: { listUrl: urls.statusList(listId), index } },
      issuer,
    );
    const credential = await signCredential(unsigned, key, issuer, input.issuedAt);
    return { credential, json: JSON.stringify(credential, null, 2), statusList: listId, statusIndex: index };
  }

  /** What a verifier resolves under the verify base: issuer profile, keys, status lists (keys read once). */
  resolver(): (url: string) => Promise<object | undefined> {
    const listPrefix = publicUrls(this.settings().verifyBaseUrl).statusList('');
    return issuerResolver(
      this.issuer(),
      () => publishedIssuerKeys(this.db),
      (url) => (url.startsWith(listPrefix) ? this.statusList(url.slice(listPrefix.length)) : undefined),
    );
  }

  /** The issuer profile: every published key (retired ones included). */
  async profile(): Promise<object> {
    return (await this.resolver()(this.issuer().id))!;
  }

  /** The signed status list credential of `listId`, undefined for a malformed id. */
  async statusList(listId: string): Promise<Credential | undefined> {
    if (!isStatusListId(listId) || !(await this.wasIssued(listId))) return undefined;
    const snap = await registries(this.db)
      .where('statusList', '==', listId)
      .where('status', 'in', [...STATUS_SET])
      .get();
    const indexes = [
      ...new Set(snap.docs.map((doc) => Number(doc.get('statusIndex'))).filter((i) => Number.isInteger(i))),
    ].sort((a, b) => a - b);
    const cacheKey = `${listId}:${indexes.join(',')}`;
    const cached = this.lists.get(cacheKey);
    if (cached) return cached;
    const url = publicUrls(this.settings().verifyBaseUrl).statusList(listId);
    const credential = await statusListCredential(
      url,
      indexes,
      await this.signingKey(),
      this.issuer(),
      new Date(this.now()),
    );
    this.lists.deleteWhere((key) => key.startsWith(`${listId}:`));
    this.lists.set(cacheKey, credential, JSON.stringify(credential).length);
    return credential;
  }

  /**
   * Verifies a credential as a verifier would, resolving our own documents directly; `at` checks
   * it as of another moment (an expired credential: just before its validUntil).
   */
  async check(credential: unknown, at?: Date): Promise<CredentialCheck> {
    return verifyCredential(credential, this.resolver(), at ?? new Date(this.now()));
  }
}

function isAlreadyExists(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: unknown };
  return code === 6 || code === 'already-exists' || code === 'ALREADY_EXISTS';
}
