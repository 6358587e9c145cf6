/**
 * Global setup of the emulator tests: the test PKI's services (certomancer's TSA, OCSP responder
 * and CRLs on 127.0.0.1:9310), which the functions use when `npm run test:emulator` has them sign
 * every PDF (CERTFORGE_EMULATOR_PDF_SIGNER, emulators/run.mjs). Stopped when the tests end.
 */
import { startTestPki } from '../helpers/pdf-signatures.js';

export default async function setup(): Promise<() => Promise<void>> {
  const pki = await startTestPki();
  return () => pki.stop();
}
