/**
 * The template preview HTTP handler, served by @google-cloud/functions-framework exactly as
 * `npm run preview` serves it (real renderer, real HTTP, no emulator). The deployed variant
 * (ID-token auth) is covered by the emulator tests.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as FrameworkTesting from '../../functions/node_modules/@google-cloud/functions-framework/build/src/testing.js';
import { loopbackOnly } from '../../functions/src/local/preview-server.js';
import { SPEAKERS, EVENT, cleanText, joinedLines, templateText } from '../helpers/fixtures.js';
import { pdfToText } from '../helpers/pdf-tools.js';

const { getTestServer } = createRequire(new URL('../../functions/package.json', import.meta.url))(
  '@google-cloud/functions-framework/testing',
) as typeof FrameworkTesting;

let server: Server;
let url: string;

beforeAll(async () => {
  server = getTestServer('previewTemplate');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const sample = {
  name: SPEAKERS.find((speaker) => speaker.id === 'spk-009')?.name ?? 'مريم الحسيني',
  talk: { title: 'Preview' },
  event: EVENT.event,
  signatories: EVENT.signatories,
  certificate: { id: 'PREVIEW', url: 'https://example.org/c/PREVIEW' },
};

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('previewTemplate over functions-framework', () => {
  it('renders an inline template to a PDF with the name as text, storing nothing', async () => {
    const res = await post({ svg: templateText('modern'), data: sample, format: 'pdf' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = new Uint8Array(await res.arrayBuffer());
    expect(res.headers.get('x-certforge-sha256')).toMatch(/^[0-9a-f]{64}$/);
    expect(joinedLines(pdfToText(pdf))).toContain(cleanText(sample.name));
  });

  it('renders a bundled template by id to a PNG of the asked width', async () => {
    const res = await post({ templateId: 'classic', data: sample, width: 400 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(400);
  });

  it('serves a self-contained page on GET', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<textarea');
    expect(html).not.toMatch(/src="https?:|href="https?:/);
  });

  it.each([
    ['no template', { data: {} }, 400, 'invalid-argument'],
    ['both svg and id', { svg: '<svg/>', templateId: 'classic' }, 400, 'invalid-argument'],
    ['unknown field', { svg: '<svg/>', script: 1 }, 400, 'invalid-argument'],
    ['bad format', { svg: '<svg/>', format: 'gif' }, 400, 'invalid-argument'],
    ['absurd width', { svg: '<svg/>', width: 100000 }, 400, 'invalid-argument'],
    ['malformed template', { svg: '<svg><g></svg>' }, 422, 'TEMPLATE_PARSE'],
    [
      'external reference',
      {
        svg: '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image xlink:href="http://169.254.169.254/x.png" width="1" height="1"/></svg>',
      },
      422,
      'EXTERNAL_REFERENCE',
    ],
    [
      'entity bomb',
      {
        svg: '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
      },
      413,
      'LIMIT_EXCEEDED',
    ],
    [
      'missing field',
      {
        svg: '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50"><text y="20">{{name}}</text></svg>',
        data: {},
      },
      422,
      'MISSING_FIELD',
    ],
    [
      'huge template',
      { svg: `<svg xmlns="http://www.w3.org/2000/svg">${' '.repeat(4 * 1024 * 1024)}</svg>` },
      413,
      'LIMIT_EXCEEDED',
    ],
    ['unknown stored template', { templateId: 'nope' }, 422, 'TEMPLATE_NOT_FOUND'],
  ])('%s → %i %s', async (_label, body, status, code) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; message: string } };
    if (code) expect(json.error.code).toBe(code);
    expect(json.error.message).toBeTruthy();
    expect(JSON.stringify(json)).not.toMatch(/at .*\.(ts|js):\d+/); // no stack traces
  });

  it('refuses a body that is not JSON with 400 (the body parser of the host answers)', async () => {
    const res = await post('{');
    expect(res.status).toBe(400);
  });

  it('refuses other methods', async () => {
    const res = await fetch(url, { method: 'PUT', body: '{}' });
    expect(res.status).toBe(405);
  });

  it('answers loopback callers only', async () => {
    const fake = (remoteAddress: string) => ({ socket: { remoteAddress } }) as never;
    await expect(loopbackOnly(fake('127.0.0.1'))).resolves.toEqual({ uid: 'local' });
    await expect(loopbackOnly(fake('::1'))).resolves.toEqual({ uid: 'local' });
    await expect(loopbackOnly(fake('10.0.0.7'))).resolves.toMatchObject({ status: 403 });
  });
});
