/**
 * Smoke run of the connector test servers: `npx tsx test/servers/smoke.ts [--json out.json]`.
 *
 * Starts a real pretix and a real pretalx (test/helpers/pretix-server.ts, pretalx-server.ts), does
 * what the connector tests will do, and prints what the real APIs return, so that the connector's
 * types can be checked against them: order positions, orders (paid, canceled), check-ins (three
 * ways to list them), a webhook's body and headers as a local HTTP server received them, and
 * pretalx's submissions and speakers. Exits 1 when a step fails.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { startPretix, type ApiError, type PretixServer } from '../helpers/pretix-server.js';
import { startPretalx, type PretalxServer } from '../helpers/pretalx-server.js';

const out: Record<string, unknown> = {};
const show = (label: string, value: unknown) => {
  out[label] = value;
  console.log(`\n=== ${label}\n${JSON.stringify(value, null, 2)}`);
};

interface Received {
  at: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

async function webhookReceiver() {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the text
      }
      received.push({ at: new Date().toISOString(), method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/pretix-webhook`, received, close: () => server.close() };
}

async function pretixPart(pretix: PretixServer) {
  const hook = await webhookReceiver();
  try {
    const webhook = await pretix.createWebhook(hook.url, [
      'pretix.event.order.placed',
      'pretix.event.order.paid',
      'pretix.event.order.canceled',
      'pretix.event.order.modified',
      'pretix.event.order.changed.*',
      'pretix.event.checkin',
      'pretix.event.checkin.reverted',
    ]);
    show('pretix POST organizers/{o}/webhooks/ (response)', webhook);

    // Order A: two positions, pending, then paid. Order B: one position, paid at once, then canceled.
    const a = await pretix.createOrder(
      [
        { nameParts: { given_name: 'Ada', family_name: 'Lovelace' }, email: 'ada@example.org' },
        { name: 'Grace Hopper', email: 'grace@example.org' },
      ],
      { buyerEmail: 'buyer-a@example.org', buyerName: 'Charles Babbage' },
    );
    const b = await pretix.createOrder([{ nameParts: { given_name: 'Alan', family_name: 'Turing' } }], {
      paid: true,
      buyerEmail: 'buyer-b@example.org',
    });
    show('pretix order codes', { a: a.code, aPositions: a.positionIds, b: b.code, bPositions: b.positionIds });
    await pretix.markPaid(a.code);
    const renamed = await pretix.changeAttendeeName(a.positionIds[1]!, {
      given_name: 'Grace Brewster',
      family_name: 'Hopper',
    });
    show('pretix PATCH orderpositions/{id}/ attendee_name_parts (response, abridged)', pick(renamed, NAME_FIELDS));
    const redeem = await pretix.checkIn(a.positionIds[0]!, '2026-09-14T09:31:07Z');
    show('pretix POST organizers/{o}/checkinrpc/redeem/ (response, position abridged)', {
      ...redeem,
      position: pick(redeem.position, [...NAME_FIELDS, 'checkins', 'order__status']),
    });
    try {
      await pretix.checkIn(a.positionIds[0]!, '2026-09-15T08:02:00Z');
      show('pretix second redeem of the same position, next day', 'accepted');
    } catch (error) {
      const body = (error as ApiError).body as any;
      show('pretix second redeem of the same position, next day (error, abridged)', {
        httpStatus: (error as ApiError).status,
        status: body.status,
        reason: body.reason,
        reason_explanation: body.reason_explanation,
        checkins: body.position?.checkins,
      });
    }
    const forced = await pretix.checkIn(a.positionIds[0]!, '2026-09-15T08:02:00Z', { force: true });
    show('pretix second redeem with force: true (status, checkins)', {
      status: forced.status,
      reason: forced.reason,
      checkins: forced.position?.checkins,
    });
    const exit = await pretix.checkIn(a.positionIds[1]!, '2026-09-14T18:00:00Z', { type: 'exit' });
    show('pretix exit redeem of position 2 (status, checkins)', {
      status: exit.status,
      checkins: exit.position?.checkins,
    });
    await pretix.cancelOrder(b.code);
    const c = await pretix.createOrder([{ name: 'Kept Attendee' }, { name: 'Dropped Attendee' }], { paid: true });
    const changed = await pretix.cancelPosition(c.code, c.positionIds[1]!);
    show('pretix POST orders/{C}/change/ cancel_positions (response, abridged)', {
      code: changed.code,
      status: changed.status,
      positions: changed.positions.map((p: any) => pick(p, ['id', 'attendee_name', 'canceled'])),
    });
    show(
      'pretix GET orders/{C}/ (after cancelling one position; positions abridged)',
      ((o: any) => ({
        code: o.code,
        status: o.status,
        positions: o.positions.map((p: any) => pick(p, ['id', 'attendee_name', 'canceled'])),
      }))(await pretix.api('GET', pretix.eventPath(`orders/${c.code}/`))),
    );

    const position = await pretix.api('GET', pretix.eventPath(`orderpositions/${a.positionIds[0]}/`));
    show('pretix GET events/{e}/orderpositions/{id}/', dropBulky(position));
    const positions = await pretix.api('GET', pretix.eventPath('orderpositions/'));
    show('pretix GET events/{e}/orderpositions/ (pagination envelope; results abridged)', {
      ...positions,
      results: positions.results.map((p: any) => pick(p, [...NAME_FIELDS, 'checkins', 'canceled'])),
    });
    const withCanceled = await pretix.api('GET', pretix.eventPath('orderpositions/?include_canceled_positions=true'));
    show('pretix GET events/{e}/orderpositions/?include_canceled_positions=true (abridged)', {
      count: withCanceled.count,
      results: withCanceled.results.map((p: any) => pick(p, ['id', 'order', 'attendee_name', 'canceled'])),
    });
    show(
      'pretix GET events/{e}/orders/{A}/ (paid)',
      dropBulky(await pretix.api('GET', pretix.eventPath(`orders/${a.code}/`))),
    );
    show(
      'pretix GET events/{e}/orders/{B}/ (canceled)',
      dropBulky(await pretix.api('GET', pretix.eventPath(`orders/${b.code}/`))),
    );
    const orders = await pretix.api('GET', pretix.eventPath('orders/'));
    show('pretix GET events/{e}/orders/ (status per order)', {
      count: orders.count,
      next: orders.next,
      results: orders.results.map((o: any) => ({
        code: o.code,
        status: o.status,
        email: o.email,
        positions: o.positions.map((p: any) => pick(p, ['id', 'attendee_name', 'canceled'])),
      })),
    });
    show('pretix GET events/{e}/checkins/', await pretix.api('GET', pretix.eventPath('checkins/')));
    const listPositions = await pretix.api('GET', pretix.eventPath(`checkinlists/${pretix.checkinListId}/positions/`));
    show('pretix GET events/{e}/checkinlists/{id}/positions/ (abridged)', {
      ...listPositions,
      results: listPositions.results.map((p: any) => pick(p, [...NAME_FIELDS, 'checkins', 'order__status'])),
    });
    show(
      'pretix GET checkinlists/{id}/ (status)',
      await pretix.api('GET', pretix.eventPath(`checkinlists/${pretix.checkinListId}/`)),
    );

    // Webhooks run in-process (no Celery broker) right after the request's transaction: give them a moment.
    await new Promise((r) => setTimeout(r, 1500));
    show('webhook calls received', hook.received);
    const calls = await pretix.api('GET', `organizers/${pretix.organizer}/webhooks/${webhook.id}/`);
    show('pretix GET organizers/{o}/webhooks/{id}/', calls);
  } finally {
    hook.close();
  }
}

async function pretalxPart(pretalx: PretalxServer) {
  const talk = await pretalx.createSubmission({
    title: 'Vectors all the way down',
    speakers: [
      { name: 'Ada Lovelace', email: 'ada@example.org' },
      { name: 'Мария Склодовская', email: 'marie@example.org' },
    ],
  });
  show('pretalx createSubmission (codes)', { code: talk.code, speakerCodes: talk.speakerCodes });
  await pretalx.setState(talk.code, 'confirmed');
  const withdrawn = await pretalx.createSubmission({
    title: 'A talk that was withdrawn',
    speakers: [{ name: 'Grace Hopper', email: 'grace@example.org' }],
  });
  await pretalx.setState(withdrawn.code, 'withdrawn');
  const rejected = await pretalx.createSubmission({
    title: 'A rejected talk',
    speakers: [{ name: 'Alan Turing', email: 'alan@example.org' }],
  });
  await pretalx.setState(rejected.code, 'rejected');
  const renamed = await pretalx.changeSpeakerName(talk.speakerCodes[0]!, 'Augusta Ada King');
  show('pretalx PATCH speakers/{code}/ (response)', renamed);

  show(
    'pretalx GET events/{e}/submissions/?state=confirmed',
    await pretalx.api('GET', pretalx.eventPath('submissions/?state=confirmed')),
  );
  show(
    'pretalx GET events/{e}/submissions/?state=confirmed&expand=speakers',
    await pretalx.api('GET', pretalx.eventPath('submissions/?state=confirmed&expand=speakers')),
  );
  const all = await pretalx.api('GET', pretalx.eventPath('submissions/'));
  show('pretalx GET events/{e}/submissions/ (states)', {
    count: all.count,
    next: all.next,
    results: all.results.map((s: any) => pick(s, ['code', 'title', 'state', 'pending_state', 'speakers'])),
  });
  show('pretalx GET events/{e}/speakers/', await pretalx.api('GET', pretalx.eventPath('speakers/')));
  show('pretalx GET events/{e}/', await pretalx.api('GET', `events/${pretalx.event}/`));
  const release = await pretalx.releaseSchedule('v1');
  show('pretalx POST schedules/release/ (response)', release);
}

const NAME_FIELDS = ['id', 'order', 'positionid', 'attendee_name', 'attendee_name_parts', 'attendee_email'];
function pick(value: any, keys: string[]) {
  return Object.fromEntries(keys.filter((k) => value && k in value).map((k) => [k, value[k]]));
}
/** pdf_data and downloads are long and not used by the connector. */
function dropBulky(value: any): any {
  if (Array.isArray(value)) return value.map(dropBulky);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'pdf_data' && k !== 'downloads')
      .map(([k, v]) => [k, dropBulky(v)]),
  );
}

async function main() {
  const timings: Record<string, unknown> = {};
  let pretix: PretixServer | undefined;
  let pretalx: PretalxServer | undefined;
  try {
    let t = Date.now();
    pretix = await startPretix();
    timings.pretix = { ...pretix.timings, startPretixMs: Date.now() - t };
    t = Date.now();
    pretalx = await startPretalx();
    timings.pretalx = { ...pretalx.timings, startPretalxMs: Date.now() - t };
    show('timings', timings);
    await pretixPart(pretix);
    await pretalxPart(pretalx);
  } finally {
    const stopStarted = Date.now();
    await Promise.all([pretix?.stop(), pretalx?.stop()]);
    console.log(`\nstopped both in ${Date.now() - stopStarted} ms`);
    const jsonAt = process.argv.indexOf('--json');
    if (jsonAt > 0 && process.argv[jsonAt + 1]) writeFileSync(process.argv[jsonAt + 1]!, JSON.stringify(out, null, 2));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
