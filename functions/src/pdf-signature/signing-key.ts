/**
 * The organization's signing certificate, from where the deployment keeps it
 * (CERTFORGE_PDF_SIGNER, docs/pdf-signatures.md):
 *
 *   secret:projects/P/secrets/S/versions/V   Secret Manager holds the material (below);
 *   kms:projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N
 *                                            Cloud KMS holds the key, which never leaves it; the
 *                                            chain (PEM) is in CERTFORGE_PDF_SIGNER_CHAIN
 *                                            (a `secret:` or `file:` source);
 *   file:/path                               a file (the emulator, the CLI);
 *   (empty)                                  no signing certificate: PDFs stay unsigned.
 *
 * The material is either JSON `{ "pkcs12": "<base64>", "password": "…" }` (a .p12/.pfx as a CA
 * issues it; `npm run pdf-signer -- signer.p12` writes it) or PEM text with the private key and
 * the certificates. node-forge reads PKCS#12 (3DES and AES, RSA and EC keys); Node's crypto
 * checks and uses the key. Secret Manager and Cloud KMS are called over their REST APIs with the
 * function's service account (google-auth-library), loaded only when configured.
 */
import { X509Certificate, createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { KeySigner } from './cms.js';
import { sha256 } from './cms.js';
import { PdfSignatureError } from './errors.js';

const invalid = (message: string): never => {
  throw new PdfSignatureError('SIGNING_KEY_INVALID', message);
};

/** A key and its certificates, checked: the key is the first certificate's, the chain in order. */
function checkedSigner(key: KeyObject | undefined, certificates: X509Certificate[], where: string, now: Date) {
  if (!certificates.length) invalid(`${where} holds no certificate`);
  const leaf = key ? certificates.find((c) => c.checkPrivateKey(key)) : certificates[0];
  if (!leaf) return invalid(`${where}: the private key belongs to none of its certificates`);
  const chain = [leaf];
  for (let current = leaf; chain.length < certificates.length;) {
    const issuer = certificates.find((c) => !chain.includes(c) && current.checkIssued(c));
    if (!issuer) break;
    chain.push(issuer);
    current = issuer;
  }
  if (new Date(leaf.validFrom) > now || new Date(leaf.validTo) < now)
    invalid(`${where}: the signing certificate is valid from ${leaf.validFrom} to ${leaf.validTo}, not now`);
  const type = leaf.publicKey.asymmetricKeyType;
  if (type !== 'rsa' && type !== 'ec')
    invalid(`${where}: the signing certificate's key is ${type}; PDF readers verify RSA and ECDSA signatures`);
  return {
    chain: chain.map((c) => new Uint8Array(c.raw)),
    algorithm: type === 'rsa' ? ('rsa' as const) : ('ecdsa' as const),
  };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** Key and certificates from the material's text (JSON with a PKCS#12, or PEM). */
export async function materialParts(
  material: string,
  where: string,
): Promise<{ key?: KeyObject; certificates: X509Certificate[] }> {
  const trimmed = material.trim();
  if (trimmed.startsWith('{')) {
    let value: { pkcs12?: unknown; password?: unknown };
    try {
      value = JSON.parse(trimmed) as typeof value;
    } catch {
      return invalid(`${where} is not JSON: expected { "pkcs12": "<base64>", "password": "…" } or PEM`);
    }
    if (typeof value.pkcs12 !== 'string') return invalid(`${where} lacks "pkcs12" (the .p12 file in base64)`);
    return pkcs12Parts(
      Buffer.from(value.pkcs12, 'base64'),
      typeof value.password === 'string' ? value.password : '',
      where,
    );
  }
  const blocks = [...trimmed.matchAll(PEM_BLOCK)];
  if (!blocks.length) return invalid(`${where} is neither JSON with a PKCS#12 nor PEM`);
  let key: KeyObject | undefined;
  const certificates: X509Certificate[] = [];
  for (const [block, label] of blocks) {
    try {
      if (label === 'CERTIFICATE') certificates.push(new X509Certificate(block));
      else if (label!.endsWith('PRIVATE KEY')) key = createPrivateKey(block);
    } catch (error) {
      invalid(`${where}: a ${label} block cannot be read (${(error as Error).message})`);
    }
  }
  return { ...(key ? { key } : {}), certificates };
}

async function pkcs12Parts(bytes: Buffer, password: string, where: string) {
  const { default: forge } = await import('node-forge');
  let p12: ReturnType<typeof forge.pkcs12.pkcs12FromAsn1>;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))), password);
  } catch (error) {
    const message = (error as Error).message;
    return invalid(
      /password|mac|decrypt/i.test(message)
        ? `${where}: the PKCS#12 password is wrong`
        : `${where}: the PKCS#12 file cannot be read (${message})`,
    );
  }
  const der = (asn1: ReturnType<typeof forge.asn1.fromDer>) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const keyBag = keyBags[0];
  if (!keyBag) return invalid(`${where}: the PKCS#12 file holds no private key`);
  const keyDer = keyBag.key
    ? der(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key)))
    : der(keyBag.asn1 as ReturnType<typeof forge.asn1.fromDer>);
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  return {
    key: createPrivateKey({ key: keyDer, format: 'der', type: 'pkcs8' }),
    certificates: certBags.map(
      (bag) =>
        new X509Certificate(
          bag.cert
            ? der(forge.pki.certificateToAsn1(bag.cert))
            : der(bag.asn1 as ReturnType<typeof forge.asn1.fromDer>),
        ),
    ),
  };
}

/** A KeySigner over a private key held in memory. */
export async function localKeySigner(material: string, where: string, now = new Date()): Promise<KeySigner> {
  const { key, certificates } = await materialParts(material, where);
  if (!key) return invalid(`${where} holds no private key`);
  const { chain, algorithm } = checkedSigner(key, certificates, where, now);
  return { chain, algorithm, sign: async (data) => new Uint8Array(cryptoSign('sha256', data, key)) };
}

/** A KeySigner whose key stays in Cloud KMS (asymmetricSign of the SHA-256 digest). */
export async function kmsKeySigner(
  keyVersion: string,
  chainPem: string,
  where: string,
  request: GoogleRequest,
  now = new Date(),
): Promise<KeySigner> {
  const { certificates } = await materialParts(chainPem, `${where} (the chain)`);
  const { chain, algorithm } = checkedSigner(undefined, certificates, where, now);
  return {
    chain,
    algorithm,
    sign: async (data) => {
      const answer = (await request({
        url: `https://cloudkms.googleapis.com/v1/${keyVersion}:asymmetricSign`,
        method: 'POST',
        data: { digest: { sha256: Buffer.from(sha256(data)).toString('base64') } },
      })) as { signature?: string };
      if (typeof answer.signature !== 'string') return invalid(`${where}: Cloud KMS answered without a signature`);
      return new Uint8Array(Buffer.from(answer.signature, 'base64'));
    },
  };
}

/** An authenticated JSON request to a Google API (google-auth-library's client.request). */
export type GoogleRequest = (options: { url: string; method: 'GET' | 'POST'; data?: unknown }) => Promise<unknown>;

export async function googleRequest(): Promise<GoogleRequest> {
  const { GoogleAuth } = await import('google-auth-library');
  const client = await new GoogleAuth({ scopes: 'https://www.googleapis.com/auth/cloud-platform' }).getClient();
  return async (options) => (await client.request(options)).data;
}

const SECRET_VERSION = /^projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/]+$/;
const KMS_KEY_VERSION =
  /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+\/cryptoKeyVersions\/[^/]+$/;

/** The text a `secret:` or `file:` source holds. */
export async function readSource(source: string, name: string, request: () => Promise<GoogleRequest>): Promise<string> {
  if (source.startsWith('file:')) {
    try {
      return await readFile(source.slice('file:'.length), 'utf8');
    } catch (error) {
      return invalid(`${name}: ${source} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  if (source.startsWith('secret:')) {
    const resource = source.slice('secret:'.length);
    if (!SECRET_VERSION.test(resource))
      invalid(`${name} must name a secret version: secret:projects/P/secrets/S/versions/latest`);
    const answer = (await (
      await request()
    )({
      url: `https://secretmanager.googleapis.com/v1/${resource}:access`,
      method: 'GET',
    })) as { payload?: { data?: string } };
    if (typeof answer.payload?.data !== 'string') return invalid(`${name}: ${resource} has no payload`);
    return Buffer.from(answer.payload.data, 'base64').toString('utf8');
  }
  return invalid(`${name} must start with secret:, kms: or file: (got "${source.slice(0, 40)}")`);
}

/** The signer a deployment's settings name; undefined when none is configured. */
export async function configuredSigner(
  settings: { signer: string; chain: string },
  request: () => Promise<GoogleRequest> = googleRequest,
  now = new Date(),
): Promise<KeySigner | undefined> {
  const source = settings.signer.trim();
  if (!source) return undefined;
  if (source.startsWith('kms:')) {
    const keyVersion = source.slice('kms:'.length);
    if (!KMS_KEY_VERSION.test(keyVersion))
      invalid(
        'CERTFORGE_PDF_SIGNER must name a key version: kms:projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N',
      );
    if (!settings.chain.trim())
      invalid('CERTFORGE_PDF_SIGNER_CHAIN must hold the certificate chain (PEM) of a Cloud KMS signing key');
    const chain = await readSource(settings.chain.trim(), 'CERTFORGE_PDF_SIGNER_CHAIN', request);
    return kmsKeySigner(keyVersion, chain, 'CERTFORGE_PDF_SIGNER', await request(), now);
  }
  return localKeySigner(await readSource(source, 'CERTFORGE_PDF_SIGNER', request), 'CERTFORGE_PDF_SIGNER', now);
}
