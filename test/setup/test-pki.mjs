#!/usr/bin/env node
/**
 * The PDF signature tests' PKI and validator, real and local:
 *   - a Python venv (cached like the connector servers' venvs) with certomancer (the test PKI)
 *     and pyHanko (the independent validator), from the lock test/servers/requirements-pki.txt;
 *   - a certomancer PKI in out/test-pki/: a root, an intermediate with an OCSP responder and
 *     CRLs, the organization's signing certificate ("Example Org Document Signer"), one revoked
 *     and one expired signing certificate, and a time-stamping authority under the root. Keys are
 *     made here (Node's crypto), never downloaded; certificates name the services at
 *     http://127.0.0.1:${PKI_PORT}, where `startTestPki()` animates them (TSA, OCSP, CRLs);
 *   - signer JSON files in the form CERTFORGE_PDF_SIGNER reads (`{ pkcs12, password }`).
 *
 * `node test/setup/test-pki.mjs` prepares it all (npm test runs it before the tests);
 * `node test/setup/test-pki.mjs serve` also runs the services until interrupted.
 */
import { generateKeyPairSync } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pythonVenv, run, SetupError } from './python-venv.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
export const PKI_DIR = join(root, 'out', 'test-pki');
export const PKI_PORT = Number(process.env.CERTFORGE_TEST_PKI_PORT ?? 9310);
const PASSWORD = 'certforge-test';
const ARCH = 'testpki';
const KEYS = ['root', 'interm', 'interm-ocsp', 'signer', 'signer-revoked', 'signer-expired', 'tsa'];

const log = (line) => console.error(`test-pki: ${line}`);

function config() {
  const validity = (from, to) => `{valid-from: "${from}T00:00:00+0000", valid-to: "${to}T00:00:00+0000"}`;
  const signer = (name, extra = '') => `
      ${name}:
        subject: ${name}
        issuer: interm
        validity: ${name === 'signer-expired' ? validity('2020-01-01', '2021-01-01') : validity('2020-01-01', '2045-01-01')}
        profiles: [digsig-commitment]
        extensions:
          - id: authority_information_access
            smart-value: {schema: aia-urls, params: {ocsp-responder-names: [interm], ca-issuer-links: [{repo: interm}]}}${extra}`;
  return `# Written by test/setup/test-pki.mjs: the PDF signature tests' PKI (certomancer).
external-url-prefix: "http://127.0.0.1:${PKI_PORT}"
keysets:
  ${ARCH}:
    path-prefix: keys
    keys:
${KEYS.map((k) => `      ${k}: {path: ${k}.key.pem}`).join('\n')}
pki-architectures:
  ${ARCH}:
    keyset: ${ARCH}
    entity-defaults: {country-name: BE, organization-name: Example Test PKI}
    entities:
      root: {common-name: Test Root CA}
      interm: {common-name: Test Intermediate CA}
      interm-ocsp: {common-name: Test OCSP Responder}
      tsa: {common-name: Test TSA}
      signer: {organization-name: Example Org, common-name: Example Org Document Signer}
      signer-revoked: {organization-name: Example Org, common-name: Example Org Revoked Signer}
      signer-expired: {organization-name: Example Org, common-name: Example Org Expired Signer}
    certs:
      root:
        subject: root
        issuer: root
        validity: ${validity('2020-01-01', '2060-01-01')}
        profiles: [{id: simple-ca, params: {crl-repo: root}}]
      interm:
        issuer: root
        validity: ${validity('2020-01-01', '2050-01-01')}
        profiles: [{id: simple-ca, params: {max-path-len: 0, crl-repo: interm, ocsp-service: interm}}]
        extensions:
          - id: authority_information_access
            smart-value: {schema: aia-urls, params: {ca-issuer-links: [{repo: root}]}}
      interm-ocsp:
        issuer: interm
        validity: ${validity('2020-01-01', '2050-01-01')}
        profiles: [ocsp-responder]${signer('signer')}${signer(
          'signer-revoked',
          `
        revocation: {revoked-since: "2021-06-01T00:00:00+0000", reason: key_compromise}`,
        )}${signer('signer-expired')}
      tsa:
        issuer: root
        validity: ${validity('2020-01-01', '2050-01-01')}
        extensions:
          - {id: key_usage, critical: true, smart-value: {schema: key-usage, params: [digital_signature]}}
          - {id: extended_key_usage, critical: true, value: [time_stamping]}
    services:
      ocsp:
        interm: {for-issuer: interm, responder-cert: interm-ocsp, signing-key: interm-ocsp}
      crl-repo:
        root: {for-issuer: root, signing-key: root, simulated-update-schedule: "P90D"}
        interm: {for-issuer: interm, signing-key: interm, simulated-update-schedule: "P7D"}
      cert-repo:
        root: {for-issuer: root, publish-issued-certs: yes}
        interm: {for-issuer: interm, publish-issued-certs: no}
      time-stamping:
        tsa: {signing-key: tsa, signing-cert: tsa}
`;
}

/** The venv with certomancer and pyHanko: { python, bin }. */
export function pkiVenv() {
  const venv = pythonVenv('pki', join(root, 'test', 'servers', 'requirements-pki.txt'));
  return { ...venv, certomancer: join(venv.bin, 'certomancer') };
}

/**
 * Makes the PKI in out/test-pki (once; kept across runs): returns its paths.
 * { dir, config, rootPem, signers: { signer, 'signer-revoked', 'signer-expired' } (JSON files), tsaUrl }
 */
export function preparePki() {
  const { certomancer } = pkiVenv();
  const paths = {
    dir: PKI_DIR,
    config: join(PKI_DIR, 'certomancer.yml'),
    rootPem: join(PKI_DIR, 'certs', 'root', 'root.cert.pem'),
    signers: Object.fromEntries(
      ['signer', 'signer-revoked', 'signer-expired'].map((n) => [n, join(PKI_DIR, `${n}.json`)]),
    ),
    tsaUrl: `http://127.0.0.1:${PKI_PORT}/${ARCH}/tsa/tsa`,
  };
  const text = config();
  if (existsSync(join(PKI_DIR, '.ready')) && readFileSync(paths.config, 'utf8') === text) return paths;
  log(`making the test PKI in ${PKI_DIR}`);
  const scratch = `${PKI_DIR}.tmp-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(join(scratch, 'keys'), { recursive: true });
  for (const name of KEYS) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(scratch, 'keys', `${name}.key.pem`), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  }
  writeFileSync(join(scratch, 'certomancer.yml'), text);
  const cfg = ['--config', join(scratch, 'certomancer.yml')];
  run(certomancer, [...cfg, 'mass-summon', '--pfx-pass', PASSWORD, ARCH, join(scratch, 'certs')], { cwd: scratch });
  for (const name of Object.keys(paths.signers)) {
    const p12 = join(scratch, `${name}.p12`);
    run(certomancer, [...cfg, 'summon', '--as-pfx', '--pfx-pass', PASSWORD, ARCH, name, p12], { cwd: scratch });
    const material = { pkcs12: readFileSync(p12).toString('base64'), password: PASSWORD };
    writeFileSync(join(scratch, `${name}.json`), `${JSON.stringify(material)}\n`);
  }
  writeFileSync(join(scratch, '.ready'), `${new Date().toISOString()}\n`);
  rmSync(PKI_DIR, { recursive: true, force: true });
  mkdirSync(dirname(PKI_DIR), { recursive: true });
  renameSync(scratch, PKI_DIR);
  return paths;
}

function portOpen(port) {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Prepares the PKI and animates its services on PKI_PORT; `stop()` ends them. */
export async function startTestPki() {
  const paths = preparePki();
  const { certomancer } = pkiVenv();
  if (await portOpen(PKI_PORT))
    throw new SetupError(`port ${PKI_PORT} is taken: stop what listens there, or set CERTFORGE_TEST_PKI_PORT`);
  const child = spawn(certomancer, ['--config', paths.config, 'animate', '--port', String(PKI_PORT), '--no-web-ui'], {
    cwd: PKI_DIR,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = `${stderr}${chunk}`.slice(-4000)));
  const deadline = Date.now() + 30_000;
  while (!(await portOpen(PKI_PORT))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new SetupError(`certomancer animate did not start on port ${PKI_PORT}:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    ...paths,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv[2] === 'serve') {
      const pki = await startTestPki();
      log(`serving the test PKI on http://127.0.0.1:${PKI_PORT} (TSA ${pki.tsaUrl}); Ctrl-C stops it`);
      process.on('SIGINT', () => pki.stop().then(() => process.exit(0)));
    } else {
      const pki = preparePki();
      log(`ready: ${pki.dir}`);
    }
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(`test-pki: ${error.message}`);
    process.exit(1);
  }
}
