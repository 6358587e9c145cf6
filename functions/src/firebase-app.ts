/**
 * The Firebase side of an instance: firebase-admin, the shared renderer and template cache,
 * and the issuing settings read from params at call time. Everything is created on first
 * use, so importing the functions module stays cheap and side-effect free.
 */
import { getApps, initializeApp } from 'firebase-admin/app';
import { getFirestore, type Firestore } from 'firebase-admin/firestore';
import { getStorage } from 'firebase-admin/storage';
import {
  DEFAULT_TEMPLATE_ID,
  ISSUER_KEY,
  ISSUER_NAME,
  ISSUER_URL,
  MAIL_PER_EVENT_PER_DAY,
  MAX_RETRY_AGE_MINUTES,
  PDF_SIGNATURE_LTV,
  PDF_SIGNER,
  PDF_SIGNER_CHAIN,
  REISSUES_PER_EVENT_PER_DAY,
  PREVIEW_WIDTH,
  RENDER_TIMEOUT_SECONDS,
  TSA_URL,
  verifyBaseUrl,
} from './config.js';
import { parseIssuerKey } from './credential/issuer-key.js';
import { CredentialService } from './credential/service.js';
import type { IssueDeps } from './issue/issue-certificate.js';
import type { PreviewDeps } from './issue/preview.js';
import { TemplateStore } from './issue/template-store.js';
import { logPdfLtvUnavailable, logPdfUnsigned } from './logs.js';
import { PdfSigningService } from './pdf-signature/service.js';
import { renderer } from './render-instance.js';
import { bucketStore, type ObjectStore } from './shared/object-store.js';

let db: Firestore | undefined;
let store: ObjectStore | undefined;
let templates: TemplateStore | undefined;
let credentials: CredentialService | undefined;
let pdfSigning: PdfSigningService | undefined;

/** The default firebase-admin app, initialised on first use. */
export function app() {
  return getApps()[0] ?? initializeApp();
}

export function firestore(): Firestore {
  if (!db) {
    db = getFirestore(app());
    db.settings({ ignoreUndefinedProperties: true });
  }
  return db;
}

/** The project's default bucket. */
export function objectStore(): ObjectStore {
  store ??= bucketStore(getStorage(app()).bucket());
  return store;
}

export { renderer };

export function templateStore(): TemplateStore {
  templates ??= new TemplateStore(objectStore(), renderer);
  return templates;
}

/** The instance's credential service; params and the key secret are read when first needed. */
export function credentialService(): CredentialService {
  credentials ??= new CredentialService(firestore(), () => ({
    verifyBaseUrl: verifyBaseUrl(),
    issuerName: ISSUER_NAME.value(),
    issuerUrl: ISSUER_URL.value(),
    key: () => parseIssuerKey(ISSUER_KEY.value()),
  }));
  return credentials;
}

/** The instance's PDF signing (params read when first needed; unsigned when CERTFORGE_PDF_SIGNER is empty). */
export function pdfSigningService(): PdfSigningService {
  pdfSigning ??= new PdfSigningService(
    () => ({
      signer: PDF_SIGNER.value(),
      chain: PDF_SIGNER_CHAIN.value(),
      tsaUrl: TSA_URL.value(),
      ltv: PDF_SIGNATURE_LTV.value(),
    }),
    { onUnsigned: logPdfUnsigned, onLtvUnavailable: logPdfLtvUnavailable },
  );
  return pdfSigning;
}

/** How long a retried trigger's event is redelivered before it gives up (CERTFORGE_MAX_RETRY_AGE_MINUTES). */
export function retryWindowMs(): number {
  return MAX_RETRY_AGE_MINUTES.value() * 60_000;
}

/** What a certificate's PNG preview is rendered with, on first request (issue/preview.ts). */
export function previewDeps(): PreviewDeps {
  return { store: objectStore(), templates: templateStore(), renderer, pngWidth: PREVIEW_WIDTH.value() };
}

/** Dependencies of the issuing path, with settings read from params now. */
export function issueDeps(): IssueDeps {
  return {
    db: firestore(),
    store: objectStore(),
    templates: templateStore(),
    renderer,
    credentials: credentialService(),
    pdfSigning: pdfSigningService(),
    settings: {
      defaultTemplateId: DEFAULT_TEMPLATE_ID.value(),
      pngWidth: PREVIEW_WIDTH.value(),
      verifyBaseUrl: verifyBaseUrl(),
      leaseMs: (RENDER_TIMEOUT_SECONDS + 30) * 1000,
      limits: {
        mailsPerEventPerDay: MAIL_PER_EVENT_PER_DAY.value(),
        reissuesPerEventPerDay: REISSUES_PER_EVENT_PER_DAY.value(),
      },
    },
  };
}
