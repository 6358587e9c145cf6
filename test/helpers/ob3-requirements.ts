/**
 * The Open Badges 3.0 requirements a credential certforge issues must meet, one check each, named
 * by the part of the specification (1EdTech, Open Badges Specification 3.0, and its Certification
 * Guide for the "Issuer Only" role) that states it. 1EdTech's JSON Schema for the
 * AchievementCredential is not published in any package registry (it is served from
 * purl.imsglobal.org, which the tests cannot reach, and may not be copied into the project), so
 * its constraints are written out here as checks: required properties, their types and
 * cardinality, the context order, the identity objects, the dates, the proof.
 *
 * Each check returns the problems it finds (empty: met). tests/unit/ob3-conformance.test.ts runs
 * them on credentials made by certforge's own issuing code, and on broken copies to show that
 * each check can fail.
 */

type Json = Record<string, unknown>;

export interface Requirement {
  /** Where the specification states it. */
  source: string;
  /** What it requires, in a sentence. */
  text: string;
  check(credential: Json, now: Date): string[];
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isUri = (value: unknown) => typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\S+$/i.test(value);
/** DateTimeZ: an ISO 8601 date-time with a time zone (Z or ±hh:mm). */
const isDateTimeZ = (value: unknown) =>
  typeof value === 'string' &&
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
  Number.isFinite(Date.parse(value));
const typeArray = (value: unknown, must: string, where: string): string[] =>
  Array.isArray(value) && value.every((t) => typeof t === 'string') && value.includes(must)
    ? []
    : [`${where}.type must be an array of strings containing "${must}" (got ${JSON.stringify(value)})`];

const IDENTITY_TYPES = new Set([
  'name',
  'sourcedId',
  'systemId',
  'productId',
  'userName',
  'accountId',
  'emailAddress',
  'nationalIdentityNumber',
  'isbn',
  'issn',
  'lisSourcedId',
  'oneRosterSourcedId',
  'sisSourcedId',
  'ltiContextId',
  'ltiDeploymentId',
  'ltiToolId',
  'ltiPlatformId',
  'ltiUserId',
  'identifier',
]);

const subject = (c: Json) => (isObject(c.credentialSubject) ? c.credentialSubject : undefined);
const achievement = (c: Json) => (isObject(subject(c)?.achievement) ? (subject(c)!.achievement as Json) : undefined);

export const OB3_REQUIREMENTS: Requirement[] = [
  {
    source: 'OB 3.0 data model, AchievementCredential: required properties',
    text: '@context, id, type, credentialSubject, issuer and validFrom are present',
    check: (c) =>
      ['@context', 'id', 'type', 'credentialSubject', 'issuer', 'validFrom']
        .filter((k) => c[k] === undefined)
        .map((k) => `missing ${k}`),
  },
  {
    source: 'OB 3.0 data model, AchievementCredential: @context',
    text: '@context is an array: the VC 2.0 context first, then the OB 3.0 context (context-3.0.x.json)',
    check: (c) => {
      const ctx = c['@context'];
      if (!Array.isArray(ctx) || ctx.length < 2) return ['@context must be an array of at least two'];
      const problems: string[] = [];
      if (ctx[0] !== 'https://www.w3.org/ns/credentials/v2') problems.push(`@context[0] is ${JSON.stringify(ctx[0])}`);
      if (
        typeof ctx[1] !== 'string' ||
        !/^https:\/\/purl\.imsglobal\.org\/spec\/ob\/v3p0\/context(-3\.\d\.\d)*\.json$/.test(ctx[1])
      )
        problems.push(`@context[1] is ${JSON.stringify(ctx[1])}`);
      return problems;
    },
  },
  {
    source: 'OB 3.0 data model, AchievementCredential: id, type',
    text: 'id is a URI; type contains VerifiableCredential and OpenBadgeCredential (or AchievementCredential)',
    check: (c) => [
      ...(isUri(c.id) ? [] : [`id ${JSON.stringify(c.id)} is not a URI`]),
      ...(Array.isArray(c.type) &&
      c.type.includes('VerifiableCredential') &&
      (c.type.includes('OpenBadgeCredential') || c.type.includes('AchievementCredential'))
        ? []
        : [`type ${JSON.stringify(c.type)}`]),
    ],
  },
  {
    source:
      'OB 3.0 data model, AchievementCredential: validFrom, validUntil (DateTimeZ); 1EdTech validator: validFrom not in the future',
    text: 'validFrom (and validUntil when present) are date-times with a time zone; validFrom is not after the issue',
    check: (c, now) => [
      ...(isDateTimeZ(c.validFrom) ? [] : [`validFrom ${JSON.stringify(c.validFrom)} is not a DateTimeZ`]),
      ...(isDateTimeZ(c.validFrom) && Date.parse(c.validFrom as string) > now.getTime() + 300_000
        ? [`validFrom ${c.validFrom as string} is in the future`]
        : []),
      ...(c.validUntil === undefined || isDateTimeZ(c.validUntil)
        ? []
        : [`validUntil ${JSON.stringify(c.validUntil)}`]),
      ...(c.validUntil !== undefined && Date.parse(c.validUntil as string) <= Date.parse(c.validFrom as string)
        ? ['validUntil is not after validFrom']
        : []),
    ],
  },
  {
    source: 'OB 3.0 data model, Profile (the issuer)',
    text: 'issuer is a Profile: an id (URI) and a type array containing "Profile"',
    check: (c) => {
      if (typeof c.issuer === 'string') return isUri(c.issuer) ? [] : ['issuer is not a URI'];
      if (!isObject(c.issuer)) return ['issuer is neither a URI nor a Profile'];
      return [
        ...(isUri(c.issuer.id) ? [] : ['issuer.id is not a URI']),
        ...typeArray(c.issuer.type, 'Profile', 'issuer'),
      ];
    },
  },
  {
    source: 'OB 3.0 data model, AchievementSubject',
    text: 'credentialSubject is an AchievementSubject with an achievement, and an id or at least one identifier',
    check: (c) => {
      const s = subject(c);
      if (!s) return ['credentialSubject is not one object'];
      return [
        ...typeArray(s.type, 'AchievementSubject', 'credentialSubject'),
        ...(s.achievement === undefined ? ['credentialSubject.achievement is missing'] : []),
        ...(s.id !== undefined || (Array.isArray(s.identifier) && s.identifier.length > 0)
          ? []
          : ['credentialSubject has neither id nor identifier']),
      ];
    },
  },
  {
    source: 'OB 3.0 data model, IdentityObject and IdentityHash',
    text: 'each identifier is an IdentityObject: type "IdentityObject", a known identityType, hashed (boolean), identityHash (sha256$<hex> when hashed), salt a string, nothing else',
    check: (c) => {
      const identifiers = subject(c)?.identifier;
      if (identifiers === undefined) return [];
      if (!Array.isArray(identifiers)) return ['credentialSubject.identifier is not an array'];
      return identifiers.flatMap((raw, i) => {
        const where = `identifier[${i}]`;
        if (!isObject(raw)) return [`${where} is not an object`];
        const problems: string[] = [];
        if (raw.type !== 'IdentityObject') problems.push(`${where}.type is ${JSON.stringify(raw.type)}`);
        if (
          typeof raw.identityType !== 'string' ||
          !(IDENTITY_TYPES.has(raw.identityType) || /^ext:[a-z0-9.-]+$/i.test(raw.identityType))
        )
          problems.push(`${where}.identityType is ${JSON.stringify(raw.identityType)}`);
        if (typeof raw.hashed !== 'boolean') problems.push(`${where}.hashed is not a boolean`);
        if (typeof raw.identityHash !== 'string') problems.push(`${where}.identityHash is not a string`);
        else if (raw.hashed === true && !/^(sha256|md5)\$[0-9a-fA-F]+$/.test(raw.identityHash))
          problems.push(`${where}.identityHash is not <alg>$<hex>`);
        if (raw.salt !== undefined && typeof raw.salt !== 'string') problems.push(`${where}.salt is not a string`);
        const extra = Object.keys(raw).filter(
          (k) => !['type', 'identityType', 'hashed', 'identityHash', 'salt'].includes(k),
        );
        if (extra.length) problems.push(`${where} has ${extra.join(', ')}`);
        return problems;
      });
    },
  },
  {
    source: 'OB 3.0 data model, Achievement and Criteria',
    text: 'the achievement has an id (URI), a type array containing "Achievement", a name, a description and criteria (with a narrative or an id)',
    check: (c) => {
      const a = achievement(c);
      if (!a) return ['credentialSubject.achievement is not one object'];
      const criteria = a.criteria;
      return [
        ...(isUri(a.id) ? [] : ['achievement.id is not a URI']),
        ...typeArray(a.type, 'Achievement', 'achievement'),
        ...(typeof a.name === 'string' && a.name.trim() ? [] : ['achievement.name is missing']),
        ...(typeof a.description === 'string' && a.description.trim() ? [] : ['achievement.description is missing']),
        ...(isObject(criteria) && (typeof criteria.narrative === 'string' || isUri(criteria.id))
          ? []
          : ['achievement.criteria has neither narrative nor id']),
        ...(a.creator === undefined || (isObject(a.creator) && isUri(a.creator.id) && Array.isArray(a.creator.type))
          ? []
          : ['achievement.creator is not a Profile']),
      ];
    },
  },
  {
    source: 'OB 3.0 data model, Evidence',
    text: 'evidence, when present, is an array of objects whose type contains "Evidence"',
    check: (c) =>
      c.evidence === undefined
        ? []
        : Array.isArray(c.evidence)
          ? c.evidence.flatMap((e, i) =>
              isObject(e) ? typeArray(e.type, 'Evidence', `evidence[${i}]`) : [`evidence[${i}]`],
            )
          : ['evidence is not an array'],
  },
  {
    source: 'OB 3.0 data model, CredentialStatus',
    text: 'credentialStatus, when present, has an id (URI) and a type',
    check: (c) =>
      c.credentialStatus === undefined
        ? []
        : isObject(c.credentialStatus) && isUri(c.credentialStatus.id) && typeof c.credentialStatus.type === 'string'
          ? []
          : ['credentialStatus lacks id or type'],
  },
  {
    source: 'OB 3.0, Proofs; Certification Guide, "Supported Proof Mechanisms"',
    text: 'proof is an array of Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite, proofPurpose assertionMethod, a dereferenceable (https/http) verificationMethod',
    check: (c) => {
      if (!Array.isArray(c.proof) || c.proof.length === 0)
        return [`proof must be a non-empty array (got ${typeof c.proof})`];
      return c.proof.flatMap((p, i) => {
        if (!isObject(p)) return [`proof[${i}] is not an object`];
        const problems: string[] = [];
        if (p.type !== 'DataIntegrityProof') problems.push(`proof[${i}].type is ${JSON.stringify(p.type)}`);
        if (p.cryptosuite !== 'eddsa-rdfc-2022')
          problems.push(`proof[${i}].cryptosuite is ${JSON.stringify(p.cryptosuite)}`);
        if (p.proofPurpose !== 'assertionMethod')
          problems.push(`proof[${i}].proofPurpose is ${JSON.stringify(p.proofPurpose)}`);
        if (typeof p.verificationMethod !== 'string' || !/^https?:\/\//.test(p.verificationMethod))
          problems.push(`proof[${i}].verificationMethod is not an HTTP URL`);
        if (typeof p.proofValue !== 'string' || !p.proofValue.startsWith('z')) problems.push(`proof[${i}].proofValue`);
        if (p.created !== undefined && !isDateTimeZ(p.created)) problems.push(`proof[${i}].created`);
        return problems;
      });
    },
  },
];

/** Every requirement's problems, by requirement (empty: the credential meets them all). */
export function ob3Problems(credential: Json, now = new Date()): { source: string; problems: string[] }[] {
  return OB3_REQUIREMENTS.map((r) => ({ source: r.source, problems: r.check(credential, now) })).filter(
    (r) => r.problems.length > 0,
  );
}
