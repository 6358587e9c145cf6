/**
 * The validation data of a PAdES B-LT signature: every certificate of the signer's and the
 * time-stamping authority's chains, and for each certificate below a root the answer of its
 * issuer's OCSP responder (from its Authority Information Access) or else its issuer's CRL (from
 * its CRL distribution points). They go into the document security store (/DSS) so that the
 * signature can be validated years later, offline, without the responders.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCertificate, toArrayBuffer } from './cms.js';
import { PdfSignatureError } from './errors.js';
import type { PkiHttp } from './pki-http.js';

export interface ValidationData {
  certificates: Uint8Array[];
  /** DER OCSPResponse messages. */
  ocsps: Uint8Array[];
  /** DER CRLs. */
  crls: Uint8Array[];
}

const AIA = '1.3.6.1.5.5.7.1.1';
const AD_OCSP = '1.3.6.1.5.5.7.48.1';
const CRL_DISTRIBUTION_POINTS = '2.5.29.31';

function uris(values: pkijs.GeneralName[] | undefined): string[] {
  return (values ?? []).filter((name) => name.type === 6).map((name) => String(name.value));
}

function ocspUrls(certificate: pkijs.Certificate): string[] {
  const extension = certificate.extensions?.find((e) => e.extnID === AIA);
  const access = extension?.parsedValue as pkijs.InfoAccess | undefined;
  return uris(access?.accessDescriptions.filter((d) => d.accessMethod === AD_OCSP).map((d) => d.accessLocation));
}

function crlUrls(certificate: pkijs.Certificate): string[] {
  const extension = certificate.extensions?.find((e) => e.extnID === CRL_DISTRIBUTION_POINTS);
  const points = extension?.parsedValue as pkijs.CRLDistributionPoints | undefined;
  return (points?.distributionPoints ?? []).flatMap((point) =>
    Array.isArray(point.distributionPoint) ? uris(point.distributionPoint) : [],
  );
}

function sameName(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  return a.isEqual(b);
}

/** OCSP status of `certificate` from a DER OCSPResponse: 'good', 'revoked' or 'unknown'. */
async function ocspStatus(
  der: Uint8Array,
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
): Promise<'good' | 'revoked' | 'unknown'> {
  const response = pkijs.OCSPResponse.fromBER(toArrayBuffer(der));
  if (response.responseStatus.valueBlock.valueDec !== 0 || !response.responseBytes) return 'unknown';
  const basic = new pkijs.BasicOCSPResponse({
    schema: asn1js.fromBER(response.responseBytes.response.valueBlock.valueHexView).result,
  });
  const { status } = await basic.getCertificateStatus(certificate, issuer);
  return status === 0 ? 'good' : status === 1 ? 'revoked' : 'unknown';
}

/**
 * The revocation data of one certificate: its issuer's OCSP answer ("good"), else its issuer's
 * CRL; undefined when neither can be had. A revoked signer (`isSigner`) is an error.
 */
async function revocationOf(
  http: PkiHttp,
  certificate: pkijs.Certificate,
  issuer: pkijs.Certificate,
  isSigner: boolean,
): Promise<{ ocsp?: Uint8Array; crl?: Uint8Array } | undefined> {
  for (const url of ocspUrls(certificate)) {
    try {
      const request = new pkijs.OCSPRequest();
      await request.createForCertificate(certificate, { hashAlgorithm: 'SHA-1', issuerCertificate: issuer });
      const answer = await http.post(url, 'application/ocsp-request', new Uint8Array(request.toSchema(true).toBER()));
      const status = await ocspStatus(answer, certificate, issuer);
      if (status === 'revoked' && isSigner)
        throw new PdfSignatureError(
          'SIGNING_CERTIFICATE_REVOKED',
          `The signing certificate (${certificate.subject.typesAndValues.map((t) => t.value.valueBlock.value).join(', ')}) is revoked, says ${url}: sign with a valid certificate`,
        );
      if (status === 'good') return { ocsp: answer };
    } catch (error) {
      if (error instanceof PdfSignatureError) throw error;
    }
  }
  for (const url of crlUrls(certificate)) {
    try {
      const crl = await http.get(url);
      const list = pkijs.CertificateRevocationList.fromBER(toArrayBuffer(crl));
      const serial = Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString('hex');
      const revoked = (list.revokedCertificates ?? []).some(
        (entry) => Buffer.from(entry.userCertificate.valueBlock.valueHexView).toString('hex') === serial,
      );
      if (revoked && isSigner)
        throw new PdfSignatureError(
          'SIGNING_CERTIFICATE_REVOKED',
          `The signing certificate is revoked, says the CRL at ${url}: sign with a valid certificate`,
        );
      if (!revoked) return { crl };
    } catch (error) {
      if (error instanceof PdfSignatureError) throw error;
      // the next distribution point
    }
  }
  return undefined;
}

/**
 * Fetches the validation data of `chains` (each DER, signer first). Returns undefined when some
 * certificate below a root has neither an answering OCSP responder nor a CRL (the signature
 * stays B-T); throws SIGNING_CERTIFICATE_REVOKED when the first chain's signer is revoked.
 */
export async function fetchValidationData(http: PkiHttp, chains: Uint8Array[][]): Promise<ValidationData | undefined> {
  const all = new Map<string, { der: Uint8Array; certificate: pkijs.Certificate }>();
  for (const der of chains.flat())
    all.set(Buffer.from(der).toString('base64'), { der, certificate: parseCertificate(der) });
  const entries = [...all.values()];
  const signer = chains[0]?.[0] ? Buffer.from(chains[0][0]).toString('base64') : undefined;
  // Each certificate's issuer is asked at once (one round trip per responder, in parallel).
  const answers = await Promise.all(
    [...all].map(async ([key, { certificate }]) => {
      if (sameName(certificate.subject, certificate.issuer)) return {}; // a root is trusted, not checked
      const issuer = entries.find(
        (e) => e.certificate !== certificate && sameName(e.certificate.subject, certificate.issuer),
      )?.certificate;
      if (!issuer) return undefined;
      return revocationOf(http, certificate, issuer, key === signer);
    }),
  );
  if (answers.some((answer) => answer === undefined)) return undefined;
  // One CRL may cover several certificates (the root's, for the intermediate and the TSA): once each.
  const distinct = (items: Uint8Array[]) => [
    ...new Map(items.map((item) => [Buffer.from(item).toString('base64'), item])).values(),
  ];
  const ocsps = distinct(answers.flatMap((a) => (a?.ocsp ? [a.ocsp] : [])));
  const crls = distinct(answers.flatMap((a) => (a?.crl ? [a.crl] : [])));
  return { certificates: entries.map((e) => e.der), ocsps, crls };
}
