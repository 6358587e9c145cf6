/** The deployed previewTemplate (firebase onRequest + ID-token check) on the functions emulator. */
import { beforeAll, describe, expect, it } from 'vitest';
import { templateText } from '../helpers/fixtures.js';
import { FUNCTIONS_ORIGIN, PROJECT_ID, REGION, createUser, type TestUser } from '../helpers/emulator.js';

const URL_ = `${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}/previewTemplate`;
let author: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  [author, stranger] = await Promise.all([createUser({ claims: { organizer: true } }), createUser()]);
});

const body = JSON.stringify({
  svg: templateText('classic'),
  data: {
    name: '王小明',
    talk: { title: '分布式系统' },
    event: { name: 'Summit', date: '2026', place: 'Taipei' },
    signatories: [{ name: 'A', role: 'Chair' }],
    certificate: { id: 'PREVIEW', url: 'https://example.org/c/PREVIEW' },
  },
  width: 300,
});

function post(token?: string) {
  return fetch(URL_, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
}

describe('previewTemplate (deployed form)', () => {
  it('renders for an organizer', async () => {
    const res = await post(author.idToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).readUInt32BE(16)).toBe(300);
  });

  it('401 without or with a bad token, 403 for a signed-in non-organizer', async () => {
    expect((await post()).status).toBe(401);
    expect((await post('garbage')).status).toBe(401);
    const denied = await post(stranger.idToken);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('permission-denied');
  });
});
