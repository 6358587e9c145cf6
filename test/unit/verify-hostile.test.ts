/**
 * Hostile bodies against the public `verify` function, hosted as production hosts it: the
 * functions-framework main in its own process (test/helpers/verify-host.ts), whose crash
 * handler ends the instance on any uncaught error. Every body is sent over a raw socket,
 * byte for byte (cut multipart parts, lying lengths, broken chunking, aborted uploads), and
 * after each one the same process must still be alive and answer a plain GET.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTED_CERTIFICATE_ID as ID } from '../helpers/verify-host.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BOUNDARY = '----certforge';
let host: ChildProcess;
let port: number;
let exited: number | null | undefined;
let output = '';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Sends raw bytes, optionally closes the writing side early, and returns whatever came back. */
function raw(
  bytes: Buffer,
  { halfClose = true, destroyAfterMs }: { halfClose?: boolean; destroyAfterMs?: number } = {},
) {
  return new Promise<string>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(bytes, () => {
      if (destroyAfterMs !== undefined) setTimeout(() => socket.destroy(), destroyAfterMs);
      else if (halfClose) socket.end();
    });
    setTimeout(() => socket.destroy(), 5_000);
  });
}

function request(head: string[], body: Buffer | string = ''): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), bytes]);
}

function post(contentType: string, body: Buffer | string, extra: string[] = []): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  return request(
    [
      `POST /${ID} HTTP/1.1`,
      'Host: localhost',
      `Content-Type: ${contentType}`,
      `Content-Length: ${bytes.length}`,
      'Connection: close',
      ...extra,
    ],
    bytes,
  );
}

const PART = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="pdf"; filename="c.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 certificate bytes\r\n--${BOUNDARY}--\r\n`;
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

async function stillServes(): Promise<void> {
  expect(exited, `the host exited; its output:\n${output}`).toBeUndefined();
  const res = await fetch(`http://127.0.0.1:${port}/${ID}?format=json`);
  expect(res.status).toBe(200);
  expect(((await res.json()) as { status: string }).status).toBe('valid');
  expect(exited, `the host exited; its output:\n${output}`).toBeUndefined();
}

beforeAll(async () => {
  port = await freePort();
  host = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      `${ROOT}functions/node_modules/@google-cloud/functions-framework/build/src/main.js`,
      '--source',
      `${ROOT}test/helpers/verify-host.ts`,
      '--target',
      'verify',
      '--port',
      String(port),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  host.stdout!.on('data', (chunk) => (output += chunk));
  host.stderr!.on('data', (chunk) => (output += chunk));
  host.on('exit', (code) => (exited = code));
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/${ID}?format=json`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the verify host did not start:\n${output}`);
}, 60_000);

afterAll(() => {
  host?.kill('SIGKILL');
});

describe('the verify instance survives hostile bodies', () => {
  it('answers a whole multipart upload (the control case)', async () => {
    const answer = await raw(post(`${MULTIPART}`, PART));
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    await stillServes();
  });

  it('a multipart file part cut at every length before its closing boundary', async () => {
    for (let cut = 1; cut < PART.length; cut++) {
      const answer = await raw(post(MULTIPART, PART.slice(0, cut)));
      expect(answer, `cut at ${cut}`).toMatch(/^HTTP\/1\.1 (200|400|413|415)/);
      expect(exited, `the host exited after a body cut at ${cut}:\n${output}`).toBeUndefined();
    }
    await stillServes();
  });

  it.each([
    ['no boundary', 'multipart/form-data', PART],
    ['an empty boundary', 'multipart/form-data; boundary=', PART],
    ['a boundary of 300 characters', `multipart/form-data; boundary=${'b'.repeat(300)}`, PART],
    [
      'a part header without end',
      MULTIPART,
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="pdf"; filename="c.pdf"${'x'.repeat(20_000)}`,
    ],
    [
      'eleven parts',
      MULTIPART,
      `${`--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n`.repeat(11)}--${BOUNDARY}--\r\n`,
    ],
    ['two files', MULTIPART, PART.replace(`--${BOUNDARY}--\r\n`, '') + PART],
    [
      'a field over 1 KiB',
      MULTIPART,
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="sha256"\r\n\r\n${'a'.repeat(5_000)}\r\n--${BOUNDARY}--\r\n`,
    ],
    [
      'a broken part header encoding',
      MULTIPART,
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name*=bogus''%ZZ; filename*=UTF-8''%E0%A4%A\r\n\r\nx\r\n--${BOUNDARY}--\r\n`,
    ],
    ['JSON cut short', 'application/json', '{"sha256": "ab'],
    ['JSON nested 8,000 deep', 'application/json', '['.repeat(8_000)],
    ['JSON that is a string', 'application/json', '"x"'],
    ['a form with a broken escape', 'application/x-www-form-urlencoded', 'sha256=%ZZ%'],
    ['binary garbage as a PDF', 'application/pdf', Buffer.from([0, 255, 1, 254, 2, 253])],
    ['an unknown media type', 'text/x-unknown', 'hello'],
    ['a content type with bad parameters', 'multipart/form-data; boundary="unterminated', PART],
  ])('%s', async (_what, contentType, body) => {
    const answer = await raw(post(contentType, body));
    expect(answer).toMatch(/^HTTP\/1\.1 (200|400|413|415)/);
    await stillServes();
  });

  it('a declared length longer than the body, the connection then closed', async () => {
    const body = PART.slice(0, 104);
    const bytes = request(
      [`POST /${ID} HTTP/1.1`, 'Host: localhost', `Content-Type: ${MULTIPART}`, `Content-Length: ${PART.length}`],
      body,
    );
    await raw(bytes, { destroyAfterMs: 200 });
    await stillServes();
  });

  it('broken chunked encoding, and a chunked upload abandoned midway', async () => {
    const head = [
      `POST /${ID} HTTP/1.1`,
      'Host: localhost',
      `Content-Type: ${MULTIPART}`,
      'Transfer-Encoding: chunked',
    ];
    await raw(request(head, `zz\r\n${PART}\r\n0\r\n\r\n`));
    await raw(request(head, `${(104).toString(16)}\r\n${PART.slice(0, 104)}\r\n`), { destroyAfterMs: 200 });
    await stillServes();
  });

  it('a multipart body over the size limit, declared and undeclared', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 100 * 1024, 0x41);
    const declared = await raw(post(MULTIPART, Buffer.concat([Buffer.from(PART.slice(0, 120)), big])));
    expect(declared).toMatch(/^HTTP\/1\.1 413/);
    await stillServes();
  });
});
