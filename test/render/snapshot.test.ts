/**
 * The renderer snapshot (functions/src/render/snapshot.ts): the core's memory with the fonts of
 * start-up added and the bundled templates compiled, written by the build and restored by a new
 * instance. A restored renderer must render exactly what a fresh one renders, also after its
 * core restarts, and a snapshot of other inputs must be ignored, never used.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Renderer } from '../../functions/src/render/index.js';
import { restoreSnapshot, SNAPSHOT_URL, writeSnapshot } from '../../functions/src/render/snapshot.js';
import { certificateData, speaker, templateBytes } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'certforge-snapshot-'));
const url = pathToFileURL(join(dir, 'renderer.snapshot'));
const PEOPLE = ['spk-024', 'spk-010', 'spk-013', 'spk-016', 'spk-019'].map((id) => speaker(id)); // Latin, Arabic, Chinese, Korean, long

async function pdfs(renderer: Renderer): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const name of ['classic', 'modern'] as const) {
    const template = renderer.compileTemplate(templateBytes(name));
    for (const person of PEOPLE) {
      const result = await renderer.renderCertificate(template, certificateData(person), { png: person === PEOPLE[0] });
      out.push(Buffer.from(result.pdf));
      if (result.png) out.push(Buffer.from(result.png));
    }
  }
  return out;
}

let fresh: Buffer[];
beforeAll(async () => {
  await writeSnapshot(url);
  fresh = await pdfs(await Renderer.create());
});

describe('the renderer snapshot', () => {
  it('a restored renderer has the bundled templates compiled and renders the same bytes as a fresh one', async () => {
    const restored = await restoreSnapshot(url);
    expect(restored).toBeDefined();
    // Compiled already: the same handle comes back without a compile (its warnings included).
    const handle = restored!.compileTemplate(templateBytes('classic'));
    expect(restored!.compileTemplate(templateBytes('classic'))).toBe(handle);
    expect(restored!.cacheUsage.templates.entries).toBe(2);
    const out = await pdfs(restored!);
    expect(out.length).toBe(fresh.length);
    out.forEach((bytes, i) => expect(bytes.equals(fresh[i]!)).toBe(true));
  });

  it('after its core restarts (a trap), the restored renderer replays its fonts and templates', async () => {
    const restored = (await restoreSnapshot(url))!;
    // What a trap does (Core.call): replace the instance, re-adding fonts and recompiling templates.
    const core = (restored as unknown as { core: { replace(): void } }).core;
    core.replace();
    expect(restored.coreRestarts).toBe(1);
    const out = await pdfs(restored);
    out.forEach((bytes, i) => expect(bytes.equals(fresh[i]!)).toBe(true));
  });

  it('a snapshot of another core, a damaged one or none is not used', async () => {
    const file = readFileSync(url);
    const headerLength = file.readUInt32LE(21);
    const header = JSON.parse(file.toString('utf8', 25, 25 + headerLength)) as { core: string };
    // Another core: the same length of header, another sha256.
    const other = Buffer.from(file);
    other.write(
      header.core.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      file.indexOf(header.core),
      'utf8',
    );
    const otherUrl = pathToFileURL(join(dir, 'other.snapshot'));
    writeFileSync(otherUrl, other);
    await expect(restoreSnapshot(otherUrl)).resolves.toBeUndefined();
    // A damaged header.
    const damaged = Buffer.from(file);
    damaged.write('}', 25);
    writeFileSync(otherUrl, damaged);
    await expect(restoreSnapshot(otherUrl)).resolves.toBeUndefined();
    // Cut short.
    writeFileSync(otherUrl, file.subarray(0, file.length - 65536));
    await expect(restoreSnapshot(otherUrl)).resolves.toBeUndefined();
    // Not a snapshot; missing.
    writeFileSync(otherUrl, 'hello');
    await expect(restoreSnapshot(otherUrl)).resolves.toBeUndefined();
    await expect(restoreSnapshot(pathToFileURL(join(dir, 'missing.snapshot')))).resolves.toBeUndefined();
  });

  it('the build wrote the snapshot the functions restore', async () => {
    expect(readFileSync(SNAPSHOT_URL).subarray(0, 21).toString()).toBe('certforge-snapshot 1\n');
    expect(await restoreSnapshot()).toBeDefined();
  });
});
