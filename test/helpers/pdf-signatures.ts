/**
 * The PDF signature tests' independent validator and PKI: pyHanko (validate_pdf_signatures.py,
 * in the venv test/setup/test-pki.mjs prepares) checks every signature of a file against the test
 * root; `startTestPki` animates certomancer's TSA, OCSP responder and CRLs on loopback.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { rootPath } from './fixtures.js';

export interface SignatureReport {
  field: string;
  subfilter: string;
  signedRevision: number;
  intact: boolean;
  valid: boolean;
  trusted: boolean;
  bottomLine: boolean;
  coverage: 'ENTIRE_FILE' | 'ENTIRE_REVISION' | 'CONTIGUOUS_BLOCK_FROM_START' | 'UNCLEAR';
  modificationLevel: 'NONE' | 'LTA_UPDATES' | 'FORM_FILLING' | 'ANNOTATIONS' | 'OTHER' | null;
  docmdpOk: boolean;
  signer: string;
  signingTime: string;
  timestamp: { time: string; intact: boolean; valid: boolean; trusted: boolean } | null;
  signedAttributes: string[];
  unsignedAttributes: string[];
  level: 'B-B' | 'B-T' | 'B-LT' | null;
}

export interface ValidationReport {
  revisions: number;
  dss: boolean;
  signatures: SignatureReport[];
}

export interface TestPki {
  dir: string;
  rootPem: string;
  /** Signer material files (`{ pkcs12, password }`), as CERTFORGE_PDF_SIGNER=file: reads them. */
  signers: { signer: string; 'signer-revoked': string; 'signer-expired': string };
  tsaUrl: string;
}

/** What test/setup/test-pki.mjs exports. */
interface PkiSetup {
  pkiVenv(): { python: string };
  preparePki(): TestPki;
  startTestPki(): Promise<TestPki & { stop(): Promise<void> }>;
}

let setupModule: Promise<PkiSetup> | undefined;
const setup = () =>
  (setupModule ??= import(pathToFileURL(rootPath('test/setup/test-pki.mjs')).href) as Promise<PkiSetup>);

/** The test PKI's files (made on first use), without its services. */
export const preparedPki = async (): Promise<TestPki> => (await setup()).preparePki();
/** The test PKI with its services (TSA, OCSP, CRLs) running until `stop()`. */
export const startTestPki = async (): Promise<TestPki & { stop(): Promise<void> }> => (await setup()).startTestPki();

const run = promisify(execFile);

/** pyHanko's report on every signature of `pdf` (bytes or a path), against the test root. */
export async function validateSignatures(pdf: Uint8Array | string, rootPem: string): Promise<ValidationReport> {
  let path = pdf as string;
  if (typeof pdf !== 'string') {
    path = join(mkdtempSync(join(tmpdir(), 'certforge-sig-')), 'signed.pdf');
    writeFileSync(path, pdf);
  }
  const { python } = (await setup()).pkiVenv();
  const script = rootPath('test/helpers/validate_pdf_signatures.py');
  const { stdout } = await run(python, ['-W', 'ignore', script, path, rootPem], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as ValidationReport;
}
