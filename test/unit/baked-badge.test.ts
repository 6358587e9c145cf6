/**
 * Baked badges (functions/src/credential/baked-badge.ts): the credential inside the preview PNG
 * (one iTXt chunk) and an SVG (one <openbadges:credential>, CDATA), read back by an independent
 * extractor (test/helpers/unbake_badge.py, Python's standard library) and decoded by pngjs.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { bakePng, bakeSvg, unbakePng, unbakeSvg } from '../../functions/src/credential/baked-badge.js';
import { rootPath } from '../helpers/fixtures.js';
import { testTempDir } from '../helpers/pdf-tools.js';

/** A 3×2 red PNG made by pngjs. */
function samplePng(): Uint8Array {
  const png = new PNG({ width: 3, height: 2 });
  png.data.fill(0);
  for (let i = 0; i < png.data.length; i += 4) png.data.set([255, 0, 0, 255], i);
  return PNG.sync.write(png);
}

// A name that would end a CDATA section and one in another script: the JSON must survive both.
const CREDENTIAL = JSON.stringify({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  credentialSubject: { name: 'Ada ]]> <Lovelace> & 李' },
  proof: { type: 'DataIntegrityProof', proofValue: 'z3abc' },
});

function unbakeIndependently(bytes: Uint8Array | string, name: string): { credential: unknown; chunks?: string[] } {
  const path = join(testTempDir(), name);
  writeFileSync(path, bytes);
  return JSON.parse(
    execFileSync('python3', [rootPath('test/helpers/unbake_badge.py'), path], { encoding: 'utf8' }),
  ) as {
    credential: unknown;
  };
}

describe('baked badges', () => {
  it('PNG: one uncompressed openbadgecredential iTXt after IHDR, the image unchanged', () => {
    const png = samplePng();
    const baked = bakePng(png, CREDENTIAL);
    const out = unbakeIndependently(baked, 'badge.png');
    expect(out.credential).toEqual(JSON.parse(CREDENTIAL));
    expect(out.chunks!.slice(0, 2)).toEqual(['IHDR', 'iTXt']);
    expect(JSON.parse(unbakePng(baked)!)).toEqual(JSON.parse(CREDENTIAL));
    const decoded = PNG.sync.read(Buffer.from(baked));
    expect([decoded.width, decoded.height]).toEqual([3, 2]);
    expect(Buffer.from(decoded.data).equals(PNG.sync.read(Buffer.from(png)).data)).toBe(true);
  });

  it('PNG: baking again replaces the credential (the spec allows one chunk)', () => {
    const again = bakePng(bakePng(samplePng(), CREDENTIAL), JSON.stringify({ other: true }));
    expect(unbakeIndependently(again, 'again.png').credential).toEqual({ other: true });
  });

  it('SVG: the credential is the first element, in CDATA that "]]>" in a name cannot end', () => {
    const svg = bakeSvg(samplePng(), CREDENTIAL, 'Certificate of Ada ]]> <Lovelace>');
    const out = unbakeIndependently(svg, 'badge.svg');
    expect(out.credential).toEqual(JSON.parse(CREDENTIAL));
    expect(JSON.parse(unbakeSvg(svg)!)).toEqual(JSON.parse(CREDENTIAL));
    expect(svg).toContain('<title>Certificate of Ada ]]&gt; &lt;Lovelace&gt;</title>');
    expect(svg).toContain('width="3" height="2"');
  });

  it('refuses what is not a PNG', () => {
    expect(() => bakePng(new TextEncoder().encode('GIF89a'), CREDENTIAL)).toThrow(/not a PNG/);
    expect(() => bakePng(samplePng().subarray(0, 30), CREDENTIAL)).toThrow(/past the end|IEND/);
  });
});
