/**
 * RFC 3161 time-stamps: the signature value's SHA-256 sent to the deployment's time-stamping
 * authority, its token checked (granted, the same imprint and nonce) before it goes into the
 * signature as the signature time-stamp of a PAdES B-T signature.
 */
import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, sha256, toArrayBuffer } from './cms.js';
import { PdfSignatureError } from './errors.js';
import type { PkiHttp } from './pki-http.js';

export interface TimeStamp {
  /** The token: a DER ContentInfo (SignedData over a TSTInfo). */
  token: Uint8Array;
  /** The time the authority vouches for. */
  time: Date;
  /** The authority's certificates the token carries (DER). */
  certificates: Uint8Array[];
}

/** A time-stamp of `data` (its SHA-256) from the authority at `url`. */
export async function timeStamp(http: PkiHttp, url: string, data: Uint8Array): Promise<TimeStamp> {
  const imprint = sha256(data);
  const nonce = randomBytes(8);
  nonce[0]! &= 0x7f; // a positive INTEGER
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: toArrayBuffer(imprint) }),
    }),
    nonce: new asn1js.Integer({ valueHex: toArrayBuffer(nonce) }),
    certReq: true,
  });
  const answer = await http.post(url, 'application/timestamp-query', new Uint8Array(request.toSchema().toBER()));
  const fail = (why: string): never => {
    throw new PdfSignatureError('TIMESTAMP_FAILED', `The time-stamping authority ${url} ${why}`, { url });
  };
  let response: pkijs.TimeStampResp;
  try {
    response = pkijs.TimeStampResp.fromBER(toArrayBuffer(answer));
  } catch {
    return fail('did not answer with a time-stamp response');
  }
  const status = response.status.status;
  if ((status !== 0 && status !== 1) || !response.timeStampToken)
    return fail(
      `refused the request (PKIStatus ${status}${response.status.statusStrings?.length ? `: ${response.status.statusStrings.map((s) => s.valueBlock.value).join('; ')}` : ''})`,
    );
  const signedData = new pkijs.SignedData({ schema: response.timeStampToken.content });
  const content = signedData.encapContentInfo.eContent;
  if (!content) return fail('answered a token without TSTInfo');
  const info = pkijs.TSTInfo.fromBER(content.getValue());
  const stamped = new Uint8Array(info.messageImprint.hashedMessage.getValue());
  if (Buffer.compare(Buffer.from(stamped), Buffer.from(imprint)) !== 0) return fail('stamped another imprint');
  const answeredNonce = info.nonce ? Buffer.from(info.nonce.valueBlock.valueHexView) : undefined;
  if (!answeredNonce || Buffer.compare(stripZeros(answeredNonce), stripZeros(nonce)) !== 0)
    return fail('answered with another nonce');
  return {
    token: new Uint8Array(response.timeStampToken.toSchema().toBER()),
    time: info.genTime,
    certificates: (signedData.certificates ?? [])
      .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map((c) => new Uint8Array(c.toSchema().toBER())),
  };
}

function stripZeros(bytes: Uint8Array): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  return Buffer.from(bytes.subarray(start));
}
