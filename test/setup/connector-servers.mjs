#!/usr/bin/env node
/**
 * Prepares the real pretix and pretalx servers that the connector tests run against
 * (test/helpers/pretix-server.ts, test/helpers/pretalx-server.ts):
 *   - a Python venv per server, installed with `pip install -r` from the lock in test/servers/
 *     (requirements-pretix.txt: pretix==2026.8.0, requirements-pretalx.txt: pretalx==2025.2.2, each
 *     with every dependency pinned), and
 *   - a migrated template SQLite database per server, which each test run copies (pretix's
 *     migrations take ~100 s on two cores, so they run once, not per test).
 *
 * Both live in `$CERTFORGE_CACHE/connector-servers/` (default `~/.cache/certforge/connector-servers/`),
 * in a folder named after the server, its version, the Python version and a hash of the lock file: a
 * changed lock or another Python gets a fresh folder; an unchanged one is reused as it is (idempotent;
 * a second run takes well under a second). Cache that directory in CI.
 *
 *   node test/setup/connector-servers.mjs            prepare both, print where they are
 *   node test/setup/connector-servers.mjs pretix     only one of them
 *   node test/setup/connector-servers.mjs --json     print {"pretix": {...}, "pretalx": {...}} on stdout
 *                                                    (progress goes to stderr); the helpers use this
 *
 * Needs Python ≥ 3.11 with venv and ensurepip (`python3`, or the interpreter named by
 * CERTFORGE_PYTHON); without one it prints one line saying what to install and exits 1.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, hostPython, run, SetupError, withLock } from './python-venv.mjs';

export { cacheRoot, SetupError };

const here = dirname(fileURLToPath(import.meta.url));
const serversDir = resolve(here, '..', 'servers');

// A fixed secret is fine: these servers listen on 127.0.0.1 for the length of a test run.
const SECRET = 'certforge-test-only-not-a-secret-0123456789abcdef';

/** The servers this script prepares; `config` is the config file for a data dir and database. */
export const SERVERS = {
  pretix: {
    version: '2026.8.0',
    module: 'pretix',
    configEnv: 'PRETIX_CONFIG_FILE',
    config: ({ dataDir, db, port = 8000 }) =>
      [
        '[pretix]',
        'instance_name=certforge-test-pretix',
        `url=http://127.0.0.1:${port}`,
        `datadir=${dataDir}`,
        'currency=EUR',
        'allow_http_to_private_networks=true',
        '',
        '[database]',
        'backend=sqlite3',
        `name=${db}`,
        '',
        '[django]',
        'debug=true',
        `secret=${SECRET}`,
        '',
        '[mail]',
        'from=pretix@certforge.test',
        'host=127.0.0.1',
        'port=1',
        '',
      ].join('\n'),
  },
  pretalx: {
    version: '2025.2.2',
    module: 'pretalx',
    configEnv: 'PRETALX_CONFIG_FILE',
    config: ({ dataDir, db, port = 8000 }) =>
      [
        '[filesystem]',
        `data=${dataDir}`,
        `media=${join(dataDir, 'media')}`,
        `logs=${join(dataDir, 'logs')}`,
        `static=${join(dataDir, 'static')}`,
        '',
        '[site]',
        'debug=True',
        `url=http://127.0.0.1:${port}`,
        `secret=${SECRET}`,
        '',
        '[database]',
        'backend=sqlite3',
        `name=${db}`,
        '',
        '[mail]',
        'from=pretalx@certforge.test',
        'host=127.0.0.1',
        'port=1',
        '',
        '[locale]',
        'time_zone=UTC',
        '',
      ].join('\n'),
  },
};

const log = (line) => console.error(`connector-servers: ${line}`);
const fail = (line) => {
  throw new SetupError(line);
};

/**
 * Makes sure the venv and the template database of one server exist; returns their paths:
 * { name, version, dir, python, templateDb, requirements, timings: { installSeconds?, migrateSeconds? } }.
 */
export function prepare(name) {
  const server = SERVERS[name];
  if (!server) fail(`unknown server ${name} (pretix, pretalx)`);
  const [hostPy, pyVersion] = hostPython();
  const requirements = join(serversDir, `requirements-${name}.txt`);
  const lock = readFileSync(requirements);
  const hash = createHash('sha256').update(lock).update(pyVersion).digest('hex').slice(0, 12);
  const dir = join(cacheRoot(), `${name}-${server.version}-py${pyVersion}-${hash}`);
  const venv = join(dir, 'venv');
  const python = join(venv, 'bin', 'python');
  const templateDb = join(dir, 'template', 'db.sqlite3');
  const installed = join(dir, '.installed');
  const timings = {};
  const ready = () => existsSync(installed) && existsSync(templateDb);

  if (!ready()) {
    mkdirSync(dirname(dir), { recursive: true });
    withLock(dir, () => {
      if (!existsSync(installed)) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        log(`${name}: creating ${venv} and installing ${requirements} (a minute or more)`);
        const started = Date.now();
        run(hostPy, ['-m', 'venv', venv]);
        run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', '-r', requirements]);
        run(python, ['-m', 'pip', 'check']);
        timings.installSeconds = (Date.now() - started) / 1000;
        log(`${name}: installed in ${timings.installSeconds.toFixed(1)} s`);
        writeFileSync(installed, `${new Date().toISOString()}\n`);
      }
      if (!existsSync(templateDb)) {
        // Migrate into a scratch folder, then move the database into place: a half-migrated
        // template is never left behind.
        const scratch = join(dir, `template.tmp-${process.pid}`);
        rmSync(scratch, { recursive: true, force: true });
        mkdirSync(join(scratch, 'data'), { recursive: true });
        const config = join(scratch, `${name}.cfg`);
        writeFileSync(config, server.config({ dataDir: join(scratch, 'data'), db: join(scratch, 'db.sqlite3') }));
        log(`${name}: migrating the template database (pretix: ~100 s, pretalx: ~15-35 s)`);
        const started = Date.now();
        run(python, ['-m', server.module, 'migrate', '--noinput'], {
          cwd: scratch,
          env: { ...process.env, [server.configEnv]: config },
        });
        timings.migrateSeconds = (Date.now() - started) / 1000;
        log(`${name}: migrated in ${timings.migrateSeconds.toFixed(1)} s`);
        mkdirSync(dirname(templateDb), { recursive: true });
        copyFileSync(join(scratch, 'db.sqlite3'), `${templateDb}.tmp`);
        renameSync(`${templateDb}.tmp`, templateDb);
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  }
  return {
    name,
    version: server.version,
    module: server.module,
    configEnv: server.configEnv,
    dir,
    python,
    templateDb,
    requirements,
    timings,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const names = args.filter((arg) => !arg.startsWith('--'));
  const result = {};
  try {
    for (const name of names) if (!SERVERS[name]) fail(`unknown server ${name} (pretix, pretalx)`);
    for (const name of names.length ? names : Object.keys(SERVERS)) result[name] = prepare(name);
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    console.error(`connector-servers: ${error.message}`);
    process.exit(1);
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    for (const info of Object.values(result)) {
      console.log(`${info.name} ${info.version}: python ${info.python}`);
      console.log(`${' '.repeat(info.name.length + info.version.length + 1)}  template database ${info.templateDb}`);
    }
  }
}
