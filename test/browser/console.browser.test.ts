/**
 * The organizer console in a real browser (Debian's chromium through playwright-core) against the
 * emulators, served by the Hosting emulator as `firebase deploy` would serve it (console/dist,
 * firebase.json rewrites and headers). An organizer who has never seen the code does the whole
 * job: signs up, creates an event, uploads their own template and font, imports a spreadsheet
 * (changing how a column is read, seeing the row that will be rejected), issues, fixes the row
 * that failed, revokes one certificate and downloads the print bundle. Once in English at desktop
 * width with the mouse, once in Arabic at phone width with the keyboard alone. axe-core checks
 * every page (no serious or critical violation); the page never scrolls sideways; nothing raises a
 * CSP violation. Then: the other sign-in methods (email link, Google), and the gate: another
 * organizer and a recipient can neither read nor change the event, in the console or by calling
 * the callable themselves. Screenshots: out/console/*.png (docs/console/ keeps the current ones).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_ORIGIN, PROJECT_ID, admin, callRaw, createUser, eventually, type TestUser } from '../helpers/emulator.js';
import { rootPath } from '../helpers/fixtures.js';
import { CATALOGS, type ConsoleMessages } from '../../console/src/messages/index.js';

const CHROMIUM = process.env.CERTFORGE_CHROMIUM ?? '/usr/bin/chromium';
const CONSOLE = 'http://127.0.0.1:5005';
const OUT = rootPath('out/console');
const FIXTURES = rootPath('test/fixtures/console');
const FONT = rootPath(
  'functions/node_modules/@expo-google-fonts/playfair-display/400Regular/PlayfairDisplay_400Regular.ttf',
);
const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 740 },
} as const;

const AXE_SOURCE = readFileSync(rootPath('node_modules/axe-core/axe.min.js'), 'utf8');

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: run \`node test/setup/ensure-tools.mjs\` (installs chromium)`);
  if (!existsSync(rootPath('console/dist/index.html'))) throw new Error('console/dist is missing: run `npm run build`');
  mkdirSync(OUT, { recursive: true });
  admin();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
});

interface Session {
  page: Page;
  t: ConsoleMessages;
  /** Keyboard alone: every control is reached with Tab and used with Enter, Space or arrows. */
  keyboard: boolean;
  cspViolations: string[];
  errors: string[];
  label: string;
}

async function openConsole(
  label: string,
  viewport: { width: number; height: number },
  locale: string,
  keyboard: boolean,
) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale, acceptDownloads: true });
  const page = await context.newPage();
  const cspViolations: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/.test(text)) cspViolations.push(text);
    else if (message.type() === 'error' && !/Failed to load resource/.test(text)) errors.push(text);
  });
  const language = locale.split('-')[0] as keyof typeof CATALOGS;
  await page.goto(CONSOLE, { waitUntil: 'load' });
  return { page, t: CATALOGS[language], keyboard, cspViolations, errors, label } satisfies Session;
}

/** Moves the keyboard focus to `target` with Tab (Shift+Tab past it), as a keyboard user does. */
async function tabTo(s: Session, target: Locator): Promise<void> {
  await target.waitFor({ state: 'visible' });
  for (let i = 0; i < 250; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await s.page.keyboard.press('Tab');
  }
  throw new Error(`${await target.evaluate((el) => el.outerHTML.slice(0, 200))} is not reachable with Tab`);
}

async function press(s: Session, target: Locator): Promise<void> {
  if (!s.keyboard) return target.click();
  await tabTo(s, target);
  const tag = await target.evaluate((el) => el.tagName.toLowerCase() + ':' + ((el as HTMLInputElement).type ?? ''));
  await s.page.keyboard.press(tag.startsWith('input:checkbox') ? 'Space' : 'Enter');
}

async function fill(s: Session, target: Locator, text: string): Promise<void> {
  if (!s.keyboard) return target.fill(text);
  await tabTo(s, target);
  await s.page.keyboard.press('Control+A');
  await s.page.keyboard.press('Delete');
  await s.page.keyboard.insertText(text);
}

async function choose(s: Session, select: Locator, value: string): Promise<void> {
  if (!s.keyboard) {
    await select.selectOption(value);
    return;
  }
  await tabTo(s, select);
  const values = await select.evaluate((el) => [...(el as HTMLSelectElement).options].map((o) => o.value));
  const want = values.indexOf(value);
  if (want < 0) throw new Error(`no option ${value}`);
  for (let i = 0; i < values.length + 2; i++) {
    const at = values.indexOf(await select.inputValue());
    if (at === want) return;
    await s.page.keyboard.press(at < want ? 'ArrowDown' : 'ArrowUp');
  }
  throw new Error(`could not choose ${value} with the arrow keys`);
}

/** A file input: reached with Tab (the file dialog itself is the operating system's). */
async function attach(s: Session, input: Locator, files: string | string[]): Promise<void> {
  if (s.keyboard) await tabTo(s, input);
  await input.setInputFiles(files);
}

async function axe(s: Session, what: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  if (!(await s.page.evaluate(() => 'axe' in window))) await s.page.evaluate(AXE_SOURCE);
  const violations = (await s.page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe.run();
    return result.violations;
  })) as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(bad, `${s.label} ${what}`).toEqual([]);
  const width = await s.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(width[0], `${s.label} ${what} scrolls sideways`).toBeLessThanOrEqual(width[1]!);
}

async function shot(s: Session, name: string): Promise<void> {
  await s.page.screenshot({ path: join(OUT, `${s.label}-${name}.png`), fullPage: true });
}

/** `work`, with a screenshot of the page as it was when it failed (out/console/<label>-failure.png). */
async function withFailureShot<T>(s: Session, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    await shot(s, 'failure').catch(() => undefined);
    throw error;
  }
}

/** Waits until the first element of `target` is visible. */
async function seen(target: Locator, timeout = 30_000): Promise<void> {
  await target.first().waitFor({ state: 'visible', timeout });
}

/** The text of a role=status or role=alert that appears after an action. */
async function expectStatus(s: Session, text: string | RegExp): Promise<void> {
  await expect
    .poll(async () => (await s.page.getByRole('status').allTextContents()).join(' | '), { timeout: 30_000 })
    .toMatch(typeof text === 'string' ? new RegExp(escape(text)) : text);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The page the last sign-in link mailed to `email` opens (the Auth emulator keeps the mails'
 * links): its continue URL, with the link's own parameters.
 */
async function emailLinkTarget(email: string): Promise<URL> {
  const codes = await eventually(
    async () =>
      (
        (await (await fetch(`${AUTH_ORIGIN}/emulator/v1/projects/${PROJECT_ID}/oobCodes`)).json()) as {
          oobCodes: { email: string; oobLink: string; requestType: string }[];
        }
      ).oobCodes.filter((c) => c.email === email && c.requestType === 'EMAIL_SIGNIN'),
    (list) => list.length > 0,
  );
  const link = new URL(codes.at(-1)!.oobLink);
  const target = new URL(link.searchParams.get('continueUrl')!);
  for (const [key, value] of link.searchParams) if (key !== 'continueUrl') target.searchParams.set(key, value);
  return target;
}

async function signUp(s: Session, email: string, password: string): Promise<void> {
  const { page, t } = s;
  await seen(page.getByRole('heading', { name: t.signIn.title }));
  await axe(s, 'sign-in');
  await shot(s, '01-sign-in');
  await press(s, page.getByRole('button', { name: t.signIn.createAccount }));
  await fill(s, page.getByLabel(t.signIn.email), email);
  await fill(s, page.getByLabel(t.signIn.password), password);
  await press(s, page.getByRole('button', { name: t.signIn.createAccountSubmit }));
  await seen(page.getByRole('heading', { name: t.events.title }), 20_000);
}

/** The whole job of an organizer, as the issue states it. */
async function wholeJob(s: Session): Promise<{ eventId: string; uid: string; colleague: TestUser }> {
  const { page, t } = s;
  const email = `organizer-${s.label}-${Date.now()}@example.org`;
  await signUp(s, email, 'a-long-password-1');
  await seen(page.getByText(t.events.empty));
  await axe(s, 'events (empty)');

  // An event.
  await press(s, page.getByRole('link', { name: t.events.create }));
  await seen(page.getByRole('heading', { name: t.eventForm.createTitle }));
  const eventName = s.label.startsWith('ar') ? 'مؤتمر المصادر المفتوحة ٢٠٢٦' : 'Open Source Summit 2026';
  await fill(s, page.getByLabel(t.eventForm.name), eventName);
  await fill(s, page.getByLabel(t.eventForm.date), '2026-03-12');
  await fill(s, page.getByLabel(t.eventForm.place), s.label.startsWith('ar') ? 'عمّان' : 'Kraków');
  await choose(s, page.getByLabel(t.eventForm.locale), s.label.startsWith('ar') ? 'ar' : 'en');
  await press(s, page.getByRole('button', { name: t.eventForm.addSignatory }));
  await fill(s, page.getByLabel(`${t.eventForm.signatoryName} 1`), 'Charles Babbage');
  await axe(s, 'new event');
  await shot(s, '02-new-event');
  await press(s, page.getByRole('button', { name: t.save }));
  await seen(page.getByRole('heading', { name: eventName }), 20_000);
  const eventId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
  await axe(s, 'overview');

  // Their own template and font.
  await press(s, page.getByRole('link', { name: t.nav.template }));
  await seen(page.getByRole('heading', { name: t.templatePage.title }));
  await attach(s, page.getByLabel(t.templatePage.svgFile), join(FIXTURES, 'talk-certificate.svg'));
  await attach(s, page.getByLabel(t.templatePage.fontFiles), FONT);
  await press(s, page.getByRole('button', { name: t.templatePage.upload }));
  await expectStatus(s, t.templatePage.uploaded_ok);
  const preview = page.locator('img.preview');
  await seen(preview, 60_000);
  await choose(s, page.getByLabel(t.templatePage.sample), '3'); // the longest Latin name of the set
  await seen(preview, 60_000);
  await axe(s, 'template');
  await shot(s, '03-template');
  await press(
    s,
    page.getByRole('button', { name: new RegExp(`^${escape(t.templatePage.use)}\\s*:\\s*talk-certificate\\.svg`) }),
  );
  await seen(
    page
      .locator('.templates li')
      .filter({ hasText: 'talk-certificate.svg' })
      .getByText(t.templatePage.inUse, { exact: true }),
  );
  const event = (await admin().db.collection('events').doc(eventId).get()).data()!;
  expect(event.templateId).toMatch(/^t[0-9a-f]{18}$/);

  // A spreadsheet: the talk column is read as the talk title once the organizer says so.
  await press(s, page.getByRole('link', { name: t.nav.import }));
  await attach(s, page.getByLabel(t.importPage.file), join(FIXTURES, 'people.csv'));
  await press(s, page.getByRole('button', { name: t.importPage.preview }));
  await seen(page.getByText(t.importPage.summary(5, 4, 1)), 30_000);
  await choose(s, page.getByLabel(`${t.importPage.readAs}: Presentation`), 'talk.title');
  await press(s, page.getByRole('button', { name: t.importPage.applyMapping }));
  await seen(page.getByRole('cell', { name: 'Compilers for Everyone' }), 30_000);
  await seen(page.getByRole('heading', { name: t.importPage.rejectedTitle }));
  await axe(s, 'import preview');
  await shot(s, '04-import-preview');
  await press(s, page.getByRole('button', { name: t.importPage.start, exact: true }));
  await seen(page.getByText(t.importPage.reportLine(4, 0, 0, 1)), 60_000);

  // Certificates are made as people arrive; Katherine's has no talk title and fails.
  await press(s, page.getByRole('link', { name: t.nav.people }));
  const katherine = page.getByRole('row').filter({ hasText: 'Katherine Johnson' });
  await seen(katherine.getByText(t.status.failed), 90_000);
  await seen(katherine.getByText(t.failures.MISSING_FIELD));
  for (const name of ['Grace Hopper', 'Ada Lovelace', 'Margaret Hamilton'])
    await seen(page.getByRole('row').filter({ hasText: name }).getByText(t.status.ready), 90_000);
  await axe(s, 'people with a failure');
  await shot(s, '05-people-failed');

  // The organizer fixes the row: the correction makes the certificate.
  await press(s, katherine.getByRole('button', { name: new RegExp(`^${escape(t.edit)}`) }));
  await fill(s, page.getByLabel(`${t.people.talkTitle} ${t.optional}`), 'Orbital Mechanics by Hand');
  await press(s, page.getByRole('button', { name: t.save }));
  await expectStatus(s, t.people.saved);
  const fixed = page.getByRole('row').filter({ hasText: 'Katherine Johnson' });
  await seen(fixed.getByText(t.status.ready), 90_000);

  // Issue for everybody; the run's counters feed the progress.
  await press(s, page.getByRole('link', { name: t.nav.issue }));
  await press(s, page.getByRole('button', { name: t.issuePage.start, exact: true }));
  await expectStatus(s, t.issuePage.started(4));
  await seen(page.getByText(t.issuePage.progress(4, 4)), 90_000);
  await axe(s, 'issue');

  // One certificate revoked, with a reason.
  await press(s, page.getByRole('link', { name: t.nav.people }));
  const grace = page.getByRole('row').filter({ hasText: 'Grace Hopper' });
  await press(s, grace.getByRole('link', { name: new RegExp(`^${escape(t.people.openCertificate)}`) }));
  await seen(page.getByRole('heading', { name: `${t.certificatePage.title}: Grace Hopper` }));
  await expect
    .poll(() => page.locator('img.preview').evaluate((img) => (img as HTMLImageElement).naturalWidth), {
      timeout: 60_000,
    })
    .toBeGreaterThan(100);
  await expect
    .poll(() => page.locator('img.qr').evaluate((img) => (img as HTMLImageElement).naturalWidth))
    .toBeGreaterThan(50);
  await axe(s, 'certificate');
  await shot(s, '06-certificate');
  await fill(s, page.getByLabel(t.certificatePage.revokeReason), 'Issued by mistake');
  await press(s, page.getByRole('button', { name: t.certificatePage.revoke }));
  await expectStatus(s, t.certificatePage.revoked);
  await seen(page.getByText(t.certificatePage.revokedWith('Issued by mistake')));
  const certificateId = new URL(page.url()).pathname.split('/')[2]!;
  const entry = (await admin().db.collection('certificates').doc(certificateId).get()).data()!;
  expect(entry.status).toBe('revoked');
  expect(entry.revocationReason).toBe('Issued by mistake');

  // The print bundle: the three certificates still valid.
  await press(s, page.getByRole('link', { name: new RegExp(escape(t.nav.people)) }));
  await press(s, page.getByRole('link', { name: t.nav.issue }));
  await press(s, page.getByRole('button', { name: t.issuePage.bundle }));
  await expectStatus(s, t.issuePage.bundleReady(3));
  const href = await page.getByRole('link', { name: t.issuePage.download }).getAttribute('href');
  const pdf = Buffer.from(await (await fetch(href!)).arrayBuffer());
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  // And every PDF on its own, in one ZIP.
  await press(s, page.getByRole('button', { name: t.issuePage.zip }));
  await expectStatus(s, t.issuePage.zipReady(3));
  const zipHref = await page.getByRole('link', { name: t.issuePage.download }).getAttribute('href');
  const zip = Buffer.from(await (await fetch(zipHref!)).arrayBuffer());
  expect(zip.subarray(0, 4).toString('hex')).toBe('504b0304');
  await shot(s, '07-bundle');

  // The overview counts what happened.
  await press(s, page.getByRole('link', { name: t.nav.overview }));
  const tile = (label: string) =>
    page
      .locator('.tile')
      .filter({ has: page.getByText(label, { exact: true }) })
      .locator('dd');
  await expect
    .poll(() => tile(t.overview.people).textContent())
    .toBe(new Intl.NumberFormat(s.label.split('-')[0]).format(4));
  await expect
    .poll(() => tile(t.overview.revoked).textContent())
    .toBe(new Intl.NumberFormat(s.label.split('-')[0]).format(1));
  await shot(s, '08-overview');

  // A colleague who has signed in once becomes a co-organizer by their email.
  const colleague = await createUser();
  await press(s, page.getByRole('link', { name: t.nav.settings }));
  await fill(s, page.getByLabel(t.organizers.email), colleague.email);
  await press(s, page.getByRole('button', { name: t.organizers.addSubmit, exact: true }));
  await seen(page.locator('.organizers li').filter({ hasText: colleague.email }));
  await axe(s, 'settings');
  await shot(s, '09-settings');

  expect(s.cspViolations, 'CSP violations').toEqual([]);
  const uid = (await admin().auth.getUserByEmail(email)).uid;
  return { eventId, uid, colleague };
}

describe('organizer console', () => {
  const done: { eventId: string; uid: string; colleague: TestUser }[] = [];

  it('is served with security headers, and its initial JavaScript stays under 150 KB gzipped', async () => {
    const res = await fetch(`${CONSOLE}/events/anything`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    const scripts = [
      ...html.matchAll(/<script[^>]+src="([^"]+)"/g),
      ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
    ].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    let gzipped = 0;
    for (const src of scripts) gzipped += gzipSync(readFileSync(rootPath(join('console/dist', src)))).byteLength;
    expect(gzipped).toBeLessThanOrEqual(150 * 1024);
    // No file of the build is loaded from another origin.
    expect(html).not.toMatch(/src="https?:/);
    expect(readdirSync(rootPath('console/dist/assets')).length).toBeGreaterThan(0);
  });

  // The whole job in both directions at both widths: English with the mouse, Arabic with the keyboard alone.
  for (const run of [
    { label: 'en-desktop', viewport: VIEWPORTS.desktop, locale: 'en-US', keyboard: false },
    { label: 'ar-phone', viewport: VIEWPORTS.phone, locale: 'ar', keyboard: true },
    { label: 'en-phone', viewport: VIEWPORTS.phone, locale: 'en-GB', keyboard: false },
    { label: 'ar-desktop', viewport: VIEWPORTS.desktop, locale: 'ar-EG', keyboard: true },
  ])
    it(`an organizer does the whole job: ${run.label}${run.keyboard ? ', keyboard alone' : ''}`, async () => {
      const s = await openConsole(run.label, run.viewport, run.locale, run.keyboard);
      const direction = run.locale.startsWith('ar') ? ['ar', 'rtl'] : ['en', 'ltr'];
      expect(await s.page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(
        direction,
      );
      done.push(await withFailureShot(s, () => wholeJob(s)));
      await s.page.context().close();
    });

  it('explains a missing event field, adds and deletes a person, issues again, deletes an event after typing its name', async () => {
    const s = await openConsole('en-more', VIEWPORTS.desktop, 'en-US', false);
    const { page, t } = s;
    await withFailureShot(s, async () => {
      await signUp(s, `organizer-more-${Date.now()}@example.org`, 'a-long-password-2');
      await page.getByRole('link', { name: t.events.create }).click();
      await page.getByLabel(t.eventForm.name).fill('Throwaway Meetup');
      await page.getByRole('button', { name: t.save }).click();
      await seen(page.getByRole('heading', { name: 'Throwaway Meetup' }), 20_000);

      // The bundled template prints the event's date, which this event does not have yet: the row
      // says which field is missing and where to fill it in.
      await page.getByRole('link', { name: t.nav.people }).click();
      await page.getByRole('button', { name: t.people.add }).click();
      await page.getByLabel(t.people.name).fill('Grace Hopper');
      await page.getByRole('button', { name: t.save }).click();
      const grace = page.getByRole('row').filter({ hasText: 'Grace Hopper' });
      await seen(grace.getByText(t.failures.MISSING_FIELD), 90_000);
      await seen(grace.locator('code').filter({ hasText: '{{event.date}}' }));
      await page.getByRole('link', { name: t.nav.settings }).click();
      await page.getByLabel(t.eventForm.date).fill('2026-05-20');
      await page.getByRole('button', { name: t.save }).click();
      await expectStatus(s, t.eventForm.saved);
      await page.getByRole('link', { name: t.nav.people }).click();
      await page
        .getByRole('row')
        .filter({ hasText: 'Grace Hopper' })
        .getByRole('button', { name: new RegExp(`^${escape(t.retry)}`) })
        .click();
      await seen(
        page.getByRole('row').filter({ hasText: 'Grace Hopper' }).getByText(t.status.ready, { exact: true }),
        90_000,
      );
      const eventId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);

      // One person more, added by hand: the trigger makes their certificate.
      await page.getByRole('link', { name: t.nav.people }).click();
      await page.getByRole('button', { name: t.people.add }).click();
      await page.getByLabel(t.people.name).fill('Hedy Lamarr');
      await page.getByLabel(`${t.people.talkTitle} ${t.optional}`).fill('Frequency Hopping');
      await page.getByRole('button', { name: t.save }).click();
      await expectStatus(s, t.people.added);
      const hedy = page.getByRole('row').filter({ hasText: 'Hedy Lamarr' });
      await seen(hedy.getByText(t.status.ready, { exact: true }), 90_000);

      // Issued again from the certificate page: version 2, and version 1 says it was replaced.
      await hedy.getByRole('link', { name: new RegExp(`^${escape(t.people.openCertificate)}`) }).click();
      await seen(page.getByRole('heading', { name: `${t.certificatePage.title}: Hedy Lamarr` }));
      const first = new URL(page.url()).pathname.split('/')[2]!;
      await page.getByRole('button', { name: t.certificatePage.reissue }).click();
      await expectStatus(s, t.certificatePage.reissued);
      await eventually(
        async () => (await admin().db.collection('certificates').doc(first).get()).get('status') as string,
        (status) => status === 'superseded',
      );
      await page.reload();
      await seen(page.getByText(t.certificatePage.version(2)));

      // Deleted: the certificate is revoked.
      await page.goto(`${CONSOLE}/events/${encodeURIComponent(eventId)}/people`);
      const row = page.getByRole('row').filter({ hasText: 'Hedy Lamarr' });
      page.once('dialog', (dialog) => void dialog.accept());
      await row.getByRole('button', { name: new RegExp(`^${escape(t.delete)}`) }).click();
      await expectStatus(s, t.people.deleted);
      await expect.poll(() => page.getByRole('row').filter({ hasText: 'Hedy Lamarr' }).count()).toBe(0);

      // The event: the button stays disabled until the name is typed exactly.
      await page.getByRole('link', { name: t.nav.settings }).click();
      const confirm = page.getByLabel(t.deleteEvent.confirmLabel('Throwaway Meetup'));
      const submit = page.getByRole('button', { name: t.deleteEvent.submit });
      await confirm.fill('Throwaway');
      expect(await submit.isDisabled()).toBe(true);
      await confirm.fill('Throwaway Meetup');
      await submit.click();
      await seen(page.getByRole('heading', { name: t.events.title }), 20_000);
      await seen(page.getByText(t.events.empty));
      expect((await admin().db.collection('eventTombstones').doc(eventId).get()).exists).toBe(true);
    });
    expect(s.cspViolations).toEqual([]);
    await s.page.context().close();
  });

  it('switches language from the header and remembers it', async () => {
    const s = await openConsole('switch', VIEWPORTS.desktop, 'de-DE', false);
    await seen(s.page.getByRole('heading', { name: CATALOGS.de.signIn.title }));
    await s.page.getByLabel(CATALOGS.de.language).selectOption('ja');
    await seen(s.page.getByRole('heading', { name: CATALOGS.ja.signIn.title }));
    await s.page.reload();
    await seen(s.page.getByRole('heading', { name: CATALOGS.ja.signIn.title }));
    await s.page.context().close();
  });

  it('signs in with an email link', async () => {
    const s = await openConsole('link', VIEWPORTS.desktop, 'en-US', false);
    const email = `link-${Date.now()}@example.org`;
    await s.page.getByLabel(s.t.signIn.email).fill(email);
    await s.page.getByRole('button', { name: s.t.signIn.emailLink }).click();
    await expectStatus(s, s.t.signIn.emailLinkSent(email));
    // The link's continue URL is the console: open what the mail would open.
    await s.page.goto((await emailLinkTarget(email)).toString());
    await seen(s.page.getByRole('heading', { name: s.t.events.title }), 20_000);
    await seen(s.page.getByText(s.t.signedInAs(email)));
    await s.page.context().close();
  });

  it('signs in with Google (the Auth emulator’s account chooser), or says why it cannot', async () => {
    // The Firebase SDK's popup loads Google's script from apis.google.com (firebase.json allows it in
    // the CSP). Where that is unreachable (this offline machine), the console says so in words.
    const reachable = await fetch('https://apis.google.com/js/api.js', { signal: AbortSignal.timeout(5000) }).then(
      (res) => res.ok,
      () => false,
    );
    const s = await openConsole('google', VIEWPORTS.desktop, 'en-US', false);
    if (!reachable) {
      await s.page.getByRole('button', { name: s.t.signIn.google }).click();
      await expect.poll(() => s.page.getByRole('alert').textContent()).toBe(s.t.signIn.errors.googleUnavailable);
      await s.page.context().close();
      return;
    }
    const [popup] = await Promise.all([
      s.page.waitForEvent('popup'),
      s.page.getByRole('button', { name: s.t.signIn.google }).click(),
    ]);
    await popup.waitForLoadState();
    await popup.getByText(/Add new account/i).click();
    await popup.getByText(/Auto-generate user information/i).click();
    await popup.getByRole('button', { name: /Sign in with Google\.com/i }).click();
    await seen(s.page.getByRole('heading', { name: s.t.events.title }), 20_000);
    expect(s.cspViolations).toEqual([]);
    await s.page.context().close();
  });

  it('a recipient asks for a correction from the verification page; the organizer approves it in the console', async () => {
    // An event whose speaker's name lost its diacritics, issued by the real trigger.
    const organizer = await createUser({ claims: { organizer: true } });
    await admin().auth.updateUser(organizer.uid, { password: 'organizer-password-1' });
    const recipientEmail = `zoe-${Date.now()}@example.org`;
    const eventRef = admin().db.collection('events').doc(`corr-${Date.now()}`);
    await eventRef.set({ name: 'Correctable Summit', date: '2026-03-12', organizerUids: [organizer.uid] });
    const speaker = eventRef.collection('speakers').doc('zoe');
    await speaker.set({ name: 'Zoe Duric', email: recipientEmail, talk: { title: 'Names Matter' } });
    const issued = await eventually(
      async () => (await speaker.get()).get('certificate') as { status: string; certificateId: string } | undefined,
      (c) => c?.status === 'ready',
      60_000,
    );
    const verifyUrl = (await admin().db.doc(`certificates/${issued!.certificateId}`).get()).get('verifyUrl') as string;

    // The recipient: from the verification page to the console's correction page, signed in by an email link.
    const r = await openConsole('recipient', VIEWPORTS.phone, 'en-US', false);
    await r.page.goto(verifyUrl);
    await r.page.locator('#ask-correction').click();
    await r.page.waitForURL(`${CONSOLE}/correction/${issued!.certificateId}`);
    await r.page.getByLabel(r.t.signIn.email).fill(recipientEmail);
    await r.page.getByRole('button', { name: r.t.signIn.emailLink }).click();
    await expectStatus(r, r.t.signIn.emailLinkSent(recipientEmail));
    const target = await emailLinkTarget(recipientEmail);
    expect(target.pathname).toBe(`/correction/${issued!.certificateId}`);
    await r.page.goto(target.toString());
    await seen(r.page.getByRole('heading', { name: r.t.correction.title }), 20_000);
    await expect.poll(() => r.page.locator('#current-name').textContent()).toBe('Zoe Duric');
    await axe(r, 'correction request');
    await r.page.getByLabel(r.t.correction.newName).fill('Zoë Ðurić');
    await r.page.getByLabel(r.t.correction.note).fill('My name has diacritics');
    await shot(r, '20-correction-request');
    await r.page.getByRole('button', { name: r.t.correction.submit }).click();
    await expectStatus(r, r.t.correction.sent);
    expect(r.cspViolations).toEqual([]);
    await r.page.context().close();

    // The organizer: the Corrections tab lists it; approving issues the corrected version.
    const o = await openConsole('organizer-corrections', VIEWPORTS.desktop, 'en-US', false);
    await o.page.getByLabel(o.t.signIn.email).fill(organizer.email);
    await o.page.getByLabel(o.t.signIn.password).fill('organizer-password-1');
    await o.page.getByRole('button', { name: o.t.signIn.submit, exact: true }).click();
    await seen(o.page.getByRole('heading', { name: o.t.events.title }), 20_000);
    await o.page.goto(`${CONSOLE}/events/${encodeURIComponent(eventRef.id)}/corrections`);
    await seen(o.page.getByRole('heading', { name: o.t.corrections.title }), 20_000);
    const item = o.page.locator('li.correction').first();
    await seen(item.getByText('Zoë Ðurić'));
    await expect.poll(() => item.textContent()).toContain('My name has diacritics');
    await axe(o, 'correction requests');
    await shot(o, '21-correction-requests');
    await item.getByRole('button', { name: o.t.corrections.approve }).click();
    await seen(o.page.getByText(o.t.corrections.status.approved));
    expect(o.cspViolations).toEqual([]);
    await o.page.context().close();
    const corrected = await eventually(
      async () =>
        (await speaker.get()).get('certificate') as {
          status: string;
          certificateId: string;
          subject: { name: string };
        },
      (c) => c.certificateId !== issued!.certificateId && c.status === 'ready',
      60_000,
    );
    expect(corrected.subject.name).toBe('Zoë Ðurić');
  });

  it('never shows or changes an event to another organizer or to a recipient', async () => {
    expect(done.length).toBeGreaterThan(0);
    const { eventId } = done[0]!;
    const other = await createUser();
    const recipient = await createUser({ email: 'grace@example.org' });
    for (const user of [other, recipient]) {
      for (const data of [
        { action: 'eventSummary', eventId },
        { action: 'listPeople', eventId, collection: 'speakers' },
        { action: 'savePerson', eventId, collection: 'speakers', person: { name: 'Mallory' } },
        { action: 'saveEvent', eventId, event: { name: 'Taken over' } },
        { action: 'listImports', eventId },
      ]) {
        const res = await callRaw('organizerConsole', data, user.idToken);
        expect(res.body.error?.status, JSON.stringify(data)).toBe('PERMISSION_DENIED');
      }
      const list = await callRaw('organizerConsole', { action: 'listEvents' }, user.idToken);
      expect((list.body.result as { events: { eventId: string }[] }).events.map((e) => e.eventId)).not.toContain(
        eventId,
      );
    }
    // The colleague the organizer added sees and runs it; removing organizers never removes the last one.
    const { colleague } = done[0]!;
    const shared = await callRaw('organizerConsole', { action: 'eventSummary', eventId }, colleague.idToken);
    expect(shared.body.error, JSON.stringify(shared.body)).toBeUndefined();
    const removed = await callRaw(
      'organizerConsole',
      { action: 'removeOrganizer', eventId, uid: done[0]!.uid },
      colleague.idToken,
    );
    expect((removed.body.result as { organizers: unknown[] }).organizers).toHaveLength(1);
    const last = await callRaw(
      'organizerConsole',
      { action: 'removeOrganizer', eventId, uid: colleague.uid },
      colleague.idToken,
    );
    expect(last.body.error?.status).toBe('FAILED_PRECONDITION');
    const unknown = await callRaw(
      'organizerConsole',
      { action: 'addOrganizer', eventId, email: 'nobody-yet@example.org' },
      colleague.idToken,
    );
    expect(unknown.body.error?.status).toBe('NOT_FOUND');
    const anonymous = await callRaw('organizerConsole', { action: 'listEvents' });
    expect(anonymous.body.error?.status).toBe('UNAUTHENTICATED');
    const event = (await admin().db.collection('events').doc(eventId).get()).data()!;
    expect(event.name).not.toBe('Taken over');

    // In the console: the other organizer's list is empty and the event's page refuses.
    const s = await openConsole('other', VIEWPORTS.desktop, 'en-US', false);
    const password = 'other-password-1';
    await admin().auth.updateUser(other.uid, { password });
    await s.page.getByLabel(s.t.signIn.email).fill(other.email);
    await s.page.getByLabel(s.t.signIn.password).fill(password);
    await s.page.getByRole('button', { name: s.t.signIn.submit, exact: true }).click();
    await seen(s.page.getByText(s.t.events.empty), 20_000);
    await s.page.goto(`${CONSOLE}/events/${encodeURIComponent(eventId)}`);
    await expect.poll(() => s.page.getByRole('alert').textContent()).toContain(s.t.errors['permission-denied']);
    await s.page.context().close();
  });
});
