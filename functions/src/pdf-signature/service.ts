/**
 * An instance's PDF signing: the deployment's signing certificate loaded once (signing-key.ts),
 * then every certificate PDF and print bundle signed with it (pades.ts). Without a signing
 * certificate (CERTFORGE_PDF_SIGNER empty) PDFs stay unsigned and the instance says so once in
 * its log.
 */
import { X509Certificate, type Hash } from 'node:crypto';
import type { KeySigner } from './cms.js';
import type { PadesLevel, PadesOptions, SignatureTarget, SignedPdf } from './pades.js';
import { pkiHttp, type PkiHttp } from './pki-http.js';
import type { GoogleRequest } from './signing-key.js';

// pades.ts and signing-key.ts bring PKI.js and pdf-lib: loaded when a signer is configured, so
// that no function's cold start pays for them in a deployment that does not sign.
const padesModule = () => import('./pades.js');

/** The signer and what every signature reads of its certificate, read once when loaded. */
interface LoadedSigner {
  signer: KeySigner;
  /** The certificate's subject as one line (`CN=…, O=…`), as readers show it. */
  subject: string;
  /** Its last valid instant (ms). */
  validTo: number;
}

export interface PdfSigningSettings {
  /** CERTFORGE_PDF_SIGNER: `secret:…`, `kms:…`, `file:…` or empty. */
  signer: string;
  /** CERTFORGE_PDF_SIGNER_CHAIN: the chain of a `kms:` key (`secret:…` or `file:…`). */
  chain: string;
  /** CERTFORGE_TSA_URL: an RFC 3161 time-stamping authority, or empty. */
  tsaUrl: string;
  /** CERTFORGE_PDF_SIGNATURE_LTV: embed the validation data (B-LT) when it can be fetched. */
  ltv: boolean;
}

/** What a signature says besides who signed (PDF readers show it in the signature panel). */
export interface SignatureWording {
  signingTime: Date;
  reason?: string;
  location?: string;
  contactInfo?: string;
}

/** How a file was signed: recorded with the certificate and the bundle. */
export interface PdfSignatureRecord {
  level: PadesLevel;
  /** The signing certificate's subject, as readers show it. */
  signer: string;
  timeStampedAt?: Date;
}

export class PdfSigningService {
  private loading: Promise<LoadedSigner | undefined> | undefined;
  private saidUnsigned = false;
  private saidNoLtv = false;
  /** The CMS size of the last signature, without and with a time-stamp: the next reservation. */
  private readonly lastContentsBytes = new Map<boolean, number>();

  constructor(
    private readonly settings: () => PdfSigningSettings,
    private readonly deps: {
      http?: PkiHttp;
      googleRequest?: () => Promise<GoogleRequest>;
      onUnsigned?: () => void;
      /** Once per instance: a B-LT signature was asked for and the chains' revocation data was not to be had. */
      onLtvUnavailable?: () => void;
      now?: () => number;
    } = {},
  ) {}

  /**
   * The signer, loaded on first use; a failed load is tried again next time, and so is one whose
   * certificate has expired since (a new secret version may hold its successor; if not, signing
   * fails with SIGNING_KEY_INVALID instead of going on with an expired certificate).
   */
  private async signer(): Promise<LoadedSigner | undefined> {
    const now = (this.deps.now ?? Date.now)();
    const load = () =>
      (this.loading ??= this.load(new Date(now)).catch((error: unknown) => {
        this.loading = undefined;
        throw error;
      }));
    const loaded = await load();
    if (loaded && loaded.validTo < now) {
      this.loading = undefined;
      return load();
    }
    return loaded;
  }

  private async load(now: Date): Promise<LoadedSigner | undefined> {
    const settings = this.settings();
    if (!settings.signer.trim()) return undefined;
    const { configuredSigner } = await import('./signing-key.js');
    const signer = await configuredSigner(settings, this.deps.googleRequest, now);
    if (!signer) return undefined;
    const certificate = new X509Certificate(signer.chain[0]!);
    return {
      signer,
      subject: certificate.subject.split('\n').reverse().join(', '),
      validTo: Date.parse(certificate.validTo),
    };
  }

  private async options(wording: SignatureWording): Promise<{ options: PadesOptions; subject: string } | undefined> {
    const loaded = await this.signer();
    if (!loaded) {
      if (!this.saidUnsigned) {
        this.saidUnsigned = true;
        this.deps.onUnsigned?.();
      }
      return undefined;
    }
    const { tsaUrl, ltv } = this.settings();
    const stamped = tsaUrl.trim() !== '';
    const last = this.lastContentsBytes.get(stamped);
    const options: PadesOptions = {
      signer: loaded.signer,
      ...wording,
      ...(stamped ? { tsaUrl: tsaUrl.trim() } : {}),
      ltv,
      // The TSA is the deployment's choice (it may sit in its own network); the addresses found in
      // certificates may not name that network, except on the emulator (the test PKI's loopback).
      http: this.deps.http ?? pkiHttp(fetch, { allowPrivateHosts: true }),
      certificateHttp:
        this.deps.http ?? pkiHttp(fetch, { allowPrivateHosts: process.env.FUNCTIONS_EMULATOR === 'true' }),
      ...(last ? { lastContentsBytes: last } : {}),
    };
    return { options, subject: loaded.subject };
  }

  /** Signs a whole PDF; undefined when the deployment has no signing certificate. */
  async sign(
    pdf: Uint8Array,
    wording: SignatureWording,
  ): Promise<(SignedPdf & { record: PdfSignatureRecord }) | undefined> {
    const prepared = await this.options(wording);
    if (!prepared) return undefined;
    const { options, subject } = prepared;
    const signed = await (await padesModule()).signPdf(pdf, options);
    this.lastContentsBytes.set(!!options.tsaUrl, signed.contentsBytes);
    if (options.ltv && signed.level === 'B-T' && !this.saidNoLtv) {
      this.saidNoLtv = true;
      this.deps.onLtvUnavailable?.();
    }
    return { ...signed, record: record(subject, signed.level, signed.timeStampedAt) };
  }

  /**
   * The signature revision of a file being streamed (the print bundle): `hashSoFar` holds every
   * byte written before it. Undefined when the deployment has no signing certificate. B-B or
   * B-T (a bundle is made again whenever asked for, so it carries no validation data).
   */
  async signatureRevision(
    target: SignatureTarget,
    hashSoFar: () => Hash,
    wording: SignatureWording,
  ): Promise<{ revision: Uint8Array; record: PdfSignatureRecord } | undefined> {
    const prepared = await this.options(wording);
    if (!prepared) return undefined;
    const { options, subject } = prepared;
    const { prepareSignature, sealSignature } = await padesModule();
    const sealed = await sealSignature((reserved) => prepareSignature(target, options, reserved), hashSoFar, options);
    this.lastContentsBytes.set(!!options.tsaUrl, sealed.contentsBytes);
    const level: PadesLevel = sealed.stamp ? 'B-T' : 'B-B';
    return { revision: sealed.revision, record: record(subject, level, sealed.stamp?.time) };
  }
}

function record(signer: string, level: PadesLevel, timeStampedAt: Date | undefined): PdfSignatureRecord {
  return { level, signer, ...(timeStampedAt ? { timeStampedAt } : {}) };
}
