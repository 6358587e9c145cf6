/**
 * `npm run issuer-key -- <keyId>`: a new Ed25519 issuer key, printed as the JSON the secret
 * CERTFORGE_ISSUER_KEY holds (`firebase functions:secrets:set CERTFORGE_ISSUER_KEY` and paste it).
 * `--secret-local <file>`: instead, writes `CERTFORGE_ISSUER_KEY=<json>` to that file when it has
 * no such line yet (the emulator's demo key in functions/.secret.local, made by emulators/run.mjs).
 * The key id names the key in every credential's verification method: use a new one per key
 * (a date is a good id, e.g. 2026-12).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { generateIssuerKey } from '../credential/issuer-key.js';

const args = process.argv.slice(2);
const fileAt = args.indexOf('--secret-local');
const file = fileAt >= 0 ? args[fileAt + 1] : undefined;
const keyId =
  args.find((arg, i) => !arg.startsWith('--') && (fileAt < 0 || i !== fileAt + 1)) ??
  new Date().toISOString().slice(0, 7);

try {
  if (file) {
    const existing = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (!/^CERTFORGE_ISSUER_KEY=/m.test(existing)) {
      const key = await generateIssuerKey(keyId);
      writeFileSync(
        file,
        `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}CERTFORGE_ISSUER_KEY=${JSON.stringify(key)}\n`,
        { mode: 0o600 },
      );
      console.error(`issuer-key: wrote a new issuer key (${keyId}) to ${file}`);
    }
  } else {
    process.stdout.write(`${JSON.stringify(await generateIssuerKey(keyId))}\n`);
  }
} catch (error) {
  console.error(`issuer-key: ${(error as Error).message}`);
  process.exit(2);
}
