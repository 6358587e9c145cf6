/**
 * What the organizer console reads and writes through `organizerConsole`
 * (handlers/organizer-console.ts), one function per action of console/requests.ts. Each starts
 * from the caller's access to the event (handlers/callable.ts requireOrganizer: listed organizers
 * and the certforgeAdmin claim), so the callable is the console's only gate, as the rules are
 * for direct clients. Counts come from aggregate queries, never from reading every document.
 */
import { randomBytes } from 'node:crypto';
import { AggregateField, FieldPath, FieldValue, type Firestore, type Query } from 'firebase-admin/firestore';
import { getAuth } from 'firebase-admin/auth';
import { getStorage } from 'firebase-admin/storage';
import { HttpsError } from 'firebase-functions/v2/https';
import { app, firestore, renderer, templateStore } from '../firebase-app.js';
import { isCertforgeError } from '../render/index.js';
import { isCodedError } from '../shared/errors.js';
import { IMPORT_BUCKET } from '../config.js';
import { COLUMNS_METADATA } from '../import/filters.js';
import { IMPORT_LIMITS } from '../import/speakers-csv.js';
import { readImportFile } from '../import/run-import.js';
import { isImportError } from '../import/errors.js';
import { BUNDLED_TEMPLATE_IDS } from '../issue/template-store.js';
import { decideCorrection, listCorrections } from '../issue/correction-requests.js';
import { logCorrectionDecided } from '../logs.js';
import type { CertificateRecord, EventDoc, ParticipantDoc, PublicCertificate } from '../shared/model.js';
import { toIso } from '../shared/model.js';
import {
  eventRef,
  importsPrefix,
  peopleOf,
  registries,
  registryRef,
  TEMPLATE_FONT_FILE,
  templateFontsPrefix,
  templateSvgPath,
} from '../shared/paths.js';
import { collectionOfRole, SPEAKER_ROLE } from '../shared/roles.js';
import { templateData } from '../shared/template-data.js';
import { belongsToEvent, requireOrganizer, type Caller, type EventAccess } from '../handlers/callable.js';
import { MAX_UPLOAD_BYTES, type ConsoleRequest, type EventFields, type PersonFields } from './requests.js';
import type {
  CorrectionRequestItem,
  CertificateDetail,
  CertificateVersion,
  ConsoleEvent,
  ConsolePerson,
  EventSummary,
  ImportPreviewResult,
  ImportSummary,
  PeopleCollection,
  PersonStatus,
  StatusCounts,
  TemplateList,
  TemplatePreview,
  OrganizerList,
} from './types.js';

type Request<A extends ConsoleRequest['action']> = Extract<ConsoleRequest, { action: A }>;

const CALLABLE = 'organizerConsole';

function consoleEvent(eventId: string, event: EventDoc): ConsoleEvent {
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return {
    eventId,
    name: str(event.name) ?? eventId,
    date: str(event.date),
    place: str(event.place),
    locale: str(event.locale),
    issuer: str(event.issuer),
    timeZone: str(event.timeZone),
    emailOnIssue: event.emailOnIssue === true,
    offerPdf: event.verification?.offerPdf === true,
    validityMonths: validityMonthsOf(event),
    templateId: str(event.templateId),
    roleTemplates: Object.fromEntries(
      Object.entries(event.roles ?? {}).flatMap(([role, config]) =>
        typeof config?.templateId === 'string' ? [[role, config.templateId]] : [],
      ),
    ),
    signatories: (Array.isArray(event.signatories) ? event.signatories : [])
      .filter((s) => typeof s?.name === 'string')
      .map((s) => ({ name: s.name!, role: str(s.role) })),
    roles: Object.keys(event.roles ?? {}),
  };
}

/** event.validity as months, when it is a period of whole months or years (the console's field); else null. */
function validityMonthsOf(event: EventDoc): number | null {
  const period = typeof event.validity?.period === 'string' ? event.validity.period.trim().toUpperCase() : '';
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?$/.exec(period);
  if (!match || period === 'P' || event.validity?.until) return null;
  return Number(match[1] ?? 0) * 12 + Number(match[2] ?? 0);
}

/** The caller's events: those listing their uid, or every event for an admin (at most 200, by name). */
export async function listEvents(caller: Caller): Promise<{ events: ConsoleEvent[] }> {
  const events = firestore().collection('events');
  const query =
    caller.token?.certforgeAdmin === true
      ? events.limit(200)
      : events.where('organizerUids', 'array-contains', caller.uid).limit(200);
  const snap = await query.get();
  const list = snap.docs.map((doc) => consoleEvent(doc.id, doc.data() as EventDoc));
  list.sort((a, b) => a.name.localeCompare(b.name));
  return { events: list };
}

/** The event fields as stored: empty text removes a field. */
function eventWrite(fields: EventFields): Record<string, unknown> {
  const write: Record<string, unknown> = { name: fields.name };
  for (const key of ['date', 'place', 'locale', 'issuer', 'timeZone', 'templateId'] as const) {
    const value = fields[key];
    if (value !== undefined) write[key] = value === '' ? FieldValue.delete() : value;
  }
  if (fields.emailOnIssue !== undefined) write.emailOnIssue = fields.emailOnIssue;
  if (fields.offerPdf !== undefined) write['verification.offerPdf'] = fields.offerPdf;
  if (fields.validityMonths !== undefined)
    write.validity = fields.validityMonths === 0 ? FieldValue.delete() : { period: `P${fields.validityMonths}M` };
  for (const [role, templateId] of Object.entries(fields.roleTemplates ?? {}))
    write[`roles.${role}.templateId`] = templateId === '' ? FieldValue.delete() : templateId;
  if (fields.signatories !== undefined)
    write.signatories = fields.signatories.map((s) => ({ name: s.name, ...(s.role ? { role: s.role } : {}) }));
  return write;
}

/** Creates an event owned by the caller, or edits one they organize. */
export async function saveEvent(caller: Caller, request: Request<'saveEvent'>): Promise<{ event: ConsoleEvent }> {
  const db = firestore();
  if (request.eventId === undefined) {
    const ref = db.collection('events').doc();
    const write = eventWrite(request.event);
    const created: Record<string, unknown> = { organizerUids: [caller.uid] };
    for (const [key, value] of Object.entries(write)) {
      if (value instanceof FieldValue) continue;
      if (key === 'verification.offerPdf') created.verification = { offerPdf: value };
      else created[key] = value;
    }
    await ref.create(created);
    return { event: consoleEvent(ref.id, created as EventDoc) };
  }
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'edit it');
  await access.eventRef.update(eventWrite(request.event));
  const after = await access.eventRef.get();
  return { event: consoleEvent(request.eventId, after.data() as EventDoc) };
}

/** The counts of one collection's certificates by state (aggregate queries). */
async function statusCounts(db: Firestore, eventId: string, collection: PeopleCollection): Promise<StatusCounts> {
  const people = peopleOf(db, eventId, collection);
  const count = async (query: Query) => (await query.count().get()).data().count;
  const [total, rendering, ready, failed] = await Promise.all([
    count(people),
    count(people.where('certificate.status', '==', 'rendering')),
    count(people.where('certificate.status', '==', 'ready')),
    count(people.where('certificate.status', '==', 'failed')),
  ]);
  return { total, rendering, ready, failed };
}

export async function eventSummary(caller: Caller, request: Request<'eventSummary'>): Promise<EventSummary> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'see it');
  const db = firestore();
  const [speakers, participants, revoked, stats] = await Promise.all([
    statusCounts(db, access.eventId, 'speakers'),
    statusCounts(db, access.eventId, 'participants'),
    registries(db)
      .where('eventId', '==', access.eventId)
      .where('status', '==', 'revoked')
      .count()
      .get()
      .then((snap) => snap.data().count),
    eventStats(db, access.eventId),
  ]);
  const run = access.event.issuance;
  return {
    event: consoleEvent(access.eventId, access.event),
    people: { speakers, participants },
    revoked,
    issuance: run
      ? {
          runId: run.runId,
          role: run.role ?? SPEAKER_ROLE,
          force: run.force,
          total: run.total,
          ready: run.ready,
          failed: run.failed,
          skipped: run.skipped,
          startedAt: toIso(run.startedAt) ?? null,
          finishedAt: toIso(run.finishedAt) ?? null,
        }
      : null,
    stats,
  };
}

/** The sums of the event's stats counters (verify/stats.ts writes them: one document per day and shard). */
async function eventStats(db: Firestore, eventId: string): Promise<EventSummary['stats']> {
  const stats = eventRef(db, eventId).collection('stats');
  const sums = await stats
    .aggregate({
      views: AggregateField.sum('views'),
      downloads: AggregateField.sum('downloads'),
      linkedIn: AggregateField.sum('linkedIn'),
    })
    .get();
  const data = sums.data();
  return {
    views: Number(data.views ?? 0),
    downloads: Number(data.downloads ?? 0),
    linkedIn: Number(data.linkedIn ?? 0),
  };
}

/** A certificate's failure as the console explains it: the code, the message, and what the details name. */
function failure(error: NonNullable<CertificateRecord['error']>): NonNullable<ConsolePerson['error']> {
  const details = error.details ?? {};
  const fields = Array.isArray(details.fields)
    ? details.fields.filter((f): f is string => typeof f === 'string').slice(0, 20)
    : [];
  const characters = typeof details.characters === 'string' ? [...details.characters].slice(0, 50).join('') : '';
  return {
    code: error.code,
    message: error.message,
    ...(fields.length ? { fields } : {}),
    ...(characters ? { characters } : {}),
  };
}

function personStatus(certificate: CertificateRecord | undefined): PersonStatus {
  if (!certificate || typeof certificate !== 'object') return 'none';
  if (certificate.revoked) return 'revoked';
  return certificate.status;
}

function consolePerson(personId: string, doc: ParticipantDoc, collection: PeopleCollection): ConsolePerson {
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const certificate = doc.certificate;
  const status = personStatus(certificate);
  const eligibility = doc.eligibility;
  return {
    personId,
    name: str(doc.name) ?? '',
    email: str(doc.email),
    talkTitle: str(doc.talk?.title),
    role: collection === 'speakers' ? SPEAKER_ROLE : (str(doc.role) ?? 'attendee'),
    status,
    certificateId: str(certificate?.certificateId),
    error: status === 'failed' && certificate?.error ? failure(certificate.error) : null,
    eligibility:
      eligibility && eligibility.eligible === false && typeof eligibility.code === 'string'
        ? { code: eligibility.code, message: str(eligibility.message) }
        : null,
    revokedReason: certificate?.revoked ? (str(certificate.revoked.reason) ?? null) : null,
    warnings: (certificate?.warnings ?? [])
      .map((w) => w.code)
      .filter((code): code is string => typeof code === 'string'),
  };
}

/** A page of the event's people, by document id, optionally of one certificate state. */
export async function listPeople(
  caller: Caller,
  request: Request<'listPeople'>,
): Promise<{ people: ConsolePerson[]; next: string | null; total: number }> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'see its people');
  let filtered: Query = peopleOf(firestore(), access.eventId, request.collection);
  if (request.status === 'revoked') filtered = filtered.where('certificate.revoked', '!=', null);
  else if (request.status && request.status !== 'none')
    filtered = filtered.where('certificate.status', '==', request.status);
  // By document id; the `!=` of `revoked` orders by its field first (Firestore's rule for an
  // inequality), so the cursor is the last document itself, which carries both.
  let query = request.status === 'revoked' ? filtered : filtered.orderBy(FieldPath.documentId());
  if (request.after) {
    const last = await peopleOf(firestore(), access.eventId, request.collection).doc(request.after).get();
    // A cursor deleted meanwhile still orders by its id; only the `revoked` list needs the document.
    if (last.exists) query = query.startAfter(last);
    else if (request.status !== 'revoked') query = query.startAfter(request.after);
  }
  // One more than a page tells whether there is a next one; `none` filters after reading.
  const [snap, count] = await Promise.all([
    query.limit(request.pageSize + 1).get(),
    request.status === 'none' ? undefined : filtered.count().get(),
  ]);
  let docs = snap.docs;
  const more = docs.length > request.pageSize;
  docs = docs.slice(0, request.pageSize);
  let people = docs.map((doc) => consolePerson(doc.id, doc.data() as ParticipantDoc, request.collection));
  if (request.status === 'none') people = people.filter((p) => p.status === 'none');
  // `none` has no query of its own (a missing field matches no filter): its total is the collection's less the others.
  const total = count ? count.data().count : await noneCount(filtered);
  return { people, next: more ? docs[docs.length - 1]!.id : null, total };
}

async function noneCount(people: Query): Promise<number> {
  const [all, some] = await Promise.all([
    people.count().get(),
    people.where('certificate.status', 'in', ['rendering', 'ready', 'failed']).count().get(),
  ]);
  return all.data().count - some.data().count;
}

/** The document fields of a person as the console edits them (the functions' own fields untouched). */
function personWrite(person: PersonFields, collection: PeopleCollection): Record<string, unknown> {
  const write: Record<string, unknown> = { name: person.name };
  write.email = person.email ? person.email : FieldValue.delete();
  if (collection === 'speakers') write['talk.title'] = person.talkTitle ? person.talkTitle : FieldValue.delete();
  else write.role = person.role ?? 'attendee';
  return write;
}

/** Adds a person (a new document: the trigger issues their certificate) or edits one (a correction). */
export async function savePerson(caller: Caller, request: Request<'savePerson'>): Promise<{ person: ConsolePerson }> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'change its people');
  if (request.collection === 'speakers' && request.person.role && request.person.role !== SPEAKER_ROLE)
    throw new HttpsError('invalid-argument', 'A speaker has the role "speaker"; add other roles as participants');
  if (
    request.collection === 'participants' &&
    request.person.role &&
    collectionOfRole(request.person.role) !== 'participants'
  )
    throw new HttpsError('invalid-argument', 'Speakers are added as speakers');
  const people = peopleOf(firestore(), access.eventId, request.collection);
  const write = personWrite(request.person, request.collection);
  let ref;
  if (request.personId === undefined) {
    ref = people.doc();
    const created: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(write)) {
      if (value instanceof FieldValue) continue;
      if (key === 'talk.title') created.talk = { title: value };
      else created[key] = value;
    }
    await ref.create(created);
  } else {
    ref = people.doc(request.personId);
    const snap = await ref.get();
    if (!snap.exists || !belongsToEvent(access, snap.createTime?.toDate()))
      throw new HttpsError('not-found', `No person ${request.personId} in this event`);
    await ref.update(write);
  }
  const after = await ref.get();
  return { person: consolePerson(ref.id, after.data() as ParticipantDoc, request.collection) };
}

/** Deletes a person: the trigger revokes their certificate (its files are kept for the record). */
export async function deletePerson(caller: Caller, request: Request<'deletePerson'>): Promise<{ deleted: boolean }> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'change its people');
  const ref = peopleOf(firestore(), access.eventId, request.collection).doc(request.personId);
  const snap = await ref.get();
  if (!snap.exists) return { deleted: false };
  await ref.delete();
  return { deleted: true };
}

function version(entry: PublicCertificate): CertificateVersion {
  return {
    certificateId: entry.certificateId,
    status: entry.status,
    recipientName: entry.recipientName,
    talkTitle: entry.talkTitle ?? null,
    issuedAt: toIso(entry.issuedAt) ?? null,
    supersededAt: toIso(entry.supersededAt) ?? null,
    revokedAt: toIso(entry.revokedAt) ?? null,
    revocationReason: entry.revocationReason ?? null,
    templateId: entry.templateId,
    templateVersion: entry.templateVersion ?? null,
    verifyUrl: entry.verifyUrl,
  };
}

/** How many versions the history follows each way (a person corrected more often is rare and rate-limited). */
const MAX_HISTORY = 25;

/** A certificate and its versions (oldest first): corrections, the superseded ones, revocation. */
export async function certificate(caller: Caller, request: Request<'certificate'>): Promise<CertificateDetail> {
  const db = firestore();
  const snap = await registryRef(db, request.certificateId).get();
  const notFound = () => new HttpsError('not-found', `No certificate ${request.certificateId}`);
  if (!snap.exists) throw notFound();
  const entry = snap.data()!;
  const access: EventAccess = await requireOrganizer(caller, entry.eventId, CALLABLE, 'see its certificates');
  if (!belongsToEvent(access, new Date(toIso(entry.issuedAt) ?? 0))) throw notFound();
  const before: CertificateVersion[] = [];
  let back = entry.supersedes;
  while (back && before.length < MAX_HISTORY) {
    const older = await registryRef(db, back).get();
    if (!older.exists) break;
    before.unshift(version(older.data()!));
    back = older.data()!.supersedes;
  }
  const after: CertificateVersion[] = [];
  let next = entry.supersededBy;
  while (next && after.length < MAX_HISTORY) {
    const newer = await registryRef(db, next).get();
    if (!newer.exists) break;
    after.push(version(newer.data()!));
    next = newer.data()!.supersededBy;
  }
  const path = /^events\/[^/]+\/(speakers|participants)\/([^/]+)$/.exec(entry.participantPath ?? '');
  return {
    certificate: version(entry),
    eventId: entry.eventId,
    person: path ? { collection: path[1] as 'speakers' | 'participants', personId: path[2]! } : null,
    role: entry.role ?? SPEAKER_ROLE,
    history: [...before, version(entry), ...after],
  };
}

function decode(content: string): Uint8Array {
  return Buffer.from(content, 'base64');
}

/** How many rows a preview shows. */
export const PREVIEW_ROWS = 10;

/** What an import of a file would do, read by the import's own reader, nothing written. */
export async function previewImport(caller: Caller, request: Request<'previewImport'>): Promise<ImportPreviewResult> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'import people');
  const bytes = decode(request.content);
  const role = request.role ?? SPEAKER_ROLE;
  try {
    const parsed = await readImportFile(
      bytes,
      { fileName: request.fileName, role, ...(request.columns ? { columnChoices: request.columns } : {}) },
      access.event,
    );
    return {
      ok: true,
      format: parsed.format,
      columns: parsed.columns,
      ignoredColumns: parsed.ignoredColumns.slice(0, 200),
      rowsTotal: parsed.rowsTotal,
      accepted: parsed.rows.length,
      rows: parsed.rows.slice(0, PREVIEW_ROWS).map((row) => ({ line: row.line, fields: row.fields })),
      rejected: parsed.rejected.length,
      rejectedRows: parsed.rejected.slice(0, IMPORT_LIMITS.maxRejectedListed),
    };
  } catch (error) {
    if (!isImportError(error)) throw error;
    return { ok: false, error: { code: error.code, message: error.message } };
  }
}

/**
 * Uploads the file where the import trigger reads it (`imports/{eventId}/[{role}/]{file}`), with
 * the organizer's column mapping in its metadata; the report appears in listImports.
 */
export async function startImport(caller: Caller, request: Request<'startImport'>) {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'import people');
  const role = request.role ?? SPEAKER_ROLE;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const path = `${importsPrefix(access.eventId)}${role === SPEAKER_ROLE ? '' : `${role}/`}${stamp}-${request.fileName}`;
  const metadata: Record<string, string> = { certforgeUploadedBy: caller.uid };
  if (request.columns) metadata[COLUMNS_METADATA] = JSON.stringify(request.columns);
  // The import trigger's bucket (CERTFORGE_IMPORT_BUCKET, else the default bucket).
  const bucket = getStorage(app()).bucket(IMPORT_BUCKET.value() || undefined);
  await bucket.file(path).save(Buffer.from(decode(request.content)), {
    resumable: false,
    contentType: 'application/octet-stream',
    metadata: { metadata },
  });
  return { path };
}

/** The event's latest import reports (newest first, at most 20). */
export async function listImports(
  caller: Caller,
  request: Request<'listImports'>,
): Promise<{ imports: ImportSummary[] }> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'see its imports');
  const snap = await access.eventRef.collection('imports').orderBy('startedAt', 'desc').limit(20).get();
  return {
    imports: snap.docs.map((doc) => {
      const r = doc.data();
      return {
        importId: doc.id,
        fileName: String(r.fileName ?? ''),
        status: String(r.status ?? ''),
        role: typeof r.role === 'string' ? r.role : SPEAKER_ROLE,
        rowsTotal: Number(r.rowsTotal ?? 0),
        created: Number(r.created ?? 0),
        updated: Number(r.updated ?? 0),
        unchanged: Number(r.unchanged ?? 0),
        rejected: Number(r.rejected ?? 0),
        rejectedRows: Array.isArray(r.rejectedRows) ? r.rejectedRows.slice(0, 50) : [],
        error: r.error ?? null,
        startedAt: toIso(r.startedAt) ?? null,
        finishedAt: toIso(r.finishedAt) ?? null,
      };
    }),
  };
}

/** The templates an event may use: the bundled ones and those uploaded for it (newest first). */
export async function listTemplates(caller: Caller, request: Request<'listTemplates'>): Promise<TemplateList> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'see its templates');
  const snap = await access.eventRef.collection('templates').orderBy('uploadedAt', 'desc').limit(50).get();
  return {
    bundled: [...BUNDLED_TEMPLATE_IDS],
    uploaded: snap.docs.map((doc) => ({
      templateId: doc.id,
      fileName: String(doc.get('fileName') ?? ''),
      fonts: (doc.get('fonts') as string[] | undefined) ?? [],
      uploadedAt: toIso(doc.get('uploadedAt')) ?? null,
    })),
    current: access.event.templateId ?? null,
  };
}

/**
 * Stores an uploaded template under a new id (templates/{id}/template.svg and fonts/), recorded in
 * events/{eventId}/templates. A new upload never replaces one in use: it is a new id, and an
 * event moves to it when the organizer chooses it (saveEvent templateId); each certificate
 * records the template and version it was rendered with.
 */
export async function uploadTemplate(caller: Caller, request: Request<'uploadTemplate'>) {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'change its templates');
  const svg = decode(request.svg);
  const fonts = request.fonts.map((font) => ({ fileName: font.fileName, bytes: decode(font.content) }));
  const total = fonts.reduce((sum, font) => sum + font.bytes.byteLength, svg.byteLength);
  if (total > MAX_UPLOAD_BYTES)
    throw new HttpsError(
      'invalid-argument',
      `The template and its fonts are ${total} bytes; at most ${MAX_UPLOAD_BYTES}`,
      {
        code: 'LIMIT_EXCEEDED',
      },
    );
  if (!/<svg[\s>]/.test(Buffer.from(svg.subarray(0, 64 * 1024)).toString('utf8')))
    throw new HttpsError('invalid-argument', 'The template is not an SVG file', { code: 'TEMPLATE_PARSE' });
  for (const font of fonts)
    if (!TEMPLATE_FONT_FILE.test(font.fileName))
      throw new HttpsError('invalid-argument', `${font.fileName} is not a font file (.ttf, .otf or .ttc)`, {
        code: 'FONT_INVALID',
      });
  const templateId = `t${randomBytes(9).toString('hex')}`;
  const bucket = getStorage(app()).bucket();
  const save = (path: string, bytes: Uint8Array, contentType: string) =>
    bucket.file(path).save(Buffer.from(bytes), { resumable: false, contentType });
  // Fonts first: the template store compiles a template with the fonts present when its SVG appears.
  await Promise.all(
    fonts.map((font) => save(`${templateFontsPrefix(templateId)}${font.fileName}`, font.bytes, 'font/ttf')),
  );
  await save(templateSvgPath(templateId), svg, 'image/svg+xml');
  await access.eventRef
    .collection('templates')
    .doc(templateId)
    .set({
      fileName: request.fileName,
      fonts: fonts.map((font) => font.fileName),
      uploadedAt: new Date(),
      uploadedBy: caller.uid,
    });
  return { templateId };
}

/** Width of a console preview (the page shows it at most ~900 px wide). */
const PREVIEW_WIDTH = 900;
/** The verification link of a preview: a documentation domain (RFC 2606), as long as a deployment's. */
const PREVIEW_URL = 'https://certificates.example.org/verify/PREVIEW0000000000000';

/**
 * A template of the event (bundled, or uploaded for it) rendered with the event's data and a
 * sample name: the check an organizer reads before using it. Nothing is stored.
 */
export async function previewTemplate(caller: Caller, request: Request<'previewTemplate'>): Promise<TemplatePreview> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'preview its templates');
  const bundled = (BUNDLED_TEMPLATE_IDS as readonly string[]).includes(request.templateId);
  if (!bundled && !(await access.eventRef.collection('templates').doc(request.templateId).get()).exists)
    throw new HttpsError('not-found', `The event has no template ${request.templateId}`);
  // The data an issued certificate would get (shared/template-data.ts), with the sample name.
  const data = templateData(
    access.event,
    { name: request.name, ...(request.talkTitle ? { talk: { title: request.talkTitle } } : {}) },
    { certificateId: 'PREVIEW', verifyUrl: PREVIEW_URL },
  );

  const render = await renderer();
  try {
    const result = await templateStore().use(request.templateId, async (resolved) => ({
      ...(await render.renderCertificate(resolved.template, data, {
        png: true,
        pngWidth: PREVIEW_WIDTH,
        attachData: false,
      })),
      fields: resolved.template.fields,
      templateWarnings: resolved.template.warnings,
    }));
    const { png, fields, pageSize } = result;
    // What compiling the template said (a font not supplied, ...), then what this name's render said.
    const seen = new Set<string>();
    const warnings = [...result.templateWarnings, ...result.warnings].filter((w) => {
      const key = `${w.code}\u0000${w.message}`;
      return !seen.has(key) && seen.add(key);
    });
    return {
      ok: true,
      png: Buffer.from(png!).toString('base64'),
      warnings: warnings.map((w) => ({ code: w.code, message: w.message })),
      fields: [...fields],
      // PDF points → millimetres.
      pageMm: { width: Math.round((pageSize.width * 25.4) / 72), height: Math.round((pageSize.height * 25.4) / 72) },
    };
  } catch (error) {
    if (isCertforgeError(error) || (isCodedError(error) && error.code !== 'INTERNAL'))
      return { ok: false, error: { code: (error as { code: string }).code, message: (error as Error).message } };
    throw error;
  }
}

/** At most this many organizers per event (the rules read the list on every client request). */
export const MAX_ORGANIZERS = 20;

/** The event's organizers by email (users that no longer exist are listed by uid). */
export async function listOrganizers(caller: Caller, request: Request<'listOrganizers'>): Promise<OrganizerList> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'see its organizers');
  return organizerList(caller, access.event.organizerUids ?? []);
}

async function organizerList(caller: Caller, uids: readonly string[]): Promise<OrganizerList> {
  const found = uids.length ? await getAuth(app()).getUsers(uids.map((uid) => ({ uid }))) : { users: [] };
  const emails = new Map(found.users.map((user) => [user.uid, user.email ?? null]));
  return { organizers: uids.map((uid) => ({ uid, email: emails.get(uid) ?? null, you: uid === caller.uid })) };
}

/**
 * Adds a co-organizer by the email they sign in with. They must have signed in once (an account
 * exists): certforge invites nobody and never creates accounts for others.
 */
export async function addOrganizer(caller: Caller, request: Request<'addOrganizer'>): Promise<OrganizerList> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'change its organizers');
  const user = await getAuth(app())
    .getUserByEmail(request.email)
    .catch(() => undefined);
  if (!user)
    throw new HttpsError(
      'not-found',
      `Nobody signs in as ${request.email} yet: they sign in to the console once, then you add them`,
      {
        code: 'USER_NOT_FOUND',
      },
    );
  const uids = await firestore().runTransaction(async (t) => {
    const snap = await t.get(access.eventRef);
    const current = ((snap.data() as EventDoc | undefined)?.organizerUids ?? []).filter((u) => typeof u === 'string');
    if (current.includes(user.uid)) return current;
    if (current.length >= MAX_ORGANIZERS)
      throw new HttpsError('failed-precondition', `An event has at most ${MAX_ORGANIZERS} organizers`, {
        code: 'LIMIT_EXCEEDED',
      });
    const next = [...current, user.uid];
    t.update(access.eventRef, { organizerUids: next });
    return next;
  });
  return organizerList(caller, uids);
}

/** Removes an organizer; the last one stays (an event always has someone to run it). */
export async function removeOrganizer(caller: Caller, request: Request<'removeOrganizer'>): Promise<OrganizerList> {
  const access = await requireOrganizer(caller, request.eventId, CALLABLE, 'change its organizers');
  const uids = await firestore().runTransaction(async (t) => {
    const snap = await t.get(access.eventRef);
    const current = ((snap.data() as EventDoc | undefined)?.organizerUids ?? []).filter((u) => typeof u === 'string');
    if (!current.includes(request.uid)) return current;
    if (current.length === 1)
      throw new HttpsError('failed-precondition', 'The last organizer of an event cannot be removed');
    const next = current.filter((uid) => uid !== request.uid);
    t.update(access.eventRef, { organizerUids: next });
    return next;
  });
  return organizerList(caller, uids);
}

/** The event's correction requests from recipients, newest first (issue/correction-requests.ts). */
export async function listCorrectionRequests(
  caller: Caller,
  request: Request<'listCorrections'>,
): Promise<{ requests: CorrectionRequestItem[] }> {
  await requireOrganizer(caller, request.eventId, CALLABLE, 'see its correction requests');
  return { requests: await listCorrections(firestore(), request.eventId, request.status) };
}

/** Approve (the corrected version is issued) or decline a recipient's correction request. */
export async function decideCorrectionRequest(
  caller: Caller,
  request: Request<'decideCorrection'>,
): Promise<{ status: string }> {
  await requireOrganizer(caller, request.eventId, CALLABLE, 'decide its correction requests');
  const result = await decideCorrection(firestore(), caller.uid, request);
  logCorrectionDecided({ eventId: request.eventId, requestId: request.requestId, status: result.status });
  return result;
}
