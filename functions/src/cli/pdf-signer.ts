/**
 * `npm run pdf-signer -- <signer.p12|signer.pem> [--out <file>]`: checks an organization's
 * signing certificate and writes the JSON that CERTFORGE_PDF_SIGNER's secret (or file) holds:
 * `{ "pkcs12": "<base64>", "password": "…" }` for a .p12/.pfx (the password from the environment
 * variable PDF_SIGNER_PASSWORD), or the PEM text as it is. It prints who the certificate names,
 * its issuer chain and its validity, and refuses what signing would refuse (a wrong password, a
 * key of another certificate, an expired certificate). Store the output with
 * `gcloud secrets create certforge-pdf-signer --data-file=<file>` (docs/pdf-signatures.md).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { localKeySigner } from '../pdf-signature/signing-key.js';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
const input = args.find((arg, i) => !arg.startsWith('--') && (outAt < 0 || i !== outAt + 1));

try {
  if (!input) throw new Error('usage: npm run pdf-signer -- <signer.p12|signer.pem> [--out <file>]');
  const bytes = readFileSync(input);
  const text = bytes.toString('utf8');
  const material = text.includes('-----BEGIN ')
    ? text
    : JSON.stringify({ pkcs12: bytes.toString('base64'), password: process.env.PDF_SIGNER_PASSWORD ?? '' });
  const signer = await localKeySigner(material, input);
  const [leaf, ...issuers] = signer.chain.map((der) => new X509Certificate(der));
  console.error(`pdf-signer: signs as ${leaf!.subject.split('\n').reverse().join(', ')}`);
  console.error(`pdf-signer: valid ${leaf!.validFrom} to ${leaf!.validTo} (${signer.algorithm.toUpperCase()})`);
  for (const issuer of issuers)
    console.error(`pdf-signer:   issued by ${issuer.subject.split('\n').reverse().join(', ')}`);
  if (!issuers.length)
    console.error(
      'pdf-signer: no issuer certificates: PDF readers show a self-signed signature as of unknown validity',
    );
  if (out) {
    writeFileSync(out, `${material}\n`, { mode: 0o600 });
    console.error(`pdf-signer: wrote ${out}`);
  } else process.stdout.write(`${material}\n`);
} catch (error) {
  console.error(`pdf-signer: ${(error as Error).message}`);
  process.exit(2);
}
