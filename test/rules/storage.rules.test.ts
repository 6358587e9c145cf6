/**
 * storage.rules against the official Storage emulator, with its cross-service reads
 * (firestore.get) answered by the official Firestore emulator (@firebase/rules-unit-testing).
 *
 * Skipped, with a loud banner, unless CERTFORGE_EMULATOR_MODE=official (see rules-env.ts).
 *
 * The Storage emulator reads Firestore documents of the project it was started with, so the
 * events and speakers are seeded in that project (GCLOUD_PROJECT, set by emulators:exec),
 * under ids unique to this run, and removed again at the end. Nothing here clears Firestore
 * or Storage wholesale: other suites may share the emulators. The seeded speakers already
 * have a `ready` certificate, so an issuing trigger, if the functions emulator runs, finds
 * nothing to do. The files go to the bucket gs://{projectId} (the test SDK's default), not the
 * functions' default bucket, so no Storage trigger fires for them either.
 */
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestContext,
  type RulesTestEnvironment,
  type TokenOptions,
} from '@firebase/rules-unit-testing';
import { deleteDoc, doc, setDoc, type Firestore } from 'firebase/firestore';
import {
  deleteObject,
  getBytes,
  getMetadata,
  listAll,
  ref,
  updateMetadata,
  uploadBytes,
  type FirebaseStorage,
} from 'firebase/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceNotRun, bytes, emulatorHost, MiB, RULES_CAN_RUN, rulesSource } from './rules-env.js';

const PROJECT_ID = process.env.GCLOUD_PROJECT || 'demo-certforge';

announceNotRun('test/rules/storage.rules.test.ts (storage.rules)');

// ---- Ids unique to this run ----------------------------------------------------------------

const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const EVENT_A = `rules-storage-a-${RUN}`;
const EVENT_B = `rules-storage-b-${RUN}`;
const TEMPLATE = `rules-storage-${RUN}`;
let serial = 0;
/** A file name no earlier upload of this run used (creates stay creates). */
const fresh = (name: string) => `${++serial}-${name}`;

// ---- Users ------------------------------------------------------------------------------

const ORG_A = 'storage-org-a'; // organizer claim, listed on event A
const ORG_B = 'storage-org-b'; // organizer claim, listed on event B
const AUTHOR = 'storage-author'; // organizer claim, on no event: a template author
const ADMIN = 'storage-admin'; // certforgeAdmin claim
const ADA_EMAIL = 'Ada.Lovelace@Example.com';

const ORGANIZER: TokenOptions = { organizer: true };

// ---- Seeded data --------------------------------------------------------------------------

const certificate = (id: string) => ({
  status: 'ready',
  certificateId: id,
  claimId: 'rules-test',
  attemptId: 'rules-test',
  attempts: 1,
  templateId: 'classic',
  startedAt: new Date(0),
  renderedAt: new Date(0),
});

const documents: Record<string, Record<string, unknown>> = {
  [`events/${EVENT_A}`]: { name: 'Storage rules A', date: '2026-03-12', organizerUids: [ORG_A] },
  [`events/${EVENT_B}`]: { name: 'Storage rules B', date: '2026-04-01', organizerUids: [ORG_B] },
  [`events/${EVENT_A}/speakers/ada`]: {
    name: 'Ada Lovelace',
    email: ` ${ADA_EMAIL.toUpperCase()}  `,
    certificate: certificate('c-ada'),
  },
  [`events/${EVENT_A}/speakers/no-email`]: { name: 'Anonymous', certificate: certificate('c-ne') },
  [`events/${EVENT_B}/speakers/grace`]: {
    name: 'Grace Hopper',
    email: 'grace@example.com',
    certificate: certificate('c-grace'),
  },
};

const CERT = {
  adaPdf: `certificates/${EVENT_A}/ada/c-ada.pdf`,
  adaPng: `certificates/${EVENT_A}/ada/c-ada.png`,
  noEmailPdf: `certificates/${EVENT_A}/no-email/c-ne.pdf`,
  /** A file whose speaker document does not exist. */
  ghostPdf: `certificates/${EVENT_A}/ghost/c-ghost.pdf`,
  gracePdf: `certificates/${EVENT_B}/grace/c-grace.pdf`,
};
const TEMPLATE_SVG = `templates/${TEMPLATE}/template.svg`;
const TEMPLATE_FONT = `templates/${TEMPLATE}/fonts/Seed.ttf`;
const IMPORT_A = `imports/${EVENT_A}/seed.csv`;
const ELSEWHERE = `rules-storage-elsewhere-${RUN}/readme.txt`;

const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
const CSV = new TextEncoder().encode('name,email\nAda Lovelace,ada@example.com\n');
const PDF = new TextEncoder().encode('%PDF-1.7\n% rules test\n');

const files: Record<string, { data: Uint8Array; contentType: string }> = {
  [CERT.adaPdf]: { data: PDF, contentType: 'application/pdf' },
  [CERT.adaPng]: { data: bytes(64), contentType: 'image/png' },
  [CERT.noEmailPdf]: { data: PDF, contentType: 'application/pdf' },
  [CERT.ghostPdf]: { data: PDF, contentType: 'application/pdf' },
  [CERT.gracePdf]: { data: PDF, contentType: 'application/pdf' },
  [TEMPLATE_SVG]: { data: SVG, contentType: 'image/svg+xml' },
  [TEMPLATE_FONT]: { data: bytes(1024), contentType: 'font/ttf' },
  [IMPORT_A]: { data: CSV, contentType: 'text/csv' },
  [ELSEWHERE]: { data: CSV, contentType: 'text/plain' },
};

// ---- Clients ------------------------------------------------------------------------------

let env: RulesTestEnvironment;

/** The modular SDKs take the compat instances the test contexts return (they unwrap them). */
const storageOf = (context: RulesTestContext) => context.storage() as unknown as FirebaseStorage;
const firestoreOf = (context: RulesTestContext) => context.firestore() as unknown as Firestore;

/** One client per user for the whole file (each context is a Firebase app of its own). */
function users(testEnv: RulesTestEnvironment) {
  const signIn = (uid: string, token?: TokenOptions) => storageOf(testEnv.authenticatedContext(uid, token));
  return {
    orgA: signIn(ORG_A, ORGANIZER),
    /** ORG_A without any claim: organizer of event A (listed), not a template author. */
    orgANoClaim: signIn(ORG_A),
    orgB: signIn(ORG_B, ORGANIZER),
    author: signIn(AUTHOR, ORGANIZER),
    admin: signIn(ADMIN, { certforgeAdmin: true }),
    stranger: signIn('storage-stranger'),
    unauthenticated: storageOf(testEnv.unauthenticatedContext()),
    /** Ada with her verified email, in other case than stored. */
    ada: signIn('storage-ada', { email: ADA_EMAIL.toLowerCase(), email_verified: true }),
    adaUnverified: signIn('storage-ada', { email: ADA_EMAIL, email_verified: false }),
    adaNoVerifiedClaim: signIn('storage-ada', { email: ADA_EMAIL }),
    /** Verified, but the email of event B's speaker only. */
    grace: signIn('storage-grace', { email: 'grace@example.com', email_verified: true }),
    /** Claims that look right but are not the boolean true. */
    fakeAdmin: signIn('storage-fake', { certforgeAdmin: 'true', organizer: 'yes' }),
  };
}

let user: ReturnType<typeof users>;

const put = (storage: FirebaseStorage, path: string, data: Uint8Array, contentType: string) =>
  uploadBytes(ref(storage, path), data, { contentType });
const stat = (storage: FirebaseStorage, path: string) => getMetadata(ref(storage, path));

describe.skipIf(!RULES_CAN_RUN)('storage.rules', () => {
  beforeAll(async () => {
    env = await initializeTestEnvironment({
      projectId: PROJECT_ID,
      // No Firestore rules loaded here: the seeding bypasses them, and the Storage emulator's
      // firestore.get() reads with admin rights.
      firestore: emulatorHost('FIRESTORE_EMULATOR_HOST'),
      storage: { rules: rulesSource('storage.rules'), ...emulatorHost('FIREBASE_STORAGE_EMULATOR_HOST') },
    });
    await env.withSecurityRulesDisabled(async (context) => {
      const db = firestoreOf(context);
      for (const [path, data] of Object.entries(documents)) await setDoc(doc(db, path), data);
      const storage = storageOf(context);
      for (const [path, file] of Object.entries(files)) await put(storage, path, file.data, file.contentType);
    });
    user = users(env);
  });

  afterAll(async () => {
    if (!env) return;
    await env.withSecurityRulesDisabled(async (context) => {
      // Everything this run wrote: the seeds and the uploads the rules allowed.
      const storage = storageOf(context);
      const templates = (await listAll(ref(storage, 'templates'))).prefixes
        .filter((folder) => folder.name.startsWith(TEMPLATE))
        .map((folder) => folder.fullPath);
      const prefixes = [
        `certificates/${EVENT_A}`,
        `certificates/${EVENT_B}`,
        `imports/${EVENT_A}`,
        `imports/${EVENT_B}`,
      ];
      const written = new Set(Object.keys(files));
      for (const prefix of [...prefixes, ...templates]) {
        for (const path of await listRecursively(storage, prefix)) written.add(path);
      }
      await Promise.all([...written].map((path) => deleteObject(ref(storage, path)).catch(() => undefined)));
      const db = firestoreOf(context);
      for (const path of Object.keys(documents).reverse()) await deleteDoc(doc(db, path));
    });
    await env.cleanup();
  });

  // ---- certificates/{eventId}/{speakerId}/{fileName} ------------------------------------------

  describe('certificates: read', () => {
    it('organizers of the event (claim or not) and admins read the files', async () => {
      const metadata = await assertSucceeds(stat(user.orgA, CERT.adaPdf));
      expect(metadata.contentType).toBe('application/pdf');
      const data = await assertSucceeds(getBytes(ref(user.orgA, CERT.adaPdf)));
      expect(data.byteLength).toBe(PDF.byteLength);
      await assertSucceeds(stat(user.orgANoClaim, CERT.adaPng));
      await assertSucceeds(stat(user.orgA, CERT.noEmailPdf));
      await assertSucceeds(stat(user.admin, CERT.adaPdf));
      await assertSucceeds(stat(user.admin, CERT.gracePdf));
    });

    it('organizers read a file whose speaker document is gone', async () => {
      await assertSucceeds(stat(user.orgA, CERT.ghostPdf));
    });

    it('the speaker reads their own files: verified email, equal after trim, any case', async () => {
      await assertSucceeds(stat(user.ada, CERT.adaPdf));
      await assertSucceeds(stat(user.ada, CERT.adaPng));
      const data = await assertSucceeds(getBytes(ref(user.ada, CERT.adaPdf)));
      expect(data.byteLength).toBe(PDF.byteLength);
    });

    it('an unverified email, no email_verified claim, or another email: denied', async () => {
      await assertFails(stat(user.adaUnverified, CERT.adaPdf));
      await assertFails(stat(user.adaNoVerifiedClaim, CERT.adaPdf));
      await assertFails(getBytes(ref(user.adaUnverified, CERT.adaPdf)));
      await assertFails(stat(user.grace, CERT.adaPdf));
    });

    it("a speaker reads no one else's files, nor files without a speaker document", async () => {
      await assertFails(stat(user.ada, CERT.noEmailPdf));
      await assertFails(stat(user.ada, CERT.ghostPdf));
      await assertFails(stat(user.ada, CERT.gracePdf));
      await assertSucceeds(stat(user.grace, CERT.gracePdf));
    });

    it('organizers of another event, template authors, strangers and the unauthenticated: denied', async () => {
      await assertFails(stat(user.orgB, CERT.adaPdf));
      await assertFails(getBytes(ref(user.orgB, CERT.adaPdf)));
      await assertFails(stat(user.author, CERT.adaPdf));
      await assertFails(stat(user.stranger, CERT.adaPdf));
      await assertFails(stat(user.fakeAdmin, CERT.adaPdf));
      await assertFails(stat(user.unauthenticated, CERT.adaPdf));
      await assertFails(getBytes(ref(user.unauthenticated, CERT.adaPdf)));
    });

    it('nobody lists certificates (paths are in the speaker documents)', async () => {
      await assertFails(listAll(ref(user.orgA, `certificates/${EVENT_A}/ada`)));
      await assertFails(listAll(ref(user.orgA, `certificates/${EVENT_A}`)));
      await assertFails(listAll(ref(user.admin, `certificates/${EVENT_A}/ada`)));
      await assertFails(listAll(ref(user.ada, `certificates/${EVENT_A}/ada`)));
    });
  });

  describe('certificates: write (functions only)', () => {
    it('no client creates a certificate file: organizers, admins, the speaker', async () => {
      const path = (name: string) => `certificates/${EVENT_A}/ada/${fresh(name)}`;
      await assertFails(put(user.orgA, path('forged.pdf'), PDF, 'application/pdf'));
      await assertFails(put(user.admin, path('forged.pdf'), PDF, 'application/pdf'));
      await assertFails(put(user.ada, path('forged.pdf'), PDF, 'application/pdf'));
      await assertFails(put(user.ada, path('forged.png'), bytes(64), 'image/png'));
      await assertFails(put(user.unauthenticated, path('forged.pdf'), PDF, 'application/pdf'));
    });

    it('no client overwrites, re-describes or deletes one', async () => {
      await assertFails(put(user.orgA, CERT.adaPdf, PDF, 'application/pdf'));
      await assertFails(put(user.admin, CERT.adaPdf, PDF, 'application/pdf'));
      await assertFails(updateMetadata(ref(user.orgA, CERT.adaPdf), { contentType: 'text/html' }));
      await assertFails(updateMetadata(ref(user.admin, CERT.adaPdf), { customMetadata: { sha256: 'x' } }));
      await assertFails(deleteObject(ref(user.orgA, CERT.adaPdf)));
      await assertFails(deleteObject(ref(user.admin, CERT.adaPdf)));
      await assertFails(deleteObject(ref(user.ada, CERT.adaPdf)));
      // Still there, unchanged.
      const metadata = await stat(user.admin, CERT.adaPdf);
      expect(metadata.contentType).toBe('application/pdf');
    });
  });

  // ---- templates/{templateId}/... -------------------------------------------------------

  describe('templates: read', () => {
    it('template authors (organizer claim) and admins read and list templates', async () => {
      await assertSucceeds(stat(user.author, TEMPLATE_SVG));
      await assertSucceeds(getBytes(ref(user.author, TEMPLATE_SVG)));
      await assertSucceeds(stat(user.author, TEMPLATE_FONT));
      await assertSucceeds(stat(user.admin, TEMPLATE_SVG));
      const listing = await assertSucceeds(listAll(ref(user.author, `templates/${TEMPLATE}`)));
      expect(listing.items.map((item) => item.name)).toEqual(['template.svg']);
      expect(listing.prefixes.map((prefix) => prefix.name)).toEqual(['fonts']);
      await assertSucceeds(listAll(ref(user.author, `templates/${TEMPLATE}/fonts`)));
      await assertSucceeds(listAll(ref(user.admin, 'templates')));
    });

    it('everyone else: denied (listed organizers without the claim too)', async () => {
      await assertFails(stat(user.orgANoClaim, TEMPLATE_SVG));
      await assertFails(stat(user.stranger, TEMPLATE_SVG));
      await assertFails(stat(user.ada, TEMPLATE_SVG));
      await assertFails(stat(user.fakeAdmin, TEMPLATE_SVG));
      await assertFails(stat(user.unauthenticated, TEMPLATE_SVG));
      await assertFails(getBytes(ref(user.unauthenticated, TEMPLATE_FONT)));
      await assertFails(listAll(ref(user.stranger, `templates/${TEMPLATE}`)));
      await assertFails(listAll(ref(user.unauthenticated, 'templates')));
    });
  });

  describe('templates: template.svg', () => {
    /** template.svg of a new template (templates/{TEMPLATE}-{n}/). */
    const svgPath = () => `templates/${TEMPLATE}-${fresh('svg')}/template.svg`;

    it('template authors and admins upload an SVG under 2 MiB', async () => {
      await assertSucceeds(put(user.author, svgPath(), SVG, 'image/svg+xml'));
      await assertSucceeds(put(user.admin, svgPath(), SVG, 'image/svg+xml'));
      await assertSucceeds(put(user.author, svgPath(), bytes(2 * MiB - 1), 'image/svg+xml'));
    });

    it('they replace and delete one, and update its metadata (still image/svg+xml)', async () => {
      const path = svgPath();
      await assertSucceeds(put(user.author, path, SVG, 'image/svg+xml'));
      // An upload over an existing object is a `create` with `resource` set (not an `update`).
      await assertSucceeds(put(user.author, path, SVG, 'image/svg+xml'));
      await assertSucceeds(put(user.admin, path, SVG, 'image/svg+xml'));
      await assertFails(put(user.author, path, SVG, 'text/html'));
      // `update` is a metadata update.
      await assertSucceeds(updateMetadata(ref(user.author, path), { cacheControl: 'no-cache' }));
      await assertFails(updateMetadata(ref(user.author, path), { contentType: 'text/html' }));
      await assertFails(updateMetadata(ref(user.stranger, path), { cacheControl: 'no-cache' }));
      await assertFails(deleteObject(ref(user.stranger, path)));
      await assertFails(deleteObject(ref(user.orgANoClaim, path)));
      await assertSucceeds(deleteObject(ref(user.author, path)));
    });

    it('2 MiB or more, or empty: denied', async () => {
      await assertFails(put(user.author, svgPath(), bytes(2 * MiB), 'image/svg+xml'));
      await assertFails(put(user.admin, svgPath(), bytes(2 * MiB + 1), 'image/svg+xml'));
      await assertFails(put(user.author, svgPath(), new Uint8Array(0), 'image/svg+xml'));
    });

    it('any content type but exactly image/svg+xml: denied', async () => {
      for (const type of ['text/xml', 'image/svg+xml; charset=utf-8', 'text/html', 'application/octet-stream']) {
        await assertFails(put(user.author, svgPath(), SVG, type));
      }
    });

    it('not a template author: denied', async () => {
      await assertFails(put(user.orgANoClaim, svgPath(), SVG, 'image/svg+xml'));
      await assertFails(put(user.stranger, svgPath(), SVG, 'image/svg+xml'));
      await assertFails(put(user.ada, svgPath(), SVG, 'image/svg+xml'));
      await assertFails(put(user.fakeAdmin, svgPath(), SVG, 'image/svg+xml'));
      await assertFails(put(user.unauthenticated, svgPath(), SVG, 'image/svg+xml'));
      await assertFails(put(user.stranger, TEMPLATE_SVG, SVG, 'image/svg+xml'));
      await assertFails(deleteObject(ref(user.unauthenticated, TEMPLATE_SVG)));
    });

    it('only template.svg and fonts/ inside a template', async () => {
      await assertFails(put(user.author, `templates/${TEMPLATE}/preview.svg`, SVG, 'image/svg+xml'));
      await assertFails(put(user.author, `templates/${TEMPLATE}/template.SVG`, SVG, 'image/svg+xml'));
      await assertFails(put(user.author, `templates/${TEMPLATE}/sub/template.svg`, SVG, 'image/svg+xml'));
      await assertFails(put(user.author, `templates/${TEMPLATE}/index.html`, SVG, 'text/html'));
      await assertFails(put(user.admin, `templates/${fresh('template.svg')}`, SVG, 'image/svg+xml'));
    });
  });

  describe('templates: fonts', () => {
    const fontPath = (name: string) => `templates/${TEMPLATE}/fonts/${fresh(name)}`;

    it('template authors and admins upload .ttf and .otf fonts under 20 MiB', async () => {
      await assertSucceeds(put(user.author, fontPath('Inter.ttf'), bytes(1024), 'font/ttf'));
      await assertSucceeds(put(user.author, fontPath('Inter.OTF'), bytes(1024), 'font/otf'));
      await assertSucceeds(put(user.admin, fontPath('Inter.otf'), bytes(1024), 'application/octet-stream'));
      await assertSucceeds(put(user.author, fontPath('Inter.ttf'), bytes(1024), 'application/x-font-ttf'));
      await assertSucceeds(put(user.author, fontPath('Big.ttf'), bytes(20 * MiB - 1), 'font/ttf'));
    });

    it('they replace and delete fonts', async () => {
      const path = fontPath('Replace.ttf');
      await assertSucceeds(put(user.author, path, bytes(1024), 'font/ttf'));
      await assertSucceeds(put(user.author, path, bytes(2048), 'font/ttf'));
      await assertFails(deleteObject(ref(user.stranger, path)));
      await assertSucceeds(deleteObject(ref(user.author, path)));
    });

    it('other extensions: denied', async () => {
      for (const name of ['Inter.woff', 'Inter.woff2', 'Inter.ttf.html', 'Inter', 'ttf', '.ttf']) {
        await assertFails(put(user.author, `templates/${TEMPLATE}/fonts/${name}`, bytes(1024), 'font/ttf'));
      }
    });

    it('a content type that is not a font: denied', async () => {
      for (const type of ['text/html', 'image/svg+xml', 'application/javascript', 'font/woff2']) {
        await assertFails(put(user.author, fontPath('Inter.ttf'), bytes(1024), type));
      }
    });

    it('20 MiB or more, or empty: denied', async () => {
      await assertFails(put(user.author, fontPath('Huge.ttf'), bytes(20 * MiB), 'font/ttf'));
      await assertFails(put(user.author, fontPath('Empty.ttf'), new Uint8Array(0), 'font/ttf'));
    });

    it('not a template author, or not directly in fonts/: denied', async () => {
      await assertFails(put(user.orgANoClaim, fontPath('Inter.ttf'), bytes(1024), 'font/ttf'));
      await assertFails(put(user.stranger, fontPath('Inter.ttf'), bytes(1024), 'font/ttf'));
      await assertFails(put(user.unauthenticated, fontPath('Inter.ttf'), bytes(1024), 'font/ttf'));
      await assertFails(
        put(user.author, `templates/${TEMPLATE}/fonts/sub/${fresh('Inter.ttf')}`, bytes(1024), 'font/ttf'),
      );
      await assertFails(put(user.author, `templates/${TEMPLATE}/${fresh('Inter.ttf')}`, bytes(1024), 'font/ttf'));
    });
  });

  // ---- imports/{eventId}/{fileName} ------------------------------------------------------

  describe('imports: upload', () => {
    const csvPath = (eventId: string, name = 'speakers.csv') => `imports/${eventId}/${fresh(name)}`;

    it('organizers of the event (claim or not) and admins upload a CSV under 10 MiB', async () => {
      await assertSucceeds(put(user.orgA, csvPath(EVENT_A), CSV, 'text/csv'));
      await assertSucceeds(put(user.orgA, csvPath(EVENT_A), CSV, 'text/csv; charset=utf-8'));
      await assertSucceeds(put(user.orgA, csvPath(EVENT_A, 'SPEAKERS.CSV'), CSV, 'application/vnd.ms-excel'));
      await assertSucceeds(put(user.orgANoClaim, csvPath(EVENT_A), CSV, 'text/csv'));
      await assertSucceeds(put(user.admin, csvPath(EVENT_B), CSV, 'text/csv'));
      await assertSucceeds(put(user.orgA, csvPath(EVENT_A), bytes(10 * MiB - 1), 'text/csv'));
    });

    it('organizers of another event, template authors, speakers, strangers and the unauthenticated: denied', async () => {
      await assertFails(put(user.orgB, csvPath(EVENT_A), CSV, 'text/csv'));
      await assertFails(put(user.author, csvPath(EVENT_A), CSV, 'text/csv'));
      await assertFails(put(user.ada, csvPath(EVENT_A), CSV, 'text/csv'));
      await assertFails(put(user.stranger, csvPath(EVENT_A), CSV, 'text/csv'));
      await assertFails(put(user.fakeAdmin, csvPath(EVENT_A), CSV, 'text/csv'));
      await assertFails(put(user.unauthenticated, csvPath(EVENT_A), CSV, 'text/csv'));
    });

    it('not into an event that does not exist (except for admins)', async () => {
      await assertFails(put(user.orgA, csvPath(`rules-storage-none-${RUN}`), CSV, 'text/csv'));
    });

    it('a spreadsheet or export name and content type only: CSV, TSV, text, XLSX, JSON', async () => {
      await assertSucceeds(
        put(
          user.orgA,
          csvPath(EVENT_A, 'people.xlsx'),
          CSV,
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        ),
      );
      await assertSucceeds(put(user.orgA, csvPath(EVENT_A, 'people.json'), CSV, 'application/json'));
      await assertSucceeds(put(user.orgA, csvPath(EVENT_A, 'zoom.txt'), CSV, 'text/plain'));
      for (const type of ['text/html', 'text/csv; boundary=x', 'text/csvx', 'image/png']) {
        await assertFails(put(user.orgA, csvPath(EVENT_A), CSV, type));
      }
      for (const name of ['speakers.csv.html', 'csv', 'speakers_csv', 'people.xls', 'people.pdf']) {
        await assertFails(put(user.orgA, csvPath(EVENT_A, name), CSV, 'text/csv'));
      }
    });

    it('10 MiB or more, or empty: denied', async () => {
      await assertFails(put(user.orgA, csvPath(EVENT_A), bytes(10 * MiB), 'text/csv'));
      await assertFails(put(user.orgA, csvPath(EVENT_A), new Uint8Array(0), 'text/csv'));
    });

    it('create only: no overwrite and no delete by clients, admins included', async () => {
      await assertFails(put(user.orgA, IMPORT_A, CSV, 'text/csv'));
      await assertFails(put(user.admin, IMPORT_A, CSV, 'text/csv'));
      await assertFails(updateMetadata(ref(user.orgA, IMPORT_A), { contentType: 'text/plain' }));
      await assertFails(deleteObject(ref(user.orgA, IMPORT_A)));
      await assertFails(deleteObject(ref(user.admin, IMPORT_A)));
    });

    it('directly under imports/{eventId}/ (speakers) or in one role folder (attendees/, volunteers/)', async () => {
      await assertSucceeds(put(user.orgA, `imports/${EVENT_A}/attendees/${fresh('zoom.csv')}`, CSV, 'text/csv'));
      await assertFails(put(user.orgB, `imports/${EVENT_A}/attendees/${fresh('zoom.csv')}`, CSV, 'text/csv'));
      await assertFails(put(user.orgA, `imports/${EVENT_A}/Sub Folder/${fresh('speakers.csv')}`, CSV, 'text/csv'));
      await assertFails(put(user.orgA, `imports/${EVENT_A}/a/b/${fresh('speakers.csv')}`, CSV, 'text/csv'));
      await assertFails(put(user.admin, `imports/${fresh('speakers.csv')}`, CSV, 'text/csv'));
    });
  });

  describe('imports: read', () => {
    it('organizers of the event and admins read an import', async () => {
      await assertSucceeds(stat(user.orgA, IMPORT_A));
      await assertSucceeds(getBytes(ref(user.orgANoClaim, IMPORT_A)));
      await assertSucceeds(stat(user.admin, IMPORT_A));
    });

    it('nobody else, and no listing', async () => {
      await assertFails(stat(user.orgB, IMPORT_A));
      await assertFails(stat(user.author, IMPORT_A));
      await assertFails(stat(user.ada, IMPORT_A));
      await assertFails(stat(user.unauthenticated, IMPORT_A));
      await assertFails(listAll(ref(user.orgA, `imports/${EVENT_A}`)));
    });
  });

  // ---- everything else ----------------------------------------------------------------------

  describe('everything else', () => {
    it('is closed to every client, admins included', async () => {
      await assertFails(stat(user.admin, ELSEWHERE));
      await assertFails(getBytes(ref(user.admin, ELSEWHERE)));
      await assertFails(put(user.admin, `rules-storage-elsewhere-${RUN}/${fresh('x.txt')}`, CSV, 'text/plain'));
      await assertFails(put(user.author, fresh('template.svg'), SVG, 'image/svg+xml'));
      await assertFails(deleteObject(ref(user.admin, ELSEWHERE)));
      await assertFails(listAll(ref(user.admin, '')));
      await assertFails(stat(user.unauthenticated, ELSEWHERE));
    });
  });
});

/** Every object under `prefix` (for the cleanup, with the rules disabled). */
async function listRecursively(storage: FirebaseStorage, prefix: string): Promise<string[]> {
  const listing = await listAll(ref(storage, prefix));
  const nested = await Promise.all(listing.prefixes.map((folder) => listRecursively(storage, folder.fullPath)));
  return [...listing.items.map((item) => item.fullPath), ...nested.flat()];
}
