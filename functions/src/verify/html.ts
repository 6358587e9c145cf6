/**
 * The verification page as HTML: self-contained (one inline stylesheet allowed by its hash in
 * the Content-Security-Policy, no script, no font, no image, no request to any other origin),
 * readable from 320 px phones to desktops, and accessible: landmarks, one h1, labelled form
 * controls, visible focus, AA contrast. The interface is in English; the certificate's own
 * text (name, talk, event, date, place) carries the certificate's language (`lang`) and
 * `dir="auto"`, so Arabic or Hebrew names lay out right to left within the English page.
 * Every value is escaped.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../shared/html.js';
import type { CheckResult, VerifyView } from './page-model.js';
import { MAX_PDF_BYTES } from './upload.js';

const CSS = `
:root{color-scheme:light;--fg:#1b1b1f;--muted:#474955;--bg:#f3f4f6;--card:#fff;--line:#d6d9df;--link:#0b57d0}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif}
.skip{position:absolute;left:-10000px;top:0}
.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem 1rem;border-radius:8px;z-index:1}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.25rem}
.brand{margin:0;font-weight:600;color:var(--muted);font-size:.95rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.25rem;margin:1rem 0}
.status{border-top-width:6px}
.status.valid{border-top-color:#1e7e43}.status.revoked{border-top-color:#c0392b}.status.superseded{border-top-color:#b57900}
h1{font-size:1.5rem;line-height:1.25;margin:.75rem 0 .5rem}
h2{font-size:1.2rem;line-height:1.3;margin:0 0 .75rem}
p{margin:.5rem 0}
.badge{display:inline-block;font-weight:700;font-size:.95rem;padding:.2rem .8rem;border-radius:999px;border:1px solid;margin:0}
.valid .badge{color:#0a5c2a;background:#e3f3e8;border-color:#8cc9a0}
.revoked .badge{color:#9b1c12;background:#fde8e6;border-color:#f0a39b}
.superseded .badge{color:#6a4100;background:#fff1d6;border-color:#e0b25c}
dl{margin:0;display:grid;grid-template-columns:minmax(0,1fr);column-gap:1.25rem}
dt{font-weight:600;color:var(--muted);font-size:.9rem;margin-top:.75rem}
dd{margin:0;overflow-wrap:anywhere;min-width:0}
dd.name{font-size:1.5rem;font-weight:700;line-height:1.3}
@media (min-width:36rem){
dl{grid-template-columns:minmax(7rem,11rem) minmax(0,1fr)}
dt,dd{margin:0;padding:.5rem 0;border-bottom:1px solid #eceef1}
dt{padding-top:.6rem}
dd.name{font-size:1.6rem}
}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.9em;white-space:nowrap}
code.hash{white-space:normal;overflow-wrap:anywhere;word-break:break-all}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #0b57d0;outline-offset:3px}
.linkedin{display:inline-block;background:#0a66c2;color:#fff;text-decoration:none;font-weight:600;padding:.6rem 1rem;border-radius:8px;margin-top:1rem}
.linkedin:hover{background:#004182}
form{margin:1.25rem 0 0}
form+form{border-top:1px solid #eceef1;padding-top:1.25rem}
label{display:block;font-weight:600;margin-bottom:.35rem}
.hint{color:var(--muted);font-size:.9rem;margin:.35rem 0 0}
input[type=file],input[type=text]{display:block;width:100%;font:inherit;padding:.5rem;border:1px solid #767b85;border-radius:8px;background:#fff;color:var(--fg)}
input[type=text]{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.9rem}
button{font:inherit;font-weight:600;margin-top:.75rem;padding:.55rem 1.1rem;border-radius:8px;border:1px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer}
button:hover{background:#0842a0}
.result{border-radius:10px;padding:.75rem 1rem;margin:0 0 1rem;border:2px solid}
.result.match{background:#e3f3e8;border-color:#1e7e43}
.result.nomatch{background:#fde8e6;border-color:#c0392b}
.result.problem{background:#fff1d6;border-color:#b57900}
.result strong{font-size:1.1rem}
footer{color:var(--muted);font-size:.9rem;padding-bottom:2rem}
`
  .trim()
  .replace(/\n/g, '');

/** The CSP source of the inline stylesheet. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(CSS).digest('base64')}'`;

/**
 * Nothing may load from anywhere (default-src 'none'); the inline stylesheet is allowed by its
 * hash; forms post back to this origin only; no framing, no <base>.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers of every HTML answer. */
export function htmlHeaders(cacheControl: string): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    'strict-transport-security': 'max-age=31536000',
    // The page shows a person's name: not for search engines.
    'x-robots-tag': 'noindex, nofollow',
    'cache-control': cacheControl,
    vary: 'Accept',
  };
}

const ISSUE_DATE = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });

/** "12 March 2026"-style English date of an ISO instant (UTC), for the page's own sentences. */
export function formatDay(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : ISSUE_DATE.format(date);
}

function time(iso: string | undefined): string {
  const day = formatDay(iso);
  return day ? `<time datetime="${escapeHtml(iso!.slice(0, 10))}">${escapeHtml(day)}</time>` : 'an unknown date';
}

/** An element holding the certificate's own text: its language, direction from its content. */
function ownElement(innerHtml: string, locale: string | undefined, tag: string, className?: string): string {
  const lang = locale ? ` lang="${escapeHtml(locale)}"` : '';
  const cls = className ? ` class="${className}"` : '';
  return `<${tag}${cls}${lang} dir="auto">${innerHtml}</${tag}>`;
}

/** Text of the certificate itself, escaped. */
function own(value: string, locale: string | undefined, tag = 'span', className?: string): string {
  return ownElement(escapeHtml(value), locale, tag, className);
}

function page({ title, body }: { title: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex,nofollow">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the certificate</a>
<header><p class="brand">Certificate verification</p></header>
<main id="main">
${body}
</main>
<footer><p>Verification by certforge. This page shows what the certificate states and whether it is still valid.</p></footer>
</body>
</html>
`;
}

const STATUS_TEXT = {
  valid: { badge: '✓ Valid', title: 'This certificate is valid' },
  revoked: { badge: '✕ Revoked', title: 'This certificate has been revoked' },
  superseded: { badge: '↻ Replaced', title: 'This certificate has been replaced by a corrected version' },
} as const;

function currentVersionLink(view: VerifyView): string {
  const current = view.currentVersion;
  if (!current) return '';
  // Relative: resolves next to this page whether it is served as /<id> or /verify/<id>.
  const href = encodeURIComponent(current.certificateId);
  const note = current.status === 'valid' ? '' : current.status === 'revoked' ? ' (that version has been revoked too)' : '';
  return `<p><a href="${href}">View the current version of this certificate</a>${note}.</p>`;
}

function statusSection(view: VerifyView): string {
  const text = STATUS_TEXT[view.status];
  const lines: string[] = [];
  if (view.status === 'valid') {
    lines.push(`<p>Issued by ${own(view.issuer, view.locale)} on ${time(view.issuedAt)}. It has not been revoked or replaced.</p>`);
  } else if (view.status === 'revoked') {
    lines.push(`<p>Revoked on ${time(view.revokedAt)}. It no longer certifies what it states.</p>`);
    if (view.revocationReason) lines.push(`<p>Reason: <span dir="auto">${escapeHtml(view.revocationReason)}</span></p>`);
    if (view.currentVersion) lines.push(currentVersionLink(view));
  } else {
    lines.push(`<p>A corrected version replaced it on ${time(view.supersededAt)}. This version is no longer valid.</p>`);
    lines.push(view.currentVersion ? currentVersionLink(view) : '<p>The current version could not be found.</p>');
  }
  return `<section class="card status ${view.status}" aria-labelledby="status-title">
<p class="badge">${escapeHtml(text.badge)}</p>
<h1 id="status-title">${escapeHtml(text.title)}</h1>
${lines.join('\n')}
</section>`;
}

function row(label: string, value: string): string {
  return `<dt>${escapeHtml(label)}</dt><dd>${value}</dd>`;
}

/** A row whose value is the certificate's own text: the whole <dd> takes its language and direction. */
function ownRow(label: string, value: string, locale: string | undefined): string {
  return `<dt>${escapeHtml(label)}</dt>${own(value, locale, 'dd')}`;
}

function detailsSection(view: VerifyView): string {
  const rows = [
    `<dt>Awarded to</dt>${own(view.recipientName, view.locale, 'dd', 'name')}`,
    view.talkTitle ? ownRow('Talk', view.talkTitle, view.locale) : '',
    view.eventName ? ownRow('Event', view.eventName, view.locale) : '',
    view.eventDate
      ? view.eventIsoDate
        ? `<dt>Date</dt>${ownElement(`<time datetime="${escapeHtml(view.eventIsoDate)}">${escapeHtml(view.eventDate)}</time>`, view.locale, 'dd')}`
        : ownRow('Date', view.eventDate, view.locale)
      : '',
    view.eventPlace ? ownRow('Place', view.eventPlace, view.locale) : '',
    ownRow('Issued by', view.issuer, view.locale),
    row('Issued on', time(view.issuedAt)),
    row('Certificate ID', `<code>${escapeHtml(view.certificateId)}</code>`),
    row('SHA-256 of the PDF', `<code class="hash" id="issued-sha256">${escapeHtml(view.sha256)}</code>`),
  ].filter(Boolean);
  const linkedIn = view.linkedInUrl
    ? `<p><a class="linkedin" href="${escapeHtml(view.linkedInUrl)}" rel="noopener noreferrer">Add to LinkedIn profile</a></p>`
    : '';
  return `<section class="card" aria-labelledby="details-title">
<h2 id="details-title">${escapeHtml(view.role)} certificate</h2>
<dl>
${rows.join('\n')}
</dl>
${linkedIn}
</section>`;
}

/** An error to show in the check section (a bad upload). */
export interface CheckProblem {
  code: string;
  message: string;
}

function checkResult(view: VerifyView, check: CheckResult | undefined, problem: CheckProblem | undefined): string {
  if (problem) {
    return `<div class="result problem" id="check-result"><p><strong>The PDF could not be checked</strong></p><p>${escapeHtml(problem.message)}</p></div>`;
  }
  if (!check) return '';
  const what = check.method === 'upload' ? 'The PDF you chose' : 'The SHA-256 you gave';
  const caveat =
    view.status === 'valid'
      ? ''
      : `<p>Note: this certificate ${view.status === 'revoked' ? 'has been revoked' : 'has been replaced by a corrected version'}, so the PDF no longer certifies what it states.</p>`;
  if (check.matches) {
    return `<div class="result match" id="check-result"><p><strong>✓ Match: this is the issued PDF</strong></p>
<p>${what} is exactly the PDF issued with this certificate (SHA-256 <code class="hash">${escapeHtml(check.sha256)}</code>).</p>${caveat}</div>`;
  }
  const notPdf = check.looksLikePdf === false ? '<p>The file is not a PDF.</p>' : '';
  return `<div class="result nomatch" id="check-result"><p><strong>✕ No match: this is not the issued PDF</strong></p>
<p>${what} does not match the PDF issued with this certificate. It may have been changed, or belong to another certificate.</p>${notPdf}
<p>Its SHA-256: <code class="hash">${escapeHtml(check.sha256)}</code></p></div>`;
}

function checkSection(view: VerifyView, check: CheckResult | undefined, problem: CheckProblem | undefined): string {
  const megabytes = Math.round(MAX_PDF_BYTES / (1024 * 1024));
  return `<section class="card" aria-labelledby="check-title">
<h2 id="check-title">Check a PDF</h2>
${checkResult(view, check, problem)}
<p>Received this certificate as a PDF? Check that it is exactly the file that was issued. The file is only compared, never stored.</p>
<form method="post" enctype="multipart/form-data" action="#check-result">
<label for="pdf">Certificate PDF</label>
<input id="pdf" name="pdf" type="file" accept="application/pdf,.pdf" required aria-describedby="pdf-hint">
<p class="hint" id="pdf-hint">Up to ${megabytes} MB.</p>
<button type="submit">Check the PDF</button>
</form>
<form method="get" action="#check-result">
<label for="sha256">Or its SHA-256</label>
<input id="sha256" name="sha256" type="text" required autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="100" aria-describedby="sha256-hint">
<p class="hint" id="sha256-hint">64 hexadecimal characters, e.g. from <code>sha256sum certificate.pdf</code>.</p>
<button type="submit">Check the hash</button>
</form>
</section>`;
}

/** The page of a certificate, with the result of a check when one was made. */
export function renderCertificatePage(view: VerifyView, check?: CheckResult, problem?: CheckProblem): string {
  const prefix = problem ? 'PDF not checked – ' : check ? (check.matches ? 'PDF matches – ' : 'PDF does not match – ') : '';
  const status = view.status === 'valid' ? 'valid certificate' : view.status === 'revoked' ? 'revoked certificate' : 'replaced certificate';
  return page({
    title: `${prefix}${view.recipientName}: ${status}`,
    body: [statusSection(view), detailsSection(view), checkSection(view, check, problem)].join('\n'),
  });
}

/** The same page for an unknown id, a malformed id and any other path. */
export function renderNotFoundPage(): string {
  return page({
    title: 'Certificate not found',
    body: `<section class="card" aria-labelledby="status-title">
<h1 id="status-title">Certificate not found</h1>
<p>No certificate has this address. Check that it was typed exactly as printed on the certificate: the identifier is 22 characters long and is case-sensitive.</p>
</section>`,
  });
}

/** A page for other errors (method not allowed, service unavailable). */
export function renderErrorPage(title: string, message: string): string {
  return page({
    title,
    body: `<section class="card" aria-labelledby="status-title">
<h1 id="status-title">${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
</section>`,
  });
}
