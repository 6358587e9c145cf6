/**
 * Deploy-time configuration (firebase-functions/params). Values are set per project in
 * `functions/.env.<project>` or prompted by `firebase deploy`; handlers read them with
 * `.value()` at call time, never at import time. Function options (region, memory, App
 * Check) take the param itself so the value is resolved at deploy.
 */
import { defineBoolean, defineInt, defineSecret, defineString, type Expression } from 'firebase-functions/params';
import { CodedError } from './shared/errors.js';

/** Region of every function. */
export const REGION = defineString('CERTFORGE_REGION', {
  default: 'europe-west1',
  description: 'Region of the certforge functions',
});

/**
 * Memory of the functions that issue certificates, in MiB. An issuing instance (PDF only, every
 * example name on both bundled templates, firebase-admin loaded) peaks at ~147 MB, and 10,000
 * renders with every tenth a preview at ~146 MB, with functions/.env's allocator and heap
 * settings and the core's V8 settings (render/core.ts) (test/bench/last-run.md, "Firebase"); 256 MiB (268 MB) leaves ~100 MB for the
 * requests an instance serves at once. The functions that render previews on request have
 * PREVIEW_MEMORY (docs/deploy.md, "Memory and timeout").
 */
export const RENDER_MEMORY_MIB = defineInt('CERTFORGE_RENDER_MEMORY_MIB', {
  default: 256,
  description: 'Memory (MiB) of the functions that issue certificates',
});

/**
 * Memory of the functions that render PNG previews on request (generateCertificate's pngUrl,
 * previewTemplate): an instance that has rendered previews peaks at ~195 MB (resvg-wasm's
 * memory and compiled code on top of the issuing path), too close to 256 MiB with 8 requests
 * at once.
 */
export const PREVIEW_MEMORY = '512MiB' as const;

/** Template used when an event has no `templateId`. */
export const DEFAULT_TEMPLATE_ID = defineString('CERTFORGE_DEFAULT_TEMPLATE', {
  default: 'classic',
  description: 'Template id used when an event names none (bundled: classic, modern)',
});

/** Width in pixels of the PNG preview stored next to each PDF (100..6000). */
export const PREVIEW_WIDTH = defineInt('CERTFORGE_PREVIEW_WIDTH', {
  default: 1200,
  description: 'Width in pixels of the PNG preview of each certificate',
});

/** Callable functions reject calls without a valid App Check token when true. */
export const ENFORCE_APP_CHECK = defineBoolean('CERTFORGE_ENFORCE_APP_CHECK', {
  default: false,
  description: 'Require App Check on the callable functions',
});

/**
 * Printed on the certificate as `certificate.url` = <base>/<certificate id>; also the base of
 * the credential's issuer profile and status lists. Empty (the default): the deployment's own
 * `verify` function, `https://<region>-<project>.cloudfunctions.net/verify` (verifyBaseUrl()).
 * Set it to a domain of yours that reaches that function (a Hosting rewrite, a load balancer).
 */
export const VERIFY_BASE_URL = defineString('CERTFORGE_VERIFY_BASE_URL', {
  default: '',
  description:
    "Base URL printed on certificates for verification (<base>/<certificate id>); empty = this deployment's verify function",
});

/**
 * The verification base of this deployment: the param when set, else the address of the
 * deployment's own `verify` function. Never a domain the deployment does not control: a value
 * that is not an absolute http(s) URL without query or fragment, or an empty one where no
 * project id is known, is CONFIG_INVALID.
 */
export function verifyBaseUrl(
  configured: string = VERIFY_BASE_URL.value(),
  region: string = REGION.value(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  const value = configured.trim();
  if (value === '') {
    const project = projectIdOf(env);
    if (!project)
      throw new ConfigError(
        'CERTFORGE_VERIFY_BASE_URL is empty and the project id is unknown: set CERTFORGE_VERIFY_BASE_URL',
      );
    return `https://${region}-${project}.cloudfunctions.net/verify`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`CERTFORGE_VERIFY_BASE_URL is not an absolute URL: ${JSON.stringify(value.slice(0, 200))}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password)
    throw new ConfigError('CERTFORGE_VERIFY_BASE_URL must be an http(s) URL without query, fragment or credentials');
  return value.replace(/\/+$/, '');
}

/**
 * The public address of one of this deployment's HTTP functions (pretix's webhook URL): on the
 * emulator `http://127.0.0.1:5001/<project>/<region>/<name>`, deployed
 * `https://<region>-<project>.cloudfunctions.net/<name>`.
 */
export function functionUrl(
  name: string,
  region: string = REGION.value(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  const project = projectIdOf(env);
  if (!project) throw new ConfigError(`The project id is unknown: cannot name the address of ${name}`);
  if (env.FUNCTIONS_EMULATOR === 'true') return `http://127.0.0.1:5001/${project}/${region}/${name}`;
  return `https://${region}-${project}.cloudfunctions.net/${name}`;
}

function projectIdOf(env: NodeJS.ProcessEnv): string | undefined {
  try {
    const config = env.FIREBASE_CONFIG ? (JSON.parse(env.FIREBASE_CONFIG) as { projectId?: unknown }) : undefined;
    if (typeof config?.projectId === 'string' && config.projectId) return config.projectId;
  } catch {
    // FIREBASE_CONFIG may also be a file path; the variables below then name the project.
  }
  return env.GCLOUD_PROJECT || env.GOOGLE_CLOUD_PROJECT || undefined;
}

/** A deployment setting that cannot be used (the message says which param to fix). */
export class ConfigError extends CodedError<'CONFIG_INVALID'> {
  override name = 'ConfigError';
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

/**
 * The issuer's Ed25519 key that signs every certificate's Open Badges credential and the status
 * lists: JSON from `npm run issuer-key -- <keyId>` (docs/verification.md, "Keys and rotation").
 * The emulator reads it from functions/.secret.local, which emulators/run.mjs creates with a
 * demo key (kept out of git).
 */
export const ISSUER_KEY = defineSecret('CERTFORGE_ISSUER_KEY');

/** The issuer profile's name (who signs the credentials). */
export const ISSUER_NAME = defineString('CERTFORGE_ISSUER_NAME', {
  default: 'certforge',
  description: 'Name of the issuer of the Open Badges credentials (the organization that runs certforge)',
});

/** The issuer's web site in its profile; empty: the verification base URL. */
export const ISSUER_URL = defineString('CERTFORGE_ISSUER_URL', {
  default: '',
  description: "The issuer's web site, shown in its Open Badges profile (empty: the verification base URL)",
});

/**
 * The organization's signing certificate for PAdES signatures on every certificate PDF and print
 * bundle (docs/pdf-signatures.md): `secret:projects/P/secrets/S/versions/latest` (Secret Manager
 * holds the PKCS#12 as JSON, or PEM), `kms:projects/…/cryptoKeyVersions/N` (Cloud KMS holds the
 * key; the chain is in CERTFORGE_PDF_SIGNER_CHAIN), or `file:/path` (the emulator). Empty: PDFs
 * are not signed (the instance says so once in its log).
 */
export const PDF_SIGNER = defineString('CERTFORGE_PDF_SIGNER', {
  default: '',
  description: 'Signing certificate of the PDFs: secret:…, kms:… or file:… (empty: unsigned PDFs)',
});

export const PDF_SIGNER_CHAIN = defineString('CERTFORGE_PDF_SIGNER_CHAIN', {
  default: '',
  description: 'With a kms: signer, where its certificate chain (PEM) is: secret:… or file:…',
});

/** An RFC 3161 time-stamping authority: signatures become PAdES B-T (B-LT with the validation data). */
export const TSA_URL = defineString('CERTFORGE_TSA_URL', {
  default: '',
  description: 'RFC 3161 time-stamping authority URL for the PDF signatures (empty: no time-stamp, PAdES B-B)',
});

/** With a TSA: also embed the chains' revocation data when it can be fetched (PAdES B-LT). */
export const PDF_SIGNATURE_LTV = defineBoolean('CERTFORGE_PDF_SIGNATURE_LTV', {
  default: true,
  description: 'Embed OCSP answers / CRLs of the signing and TSA chains in each PDF (PAdES B-LT)',
});

/**
 * Where the organizer console is served (Firebase Hosting), e.g. https://certificates.example.org.
 * The verification page links a certificate's recipient to <console>/correction/<id> to ask for a
 * correction; empty: no such link.
 */
export const CONSOLE_URL = defineString('CERTFORGE_CONSOLE_URL', {
  default: '',
  description: 'URL of the organizer console (Firebase Hosting): recipients ask for corrections there (empty: no link)',
});

/** A delivery older than this (minutes) is not retried again: the speaker is marked failed. */
export const MAX_RETRY_AGE_MINUTES = defineInt('CERTFORGE_MAX_RETRY_AGE_MINUTES', {
  default: 30,
  description: 'Stop retrying a certificate after this many minutes and record it as failed',
});

/**
 * Certificate mails one event may queue per UTC day (event.emailOnIssue). With the per-address
 * and per-participant limits (shared/rate-limits.ts) it keeps an organizer account from being
 * used to mail arbitrary addresses without end; an event with more participants than this
 * raises it.
 */
export const MAIL_PER_EVENT_PER_DAY = defineInt('CERTFORGE_MAIL_PER_EVENT_PER_DAY', {
  default: 5000,
  description: 'Certificate mails one event may queue per UTC day',
});

/**
 * New versions of existing certificates (generateCertificate with force, corrections after an
 * edit) one event may render per UTC day; forced bulk runs are limited separately (3 per 24 h).
 */
export const REISSUES_PER_EVENT_PER_DAY = defineInt('CERTFORGE_REISSUES_PER_EVENT_PER_DAY', {
  default: 2000,
  description: "New versions of an event's existing certificates rendered per UTC day (force, corrections)",
});

/** Seconds a function may run; also the base of the rendering lease. */
export const RENDER_TIMEOUT_SECONDS = 120;

/**
 * Rate limits of the issueCertificateTask queue. Each task renders one certificate (~0.1 s of
 * CPU plus Storage/Firestore round trips), and an instance serves `concurrency` (8) at once:
 * the default keeps about 6 instances busy. Measured on the emulator: test/bench/last-run.md.
 */
export const TASK_MAX_CONCURRENT = defineInt('CERTFORGE_TASK_MAX_CONCURRENT', {
  default: 48,
  description: 'Maximum certificate tasks running at once (Cloud Tasks maxConcurrentDispatches)',
});

export const TASK_MAX_PER_SECOND = defineInt('CERTFORGE_TASK_MAX_PER_SECOND', {
  default: 100,
  description: 'Maximum certificate tasks started per second (Cloud Tasks maxDispatchesPerSecond)',
});

/**
 * Bucket whose `imports/{eventId}/*.csv` uploads are imported. A Storage trigger fires for
 * every object of its bucket and cannot filter by path: on the default bucket it also runs
 * (and returns at once) for each certificate PDF and PNG, two invocations per certificate.
 * A dedicated bucket avoids them; empty = the project's default bucket.
 */
export const IMPORT_BUCKET = defineString('CERTFORGE_IMPORT_BUCKET', {
  default: '',
  description: 'Bucket watched for CSV imports (imports/{eventId}/*.csv); empty = the default bucket',
});

/**
 * The bucket of the import trigger: CERTFORGE_IMPORT_BUCKET, or the default bucket (from
 * FIREBASE_CONFIG, as firebase-functions itself finds it) when that is empty. An expression,
 * resolved by the Firebase CLI at deploy and by the emulator, since params have no value
 * while the functions are being discovered.
 */
export function importBucket(
  firebaseConfig: string | undefined = process.env.FIREBASE_CONFIG,
): string | Expression<string> {
  let defaultBucket: unknown;
  try {
    defaultBucket = firebaseConfig
      ? (JSON.parse(firebaseConfig) as { storageBucket?: unknown }).storageBucket
      : undefined;
  } catch {
    defaultBucket = undefined;
  }
  return typeof defaultBucket === 'string' && defaultBucket
    ? IMPORT_BUCKET.equals('').thenElse(defaultBucket, IMPORT_BUCKET)
    : IMPORT_BUCKET;
}

/** Retry policy of the issuing task queue; the last attempt records RETRY_EXHAUSTED instead of throwing. */
export const TASK_MAX_ATTEMPTS = 8;

/** Timeout of the import function: 50,000 rows are read, compared and written in about 2 minutes. */
export const IMPORT_TIMEOUT_SECONDS = 540;
