/**
 * The verification page as HTML: self-contained (one inline stylesheet allowed by its hash in
 * the Content-Security-Policy, no script, no font, no request to any other origin; the one
 * image is the certificate's own preview, served by this function), readable from 320 px
 * phones to desktops, and accessible: landmarks, one h1, labelled form controls, visible focus,
 * AA contrast. The interface is in the reader's language (messages.ts: `<html lang dir>`, right
 * to left for Arabic); the certificate's own text (name, talk, event, date, place, issuer)
 * carries the certificate's language (`lang`) and `dir="auto"`, so it is shown as issued and an
 * Arabic or Hebrew name lays out right to left inside any page. Every value is escaped.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../shared/html.js';
import { errorMessage, formatPageDate, messages, problemText, type Messages, type PageLanguage } from './messages.js';
import type { CheckResult, VerifyView } from './page-model.js';
import { MAX_PDF_BYTES } from './upload.js';

const CSS = `
:root{color-scheme:light;--fg:#1b1b1f;--muted:#474955;--bg:#f3f4f6;--card:#fff;--line:#d6d9df;--link:#0b57d0}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif}
.skip{position:absolute;inset-inline-start:-10000px;top:0}
.skip:focus{inset-inline-start:1rem;top:1rem;background:#fff;padding:.5rem 1rem;border-radius:8px;z-index:1}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.25rem}
.brand{margin:0;font-weight:600;color:var(--muted);font-size:.95rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.25rem;margin:1rem 0}
.status{border-top-width:6px}
.status.valid{border-top-color:#1e7e43}.status.revoked{border-top-color:#c0392b}.status.superseded{border-top-color:#b57900}.status.expired{border-top-color:#5f6368}
h1{font-size:1.5rem;line-height:1.25;margin:.75rem 0 .5rem}
h2{font-size:1.2rem;line-height:1.3;margin:0 0 .75rem}
p{margin:.5rem 0}
.badge{display:inline-block;font-weight:700;font-size:.95rem;padding:.2rem .8rem;border-radius:999px;border:1px solid;margin:0}
.valid .badge{color:#0a5c2a;background:#e3f3e8;border-color:#8cc9a0}
.revoked .badge{color:#9b1c12;background:#fde8e6;border-color:#f0a39b}
.superseded .badge{color:#6a4100;background:#fff1d6;border-color:#e0b25c}
.expired .badge{color:#3c4043;background:#f1f3f4;border-color:#bdc1c6}
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
code.hash{white-space:normal;overflow-wrap:anywhere;word-break:break-all}.signer{overflow-wrap:anywhere}
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
figure{margin:1rem 0 0}
figure img{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
.credential p{margin:.5rem 0}
.credential .ok{color:#0a5c2a;font-weight:600}.credential .bad{color:#9b1c12;font-weight:600}
.downloads{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}
.download{display:inline-block;border:1px solid #0b57d0;color:#0b57d0;text-decoration:none;font-weight:600;padding:.55rem 1rem;border-radius:8px}
.download:hover{background:#eef3fd}
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
  // The certificate's preview, served by this function next to the page; data: for the empty
  // favicon (without it browsers ask the origin for /favicon.ico, a 404 on the function's host).
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers of every HTML answer, in `language`. */
export function htmlHeaders(cacheControl: string, language: PageLanguage = 'en'): Record<string, string> {
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
    // The language follows Accept-Language, the representation Accept.
    vary: 'Accept, Accept-Language',
    'content-language': language,
  };
}

function time(iso: string | undefined, language: PageLanguage): string {
  const day = formatPageDate(iso, language);
  return day
    ? `<time datetime="${escapeHtml(iso!.slice(0, 10))}">${escapeHtml(day)}</time>`
    : escapeHtml(messages(language).unknownDate);
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

/** A hash or id: left to right inside any page. */
function code(value: string, className?: string, id?: string): string {
  return `<code dir="ltr"${className ? ` class="${className}"` : ''}${id ? ` id="${id}"` : ''}>${escapeHtml(value)}</code>`;
}

function page({ title, body, language }: { title: string; body: string; language: PageLanguage }): string {
  const m = messages(language);
  return `<!doctype html>
<html lang="${language}" dir="${m.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex,nofollow">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<a class="skip" href="#main">${escapeHtml(m.skip)}</a>
<header><p class="brand">${escapeHtml(m.brand)}</p></header>
<main id="main">
${body}
</main>
<footer><p>${escapeHtml(m.footer)}</p></footer>
</body>
</html>
`;
}

/** A message with the certificate's own values (`parts`: already-escaped HTML) put in its slots. */
function fill(template: (...slots: string[]) => string, ...parts: string[]): string {
  // The template is plain text: escape it around placeholders that stand for the HTML parts.
  const marks = parts.map((_, i) => `\u0000${i}\u0000`);
  return escapeHtml(template(...marks)).replace(/\u0000(\d+)\u0000/g, (_, i: string) => parts[Number(i)]!);
}

function currentVersionLink(view: VerifyView, m: Messages): string {
  const current = view.currentVersion;
  if (!current) return '';
  // Relative: resolves next to this page whether it is served as /<id> or /verify/<id>.
  const href = encodeURIComponent(current.certificateId);
  const note = current.status === 'revoked' ? ` ${escapeHtml(m.currentVersionRevoked)}` : '';
  return `<p><a href="${href}">${escapeHtml(m.currentVersion)}</a>${note}</p>`;
}

function statusSection(view: VerifyView, language: PageLanguage): string {
  const m = messages(language);
  const lines: string[] = [];
  if (view.status === 'valid') {
    lines.push(`<p>${fill(m.issuedByOn, own(view.issuer, view.locale), time(view.issuedAt, language))}</p>`);
    if (view.validUntil) lines.push(`<p id="valid-until">${fill(m.validUntil, time(view.validUntil, language))}</p>`);
  } else if (view.status === 'expired') {
    lines.push(`<p id="valid-until">${fill(m.expiredOn, time(view.validUntil, language))}</p>`);
    lines.push(`<p>${fill(m.issuedByOn, own(view.issuer, view.locale), time(view.issuedAt, language))}</p>`);
  } else if (view.status === 'revoked') {
    lines.push(`<p>${fill(m.revokedOn, time(view.revokedAt, language))}</p>`);
    if (view.revocationReason)
      lines.push(`<p>${escapeHtml(m.reason)} <span dir="auto">${escapeHtml(view.revocationReason)}</span></p>`);
    if (view.currentVersion) lines.push(currentVersionLink(view, m));
  } else {
    lines.push(`<p>${fill(m.replacedOn, time(view.supersededAt, language))}</p>`);
    lines.push(view.currentVersion ? currentVersionLink(view, m) : `<p>${escapeHtml(m.currentVersionMissing)}</p>`);
  }
  const preview = view.hasPreview
    ? `<figure><img src="${encodeURIComponent(view.certificateId)}/preview.png" alt="${escapeHtml(m.previewAlt(view.recipientName))}" width="1200" height="848" decoding="async"></figure>`
    : '';
  return `<section class="card status ${view.status}" aria-labelledby="status-title">
<p class="badge">${escapeHtml(m.badge[view.status])}</p>
<h1 id="status-title">${escapeHtml(m.heading[view.status])}</h1>
${lines.join('\n')}
${preview}
</section>`;
}

function row(label: string, value: string): string {
  return `<dt>${escapeHtml(label)}</dt><dd>${value}</dd>`;
}

/** A row whose value is the certificate's own text: the whole <dd> takes its language and direction. */
function ownRow(label: string, value: string, locale: string | undefined): string {
  return `<dt>${escapeHtml(label)}</dt>${own(value, locale, 'dd')}`;
}

/** The role in the page's language: the organizer's label for it, else certforge's translation, else as recorded. */
function roleName(view: VerifyView, m: Messages, language: PageLanguage): string {
  const label = view.roleLabel;
  if (typeof label === 'string' && label) return label;
  if (label && typeof label === 'object') {
    const own = label[language] ?? label.en;
    if (own) return own;
  }
  return m.roles[view.role as keyof Messages['roles']] ?? view.role;
}

function detailsSection(view: VerifyView, language: PageLanguage): string {
  const m = messages(language);
  const l = m.labels;
  const rows = [
    `<dt>${escapeHtml(l.awardedTo)}</dt>${own(view.recipientName, view.locale, 'dd', 'name')}`,
    view.talkTitle ? ownRow(l.talk, view.talkTitle, view.locale) : '',
    view.eventName ? ownRow(l.event, view.eventName, view.locale) : '',
    view.eventDate
      ? view.eventIsoDate
        ? `<dt>${escapeHtml(l.date)}</dt>${ownElement(`<time datetime="${escapeHtml(view.eventIsoDate)}">${escapeHtml(view.eventDate)}</time>`, view.locale, 'dd')}`
        : ownRow(l.date, view.eventDate, view.locale)
      : '',
    view.eventPlace ? ownRow(l.place, view.eventPlace, view.locale) : '',
    view.evidence
      ? row(
          m.attendance.label,
          escapeHtml(
            m.attendance.value({
              days: view.evidence.days.length,
              minutes: view.evidence.minutes,
              checkins: view.evidence.checkins,
            }),
          ),
        )
      : '',
    ownRow(l.issuedBy, view.issuer, view.locale),
    row(l.issuedOn, time(view.issuedAt, language)),
    row(l.certificateId, code(view.certificateId)),
    row(l.sha256, code(view.sha256, 'hash', 'issued-sha256')),
    view.pdfSignature
      ? row(
          l.pdfSignedBy,
          `<span class="signer" dir="ltr">${escapeHtml(view.pdfSignature.signer)}</span> (PAdES ${escapeHtml(view.pdfSignature.level)})`,
        )
      : '',
  ].filter(Boolean);
  // Through the verify function (<id>/linkedin redirects to view.linkedInUrl), which counts the addition.
  const linkedIn = view.linkedInUrl
    ? `<p><a class="linkedin" href="${escapeHtml(`${view.verifyUrl}/linkedin`)}" rel="nofollow noopener noreferrer">${escapeHtml(m.linkedIn)}</a></p>`
    : '';
  return `<section class="card" aria-labelledby="details-title">
<h2 id="details-title">${escapeHtml(m.detailsTitle(roleName(view, m, language)))}</h2>
<dl>
${rows.join('\n')}
</dl>
${linkedIn}${
    view.correctionUrl
      ? `\n<p><a id="ask-correction" href="${escapeHtml(view.correctionUrl)}" rel="nofollow">${escapeHtml(m.askCorrection)}</a></p>`
      : ''
  }
</section>`;
}

function credentialSection(view: VerifyView, language: PageLanguage): string {
  const m = messages(language).credential;
  const id = encodeURIComponent(view.certificateId);
  const pdf = view.offersPdf
    ? `<a class="download" href="${id}/certificate.pdf" download>${escapeHtml(m.downloadPdf)}</a>`
    : '';
  if (view.credential === 'none') {
    return `<section class="card credential" aria-labelledby="credential-title">
<h2 id="credential-title">${escapeHtml(m.title)}</h2>
<p>${escapeHtml(m.none)}</p>
${pdf ? `<p class="downloads">${pdf}</p>` : ''}
</section>`;
  }
  // Baked badges (Open Badges baking): the preview with the credential inside, for a valid certificate.
  const badges =
    view.status === 'valid' && view.hasPreview
      ? `<a class="download" href="${id}/badge.png" download type="image/png">${escapeHtml(m.downloadBadgePng)}</a>` +
        `<a class="download" href="${id}/badge.svg" download type="image/svg+xml">${escapeHtml(m.downloadBadgeSvg)}</a>`
      : '';
  const state = {
    verified: `<p class="ok" id="credential-state">${escapeHtml(m.verified)}</p>`,
    'signature-failed': `<p class="bad" id="credential-state">${escapeHtml(m.signatureFailed)}</p>`,
    revoked: `<p class="bad" id="credential-state">${escapeHtml(m.statusRevoked)}</p>`,
    uncheckable: `<p id="credential-state">${escapeHtml(m.uncheckable)}</p>`,
  }[view.credential];
  return `<section class="card credential" aria-labelledby="credential-title">
<h2 id="credential-title">${escapeHtml(m.title)}</h2>
<p>${fill(m.intro, own(view.issuer, view.locale))}</p>
${state}
<p class="downloads"><a class="download" href="${id}/credential.json" download type="application/vc">${escapeHtml(m.download)}</a>${badges}${pdf}</p>
</section>`;
}

/** An error to show in the check section (a bad upload). */
export interface CheckProblem {
  code: string;
  message: string;
}

function checkResult(
  view: VerifyView,
  check: CheckResult | undefined,
  problem: CheckProblem | undefined,
  language: PageLanguage,
): string {
  const m = messages(language).check;
  if (problem) {
    const translated = problemText(language, problem.code);
    const limit =
      problem.code === 'LIMIT_EXCEEDED' && translated
        ? ` ${m.fileHint(Math.round(MAX_PDF_BYTES / (1024 * 1024)))}`
        : '';
    const message = translated ? `${translated}${limit}` : problem.message;
    return `<div class="result problem" id="check-result"><p><strong>${escapeHtml(m.notChecked)}</strong></p><p>${escapeHtml(message)}</p></div>`;
  }
  if (!check) return '';
  const what = check.method === 'upload' ? m.fileWhat : m.hashWhat;
  const caveat =
    view.status === 'valid'
      ? ''
      : view.status === 'expired'
        ? `<p>${fill(messages(language).expiredOn, time(view.validUntil, language))}</p>`
        : `<p>${escapeHtml(view.status === 'revoked' ? m.caveatRevoked : m.caveatReplaced)}</p>`;
  if (check.matches) {
    return `<div class="result match" id="check-result"><p><strong>${escapeHtml(m.matchTitle)}</strong></p>
<p>${escapeHtml(m.matchText(what))} (SHA-256 ${code(check.sha256, 'hash')})</p>${caveat}</div>`;
  }
  const notPdf = check.looksLikePdf === false ? `<p>${escapeHtml(m.notPdf)}</p>` : '';
  return `<div class="result nomatch" id="check-result"><p><strong>${escapeHtml(m.noMatchTitle)}</strong></p>
<p>${escapeHtml(m.noMatchText(what))}</p>${notPdf}
<p>${escapeHtml(m.itsHash)} ${code(check.sha256, 'hash')}</p></div>`;
}

function checkSection(
  view: VerifyView,
  check: CheckResult | undefined,
  problem: CheckProblem | undefined,
  language: PageLanguage,
): string {
  const m = messages(language).check;
  const megabytes = Math.round(MAX_PDF_BYTES / (1024 * 1024));
  return `<section class="card" aria-labelledby="check-title">
<h2 id="check-title">${escapeHtml(m.title)}</h2>
${checkResult(view, check, problem, language)}
<p>${escapeHtml(m.intro)}</p>
<form method="post" enctype="multipart/form-data" action="#check-result">
<label for="pdf">${escapeHtml(m.fileLabel)}</label>
<input id="pdf" name="pdf" type="file" accept="application/pdf,.pdf" required aria-describedby="pdf-hint">
<p class="hint" id="pdf-hint">${escapeHtml(m.fileHint(megabytes))}</p>
<button type="submit">${escapeHtml(m.fileButton)}</button>
</form>
<form method="get" action="#check-result">
<label for="sha256">${escapeHtml(m.hashLabel)}</label>
<input id="sha256" name="sha256" type="text" dir="ltr" required autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="100" aria-describedby="sha256-hint">
<p class="hint" id="sha256-hint">${escapeHtml(m.hashHint)}</p>
<button type="submit">${escapeHtml(m.hashButton)}</button>
</form>
</section>`;
}

/** The page of a certificate in `language`, with the result of a check when one was made. */
export function renderCertificatePage(
  view: VerifyView,
  check?: CheckResult,
  problem?: CheckProblem,
  language: PageLanguage = 'en',
): string {
  const m = messages(language);
  const prefix = problem
    ? m.titlePrefix.notChecked
    : check
      ? check.matches
        ? m.titlePrefix.matches
        : m.titlePrefix.noMatch
      : '';
  return page({
    title: `${prefix}${view.recipientName}: ${m.titleStatus[view.status]}`,
    body: [
      statusSection(view, language),
      detailsSection(view, language),
      credentialSection(view, language),
      checkSection(view, check, problem, language),
    ].join('\n'),
    language,
  });
}

/** The same page for an unknown id, a malformed id and any other path. */
export function renderNotFoundPage(language: PageLanguage = 'en'): string {
  const m = errorMessage(language, 'notFound');
  return renderErrorPage(m.title, m.text, language);
}

/** The page of an error of its own (not found, method not allowed, service unavailable). */
export function renderErrorPage(title: string, message: string, language: PageLanguage = 'en'): string {
  return page({
    title,
    body: `<section class="card" aria-labelledby="status-title">
<h1 id="status-title">${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>
</section>`,
    language,
  });
}
