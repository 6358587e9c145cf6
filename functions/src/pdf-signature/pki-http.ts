/**
 * The PKI services a signature talks to over HTTP: a time-stamping authority (RFC 3161), OCSP
 * responders (RFC 6960) and CRL distribution points, each bounded in time and in size. Their
 * addresses come from the deployment (CERTFORGE_TSA_URL) or from the certificates themselves
 * (AIA, CRL distribution points), never from a request.
 */
import { TransientError } from '../shared/errors.js';
import { isPrivateHost } from '../shared/public-host.js';

export const PKI_HTTP_LIMITS = Object.freeze({ timeoutMs: 10_000, maxResponseBytes: 4 * 1024 * 1024 });

export interface PkiHttp {
  /** POST `body` with `contentType`, the answer's bytes (throws TransientError when unreachable or not 2xx). */
  post(url: string, contentType: string, body: Uint8Array): Promise<Uint8Array>;
  get(url: string): Promise<Uint8Array>;
}

/**
 * `allowPrivateHosts`: the emulator and the tests, whose PKI runs on loopback. Elsewhere an
 * address that names the functions' own network (shared/public-host.ts) is refused: the OCSP and
 * CRL addresses come from certificates, some of them (the time-stamping authority's) from the
 * network.
 */
export function pkiHttp(fetchImpl: typeof fetch = fetch, { allowPrivateHosts = false } = {}): PkiHttp {
  const call = async (url: string, init: RequestInit): Promise<Uint8Array> => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TransientError(`${url.slice(0, 200)} is not a URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new TransientError(`${parsed.protocol} addresses are not fetched (${url.slice(0, 200)})`);
    if (!allowPrivateHosts && isPrivateHost(parsed.hostname))
      throw new TransientError(`${parsed.hostname} is a private address: not fetched`);
    let response: Response;
    try {
      response = await fetchImpl(url, {
        ...init,
        redirect: 'error',
        signal: AbortSignal.timeout(PKI_HTTP_LIMITS.timeoutMs),
      });
    } catch (error) {
      throw new TransientError(`${url} did not answer: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new TransientError(`${url} answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > PKI_HTTP_LIMITS.maxResponseBytes) {
      await response.body?.cancel();
      throw new TransientError(`${url} answered more than ${PKI_HTTP_LIMITS.maxResponseBytes} bytes`);
    }
    const chunks: Uint8Array[] = [];
    let length = 0;
    for await (const chunk of response.body ?? []) {
      length += (chunk as Uint8Array).byteLength;
      if (length > PKI_HTTP_LIMITS.maxResponseBytes)
        throw new TransientError(`${url} answered more than ${PKI_HTTP_LIMITS.maxResponseBytes} bytes`);
      chunks.push(chunk as Uint8Array);
    }
    return Buffer.concat(chunks);
  };
  return {
    post: (url, contentType, body) =>
      call(url, { method: 'POST', headers: { 'content-type': contentType }, body: Buffer.from(body) }),
    get: (url) => call(url, { method: 'GET' }),
  };
}
