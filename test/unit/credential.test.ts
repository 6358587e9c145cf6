/**
 * Open Badges 3.0 credentials, signed and verified with the real libraries (no network: the
 * contexts are bundled, the issuer profile and status list are served by the resolver here the
 * way the verify function serves them). Tampering, a revoked status, an unknown key and a
 * rotated key are all tried.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  emailIdentityHash,
  issuerResolver,
  openBadgeCredential,
  signCredential,
  statusListCredential,
  verifyCredential,
  type Credential,
  type CredentialInput,
  type Issuer,
} from '../../functions/src/credential/open-badge.js';
import {
  checkIssuerKeyPair,
  generateIssuerKey,
  parseIssuerKey,
  type IssuerKey,
} from '../../functions/src/credential/issuer-key.js';
import { CredentialService } from '../../functions/src/credential/service.js';
import { documentLoader } from '../../functions/src/credential/contexts.js';

const ISSUER: Issuer = {
  id: 'https://certs.example.org/verify/issuer',
  name: 'Example Foundation',
  url: 'https://example.org',
};
const LIST = 'https://certs.example.org/verify/status/AbCdEfGhIjKlMnOp-1';
const INPUT: CredentialInput = {
  verifyUrl: 'https://certs.example.org/verify/D2tzCTib8rJPLRu43j1p3w',
  recipientName: 'محمد بن سلمان',
  email: 'Ada@Example.org ',
  role: 'Speaker',
  talkTitle: 'Verifiable Certificates',
  eventName: 'Open Source Summit 2026',
  eventIsoDate: '2026-03-12',
  eventDate: '12 March 2026',
  eventPlace: 'Kraków',
  organizer: 'Example Foundation',
  eventKey: 'event-key',
  issuedAt: new Date('2026-03-14T09:30:00Z'),
  status: { listUrl: LIST, index: 4242 },
  salt: 'c2FsdA',
};

let key: IssuerKey;
let signed: Credential;
/** What the verify function serves: the profile, each key, the status list. */
function server(keys: IssuerKey[], revoked: number[] = [], signer = keys.at(-1)!) {
  let list: Credential | undefined;
  return issuerResolver(ISSUER, keys, async (url) =>
    url === LIST
      ? (list ??= await statusListCredential(LIST, revoked, signer, ISSUER, new Date('2026-03-15T00:00:00Z')))
      : undefined,
  );
}

beforeAll(async () => {
  key = await generateIssuerKey('2026-03');
  signed = await signCredential(openBadgeCredential(INPUT, ISSUER), key, ISSUER, INPUT.issuedAt);
}, 60_000);

describe('OpenBadgeCredential', () => {
  it('is VC 2.0 + OB 3.0 with an eddsa-rdfc-2022 Data Integrity proof by the issuer key', () => {
    expect(signed['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ]);
    expect(signed.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(signed.validFrom).toBe('2026-03-12T00:00:00Z');
    expect(signed.proof).toEqual([
      expect.objectContaining({
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        proofPurpose: 'assertionMethod',
        verificationMethod: `${ISSUER.id}#2026-03`,
        created: '2026-03-14T09:30:00Z',
      }),
    ]);
  });

  it('identifies the recipient by name and a salted email hash, never the email', () => {
    const text = JSON.stringify(signed);
    expect(text).not.toMatch(/ada@example\.org/i);
    const subject = signed.credentialSubject as {
      identifier: Array<Record<string, unknown>>;
      achievement: Record<string, unknown>;
    };
    expect(subject.identifier).toEqual([
      { type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: 'محمد بن سلمان' },
      {
        type: 'IdentityObject',
        identityType: 'emailAddress',
        hashed: true,
        identityHash: emailIdentityHash('ada@example.org', 'c2FsdA'),
        salt: 'c2FsdA',
      },
    ]);
    expect(emailIdentityHash(' ADA@example.ORG', 'c2FsdA')).toBe(emailIdentityHash('ada@example.org', 'c2FsdA'));
    expect(subject.achievement).toMatchObject({
      type: ['Achievement'],
      name: 'Speaker at Open Source Summit 2026',
      criteria: { narrative: expect.stringContaining('Kraków') },
    });
    expect(String(subject.achievement.id)).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
  });

  it('without an email or an event date: the name alone, validFrom = issue time', async () => {
    const { email: _e, eventIsoDate: _d, ...rest } = INPUT;
    const credential = openBadgeCredential(rest, ISSUER);
    expect((credential.credentialSubject as { identifier: unknown[] }).identifier).toHaveLength(1);
    expect(credential.validFrom).toBe('2026-03-14T09:30:00Z');
    const check = await verifyCredential(await signCredential(credential, key, ISSUER, INPUT.issuedAt), server([key]));
    expect(check, check.errors.join('; ')).toMatchObject({ verified: true });
  });

  it('verifies: signature, key listed by the issuer profile, status not set', async () => {
    const check = await verifyCredential(signed, server([key]));
    expect(check.errors).toEqual([]);
    expect(check).toMatchObject({ verified: true, signature: true, status: true });
  });

  it.each([
    ['the name', (c: any) => (c.credentialSubject.identifier[0].identityHash = 'Mallory')],
    ['the talk', (c: any) => (c.credentialSubject.achievement.description += '!')],
    ['validFrom', (c: any) => (c.validFrom = '2025-03-12T00:00:00Z')],
    ['the status index', (c: any) => (c.credentialStatus.statusListIndex = '1')],
    [
      'the proof value',
      (c: any) =>
        (c.proof[0].proofValue =
          c.proof[0].proofValue.slice(0, -2) + (c.proof[0].proofValue.endsWith('a') ? 'bb' : 'aa')),
    ],
  ])('fails when %s is changed', async (_what, tamper) => {
    const copy = structuredClone(signed);
    tamper(copy);
    const check = await verifyCredential(copy, server([key]));
    expect(check.verified).toBe(false);
    expect(check.signature).toBe(false);
  });

  it('fails when its status bit is set (revoked or replaced)', async () => {
    const check = await verifyCredential(signed, server([key], [4242]));
    expect(check.verified).toBe(false);
    expect(check.signature).toBe(true);
    expect(check.status).toBe(false);
  });

  it('fails when the issuer profile does not list the key', async () => {
    const other = await generateIssuerKey('other');
    const check = await verifyCredential(signed, server([other]));
    expect(check.verified).toBe(false);
  });

  it('after rotation, old credentials verify against the profile that lists both keys', async () => {
    const next = await generateIssuerKey('2026-12');
    const check = await verifyCredential(signed, server([key, next], [], next));
    expect(check.errors).toEqual([]);
    expect(check.verified).toBe(true);
  });

  it('never fetches: a context that is not bundled is an error', async () => {
    const loader = documentLoader();
    await expect(loader('https://example.org/evil-context.jsonld')).rejects.toMatchObject({
      code: 'CREDENTIAL_DOCUMENT_UNKNOWN',
    });
    const foreign = structuredClone(signed);
    (foreign['@context'] as string[]).push('https://example.org/evil-context.jsonld');
    expect((await verifyCredential(foreign, server([key]))).verified).toBe(false);
  });
});

describe('issuer key secret', () => {
  it('parses every key generateIssuerKey makes (their text varies, their bytes do not)', async () => {
    for (let i = 0; i < 300; i++) {
      const fresh = await generateIssuerKey(`k${i}`);
      expect(parseIssuerKey(JSON.stringify(fresh)), fresh.secretKeyMultibase.slice(0, 4)).toEqual(fresh);
    }
  });

  it('parses what generateIssuerKey makes, and refuses anything else with ISSUER_KEY_INVALID', async () => {
    expect(parseIssuerKey(JSON.stringify(key))).toEqual(key);
    for (const bad of [
      undefined,
      '',
      'not json',
      '{}',
      JSON.stringify({ ...key, keyId: 'a b' }),
      JSON.stringify({ ...key, secretKeyMultibase: 'x' }),
      JSON.stringify({ ...key, publicKeyMultibase: key.secretKeyMultibase }),
      'null',
      '[]',
      '"a key"',
      '42',
    ]) {
      expect(() => parseIssuerKey(bad)).toThrow(expect.objectContaining({ code: 'ISSUER_KEY_INVALID' }));
    }
    // The message never echoes the secret.
    try {
      parseIssuerKey(JSON.stringify({ ...key, keyId: '' }));
    } catch (error) {
      expect((error as Error).message).not.toContain(key.secretKeyMultibase);
    }
  });

  it('checks that the public half belongs to the secret before anything is signed', async () => {
    await expect(checkIssuerKeyPair(key)).resolves.toBeUndefined();
    const other = await generateIssuerKey('other');
    // Well-formed halves of two different keys: each parses, the pair does not match.
    const mixed = parseIssuerKey(JSON.stringify({ ...key, publicKeyMultibase: other.publicKeyMultibase }));
    const error = await checkIssuerKeyPair(mixed).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ISSUER_KEY_INVALID', details: { fields: ['publicKeyMultibase'] } });
    expect((error as Error).message).not.toContain(key.secretKeyMultibase);
    // The credential service refuses to sign with it (a typed error, not "Invalid signature" later).
    const service = new CredentialService({} as never, () => ({
      verifyBaseUrl: 'https://verify.example.org/c',
      issuerName: 'Example',
      issuerUrl: '',
      key: () => mixed,
    }));
    await expect(
      service.issue({
        eventId: 'evt',
        certificateId: 'AbCdEfGhIjKlMnOpQrSt_-',
        verifyUrl: 'https://verify.example.org/c/AbCdEfGhIjKlMnOpQrSt_-',
        recipientName: 'Ada',
        role: 'Speaker',
        eventName: 'Conf',
        organizer: 'Example',
        issuedAt: new Date('2026-03-14T00:00:00Z'),
      } as never),
    ).rejects.toMatchObject({ code: 'ISSUER_KEY_INVALID' });
  });
});
