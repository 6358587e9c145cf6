/**
 * What a request to the verify function asks for, and in which representation.
 *
 *   /<certificateId>                   the certificate: page, JSON or its credential
 *   /<certificateId>/preview.png       its PNG preview (served from Storage through the function)
 *   /<certificateId>/certificate.pdf   its PDF, where the event offers it
 *   /<certificateId>/credential.json   its Open Badges credential, as a download
 *   /<certificateId>/badge.png         the preview with the credential baked in (Open Badges baking)
 *   /<certificateId>/badge.svg         the same as an SVG
 *   /<certificateId>/linkedin          a redirect to LinkedIn's "Add to profile" form (counted: verify/stats.ts)
 *   /issuer                            the issuer profile (JSON-LD), which lists the signing keys
 *   /status/<listId>                   a status list credential (Bitstring Status List)
 *
 * Each also under /verify/… (a Firebase Hosting rewrite of /verify/**; the function URL gives
 * the path without it). Anything else, and any id that is not 22 base64url characters, is "not
 * found": the same answer as an unknown id, so the response tells nothing about the id's format
 * or existence.
 */

import { isCertificateId, isStatusListId } from '../shared/paths.js';

export type CertificateFile = 'preview.png' | 'certificate.pdf' | 'credential.json' | 'badge.png' | 'badge.svg';

export type Route =
  | { kind: 'certificate'; certificateId: string }
  | { kind: 'file'; certificateId: string; file: CertificateFile }
  | { kind: 'linkedin'; certificateId: string }
  | { kind: 'issuer' }
  | { kind: 'status-list'; listId: string }
  | { kind: 'not-found' };

const FILES = new Set<string>(['preview.png', 'certificate.pdf', 'credential.json', 'badge.png', 'badge.svg']);

/** The route of a request path (without query). */
export function routeOf(pathname: string): Route {
  let segments: string[];
  try {
    segments = pathname.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return { kind: 'not-found' };
  }
  if (segments[0] === 'verify') segments = segments.slice(1);
  if (segments.length === 1 && segments[0] === 'issuer') return { kind: 'issuer' };
  if (segments.length === 2 && segments[0] === 'status' && isStatusListId(segments[1]))
    return { kind: 'status-list', listId: segments[1] };
  const [id, file] = segments;
  if (!isCertificateId(id)) return { kind: 'not-found' };
  if (segments.length === 1) return { kind: 'certificate', certificateId: id };
  if (segments.length === 2 && file === 'linkedin') return { kind: 'linkedin', certificateId: id };
  if (segments.length === 2 && file && FILES.has(file))
    return { kind: 'file', certificateId: id, file: file as CertificateFile };
  return { kind: 'not-found' };
}

/** The certificate id of a request path (without query), or undefined. */
export function certificateIdFromPath(pathname: string): string | undefined {
  const route = routeOf(pathname);
  return route.kind === 'certificate' ? route.certificateId : undefined;
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

/** Media types that ask for the credential itself (VC 2.0's, its earlier one, and JSON-LD). */
const CREDENTIAL_TYPES = ['application/vc', 'application/vc+ld+json', 'application/ld+json'];

export type Representation = 'html' | 'json' | 'vc';

/**
 * `?format=html|json|vc` decides; otherwise the Accept header: the credential when it prefers
 * one of CREDENTIAL_TYPES to both HTML and JSON, JSON when it prefers application/json to
 * text/html; HTML otherwise (browsers, `*\/*`, no header).
 */
export function representation(accept: string | undefined, format: string | null): Representation {
  if (format === 'json' || format === 'html' || format === 'vc') return format;
  if (!accept) return 'html';
  const html = acceptQuality(accept, 'text/html');
  const json = acceptQuality(accept, 'application/json');
  const vc = Math.max(
    ...CREDENTIAL_TYPES.map((type) => (accept.toLowerCase().includes(type) ? acceptQuality(accept, type) : 0)),
  );
  if (vc > 0 && vc > html && vc >= json) return 'vc';
  return json > html ? 'json' : 'html';
}

/** JSON rather than HTML (kept for callers that only know those two). */
export function wantsJson(accept: string | undefined, format: string | null): boolean {
  return representation(accept, format) === 'json';
}
