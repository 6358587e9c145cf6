/**
 * The public `verify` handler as production hosts it: started by functions-framework's own
 * main (`node --import tsx …/main.js --source test/helpers/verify-host.ts --target verify`),
 * which installs the Cloud Functions host's crash handlers (an uncaught error ends the
 * process with code 16). Behind it: an in-memory registry with one certificate, no files and
 * no credentials, so that nothing but the request edge is exercised.
 */
import { createRequire } from 'node:module';
import type * as Framework from '../../functions/node_modules/@google-cloud/functions-framework/build/src/index.js';
import { createVerifyHandler } from '../../functions/src/handlers/verify-certificate.js';
import type { PublicCertificate } from '../../functions/src/shared/model.js';

export const HOSTED_CERTIFICATE_ID = 'AbCdEfGhIjKlMnOpQrSt_-';

const { http } = createRequire(new URL('../../functions/package.json', import.meta.url))(
  '@google-cloud/functions-framework',
) as typeof Framework;

const entry: PublicCertificate = {
  certificateId: HOSTED_CERTIFICATE_ID,
  status: 'valid',
  recipientName: 'Ada Lovelace',
  eventId: 'evt',
  eventName: 'Example Conf',
  issuer: 'Example Foundation',
  issuedAt: new Date('2026-03-14T09:30:00Z'),
  locale: 'en',
  verifyUrl: `https://verify.example.org/c/${HOSTED_CERTIFICATE_ID}`,
  sha256: '0'.repeat(64),
  pdfBytes: 1,
  pdfPath: 'certificates/evt/spk/x.pdf',
  pngPath: 'certificates/evt/spk/x.png',
  participantPath: 'events/evt/speakers/spk',
  templateId: 'classic',
};

http(
  'verify',
  createVerifyHandler({
    registry: () => ({ get: async (id) => (id === HOSTED_CERTIFICATE_ID ? entry : undefined) }),
    credentials: () => ({
      check: async () => ({ verified: false, signature: false, errors: [] }),
      profile: async () => ({}),
      statusList: async () => undefined,
    }),
    files: () => ({ read: async () => undefined }),
  }),
);
