/**
 * The signature value of a PAdES signature: a detached CMS SignedData (RFC 5652) in the CAdES
 * form ETSI EN 319 122-1 asks of a PAdES baseline signature, built with PKI.js:
 *   signed attributes  content-type (id-data), message-digest (SHA-256 of the signed byte
 *                      ranges) and ESS signing-certificate-v2 (binds the signer's certificate);
 *                      no signing-time (PAdES puts the claimed time in the signature dictionary's /M);
 *   certificates       the signer's chain as the key's owner gave it, without its root;
 *   unsigned           the signature time-stamp token (B-T), when a TSA stamped the signature value.
 * The key itself never reaches this module: a KeySigner signs the DER of the signed attributes
 * (a private key in memory, or Cloud KMS where it never leaves the service).
 */
import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** Who signs: the certificate chain (DER, signer first) and a function that signs with its key. */
export interface KeySigner {
  /** DER certificates, the signer's first, then its issuers (the root may be left out). */
  chain: Uint8Array[];
  /** The key's algorithm: RSA PKCS#1 v1.5 or ECDSA, each with SHA-256. */
  algorithm: 'rsa' | 'ecdsa';
  /** The signature of `data` (SHA-256 hashed by the signer); ECDSA as DER. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

export function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}

/** A DER certificate parsed by PKI.js. */
export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

function sha256Algorithm(): pkijs.AlgorithmIdentifier {
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
}

/** ESS signing-certificate-v2 (RFC 5035): the signer certificate's SHA-256 and its issuer and serial. */
function signingCertificateV2(certificate: pkijs.Certificate, der: Uint8Array): pkijs.Attribute {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [
          new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [certificate.issuer.toSchema()] }),
        ],
      }),
      certificate.serialNumber,
    ],
  });
  // hashAlgorithm is left out: SHA-256 is its DEFAULT.
  const essCertIdV2 = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: toArrayBuffer(sha256(der)) }), issuerSerial],
  });
  return new pkijs.Attribute({
    type: OID.signingCertificateV2,
    values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })],
  });
}

/** What the signer signs: the DER of the signed attributes as a SET (RFC 5652 §5.4). */
function signedAttributesDer(attributes: pkijs.SignedAndUnsignedAttributes): Uint8Array {
  const der = new Uint8Array(attributes.toSchema().toBER());
  der[0] = 0x31;
  return der;
}

/** A signed SignerInfo and the SignedData around it; `finish` wraps it, with unsigned attributes if any. */
export interface SignedCms {
  /** The signature value (what a signature time-stamp stamps). */
  signatureValue: Uint8Array;
  /** The DER ContentInfo, with `unsigned` attributes (a time-stamp token) added. */
  encode(unsigned?: pkijs.Attribute[]): Uint8Array;
}

/** Signs `digest` (SHA-256 of the signed byte ranges) as a detached CAdES SignedData. */
export async function signDetached(signer: KeySigner, digest: Uint8Array): Promise<SignedCms> {
  const parsed = signer.chain.map(parseCertificate);
  const leaf = parsed[0]!;
  // A root is what the reader already trusts: it is not carried (B-LT's /DSS has it anyway).
  const certificates = parsed.filter((c, i) => i === 0 || !c.subject.isEqual(c.issuer));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({
        type: OID.messageDigest,
        values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })],
      }),
      signingCertificateV2(leaf, signer.chain[0]!),
    ],
  });
  const signatureValue = await signer.sign(signedAttributesDer(signedAttrs));
  const signatureAlgorithm =
    signer.algorithm === 'rsa'
      ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() })
      : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 });
  const encode = (unsigned?: pkijs.Attribute[]) => {
    const signerInfo = new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
      digestAlgorithm: sha256Algorithm(),
      signedAttrs,
      signatureAlgorithm,
      signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signatureValue) }),
      ...(unsigned?.length
        ? { unsignedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: unsigned }) }
        : {}),
    });
    const signedData = new pkijs.SignedData({
      version: 1,
      digestAlgorithms: [sha256Algorithm()],
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      certificates,
      signerInfos: [signerInfo],
    });
    const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
    return new Uint8Array(contentInfo.toSchema().toBER());
  };
  return { signatureValue, encode };
}

/** The signature time-stamp attribute (id-aa-signatureTimeStampToken) holding a token's DER ContentInfo. */
export function signatureTimeStampAttribute(token: Uint8Array): pkijs.Attribute {
  return new pkijs.Attribute({
    type: OID.signatureTimeStampToken,
    values: [asn1js.fromBER(toArrayBuffer(token)).result],
  });
}
