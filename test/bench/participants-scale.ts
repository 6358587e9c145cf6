/**
 * `npm run bench:participants`: 5,000 attendees from a spreadsheet and 5,000 from a real pretix,
 * imported, found eligible and issued on the emulators, end to end through the real functions
 * (import trigger or connectSource → participant trigger → issuing path). Then a second pretix
 * sync, which must change nothing. Writes test/bench/participants-last-run.md.
 *
 * Run by emulators/run.mjs inside `firebase emulators:exec` (package.json). CERTFORGE_SCALE_COUNT
 * sets the number per source (default 5,000).
 */
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { createEvent, admin, createUser, sdkCallable } from '../helpers/emulator.js';
import { rootPath } from '../helpers/fixtures.js';
import { startPretix } from '../helpers/pretix-server.js';

const COUNT = Number(process.env.CERTFORGE_SCALE_COUNT ?? 5000);
const TIMEOUT_MS = 60 * 60_000;

const participants = (eventId: string) => admin().db.collection('events').doc(eventId).collection('participants');

/** Polls until `count` participants of the event have a ready certificate; the time from `since`. */
async function allReady(eventId: string, count: number, since: number): Promise<{ ms: number; failed: number }> {
  for (;;) {
    const [ready, failed] = await Promise.all([
      participants(eventId).where('certificate.status', '==', 'ready').count().get(),
      participants(eventId).where('certificate.status', '==', 'failed').count().get(),
    ]);
    const done = ready.data().count + failed.data().count;
    process.stderr.write(`\r  ${ready.data().count} ready, ${failed.data().count} failed of ${count}   `);
    if (done >= count) {
      process.stderr.write('\n');
      return { ms: Date.now() - since, failed: failed.data().count };
    }
    if (Date.now() - since > TIMEOUT_MS) throw new Error(`only ${done} of ${count} settled after ${TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function spreadsheet(): Promise<Record<string, number>> {
  const eventId = await createEvent();
  // An Eventbrite attendee summary: checked-in attendees earn the attendance certificate.
  const header =
    'Order #,Order Date,First Name,Last Name,Email,Quantity,Price Tier,Ticket Type,Attendee #,Group,Order Type,Currency,Total Paid,Fees Paid,Eventbrite Fees,Eventbrite Payment Processing,Attendee Status';
  const lines = Array.from(
    { length: COUNT },
    (_, i) =>
      `${100000 + i},2026-02-01 10:00:00,Given${i},Family${i},person${i}@example.org,1,,General Admission,${900000 + i},,Eventbrite Completed,EUR,10.00,0.00,0.99,0.30,Checked In`,
  );
  const csv = `${header}\n${lines.join('\n')}\n`;
  const path = `imports/${eventId}/attendees/eventbrite-${COUNT}.csv`;
  const started = Date.now();
  await admin().importBucket.file(path).save(Buffer.from(csv), { contentType: 'text/csv', resumable: false });
  for (;;) {
    const [metadata] = await admin().importBucket.file(path).getMetadata();
    if ((metadata.metadata as Record<string, string> | undefined)?.certforgeImportStatus) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const imported = Date.now() - started;
  const { ms, failed } = await allReady(eventId, COUNT, started);
  return { importedMs: imported, issuedMs: ms, failed, bytes: csv.length };
}

async function pretixSource(): Promise<Record<string, number>> {
  const organizer = await createUser({ claims: { organizer: true } });
  const eventId = await createEvent({ organizerUids: [organizer.uid] });
  const server = await startPretix({ quota: COUNT + 10 });
  try {
    const t0 = Date.now();
    const secrets: string[] = [];
    for (let i = 0; i < COUNT; i += 50) {
      const order = await server.api('POST', server.eventPath('orders/'), {
        email: 'buyer@example.org',
        locale: 'en',
        sales_channel: 'web',
        payment_provider: 'banktransfer',
        status: 'p',
        send_email: false,
        positions: Array.from({ length: Math.min(50, COUNT - i) }, (_, j) => ({
          item: server.productId,
          attendee_name_parts: { _scheme: 'given_family', given_name: `Given${i + j}`, family_name: `Family${i + j}` },
        })),
      });
      for (const position of order.positions as { secret: string }[]) secrets.push(position.secret);
    }
    const ordersMs = Date.now() - t0;
    // Check-ins through pretix's own check-in API, one at a time (pretix on SQLite answers
    // "database is locked" to concurrent writes; that is the test server's limit, retried).
    for (const secret of secrets) {
      for (let attempt = 1; ; attempt++) {
        try {
          await server.api('POST', `organizers/${server.organizer}/checkinrpc/redeem/`, {
            secret,
            lists: [server.checkinListId],
            datetime: '2026-09-14T09:30:00Z',
            type: 'entry',
            source_type: 'barcode',
            questions_supported: false,
          });
          break;
        } catch (error) {
          if (attempt >= 5 || !String((error as { body?: unknown }).body ?? '').includes('database is locked'))
            throw error;
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
      }
    }
    const checkinsMs = Date.now() - t0 - ordersMs;

    const started = Date.now();
    const connect = sdkCallable('connectSource', organizer, { timeout: 540_000 });
    const connected = (
      await connect({
        eventId,
        system: 'pretix',
        baseUrl: server.baseUrl,
        organizer: server.organizer,
        event: server.event,
        token: server.token,
      })
    ).data as { sync: { created: number; ms: number } };
    const syncMs = Date.now() - started;
    const { ms, failed } = await allReady(eventId, COUNT, started);
    const again = (await sdkCallable('syncSource', organizer, { timeout: 540_000 })({ eventId, system: 'pretix' }))
      .data as { created: number; updated: number; unchanged: number; ms: number };
    return {
      seedOrdersMs: ordersMs,
      seedCheckinsMs: checkinsMs,
      firstSyncMs: syncMs,
      created: connected.sync.created,
      issuedMs: ms,
      failed,
      secondSyncMs: again.ms,
      secondCreated: again.created,
      secondUpdated: again.updated,
      secondUnchanged: again.unchanged,
    };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  admin();
  console.log(`Participants at scale: ${COUNT} from a spreadsheet, ${COUNT} from pretix`);
  const sheet = await spreadsheet();
  console.log('spreadsheet', sheet);
  const pretix = await pretixSource();
  console.log('pretix', pretix);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const report = `# Participants at scale (npm run bench:participants)

${new Date().toISOString().slice(0, 10)}, ${cpus().length} logical cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, the Firebase emulators (functions, Firestore, Storage, tasks) on the same machine.

| source | ${COUNT} attendees | time |
|---|---|---:|
| spreadsheet (Eventbrite attendee export, ${(sheet.bytes! / 1024).toFixed(0)} KB CSV, all "Checked In") | upload → import report done | ${s(sheet.importedMs!)} |
| | upload → every certificate ready (${sheet.failed} failed) | ${s(sheet.issuedMs!)} |
| pretix 2026.8.0 (real server, ${COUNT} paid tickets, each checked in) | connectSource → first sync done (${pretix.created} created) | ${s(pretix.firstSyncMs!)} |
| | connectSource → every certificate ready (${pretix.failed} failed) | ${s(pretix.issuedMs!)} |
| | second sync: created ${pretix.secondCreated}, updated ${pretix.secondUpdated}, unchanged ${pretix.secondUnchanged} | ${s(pretix.secondSyncMs!)} |

Seeding pretix through its API (not part of the figures above): ${s(pretix.seedOrdersMs!)} for the orders (50 tickets each), ${s(pretix.seedCheckinsMs!)} for the check-ins.
Each certificate is issued by the participant trigger (handlers/on-participant-written.ts), one per attendee, exactly once.
`;
  writeFileSync(rootPath('test/bench/participants-last-run.md'), report);
  console.log(report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
