/**
 * The batch CLI as a user runs it: `node functions/lib/cli/render.js` (the compiled output of
 * `npm --prefix functions run build`, which `npm test` runs first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanText, joinedLines, ROOT, rootPath } from '../helpers/fixtures.js';
import { pdfLib, pdfToText, testTempDir } from '../helpers/pdf-tools.js';

const CLI = rootPath('functions/lib/cli/render.js');
const CLASSIC = rootPath('functions/templates/classic.svg');
const EVENT_JSON = rootPath('examples/event.json');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CI: '1', NO_COLOR: '1' },
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** Newest modification time of the .ts files under `dir`. */
function newestSource(dir: string): { path: string; mtime: number } {
  let newest = { path: dir, mtime: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const candidate = entry.isDirectory()
      ? newestSource(path)
      : entry.name.endsWith('.ts')
        ? { path, mtime: statSync(path).mtimeMs }
        : undefined;
    if (candidate && candidate.mtime > newest.mtime) newest = candidate;
  }
  return newest;
}

beforeAll(() => {
  if (!existsSync(CLI)) {
    throw new Error(
      `${relative(ROOT, CLI)} is missing: build the functions first (\`npm --prefix functions run build\`, or \`npm test\`)`,
    );
  }
  const source = newestSource(rootPath('functions/src'));
  const built = statSync(CLI).mtimeMs;
  if (source.mtime > built + 1000) {
    throw new Error(
      `functions/lib is older than ${relative(ROOT, source.path)}: rebuild with \`npm --prefix functions run build\` (\`npm test\` does it)`,
    );
  }
});

describe('a CSV batch with bad rows', () => {
  const dir = join(testTempDir(), 'cli-batch');
  const out = join(dir, 'out');
  const rows = [
    {
      id: 't-001',
      name: 'Zofia Wróblewska',
      title: 'Observability at the Edge',
    },
    {
      id: 't-002',
      name: 'ⵜⴰⵙⴰⴷⵓⵜ ⴰⵎⴰⵣⵉⵖ',
      title: 'Tifinagh: no bundled font has it',
    },
    { id: 't-003', name: '', title: 'A row without a name' },
    {
      id: 't-004',
      name: "Siobhán O'Brien, PhD",
      title: 'Quoting "CSV", commas; and semicolons',
    },
    { id: 't-005', name: 'محمد Smith', title: 'Bidirectional Text' },
  ];
  const good = [rows[0]!, rows[3]!, rows[4]!];
  let run: Run;

  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const csv = [
      'id,name,email,talk.title',
      ...rows.map((r) => [r.id, quote(r.name), `${r.id}@example.org`, quote(r.title)].join(',')),
    ].join('\n');
    writeFileSync(join(dir, 'speakers.csv'), `${csv}\n`);
    run = cli([
      '--template',
      CLASSIC,
      '--data',
      join(dir, 'speakers.csv'),
      '--event',
      EVENT_JSON,
      '--out',
      out,
      '--png',
      '--png-width',
      '800',
    ]);
  });

  it('exits 1 and the summary names each failed row with its error code', () => {
    expect(run.status, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(1);
    expect(run.stdout).toMatch(/^row 2: FONT_MISSING_GLYPHS: /m);
    expect(run.stdout).toMatch(/^row 3: MISSING_FIELD: /m);
    expect(run.stdout).toMatch(/3 rendered, 2 failed, 5 total/);
    expect(run.stdout).toContain(`output: ${out}`);
  });

  it('the good rows produce a PDF and a PNG each; the bad rows nothing', () => {
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      '01-t-001.pdf',
      '01-t-001.png',
      '04-t-004.pdf',
      '04-t-004.png',
      '05-t-005.pdf',
      '05-t-005.png',
    ]);
  });

  it.each([
    ['01-t-001', 0],
    ['04-t-004', 3],
    ['05-t-005', 4],
  ] as const)('%s: the PDF is the certificate of its row, the PNG is 800 px wide', async (stem, index) => {
    const row = rows[index]!;
    const pdf = new Uint8Array(readFileSync(join(out, `${stem}.pdf`)));
    const doc = await pdfLib.PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe(`Certificate of Participation: ${row.name}`);
    const text = joinedLines(pdfToText(pdf));
    // Word by word: on a mixed-direction line poppler moves the space between the runs
    // (the one difference text-layer.test.ts tolerates); every word is exact.
    for (const word of cleanText(row.name).split(' ')) expect(text).toContain(word);
    expect(text).toContain(cleanText(row.title));
    // A certificate id of the functions' shape was generated (22 base64url characters) and printed;
    // no verification address was given, so none is printed.
    expect(cleanText(pdfToText(pdf))).toMatch(/Certificate ID: [A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])/);
    expect(text).not.toMatch(/https?:|Verify at/);
    const png = PNG.sync.read(readFileSync(join(out, `${stem}.png`)));
    expect(png.width).toBe(800);
  });

  it('lists every good row as ok', () => {
    for (const row of good) expect(run.stdout).toMatch(new RegExp(`^\\s*${rows.indexOf(row) + 1}\\s.*\\bok\\b`, 'm'));
  });

  it('says once that the rows get no verification address', () => {
    expect(run.stderr.match(/no --verify-base-url was given/g)).toHaveLength(1);
  });
});

describe("the import's header spellings, and --verify-base-url", () => {
  const dir = join(testTempDir(), 'cli-spellings');
  const out = join(dir, 'out');
  let run: Run;

  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    // A Spanish-locale Excel "CSV UTF-8" export: BOM, semicolons, CRLF; headers the import reads.
    const csv = '\uFEFFFull Name;E-mail;Talk Title;EVENT\r\nJosé Núñez;jose@example.es;Año nuevo;Keynote\r\n';
    writeFileSync(join(dir, 'speakers.csv'), csv);
    run = cli([
      '--template',
      CLASSIC,
      '--data',
      join(dir, 'speakers.csv'),
      '--event',
      EVENT_JSON,
      '--out',
      out,
      '--verify-base-url',
      'https://certificates.example.org/verify/',
    ]);
  });

  it('renders the row (its name read from "Full Name") with the address it was given', async () => {
    expect(run.status, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    const [file] = readdirSync(out);
    const text = cleanText(joinedLines(pdfToText(new Uint8Array(readFileSync(join(out, file!))))));
    expect(text).toContain('José Núñez');
    expect(text).toContain('Año nuevo');
    expect(text).toMatch(/Verify at https:\/\/certificates\.example\.org\/verify\/[A-Za-z0-9_-]{22}/);
    expect(text).not.toContain('jose@example.es');
    expect(run.stderr).not.toMatch(/no --verify-base-url/);
    // EVENT is the row's own field, said once.
    expect(run.stderr.match(/"EVENT" is the row's own field/g)).toHaveLength(1);
  });
});

describe('exit codes', () => {
  it('--help exits 0 with the usage', () => {
    const run = cli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: /);
  });

  it.each([
    ['no arguments', []],
    ['missing --out', ['--template', CLASSIC, '--data', rootPath('examples/speakers.json')]],
    ['unknown option', ['--template', CLASSIC, '--data', rootPath('examples/speakers.json'), '--out', 'x', '--bogus']],
    [
      '--png-width out of range',
      ['--template', CLASSIC, '--data', rootPath('examples/speakers.json'), '--out', 'x', '--png-width', '50'],
    ],
    ['a data file that does not exist', ['--template', CLASSIC, '--data', rootPath('examples/nope.csv'), '--out', 'x']],
    [
      'a verification base that is not an http(s) URL',
      [
        '--template',
        CLASSIC,
        '--data',
        rootPath('examples/speakers.json'),
        '--out',
        'x',
        '--verify-base-url',
        'javascript:alert(1)',
      ],
    ],
  ])('usage error (%s) → exit 2 with one message on stderr', (_what, args) => {
    const run = cli(args);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^certforge: .*--help for usage/m);
    expect(run.stdout).toBe('');
  });

  it('a 36-byte CSV whose header is signatories.2000000.name → exit 2 with LIMIT_EXCEEDED, at once', () => {
    const dir = join(testTempDir(), 'cli-sparse');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sparse.csv'), 'name,signatories.2000000.name\nA,x\n');
    const started = Date.now();
    const run = cli(['--template', CLASSIC, '--data', join(dir, 'sparse.csv'), '--out', join(dir, 'out')]);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(
      /LIMIT_EXCEEDED: Column 2 "signatories\.2000000\.name": the list index 2000000 is over 99/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a JSON row 5,000 levels deep fails alone with LIMIT_EXCEEDED; the next row renders', () => {
    const dir = join(testTempDir(), 'cli-deep');
    mkdirSync(dir, { recursive: true });
    // Written as text: JSON.stringify itself recurses too deep for 5,000 levels.
    const deep = `${'{"a":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
    writeFileSync(join(dir, 'deep.json'), `[{"name":"Ada","deep":${deep}},{"NAME":"Bob"}]`);
    const run = cli(['--template', CLASSIC, '--data', join(dir, 'deep.json'), '--out', join(dir, 'out')]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^row 1: LIMIT_EXCEEDED: .*32 levels/m);
    expect(run.stdout).toMatch(/1 rendered, 1 failed, 2 total/);
  });

  it('an unusable template → exit 1 naming the error code', () => {
    const dir = join(testTempDir(), 'cli-template');
    mkdirSync(dir, { recursive: true });
    const template = join(dir, 'remote.svg');
    writeFileSync(
      template,
      '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><image href="https://example.com/a.png" width="1" height="1"/><text x="1" y="50">{{name}}</text></svg>',
    );
    const run = cli(['--template', template, '--data', rootPath('examples/speakers.json'), '--out', join(dir, 'out')]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toContain('EXTERNAL_REFERENCE');
  });
});
