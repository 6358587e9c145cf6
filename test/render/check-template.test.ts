/** `npm run check-template`: the author's report and its exit code, through the built CLI. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rootPath } from '../helpers/fixtures.js';
import { testTempDir } from '../helpers/pdf-tools.js';

function check(template: string, out: string) {
  mkdirSync(out, { recursive: true });
  const run = spawnSync(process.execPath, [rootPath('functions/lib/cli/check-template.js'), template, '--out', out], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('check-template', () => {
  it('a bundled template passes the stress set: fields, boxes, exit 0', () => {
    const out = join(testTempDir(), 'check-classic');
    const run = check(rootPath('functions/templates/classic.svg'), out);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^fields: name, talk\.title, event\.name/m);
    expect(run.stdout).toMatch(/^text \{\{name\}\}: box 840\.0$/m);
    expect(run.stdout).toMatch(/^0 problem\(s\)/m);
    expect(existsSync(join(out, 'smallest-name.png'))).toBe(true);
  });

  it('a template whose name box is too small for the longest names exits 1 with a PNG of the case', () => {
    const out = join(testTempDir(), 'check-illustrator');
    const run = check(rootPath('test/fixtures/templates-wild/illustrator.svg'), out);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^PROBLEM longest example name .*FIT_BELOW_MIN_SIZE/m);
    expect(existsSync(join(out, 'problem-longest-example-name.png'))).toBe(true);
  });
});
