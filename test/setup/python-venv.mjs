/**
 * Python venvs of the tests (the connector servers pretix and pretalx, the PDF signature tests'
 * certomancer and pyHanko): the host Python (≥ 3.11 with venv), one cached venv per lock file,
 * prepared once across processes, and a command runner whose failure is one SetupError.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

const log = (line) => console.error(`python-venv: ${line}`);

/** A failure with a one-line (or short) message: the command line prints it and exits 1. */
export class SetupError extends Error {}
function fail(line) {
  throw new SetupError(line);
}

/** `$CERTFORGE_CACHE/<folder>` (default `~/.cache/certforge/<folder>`). */
export function cacheRoot(folder = 'connector-servers') {
  if (process.env.CERTFORGE_CACHE) return join(resolve(process.env.CERTFORGE_CACHE), folder);
  const cache = process.env.XDG_CACHE_HOME ? resolve(process.env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(cache, 'certforge', folder);
}

/**
 * The host Python (≥ 3.11 with venv + ensurepip) as [path, "3.11"]. As root on Debian/Ubuntu (CI
 * containers) a missing python3-venv is installed with apt-get, as test/setup/ensure-tools.mjs does
 * for its tools; anywhere else a missing one exits with one line saying what to install.
 */
export function hostPython() {
  const found = findPython();
  if (found.python) return found.python;
  if (!process.env.CERTFORGE_PYTHON && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    log('installing python3 and python3-venv with apt-get');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('/usr/bin/apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    spawnSync('/usr/bin/apt-get', ['install', '-y', '-qq', 'python3', 'python3-venv'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
    const again = findPython();
    if (again.python) return again.python;
  }
  fail(
    `the connector tests need Python >= 3.11 with venv${found.seen ? ` (${found.seen})` : ''}: install python3 and python3-venv (e.g. \`sudo apt-get install python3 python3-venv\`), or name one in CERTFORGE_PYTHON`,
  );
}

function findPython() {
  const candidates = process.env.CERTFORGE_PYTHON ? [process.env.CERTFORGE_PYTHON] : ['python3', 'python'];
  const probe = 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])';
  let seen = null;
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', probe], { encoding: 'utf8' });
    const version = r.status === 0 ? r.stdout.trim() : null;
    if (version) {
      const [major, minor] = version.split('.').map(Number);
      if (major === 3 && minor >= 11) return { python: [python, version] };
      seen = `${python} is ${version}`;
    } else if (!r.error) {
      seen = `${python} has no venv/ensurepip`;
    }
  }
  return { seen };
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Serializes preparation of one folder across processes: `mkdir <dir>.lock` holding our pid. */
export function withLock(dir, fn) {
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 20 * 60 * 1000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let holder = NaN;
      try {
        holder = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // created but not written yet: wait
      }
      let alive = true;
      if (Number.isInteger(holder) && holder > 0) {
        try {
          process.kill(holder, 0);
        } catch {
          alive = false;
        }
      }
      if (!alive) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) fail(`${lock} is held by process ${holder} for too long; remove it if stale`);
      sleepMs(1000);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    fail(`'${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal}):\n${output}`);
  }
  return r.stdout;
}

/**
 * A venv installed from `requirements` (a pip lock), cached by the lock's hash and the Python
 * version in `$CERTFORGE_CACHE/python/<name>-py<version>-<hash>`: { dir, python, bin }.
 */
export function pythonVenv(name, requirements) {
  const [hostPy, pyVersion] = hostPython();
  const hash = createHash('sha256').update(readFileSync(requirements)).update(pyVersion).digest('hex').slice(0, 12);
  const dir = join(cacheRoot('python'), `${name}-py${pyVersion}-${hash}`);
  const bin = join(dir, 'venv', 'bin');
  const installed = join(dir, '.installed');
  if (!existsSync(installed)) {
    mkdirSync(dirname(dir), { recursive: true });
    withLock(dir, () => {
      if (existsSync(installed)) return;
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      log(`${name}: creating ${join(dir, 'venv')} from ${basename(requirements)}`);
      run(hostPy, ['-m', 'venv', join(dir, 'venv')]);
      run(join(bin, 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', requirements]);
      run(join(bin, 'python'), ['-m', 'pip', 'check']);
      writeFileSync(installed, `${new Date().toISOString()}\n`);
    });
  }
  return { dir, python: join(bin, 'python'), bin };
}
