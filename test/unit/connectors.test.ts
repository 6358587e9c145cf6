/**
 * The connectors' pure parts (functions/src/connectors/): what a pretix order and a pretalx
 * submission become, which server addresses are refused, and how a list is paged (bounded, never
 * off its origin). The real servers are in test/integration/connectors.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../functions/src/connectors/errors.js';
import { connectorBaseUrl, pages, type ConnectorHttp } from '../../functions/src/connectors/http-client.js';
import { orderParticipants, pretixNotification } from '../../functions/src/connectors/pretix.js';
import { submissionRows } from '../../functions/src/connectors/pretalx.js';

const pretix = { baseUrl: 'https://pretix.example', organizer: 'org', event: 'conf', role: 'attendee' };

describe('pretix orders → attendees', () => {
  const order = {
    code: 'AB12C',
    status: 'p',
    email: 'buyer@example.org',
    positions: [
      {
        id: 11,
        positionid: 1,
        item: 1,
        addon_to: null,
        attendee_name: 'Ada Lovelace',
        attendee_email: 'ada@example.org',
        checkins: [
          { datetime: '2026-09-14T09:00:00Z', type: 'entry' },
          { datetime: '2026-09-14T12:00:00Z', type: 'exit' },
        ],
      },
      {
        id: 12,
        positionid: 2,
        item: 1,
        addon_to: null,
        attendee_name: null,
        attendee_name_parts: { _scheme: 'given_family', given_name: 'Grace', family_name: 'Hopper' },
      },
      { id: 13, positionid: 3, item: 2, addon_to: 11, attendee_name: 'Workshop add-on' },
      { id: 14, positionid: 4, item: 9, addon_to: null, attendee_name: 'T-shirt' },
      { id: 15, positionid: 5, item: 1, addon_to: null, attendee_name: '' },
      { id: 16, positionid: 6, item: 1, addon_to: null, attendee_name: 'Cancelled Seat', canceled: true },
    ],
  };

  it('takes the names on the tickets, the entries as check-ins, the ticket state; leaves out add-ons and merchandise', () => {
    const { rows, rejected } = orderParticipants(order, pretix, new Set([1, 2]));
    expect(rows.map((r) => [r.id, r.fields.name])).toEqual([
      ['pretix-11', 'Ada Lovelace'],
      ['pretix-12', 'Grace Hopper'],
      ['pretix-16', 'Cancelled Seat'],
    ]);
    expect(rows[0]!.fields).toMatchObject({
      email: 'ada@example.org',
      role: 'attendee',
      attendance: { checkins: ['2026-09-14T09:00:00.000Z'] },
      ticket: { status: 'valid', order: 'AB12C', position: 1 },
      source: { system: 'pretix', ref: 'org/conf/11' },
    });
    expect(JSON.stringify(rows)).not.toContain('buyer@example.org');
    expect(rows[2]!.fields.ticket).toMatchObject({ status: 'canceled' });
    expect(rejected).toEqual([
      expect.objectContaining({ ref: 'order AB12C, position 5', code: 'MISSING_NAME', field: 'attendee_name' }),
    ]);
  });

  it('a cancelled or expired order cancels every ticket; test-mode orders are nobody', () => {
    for (const status of ['c', 'e']) {
      const { rows } = orderParticipants({ ...order, status }, pretix, new Set([1, 2]));
      expect(rows.every((r) => (r.fields.ticket as { status: string }).status === 'canceled')).toBe(true);
    }
    expect(orderParticipants({ ...order, testmode: true }, pretix, new Set([1])).rows).toEqual([]);
    expect(orderParticipants({ code: 'x' }, pretix, new Set()).rejected[0]!.code).toBe('INVALID_RECORD');
  });

  it('reads a webhook only as a notification of an order', () => {
    expect(
      pretixNotification({ organizer: 'org', event: 'conf', code: 'AB12C', action: 'pretix.event.checkin' }),
    ).toEqual({
      organizer: 'org',
      event: 'conf',
      code: 'AB12C',
      action: 'pretix.event.checkin',
    });
    for (const body of [
      null,
      [],
      { organizer: 'org', event: 'conf', code: 'ab/..', action: 'pretix.event.order.paid' },
      { organizer: 'org', event: 'conf', code: 'AB12C', action: 'pretix.event.live.activated' },
    ])
      expect(pretixNotification(body)).toBeUndefined();
  });
});

describe('pretalx submissions → speakers', () => {
  it('one document per speaker and confirmed talk; withdrawn talks listed for revocation; nameless speakers reported', () => {
    const speakers = new Map([
      ['AAA', { code: 'AAA', name: 'Amina Yusuf', email: 'amina@example.org' }],
      ['BBB', { code: 'BBB', name: 'Kenji Watanabe' }],
      ['CCC', { code: 'CCC' }],
    ]);
    const { rows, withdrawn, rejected } = submissionRows(
      [
        { code: 'T1', title: 'Reproducible builds', state: 'confirmed', speakers: ['AAA', 'BBB'] },
        { code: 'T2', title: 'Second talk', state: 'confirmed', speakers: [{ code: 'AAA' }, { code: 'CCC' }] },
        { code: 'T3', title: 'Gone', state: 'withdrawn', speakers: ['BBB'] },
        { code: 'T4', title: 'Undecided', state: 'submitted', speakers: ['BBB'] },
      ],
      { baseUrl: 'https://pretalx.example', event: 'conf' },
      speakers,
    );
    expect(rows.map((r) => [r.id, r.fields.name, r.fields['talk.title']])).toEqual([
      ['pretalx-T1-AAA', 'Amina Yusuf', 'Reproducible builds'],
      ['pretalx-T1-BBB', 'Kenji Watanabe', 'Reproducible builds'],
      ['pretalx-T2-AAA', 'Amina Yusuf', 'Second talk'],
    ]);
    expect(withdrawn).toEqual([{ id: 'pretalx-T3-BBB', state: 'withdrawn' }]);
    expect(rejected).toEqual([expect.objectContaining({ ref: 'talk T2, speaker CCC', code: 'MISSING_NAME' })]);
  });
});

describe('server addresses and lists', () => {
  it('refuses what is not https to a public host (loopback http only on the emulator)', () => {
    expect(connectorBaseUrl(' https://pretix.eu/ ', 'baseUrl', false)).toBe('https://pretix.eu');
    expect(connectorBaseUrl('http://127.0.0.1:8000', 'baseUrl', true)).toBe('http://127.0.0.1:8000');
    for (const bad of [
      'http://pretix.eu',
      'http://127.0.0.1:8000',
      'https://10.0.0.5',
      'https://169.254.169.254',
      'https://metadata.google.internal',
      'https://[::1]',
      'https://user:pw@pretix.eu',
      'https://pretix.eu/?x=1',
      'ftp://pretix.eu',
      'not a url',
      42,
    ]) {
      expect(() => connectorBaseUrl(bad, 'baseUrl', false), String(bad)).toThrow(ConnectorError);
    }
  });

  it('pages a list on its own origin only, and stops at the record bound', async () => {
    const asked: string[] = [];
    const http = (answers: Record<string, unknown>): ConnectorHttp => ({
      getJson: async (url) => {
        asked.push(url);
        return answers[url];
      },
      postJson: async () => ({}),
    });
    const evil = http({
      'https://pretix.eu/a': { results: [1], next: 'https://pretix.eu.evil.example/b' },
    });
    const seen: unknown[] = [];
    for await (const page of pages(evil, 'https://pretix.eu/a', 'https://pretix.eu')) seen.push(...page);
    expect(seen).toEqual([1]);
    expect(asked).toEqual(['https://pretix.eu/a']);

    const huge = http({ 'https://pretix.eu/a': { results: new Array(25_001).fill(0), next: null } });
    await expect(async () => {
      for await (const _ of pages(huge, 'https://pretix.eu/a', 'https://pretix.eu')) void _;
    }).rejects.toMatchObject({ code: 'CONNECTOR_LIMIT' });
  });
});
