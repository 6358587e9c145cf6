/**
 * Which certificate a request is about and which representation it wants.
 *
 *   /<certificateId>          the function URL (…/europe-west1/verify/<id>: the function sees /<id>)
 *   /verify/<certificateId>   behind a Firebase Hosting rewrite of /verify/**
 *
 * Anything else, and any id that is not 22 base64url characters, is "not found": the same
 * answer as an unknown id, so the response tells nothing about the id's format or existence.
 */

import { isCertificateId } from '../shared/paths.js';

/** The certificate id of a request path (without query), or undefined. */
export function certificateIdFromPath(pathname: string): string | undefined {
  const match = /^\/(?:verify\/)?([^/]+)$/.exec(pathname);
  if (!match) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  return isCertificateId(id) ? id : undefined;
}

/** q-value an Accept header gives a media type (the most specific matching range wins). */
function acceptQuality(accept: string, type: string): number {
  const [major] = type.split('/');
  let best = -1;
  let quality = 0;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const specificity = range === type ? 3 : range === `${major}/*` ? 2 : range === '*/*' ? 1 : 0;
    if (specificity <= best || specificity === 0) continue;
    best = specificity;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = q ? Number(q.slice(2)) : 1;
    quality = Number.isFinite(value) ? value : 0;
  }
  return quality;
}

/**
 * JSON when `?format=json`, or when the Accept header prefers application/json to text/html
 * (`Accept: application/json`); HTML otherwise (browsers, `*\/*`, no header, `?format=html`).
 */
export function wantsJson(accept: string | undefined, format: string | null): boolean {
  if (format === 'json') return true;
  if (format === 'html') return false;
  if (!accept) return false;
  return acceptQuality(accept, 'application/json') > acceptQuality(accept, 'text/html');
}
