/**
 * The organizer console's speed in a real browser, run by bench.ts inside `firebase emulators:exec`
 * (emulators/run.mjs), the console served by the Hosting emulator from console/dist:
 *
 * 1. the events page of an organizer with 40 events: navigation start → the list shown and usable
 *    (the app's `certforge:events-interactive` mark, the browser's own clock), with the browser's
 *    DOMContentLoaded and the long tasks (> 50 ms) of the load; 7 loads of a signed-in tab, median;
 * 2. the people page of an event of BENCH_CONSOLE_PEOPLE participants (default 10,000, written with
 *    the emulator hub's background triggers disabled: their triggers would only record that nobody
 *    has checked in yet, one at a time, for minutes): the first 50 shown, then "Show more" four
 *    times (250 rows), each timed, and the long tasks meanwhile.
 * Writes JSON to the path given as argument.
 */
import { writeFileSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { admin } from '../helpers/emulator.js';

const out = process.argv[2];
if (!out) throw new Error('usage: tsx test/bench/console.ts <out.json>');
const CONSOLE = 'http://127.0.0.1:5005';
const PEOPLE = Number(process.env.BENCH_CONSOLE_PEOPLE ?? 10_000);
const HUB = `http://${process.env.FIREBASE_EMULATOR_HUB ?? '127.0.0.1:4400'}`;

async function hub(path: string): Promise<void> {
  const res = await fetch(`${HUB}${path}`, { method: 'PUT' });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}
const LOADS = 7;

const { db, auth } = admin();
const email = `bench-organizer-${Date.now()}@example.org`;
const password = 'bench-password-1';
const user = await auth.createUser({ email, password, emailVerified: true });

const seedStart = performance.now();
let batch = db.batch();
for (let i = 0; i < 40; i++)
  batch.set(db.collection('events').doc(`bench-event-${user.uid}-${i}`), {
    name: `Bench Conference ${String(i + 1).padStart(2, '0')}`,
    date: '2026-03-12',
    place: 'Kraków',
    organizerUids: [user.uid],
  });
await batch.commit();
const bigEvent = `bench-event-${user.uid}-0`;
await hub('/functions/disableBackgroundTriggers');
for (let i = 0; i < PEOPLE; i += 400) {
  batch = db.batch();
  for (let j = i; j < Math.min(PEOPLE, i + 400); j++)
    batch.set(
      db
        .collection('events')
        .doc(bigEvent)
        .collection('participants')
        .doc(`p${String(j).padStart(6, '0')}`),
      {
        name: `Participant ${j + 1}`,
        email: `p${j}@example.org`,
        role: 'attendee',
      },
    );
  await batch.commit();
}
await hub('/functions/enableBackgroundTriggers');
const seedMs = performance.now() - seedStart;

const browser = await chromium.launch({
  executablePath: process.env.CERTFORGE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
const signIn = await context.newPage();
await signIn.goto(CONSOLE);
await signIn.getByLabel('Email').fill(email);
await signIn.getByLabel('Password').fill(password);
await signIn.getByRole('button', { name: 'Sign in', exact: true }).click();
await signIn.getByRole('heading', { name: 'Your events' }).waitFor();
await signIn.close();

/** Records long tasks from the start of the page's life. */
async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
}

const longTasks = (page: Page) => page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);

const events: { interactiveMs: number; domContentLoadedMs: number; longTasksMs: number[] }[] = [];
for (let i = 0; i < LOADS; i++) {
  const page = await context.newPage();
  await observeLongTasks(page);
  await page.goto(CONSOLE);
  await page.waitForFunction(() => performance.getEntriesByName('certforge:events-interactive').length > 0, null, {
    timeout: 60_000,
  });
  const timing = await page.evaluate(() => ({
    interactiveMs: performance.getEntriesByName('certforge:events-interactive')[0]!.startTime,
    domContentLoadedMs: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
      .domContentLoadedEventEnd,
  }));
  const rows = await page.locator('table.list tbody tr').count();
  if (rows !== 40) throw new Error(`the events page shows ${rows} events, not 40`);
  events.push({ ...timing, longTasksMs: await longTasks(page) });
  await page.close();
}

const peoplePage = await context.newPage();
await observeLongTasks(peoplePage);
await peoplePage.goto(`${CONSOLE}/events/${bigEvent}/people`);
const shownAt = async (rows: number) => {
  await peoplePage.waitForFunction(
    (n) =>
      performance
        .getEntriesByName('certforge:people-shown')
        .some((m) => ((m as PerformanceMark).detail as number) >= n),
    rows,
    { timeout: 60_000 },
  );
  return peoplePage.evaluate(
    (n) =>
      performance
        .getEntriesByName('certforge:people-shown')
        .find((m) => ((m as PerformanceMark).detail as number) >= n)!.startTime,
    rows,
  );
};
const firstPageMs = await shownAt(50);
const moreMs: number[] = [];
for (let page = 2; page <= 5; page++) {
  const before = await peoplePage.evaluate(() => performance.now());
  await peoplePage.getByRole('button', { name: 'Show more' }).click();
  moreMs.push((await shownAt(page * 50)) - before);
}
const shownRows = await peoplePage.locator('table.people tbody tr').count();
const countText = (await peoplePage.locator('p.muted[aria-live]').textContent()) ?? '';
const people = { people: PEOPLE, firstPageMs, moreMs, shownRows, countText, longTasksMs: await longTasks(peoplePage) };
await browser.close();

writeFileSync(out, JSON.stringify({ seedMs, events, people }, null, 2));
