#!/usr/bin/env node
/**
 * Lints the CI definitions a fork adopts: .github/workflows/*.yml with actionlint (built with
 * `go install` from the Go module proxy) and .gitlab-ci.yml against GitLab's schema (the copy
 * vendored in check-jsonschema, from PyPI). Both tools are installed once, pinned, under
 * node_modules/.cache/certforge-tools; without Go or Python the script prints one line saying
 * what to install and exits 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ACTIONLINT = 'github.com/rhysd/actionlint/cmd/actionlint@v1.7.12';
const CHECK_JSONSCHEMA = 'check-jsonschema==0.39.0';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tools = join(root, 'node_modules', '.cache', 'certforge-tools');
const bin = join(tools, 'bin');
const venv = join(tools, 'venv');

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (r.error) return { ok: false, missing: r.error.code === 'ENOENT' };
  return { ok: r.status === 0, missing: false };
}

function fail(line) {
  console.error(`lint-ci: ${line}`);
  process.exit(1);
}

mkdirSync(bin, { recursive: true });
const actionlint = join(bin, 'actionlint');
if (!existsSync(actionlint)) {
  const r = run('go', ['install', ACTIONLINT], { env: { ...process.env, GOBIN: bin, GOFLAGS: '-mod=mod' } });
  if (r.missing) fail('install Go (https://go.dev/doc/install, or apt-get install golang) to build actionlint');
  if (!r.ok) fail(`go install ${ACTIONLINT} failed`);
}
const checkJsonschema = join(venv, 'bin', 'check-jsonschema');
if (!existsSync(checkJsonschema)) {
  let r = run('python3', ['-m', 'venv', venv]);
  if (r.missing) fail('install Python 3 with venv (apt-get install python3-venv) for check-jsonschema');
  if (!r.ok) fail('python3 -m venv failed (apt-get install python3-venv)');
  r = run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', CHECK_JSONSCHEMA]);
  if (!r.ok) fail(`pip install ${CHECK_JSONSCHEMA} failed`);
}

const workflows = readdirSync(join(root, '.github', 'workflows'))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => join('.github', 'workflows', f));
let ok = run(actionlint, ['-color', ...workflows]).ok;
console.log(`actionlint: ${workflows.join(', ')} ${ok ? 'ok' : 'FAILED'}`);
const gitlab = run(checkJsonschema, ['--builtin-schema', 'vendor.gitlab-ci', '.gitlab-ci.yml']).ok;
console.log(`check-jsonschema (GitLab CI schema): .gitlab-ci.yml ${gitlab ? 'ok' : 'FAILED'}`);
ok &&= gitlab;
process.exit(ok ? 0 : 1);
