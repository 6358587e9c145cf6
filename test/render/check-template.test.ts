/** `npm run check-template`: the author's report and its exit code, through the built CLI. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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

  it('names each font the template asks for that nobody supplied, its substitute and what to do', () => {
    const out = join(testTempDir(), 'check-fonts');
    const template = join(out, 'fonts.svg');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      template,
      '<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" viewBox="0 0 1122.5 793.7">' +
        '<text x="561" y="200" text-anchor="middle" font-family="Helvetica Neue, Arial" font-size="48">Certificate</text>' +
        '<text x="561" y="400" text-anchor="middle" font-family="Georgia" font-size="64">{{name}}</text></svg>',
    );
    const run = check(template, out);
    expect(run.stdout).toMatch(
      /^template warning FONT_SUBSTITUTED: the font "Helvetica Neue" is not supplied with the template: drawn with "Arimo" \(supply that font file/m,
    );
    expect(run.stdout).toMatch(
      /FONT_SUBSTITUTED: the font "Georgia" is not supplied with the template: drawn with "Tinos"/,
    );
  });
});
