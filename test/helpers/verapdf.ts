/**
 * veraPDF from the tests: the runner in test/setup/verapdf (veraPDF's library, built with Maven
 * by `node test/setup/ensure-tools.mjs`), one JVM for a whole list of files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../setup/verapdf/target/', import.meta.url));
const CLASSPATH = `${DIR}verapdf-runner-1.0.0.jar:${DIR}lib/*`;

export interface VeraRule {
  /** e.g. `ISO 19005-3:2012 6.2.4.3-2` (specification, clause, test number). */
  rule: string;
  description: string;
  count: number;
  example: string;
}

export interface VeraReport {
  file: string;
  flavour?: string;
  compliant?: boolean;
  failedRules?: VeraRule[];
  /** The file could not be parsed at all. */
  error?: string;
}

/**
 * The host's `java`: inside the offline emulators (emulators/run.mjs) the first `java` on PATH is
 * the shim that only runs the stand-ins, so PATH is searched without it.
 */
function hostJava(): string {
  const shim = `${sep}emulators${sep}offline`;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.endsWith(shim)) continue;
    if (existsSync(join(dir, 'java'))) return join(dir, 'java');
  }
  return 'java';
}

/** Validates `files` against a veraPDF flavour (`3b`, `2b`, `ua1`...). */
export function veraPdf(flavour: string, files: string[]): VeraReport[] {
  if (!existsSync(`${DIR}verapdf-runner-1.0.0.jar`)) {
    throw new Error('the veraPDF runner is not built: run `node test/setup/ensure-tools.mjs` (Java 17+ and Maven)');
  }
  const out = execFileSync(hostJava(), ['-Xss8m', '-cp', CLASSPATH, 'certforge.VeraPdfRunner', flavour, ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as VeraReport);
}

/** One line per file for a test's failure message and the notes: verdict and failed rules. */
export function describeReports(reports: VeraReport[]): string {
  return reports
    .map((r) => {
      const name = r.file.split('/').pop();
      if (r.error) return `${name}: could not be parsed: ${r.error}`;
      const rules = (r.failedRules ?? []).map(
        (rule) => `${rule.rule} ×${rule.count} (${rule.description.slice(0, 120)})`,
      );
      return `${name}: ${r.compliant ? 'compliant' : 'NOT compliant'}${rules.length ? `: ${rules.join('; ')}` : ''}`;
    })
    .join('\n');
}
