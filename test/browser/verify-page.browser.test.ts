/**
 * The verification page in a real browser: Debian's chromium (/usr/bin/chromium, installed by
 * `node test/setup/ensure-tools.mjs`; CERTFORGE_CHROMIUM overrides the path) driven by
 * playwright-core, against the verify function on the emulators. Certificates come from the real
 * trigger (a Latin name, an Arabic name on an Arabic event, a very long name); revoked and
 * superseded states are written to the registry directly. At desktop and phone widths the page
 * must show the name and status, never scroll sideways, load nothing from any other origin and
 * raise no CSP violation; the form is used as a visitor would. The page in each of its eight
 * languages (the browser's Accept-Language), the Arabic one right to left, with the certificate's
 * preview image and the credential's verdict. Screenshots: out/verify/*.png.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTIONS_ORIGIN,
  PROJECT_ID,
  REGION,
  admin,
  createEvent,
  speakerRef,
  waitForCertificate,
} from '../helpers/emulator.js';
import { rootPath } from '../helpers/fixtures.js';
import { PAGE_LANGUAGES, messages } from '../../functions/src/verify/messages.js';
import type { PublicCertificate } from '../../functions/src/shared/model.js';

const CHROMIUM = process.env.CERTFORGE_CHROMIUM ?? '/usr/bin/chromium';
const OUT = rootPath('out/verify');
const VERIFY_BASE = `${FUNCTIONS_ORIGIN}/${PROJECT_ID}/${REGION}/verify`;
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 375, height: 740 },
] as const;

const ARABIC_NAME = 'مريم عبد الرحمن الحسيني';
const ARABIC_TALK = 'الحوسبة بدون خوادم على نطاق واسع';
const LONG_NAME = 'Maximiliana Alexandrina Konstantinopoulou-Featherstonehaugh Wolfeschlegelsteinhausen';

interface Issued {
  entry: PublicCertificate;
  pdf: Buffer;
}

async function issue(
  name: string,
  eventFields: Record<string, unknown> = {},
  talk = 'Verifiable Certificates on Serverless',
): Promise<Issued> {
  const eventId = await createEvent({ issuer: 'Open Source Infrastructure Foundation', ...eventFields });
  const ref = speakerRef(eventId, 'spk-browser');
  await ref.set({ name, talk: { title: talk } });
  const certificate = await waitForCertificate(ref);
  expect(certificate.status).toBe('ready');
  const { db, bucket } = admin();
  const entry = (await db.collection('certificates').doc(certificate.certificateId).get()).data() as PublicCertificate;
  const [pdf] = await bucket.file(certificate.pdfPath!).download();
  return { entry, pdf };
}

async function writeEntry(base: PublicCertificate, fields: Partial<PublicCertificate>): Promise<PublicCertificate> {
  const certificateId = randomBytes(16).toString('base64url');
  // A copy is not an issued certificate: it has no credential nor status list position of its own
  // (sharing the original's position, a revoked copy would revoke the original's credential).
  const { credentialJson: _c, statusList: _l, statusIndex: _i, ...rest } = base;
  const entry = { ...rest, ...fields, certificateId, verifyUrl: `${VERIFY_BASE}/${certificateId}` };
  await admin().db.collection('certificates').doc(certificateId).set(entry);
  return entry;
}

let browser: Browser;
const cases: { label: string; url: string; name: string; status: RegExp; pdf?: Buffer }[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} not found: run \`node test/setup/ensure-tools.mjs\` (installs chromium)`);
  mkdirSync(OUT, { recursive: true });
  admin();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const latin = await issue('Ada Lovelace');
  const arabic = await issue(
    ARABIC_NAME,
    { name: 'مؤتمر البنية التحتية المفتوحة ٢٠٢٦', place: 'عمّان، الأردن', locale: 'ar' },
    ARABIC_TALK,
  );
  const long = await issue(
    LONG_NAME,
    {},
    'A Deliberately Long Talk Title About Internationalised Certificate Rendering Pipelines',
  );
  const revoked = await writeEntry(latin.entry, {
    status: 'revoked',
    revokedAt: new Date('2026-04-02T08:00:00Z'),
    revocationReason: 'Issued for a talk that was cancelled',
  });
  const current = await writeEntry(latin.entry, { recipientName: 'Ada King, Countess of Lovelace' });
  const superseded = await writeEntry(latin.entry, {
    status: 'superseded',
    supersededBy: current.certificateId,
    supersededAt: new Date('2026-03-20T00:00:00Z'),
  });
  cases.push(
    {
      label: 'valid',
      url: latin.entry.verifyUrl,
      name: 'Ada Lovelace',
      status: /This certificate is valid/,
      pdf: latin.pdf,
    },
    {
      label: 'arabic',
      url: arabic.entry.verifyUrl,
      name: ARABIC_NAME,
      status: /This certificate is valid/,
      pdf: arabic.pdf,
    },
    { label: 'long-name', url: long.entry.verifyUrl, name: LONG_NAME, status: /This certificate is valid/ },
    { label: 'revoked', url: revoked.verifyUrl, name: 'Ada Lovelace', status: /This certificate has been revoked/ },
    { label: 'superseded', url: superseded.verifyUrl, name: 'Ada Lovelace', status: /replaced by a corrected version/ },
  );
});

afterAll(async () => {
  await browser?.close();
});

/** A page that records every request and every console error. */
async function open(viewport: { width: number; height: number }, url: string, locale = 'en-US') {
  // The context's locale is the browser's Accept-Language.
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale });
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  return { context, page, requests, errors, status: response?.status() };
}

async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe('verify page in Chromium', () => {
  it('shows every state at desktop and phone widths, self-contained and without sideways scrolling', async () => {
    for (const item of cases) {
      for (const viewport of VIEWPORTS) {
        const { context, page, requests, errors, status } = await open(viewport, item.url);
        try {
          expect(status, item.label).toBe(200);
          await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(item.status);
          expect(await page.locator('dd.name').isVisible(), `${item.label} name visible`).toBe(true);
          expect((await page.locator('dd.name').textContent())?.trim()).toBe(item.name);
          expect(
            await horizontalOverflow(page),
            `${item.label} at ${viewport.width}px scrolls sideways`,
          ).toBeLessThanOrEqual(0);
          expect(
            requests.every((url) => url.startsWith(`${FUNCTIONS_ORIGIN}/`)),
            requests.join('\n'),
          ).toBe(true);
          expect(errors, `${item.label}: console errors (CSP?)`).toEqual([]);
          await page.screenshot({ path: join(OUT, `${item.label}-${viewport.width}.png`), fullPage: true });
        } finally {
          await context.close();
        }
      }
    }
  });

  it('shows the page in each of its languages, the Arabic one right to left, with the preview and the credential verified', async () => {
    const latin = cases.find((c) => c.label === 'valid')!;
    const arabic = cases.find((c) => c.label === 'arabic')!;
    const locales: Record<string, string> = {
      en: 'en-GB',
      es: 'es-ES',
      pt: 'pt-BR',
      fr: 'fr-FR',
      de: 'de-DE',
      ar: 'ar-EG',
      zh: 'zh-CN',
      ja: 'ja-JP',
    };
    for (const language of PAGE_LANGUAGES) {
      const m = messages(language);
      for (const item of language === 'ar' ? [latin, arabic] : [latin]) {
        for (const viewport of VIEWPORTS) {
          const { context, page, requests, errors } = await open(viewport, item.url, locales[language]);
          try {
            const label = `${language} ${item.label} ${viewport.width}px`;
            expect(
              await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]),
              label,
            ).toEqual([language, m.dir]);
            expect(await page.getByRole('heading', { level: 1 }).textContent(), label).toBe(m.heading.valid);
            expect(await page.locator('body').evaluate((el) => getComputedStyle(el).direction), label).toBe(m.dir);
            // The certificate's own values as issued, in their own direction inside any page.
            expect((await page.locator('dd.name').textContent())?.trim()).toBe(item.name);
            expect(await page.locator('dd.name').evaluate((el) => getComputedStyle(el).direction), label).toBe(
              item === arabic ? 'rtl' : 'ltr',
            );
            expect(await page.locator('#issued-sha256').evaluate((el) => getComputedStyle(el).direction), label).toBe(
              'ltr',
            );
            // The preview, served by the function, actually loaded.
            const image = page.locator('figure img');
            expect(
              await image.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth),
              label,
            ).toBeGreaterThan(500);
            expect(await page.locator('#credential-state').textContent(), label).toBe(m.credential.verified);
            expect(await page.getByRole('link', { name: m.credential.download }).count(), label).toBe(1);
            expect(await horizontalOverflow(page), `${label} scrolls sideways`).toBeLessThanOrEqual(0);
            expect(
              requests.every((url) => url.startsWith(`${FUNCTIONS_ORIGIN}/`)),
              requests.join('\n'),
            ).toBe(true);
            expect(errors, `${label}: console errors (CSP?)`).toEqual([]);
            await page.screenshot({
              path: join(OUT, `lang-${language}${item === arabic ? '-arabic-name' : ''}-${viewport.width}.png`),
              fullPage: true,
            });
          } finally {
            await context.close();
          }
        }
      }
    }
  });

  it('downloads the credential from the page: the same credential the PDF carries', async () => {
    const item = cases.find((c) => c.label === 'valid')!;
    const { context, page } = await open(VIEWPORTS[0], item.url);
    try {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: messages('en').credential.download }).click(),
      ]);
      const path = await download.path();
      const text = (await import('node:fs')).readFileSync(path, 'utf8');
      const entry = (
        await admin().db.collection('certificates').doc(item.url.split('/').pop()!).get()
      ).data() as PublicCertificate;
      expect(text).toBe(entry.credentialJson);
      expect(JSON.parse(text).type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    } finally {
      await context.close();
    }
  });

  it('lays the Arabic name and title out right to left inside the English page', async () => {
    const arabic = cases.find((c) => c.label === 'arabic')!;
    const { context, page } = await open(VIEWPORTS[1], arabic.url);
    try {
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      const name = page.locator('dd.name');
      expect(await name.getAttribute('lang')).toBe('ar');
      expect(await name.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
      const talk = page.getByText(ARABIC_TALK, { exact: true });
      expect(await talk.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
      // Labels stay left to right.
      expect(
        await page
          .locator('dt')
          .first()
          .evaluate((el) => getComputedStyle(el).direction),
      ).toBe('ltr');
    } finally {
      await context.close();
    }
  });

  it('has labelled controls, a skip link and a visible keyboard focus', async () => {
    const { context, page } = await open(VIEWPORTS[1], cases[0]!.url);
    try {
      expect(await page.getByLabel('Certificate PDF').count()).toBe(1);
      expect(await page.getByLabel('Or its SHA-256').count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Check the PDF' }).count()).toBe(1);
      expect(await page.getByRole('main').count()).toBe(1);
      expect(await page.getByRole('banner').count()).toBe(1);
      expect(await page.getByRole('contentinfo').count()).toBe(1);
      await page.keyboard.press('Tab');
      const skip = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const box = el.getBoundingClientRect();
        return { text: el.textContent, left: box.left, outline: getComputedStyle(el).outlineStyle };
      });
      expect(skip.text).toBe('Skip to the certificate');
      expect(skip.left).toBeGreaterThanOrEqual(0); // moved on screen when focused
      expect(skip.outline).toBe('solid');
      // Tab to the "Check the PDF" button: its focus ring is drawn.
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => document.activeElement?.textContent === 'Check the PDF')) break;
      }
      const ring = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return {
          text: el.textContent,
          style: getComputedStyle(el).outlineStyle,
          width: getComputedStyle(el).outlineWidth,
        };
      });
      expect(ring).toEqual({ text: 'Check the PDF', style: 'solid', width: '3px' });
    } finally {
      await context.close();
    }
  });

  it('checks the real PDF uploaded through the form (and a modified one), at phone width', async () => {
    for (const label of ['valid', 'arabic']) {
      const item = cases.find((c) => c.label === label)!;
      for (const [variant, bytes, expected] of [
        ['match', item.pdf!, 'Match: this is the issued PDF'],
        ['nomatch', Buffer.concat([item.pdf!, Buffer.from('\n% appended\n')]), 'No match: this is not the issued PDF'],
      ] as const) {
        const { context, page, requests } = await open(VIEWPORTS[1], item.url);
        try {
          await page
            .getByLabel('Certificate PDF')
            .setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: bytes });
          await Promise.all([
            page.waitForNavigation({ waitUntil: 'load' }),
            page.getByRole('button', { name: 'Check the PDF' }).click(),
          ]);
          await expect(page.locator('#check-result').textContent()).resolves.toContain(expected);
          const digest = createHash('sha256').update(bytes).digest('hex');
          expect(await page.locator('#check-result').textContent()).toContain(digest);
          expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
          expect(requests.every((url) => url.startsWith(`${FUNCTIONS_ORIGIN}/`))).toBe(true);
          if (label === 'valid') await page.screenshot({ path: join(OUT, `check-${variant}-375.png`), fullPage: true });
        } finally {
          await context.close();
        }
      }
    }
  });

  it('follows the link from a superseded certificate to the current version', async () => {
    const item = cases.find((c) => c.label === 'superseded')!;
    const { context, page } = await open(VIEWPORTS[0], item.url);
    try {
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('link', { name: 'View the current version of this certificate' }).click(),
      ]);
      expect((await page.locator('dd.name').textContent())?.trim()).toBe('Ada King, Countess of Lovelace');
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This certificate is valid');
    } finally {
      await context.close();
    }
  });
});
