#!/usr/bin/env node
/**
 * Makes sure the tools the tests shell out to are installed:
 * pdftotext, pdffonts and pdftoppm (poppler-utils) and qpdf, and chromium (Debian's package), which
 * test/browser/verify-page.browser.test.ts drives with playwright-core, and java + mvn, with which it builds
 * the veraPDF runner (test/setup/verapdf/: veraPDF's library from Maven Central behind a small main) that
 * test/render/pdfa.test.ts validates every PDF with, and rsvg-convert (librsvg2-bin), the benchmark's librsvg
 * baseline. With `--bench` (npm run bench) also librsvg's GObject binding for Debian's Python (python3-gi,
 * python3-gi-cairo, gir1.2-rsvg-2.0), the in-process librsvg baseline (test/bench/librsvg-batch.py). The fonts of the real templates in
 * ../shared/wild-templates (templates.json names each file's Debian package) and rsvg-convert,
 * their independent reference, are installed too.
 *
 * Missing tools are installed with apt-get when running as root on a Debian/Ubuntu
 * machine (CI containers); anywhere else the script prints one line saying what to
 * install and exits 1.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOOLS = [
  { bin: 'pdftotext', pkg: 'poppler-utils' },
  { bin: 'pdffonts', pkg: 'poppler-utils' },
  { bin: 'pdftoppm', pkg: 'poppler-utils' },
  { bin: 'qpdf', pkg: 'qpdf' },
  { bin: 'chromium', pkg: 'chromium' },
  { bin: 'java', pkg: 'default-jre-headless' },
  { bin: 'mvn', pkg: 'maven' },
  { bin: 'rsvg-convert', pkg: 'librsvg2-bin' },
];
const APT_GET = '/usr/bin/apt-get';

function onPath(bin) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, bin), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

// Fonts Chromium draws the verification page with in Arabic, Chinese and Japanese (the browser
// test takes screenshots of each): checked with fontconfig's fc-list, which chromium brings.
const FONTS = [
  { lang: 'ar', pkg: 'fonts-noto-core' },
  { lang: 'zh-cn', pkg: 'fonts-noto-cjk' },
  { lang: 'ja', pkg: 'fonts-noto-cjk' },
];

function hasFontFor(lang) {
  const listed = spawnSync('fc-list', [`:lang=${lang}`, 'family'], { encoding: 'utf8' });
  return listed.status === 0 && listed.stdout.trim().length > 0;
}

// The font files the real templates of ../shared/wild-templates get (templates.json names the
// Debian package of each): test/render/templates-real.test.ts renders them with their own fonts.
const WILD_MANIFEST = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/wild-templates/templates.json');
function missingWildFonts() {
  if (!existsSync(WILD_MANIFEST)) return [];
  const { templates } = JSON.parse(readFileSync(WILD_MANIFEST, 'utf8'));
  return templates
    .flatMap((template) => template.fonts)
    .filter((font) => font.debian && !existsSync(font.file))
    .map((font) => ({ bin: font.file, pkg: font.debian }));
}

// The benchmark's in-process librsvg baseline runs on Debian's own Python (/usr/bin/python3),
// which the gi packages install into.
const BENCH = process.argv.includes('--bench');
const LIBRSVG_PYTHON = [
  { bin: 'python3-gi (for /usr/bin/python3)', pkg: 'python3-gi' },
  { bin: 'python3-gi-cairo', pkg: 'python3-gi-cairo' },
  { bin: 'gir1.2-rsvg-2.0', pkg: 'gir1.2-rsvg-2.0' },
];
function hasLibrsvgPython() {
  const probe = "import gi, cairo; gi.require_version('Rsvg', '2.0'); from gi.repository import Rsvg";
  return spawnSync('/usr/bin/python3', ['-c', probe], { stdio: 'ignore' }).status === 0;
}

function missingTools() {
  // CERTFORGE_CHROMIUM names another Chromium/Chrome binary for the browser test.
  const tools = TOOLS.filter(
    (tool) => !onPath(tool.bin) && !(tool.bin === 'chromium' && process.env.CERTFORGE_CHROMIUM),
  );
  // Fonts only once fc-list is there (it comes with chromium): otherwise chromium's install brings it.
  const fonts = onPath('fc-list')
    ? FONTS.filter((font) => !hasFontFor(font.lang)).map((font) => ({ bin: `a font for ${font.lang}`, pkg: font.pkg }))
    : [];
  const bench = BENCH && !hasLibrsvgPython() ? LIBRSVG_PYTHON : [];
  return [...tools, ...fonts, ...missingWildFonts(), ...bench];
}

function canApt() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return false;
  try {
    accessSync(APT_GET, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function apt(args) {
  const result = spawnSync(APT_GET, args, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

let missing = missingTools();
// Twice: the fonts can only be checked once chromium has brought fontconfig's fc-list.
for (let pass = 0; pass < 2 && missing.length > 0 && canApt(); pass++) {
  const packages = [...new Set(missing.map((tool) => tool.pkg))];
  console.error(`ensure-tools: installing ${packages.join(' ')} with apt-get`);
  // A stale or empty package index is the usual reason for a failed install: update and retry once.
  if (!apt(['install', '-y', '-qq', '--no-install-recommends', ...packages])) {
    apt(['update', '-qq']);
    apt(['install', '-y', '-qq', '--no-install-recommends', ...packages]);
  }
  missing = missingTools();
}

if (missing.length > 0) {
  const packages = [...new Set(missing.map((tool) => tool.pkg))];
  console.error(
    `ensure-tools: the tests need ${missing.map((tool) => tool.bin).join(', ')}: install ${packages.join(' and ')} (e.g. \`sudo apt-get install ${packages.join(' ')}\`, \`brew install poppler qpdf\`; chromium: any Chromium or Chrome, path in CERTFORGE_CHROMIUM)`,
  );
  process.exit(1);
}

// The veraPDF runner: built when missing or older than its sources (Maven fetches veraPDF's
// artifacts from Maven Central into ~/.m2 the first time, ~20 MB).
const VERAPDF_DIR = join(dirname(fileURLToPath(import.meta.url)), 'verapdf');
const RUNNER_JAR = join(VERAPDF_DIR, 'target', 'verapdf-runner-1.0.0.jar');
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'target') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}
if (!existsSync(RUNNER_JAR) || statSync(RUNNER_JAR).mtimeMs < newestSource(VERAPDF_DIR)) {
  console.error('ensure-tools: building the veraPDF runner (test/setup/verapdf, mvn package)');
  const built = spawnSync('mvn', ['-q', '-B', '-f', join(VERAPDF_DIR, 'pom.xml'), 'package'], { stdio: 'inherit' });
  if (built.status !== 0) {
    console.error(
      'ensure-tools: the veraPDF runner did not build: mvn must reach Maven Central (org.verapdf:validation-model), with Java 17 or later',
    );
    process.exit(1);
  }
}
