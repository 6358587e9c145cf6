/**
 * `npm run check-template -- my.svg [--fonts dir] [--out dir]`: a template check for authors.
 *
 * Compiles the template (with its own fonts, as a Storage template is), lists its fields and
 * compile warnings, then renders the stress set (the longest names in examples/, one name per
 * supported script from examples/names-by-script.json, right-to-left and mixed-direction
 * names) with the example event, and reports every text that was shrunk below its minimum
 * size (FIT_BELOW_MIN_SIZE), drawn wider than its box, or could not be drawn at all (missing
 * glyphs, missing fields). PNGs of the problem cases and of the smallest fit are written to
 * the output directory. Exit code 1 on any problem, for CI.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { initRenderer, isCertforgeError, loadFontDir, type RenderResult } from '../render/index.js';
import { buildRowData, DEFAULT_EVENT, slugify, terminalSafe } from './render.js';

const USAGE = 'usage: npm run check-template -- <template.svg> [--fonts <dir>] [--out <dir>]';
const EXAMPLES = new URL('../../../examples/', import.meta.url);
/**
 * The verification base of the stress renders: a documentation domain (RFC 2606) as long as a
 * custom domain's, so that a template's link and QR code are laid out as a deployment's would be.
 * These renders are checks, never certificates.
 */
const CHECK_VERIFY_BASE_URL = 'https://certificates.example.org/verify';

interface StressCase {
  label: string;
  name: string;
}

/** The stress set: the three longest example names, then one name per script. */
async function stressSet(): Promise<StressCase[]> {
  const speakers = JSON.parse(await readFile(new URL('speakers.json', EXAMPLES), 'utf8')) as {
    speakers: { name: string }[];
  };
  const longest = [...speakers.speakers]
    .map((s) => s.name)
    .sort((a, b) => b.length - a.length)
    .slice(0, 3)
    .map((name) => ({ label: 'longest example name', name }));
  const scripts = JSON.parse(await readFile(new URL('names-by-script.json', EXAMPLES), 'utf8')) as {
    names: { script: string; name: string }[];
  };
  return [...longest, ...scripts.names.map((n) => ({ label: n.script, name: n.name }))];
}

interface Problem {
  label: string;
  name: string;
  what: string;
}

/** Runs the check; returns the exit code. */
export async function checkTemplate(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { fonts: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || positionals.length !== 1) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const path = positionals[0]!;
  const outDir = resolve(values.out ?? 'out/check-template');
  await mkdir(outDir, { recursive: true });
  const svg = new Uint8Array(await readFile(path));
  const fonts = values.fonts ? await loadFontDir(values.fonts) : [];
  const renderer = await initRenderer();
  let template;
  try {
    template = renderer.compileTemplate(svg, { fonts });
  } catch (error) {
    const code = isCertforgeError(error) ? error.code : 'INTERNAL';
    console.log(`${path}: ${code}: ${terminalSafe((error as Error).message)}`);
    return 1;
  }
  const page = template.pageSize;
  console.log(`${path}: ${page.width.toFixed(1)} × ${page.height.toFixed(1)} pt`);
  console.log(`fields: ${template.fields.join(', ') || '(none)'}`);
  const warned = new Set<string>();
  const warn = (w: { code: string; message: string }) => {
    if (warned.has(w.message)) return;
    warned.add(w.message);
    const advice = WARNING_ADVICE[w.code];
    console.log(`template warning ${w.code}: ${terminalSafe(w.message)}${advice ? ` (${advice})` : ''}`);
  };
  for (const w of template.warnings) warn(w);

  const problems: Problem[] = [];
  let smallest: { ratio: number; result: RenderResult; label: string; name: string } | undefined;
  let boxesShown = false;
  for (const { label, name } of await stressSet()) {
    const data = buildRowData(
      { id: slugify(label), name, talk: { title: 'A talk title of ordinary length' } },
      DEFAULT_EVENT,
      { verifyBaseUrl: CHECK_VERIFY_BASE_URL },
    );
    let result: RenderResult;
    try {
      result = await renderer.renderCertificate(template, data, { png: true });
    } catch (error) {
      const code = isCertforgeError(error) ? error.code : 'INTERNAL';
      problems.push({ label, name, what: `${code}: ${(error as Error).message}` });
      continue;
    }
    if (!boxesShown) {
      // The fit boxes as the first render laid them out (explicit, by default or flowed).
      for (const f of result.fields) {
        const box = f.boxWidth === null || f.boxWidth === undefined ? 'no box' : `box ${f.boxWidth.toFixed(1)}`;
        console.log(`text {{${f.element}}}: ${box}`);
      }
      boxesShown = true;
    }
    const flagged: string[] = [];
    for (const w of result.warnings) {
      if (w.code === 'FIT_BELOW_MIN_SIZE') flagged.push(`${w.code}: ${w.message}`);
      else warn(w);
    }
    for (const f of result.fields) {
      if (f.boxWidth != null && f.width > f.boxWidth + 0.5)
        flagged.push(`{{${f.element}}} is ${f.width.toFixed(1)} wide, its box ${f.boxWidth.toFixed(1)}`);
    }
    for (const f of result.fields) {
      const nameField = f.element.toLowerCase() === 'name';
      const ratio = f.boxWidth ? f.fontSize : Infinity;
      if (nameField && (!smallest || ratio < smallest.ratio)) smallest = { ratio, result, label, name };
    }
    if (flagged.length > 0) {
      for (const what of flagged) problems.push({ label, name, what });
      if (result.png) await writeFile(join(outDir, `problem-${slugify(label)}.png`), result.png);
    }
  }
  if (smallest?.result.png) {
    await writeFile(join(outDir, `smallest-name.png`), smallest.result.png);
    console.log(`smallest name: ${smallest.label} at ${smallest.ratio.toFixed(1)} (smallest-name.png)`);
  }
  for (const p of problems) console.log(`PROBLEM ${p.label} (${terminalSafe(p.name)}): ${terminalSafe(p.what)}`);
  console.log(`${problems.length} problem(s); PNGs in ${outDir}`);
  return problems.length > 0 ? 1 : 0;
}

/** What an organizer can do about each warning, printed after it. */
const WARNING_ADVICE: Record<string, string> = {
  FONT_SUBSTITUTED:
    "supply that font file with the template (--fonts here, the template's fonts folder in Storage) to print it exactly",
  ELEMENT_DROPPED:
    'that part of the drawing is not printed: turn it into ordinary shapes or text in your drawing program',
  EXTERNAL_REFERENCE_DROPPED:
    'certforge never fetches files from the web: embed the image or font in the SVG (Inkscape: Extensions > Images > Embed)',
  FIT_IGNORED: 'give the value its own one-line <text> to have it fitted',
  PREVIEW_DOWNSCALED: 'the PNG preview is smaller than asked; the PDF is not affected',
};

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  checkTemplate(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`check-template: ${(error as Error).message}`);
      process.exit(2);
    },
  );
}
