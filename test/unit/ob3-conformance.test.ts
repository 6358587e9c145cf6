/**
 * Open Badges 3.0 conformance of what certforge issues (docs/verification.md, "Certification"):
 * credentials made by certforge's own code (openBadgeCredential + signCredential, as the issuing
 * path makes them) for every kind of certificate it issues (a speaker with an email and a talk,
 * an attendee with attendance evidence, a certificate with a validity period, a future event, a
 * name in every script, the conformance recipient conformance@imsglobal.org) meet every
 * requirement of test/helpers/ob3-requirements.ts (the data model and the Issuer Only profile of
 * 1EdTech's certification), and each requirement is shown to fail on a credential broken for it.
 * Digital Bazaar's verifier accepts each credential as well (signature, key, status).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  issuerResolver,
  openBadgeCredential,
  signCredential,
  statusListCredential,
  verifyCredential,
  type Credential,
  type CredentialInput,
  type Issuer,
} from '../../functions/src/credential/open-badge.js';
import { generateIssuerKey, type IssuerKey } from '../../functions/src/credential/issuer-key.js';
import { rootPath } from '../helpers/fixtures.js';
import { OB3_REQUIREMENTS, ob3Problems } from '../helpers/ob3-requirements.js';

const ISSUER: Issuer = {
  id: 'https://certs.example.org/verify/issuer',
  name: 'Example Foundation',
  url: 'https://example.org',
};
const LIST = 'https://certs.example.org/verify/status/AbCdEfGhIjKlMnOp-1';
const NOW = new Date('2026-12-07T12:00:00Z');
const BASE: CredentialInput = {
  verifyUrl: 'https://certs.example.org/verify/D2tzCTib8rJPLRu43j1p3w',
  recipientName: 'Ada Lovelace',
  email: 'ada@example.org',
  role: 'Speaker',
  talkTitle: 'Notes on the Analytical Engine',
  eventName: 'Open Source Summit 2026',
  eventIsoDate: '2026-03-12',
  eventDate: 'March 12, 2026',
  eventPlace: 'Kraków',
  organizer: 'Example Foundation',
  eventKey: 'event-key',
  issuedAt: new Date('2026-03-14T09:30:00Z'),
  status: { listUrl: LIST, index: 7 },
};

const NAMES = (
  JSON.parse(readFileSync(rootPath('examples/names-by-script.json'), 'utf8')) as {
    names: { script: string; name: string }[];
  }
).names;

const CASES: [string, Partial<CredentialInput>][] = [
  ['a speaker with an email and a talk', {}],
  [
    'the certification recipient, conformance@imsglobal.org',
    { email: 'conformance@imsglobal.org', recipientName: 'Conformance Test' },
  ],
  [
    'an attendee with attendance evidence',
    {
      role: 'Attendee',
      roleId: 'attendee',
      talkTitle: undefined,
      evidence: 'Checked in on 2 days',
      wording: 'Attended both days',
    },
  ],
  [
    'a certificate valid for two years',
    { validFrom: new Date('2026-03-12T00:00:00Z'), validUntil: new Date('2028-03-12T23:59:59Z') },
  ],
  [
    'a renewal',
    {
      validFrom: new Date('2026-12-01T10:00:00Z'),
      validUntil: new Date('2027-12-01T23:59:59Z'),
      issuedAt: new Date('2026-12-01T10:00:00Z'),
    },
  ],
  ['no email, no event date', { email: undefined, eventIsoDate: undefined, eventDate: undefined }],
  [
    'a speaker certified before the event (a future date)',
    { eventIsoDate: '2027-05-01', issuedAt: new Date('2026-12-01T08:00:00Z') },
  ],
  ...NAMES.map((n): [string, Partial<CredentialInput>] => [`a name in ${n.script}`, { recipientName: n.name }]),
];

let key: IssuerKey;
const issued = new Map<string, Credential>();

function resolver() {
  let list: Credential | undefined;
  return issuerResolver(ISSUER, [key], async (url) =>
    url === LIST
      ? (list ??= await statusListCredential(LIST, [], key, ISSUER, new Date('2026-03-15T00:00:00Z')))
      : undefined,
  );
}

beforeAll(async () => {
  key = await generateIssuerKey('2026-12');
  for (const [label, overrides] of CASES) {
    const input = { ...BASE, ...overrides } as CredentialInput;
    issued.set(label, await signCredential(openBadgeCredential(input, ISSUER), key, ISSUER, input.issuedAt));
  }
}, 120_000);

describe('Open Badges 3.0: what certforge issues meets the data model and the Issuer Only profile', () => {
  for (const [label] of CASES) {
    it(`${label}: every requirement met, and Digital Bazaar's verifier accepts it`, async () => {
      const credential = issued.get(label)!;
      expect(ob3Problems(credential, NOW)).toEqual([]);
      const check = await verifyCredential(credential, resolver(), NOW);
      expect(check.errors).toEqual([]);
      expect(check.verified).toBe(true);
    });
  }

  it('a certificate issued before its event is valid from the issue, not only in the future', () => {
    expect(issued.get('a speaker certified before the event (a future date)')!.validFrom).toBe('2026-12-01T08:00:00Z');
    expect(issued.get('a speaker with an email and a talk')!.validFrom).toBe('2026-03-12T00:00:00Z');
  });

  it('the recipient conformance@imsglobal.org is identified by a salted SHA-256 of the address, never the address', () => {
    const credential = issued.get('the certification recipient, conformance@imsglobal.org')!;
    const text = JSON.stringify(credential);
    expect(text).not.toContain('conformance@imsglobal.org');
    const identifier = (credential.credentialSubject as { identifier: Record<string, unknown>[] }).identifier.find(
      (i) => i.identityType === 'emailAddress',
    )!;
    // Recomputed here from the specification's rule: sha256 of the address and the salt, hex.
    const expected = createHash('sha256')
      .update(`conformance@imsglobal.org${identifier.salt as string}`)
      .digest('hex');
    expect(identifier).toMatchObject({ type: 'IdentityObject', hashed: true, identityHash: `sha256$${expected}` });
  });
});

describe('each requirement catches a credential broken for it', () => {
  const broken: [string, (c: Record<string, any>) => void][] = [
    ['required properties', (c) => delete c.validFrom],
    ['@context', (c) => (c['@context'] = [c['@context'][1], c['@context'][0]])],
    ['id, type', (c) => (c.type = ['VerifiableCredential'])],
    ['validFrom, validUntil', (c) => (c.validFrom = '2026-03-12')],
    ['Profile', (c) => (c.issuer.type = 'Profile')],
    ['AchievementSubject', (c) => delete c.credentialSubject.identifier],
    ['IdentityObject', (c) => (c.credentialSubject.identifier[1].identityHash = 'ada@example.org')],
    ['Achievement and Criteria', (c) => delete c.credentialSubject.achievement.description],
    ['Evidence', (c) => (c.evidence = { type: ['Evidence'] })],
    ['CredentialStatus', (c) => delete c.credentialStatus.id],
    ['Proofs', (c) => (c.proof = c.proof[0])],
  ];

  it('one broken credential per requirement, and every requirement has one', () => {
    expect(broken).toHaveLength(OB3_REQUIREMENTS.length);
  });

  for (const [index, [what, breakIt]] of broken.entries()) {
    it(`${what}: reported by its own check`, () => {
      const copy = structuredClone(issued.get('a speaker with an email and a talk')!) as Record<string, any>;
      breakIt(copy);
      const requirement = OB3_REQUIREMENTS[index]!;
      expect(requirement.source).toContain(what.split(',')[0]!.split(' ')[0]!);
      expect(requirement.check(copy, NOW).length, requirement.source).toBeGreaterThan(0);
    });
  }

  it('a validFrom in the future is reported (the 1EdTech validator refuses it)', () => {
    const copy = structuredClone(issued.get('a speaker with an email and a talk')!) as Record<string, any>;
    copy.validFrom = '2027-01-01T00:00:00Z';
    expect(ob3Problems(copy, NOW).map((p) => p.source)).toEqual([OB3_REQUIREMENTS[3]!.source]);
  });
});
