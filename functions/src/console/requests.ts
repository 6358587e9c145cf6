/**
 * What the organizer console may ask of `organizerConsole` (handlers/organizer-console.ts): one
 * request schema per action, read by shared/request-schema.ts like every other request. The
 * console's other calls are the existing callables (deleteEvent, revokeCertificate,
 * generateCertificate, issueEventCertificates, buildPrintBundle) and the previewTemplate endpoint.
 */
import { z } from 'zod';
import { COLUMN_CHOICES } from '../import/participants.js';
import { isEmailAddress } from '../shared/mail.js';
import { TEMPLATE_ID_PATTERN } from '../shared/paths.js';
import { certificateId, docId, requestObject, roleId } from '../shared/request-schema.js';
import { ROLE_ID_PATTERN } from '../shared/roles.js';

/** The people collections a console page lists. */
export const PEOPLE_COLLECTIONS = ['speakers', 'participants'] as const;
/** The certificate states a people page filters by (`none`: no certificate yet). */
export const PERSON_STATUSES = ['none', 'rendering', 'ready', 'failed', 'revoked'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** At most this many people per page (the console asks for 50). */
export const MAX_PAGE_SIZE = 200;
/** Files the console sends inline: the callable's body limit (10 MB) less base64's third. */
export const MAX_UPLOAD_BYTES = 7 * 1024 * 1024;
/** Fonts one upload may bring (the template store's own bound is higher: TEMPLATE_FONT_LIMITS). */
export const MAX_UPLOAD_FONTS = 24;

const collection = z.enum(PEOPLE_COLLECTIONS, { error: 'collection must be "speakers" or "participants"' });

function line(field: string, max: number) {
  return z
    .string({ error: `${field} must be text` })
    .trim()
    .max(max, { error: `${field} is longer than ${max} characters` });
}

function required(field: string, max: number) {
  return line(field, max).min(1, { error: `${field} is required` });
}

/** Base64 of a file, at most MAX_UPLOAD_BYTES decoded. */
function fileContent(field: string) {
  return z
    .string({ error: `${field} must be the file's bytes in base64` })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: `${field} must be the file's bytes in base64` })
    .refine((b64) => Math.floor((b64.length * 3) / 4) <= MAX_UPLOAD_BYTES, {
      error: `${field} is larger than ${MAX_UPLOAD_BYTES} bytes`,
      params: { code: 'LIMIT_EXCEEDED' },
    });
}

function fileName(field: string) {
  return z
    .string({ error: `${field} must be a file name` })
    .trim()
    .min(1, { error: `${field} must be a file name` })
    .max(200, { error: `${field} is longer than 200 characters` })
    .refine((name) => !/[/\\\u0000-\u001f]/.test(name), {
      error: `${field} must not contain / \\ or control characters`,
    });
}

const TIME_ZONE = z.string({ error: 'timeZone must be an IANA time zone such as Europe/Warsaw' }).refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'timeZone must be an IANA time zone such as Europe/Warsaw' },
);

/** The event fields an organizer edits in the console (the rest stay as the functions wrote them). */
export const EventFields = z.strictObject(
  {
    name: required('name', 200),
    date: line('date', 64).optional(),
    place: line('place', 200).optional(),
    // '' (as for every text field of an existing event) removes the field.
    locale: z
      .literal('')
      .or(
        z
          .string({ error: 'locale must be a language tag such as en, es or pt-BR' })
          .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, {
            error: 'locale must be a language tag such as en, es or pt-BR',
          }),
      )
      .optional(),
    issuer: line('issuer', 200).optional(),
    timeZone: z.literal('').or(TIME_ZONE).optional(),
    emailOnIssue: z.boolean({ error: 'emailOnIssue must be a boolean' }).optional(),
    offerPdf: z.boolean({ error: 'offerPdf must be a boolean' }).optional(),
    /** How many months certificates are valid (event.validity = { period: 'P<n>M' }); 0 = they do not expire. */
    validityMonths: z
      .number({ error: 'validityMonths must be a number of months' })
      .int({ error: 'validityMonths must be a whole number of months' })
      .min(0, { error: 'validityMonths must be 0 (no expiry) to 1200' })
      .max(1200, { error: 'validityMonths must be 0 (no expiry) to 1200' })
      .optional(),
    templateId: z
      .string({ error: 'templateId must be a template id' })
      .regex(TEMPLATE_ID_PATTERN, { error: 'templateId must be a template id' })
      .optional(),
    /** A role's own template ('' for the event's), by role id. */
    roleTemplates: z
      .record(
        z.string().regex(ROLE_ID_PATTERN, { error: 'roleTemplates keys must be role ids' }),
        z.union([z.literal(''), z.string().regex(TEMPLATE_ID_PATTERN)], {
          error: 'roleTemplates values must be template ids',
        }),
        {
          error: (issue) =>
            issue.code === 'invalid_key'
              ? 'roleTemplates keys must be role ids'
              : issue.code === 'invalid_type'
                ? 'roleTemplates must be an object of role ids and template ids'
                : undefined,
        },
      )
      .refine((r) => Object.keys(r).length <= 32, { error: 'at most 32 roles' })
      .optional(),
    signatories: z
      .array(z.strictObject({ name: required('signatory name', 100), role: line('signatory role', 100).optional() }), {
        error: 'signatories must be a list of { name, role }',
      })
      .max(4, { error: 'at most 4 signatories' })
      .optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown field(s): ${issue.keys.join(', ')}` : undefined) },
);
export type EventFields = z.output<typeof EventFields>;

/** A person as the console edits them. */
export const PersonFields = z.strictObject(
  {
    name: required('name', 300),
    email: line('email', 254)
      .refine((email) => email === '' || isEmailAddress(email), { error: 'email must be an email address' })
      .optional(),
    talkTitle: line('talkTitle', 500).optional(),
    role: roleId('role'),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `Unknown field(s): ${issue.keys.join(', ')}` : undefined) },
);
export type PersonFields = z.output<typeof PersonFields>;

const importFile = {
  eventId: docId('eventId'),
  role: roleId('role'),
  fileName: fileName('fileName'),
  content: fileContent('content'),
  /** The organizer's reading of some columns, by header as written. */
  columns: z
    .record(
      z.string().max(200),
      z.enum(COLUMN_CHOICES, { error: `a column is read as one of ${COLUMN_CHOICES.join(', ')}` }),
    )
    .refine((columns) => Object.keys(columns).length <= 200, { error: 'at most 200 columns' })
    .optional(),
};

export const ConsoleRequest = z.discriminatedUnion(
  'action',
  [
    requestObject('{ action: "listEvents" }', { action: z.literal('listEvents') }),
    requestObject('{ action: "saveEvent", eventId?, event }', {
      action: z.literal('saveEvent'),
      eventId: docId('eventId').optional(),
      event: EventFields,
    }),
    requestObject('{ action: "eventSummary", eventId }', {
      action: z.literal('eventSummary'),
      eventId: docId('eventId'),
    }),
    requestObject('{ action: "listPeople", eventId, collection, status?, pageSize?, after? }', {
      action: z.literal('listPeople'),
      eventId: docId('eventId'),
      collection,
      status: z.enum(PERSON_STATUSES, { error: `status must be one of ${PERSON_STATUSES.join(', ')}` }).optional(),
      pageSize: z
        .number({ error: 'pageSize must be a number' })
        .int({ error: 'pageSize must be an integer' })
        .min(1, { error: 'pageSize must be at least 1' })
        .max(MAX_PAGE_SIZE, { error: `pageSize must be at most ${MAX_PAGE_SIZE}` })
        .default(50),
      after: docId('after').optional(),
    }),
    requestObject('{ action: "savePerson", eventId, collection, personId?, person }', {
      action: z.literal('savePerson'),
      eventId: docId('eventId'),
      collection,
      personId: docId('personId').optional(),
      person: PersonFields,
    }),
    requestObject('{ action: "deletePerson", eventId, collection, personId }', {
      action: z.literal('deletePerson'),
      eventId: docId('eventId'),
      collection,
      personId: docId('personId'),
    }),
    requestObject('{ action: "certificate", certificateId }', {
      action: z.literal('certificate'),
      certificateId: certificateId('certificateId'),
    }),
    requestObject('{ action: "previewImport", eventId, role?, fileName, content, columns? }', {
      action: z.literal('previewImport'),
      ...importFile,
    }),
    requestObject('{ action: "startImport", eventId, role?, fileName, content, columns? }', {
      action: z.literal('startImport'),
      ...importFile,
    }),
    requestObject('{ action: "listImports", eventId }', {
      action: z.literal('listImports'),
      eventId: docId('eventId'),
    }),
    requestObject('{ action: "listTemplates", eventId }', {
      action: z.literal('listTemplates'),
      eventId: docId('eventId'),
    }),
    requestObject('{ action: "uploadTemplate", eventId, fileName, svg, fonts }', {
      action: z.literal('uploadTemplate'),
      eventId: docId('eventId'),
      fileName: fileName('fileName'),
      svg: fileContent('svg'),
      fonts: z
        .array(z.strictObject({ fileName: fileName('font fileName'), content: fileContent('font content') }), {
          error: 'fonts must be a list of { fileName, content }',
        })
        .max(MAX_UPLOAD_FONTS, { error: `at most ${MAX_UPLOAD_FONTS} fonts per upload` })
        .default([]),
    }),
    requestObject('{ action: "listOrganizers", eventId }', {
      action: z.literal('listOrganizers'),
      eventId: docId('eventId'),
    }),
    requestObject('{ action: "addOrganizer", eventId, email }', {
      action: z.literal('addOrganizer'),
      eventId: docId('eventId'),
      email: z
        .string({ error: 'email must be an email address' })
        .trim()
        .toLowerCase()
        .pipe(z.email({ error: 'email must be an email address' })),
    }),
    requestObject('{ action: "removeOrganizer", eventId, uid }', {
      action: z.literal('removeOrganizer'),
      eventId: docId('eventId'),
      uid: z.string({ error: 'uid must be a user id' }).min(1).max(128, { error: 'uid must be a user id' }),
    }),
    requestObject('{ action: "listCorrections", eventId, status? }', {
      action: z.literal('listCorrections'),
      eventId: docId('eventId'),
      status: z
        .enum(['pending', 'approved', 'declined', 'outdated'], {
          error: 'status must be pending, approved, declined or outdated',
        })
        .optional(),
    }),
    requestObject('{ action: "decideCorrection", eventId, requestId, decision, reason? }', {
      action: z.literal('decideCorrection'),
      eventId: docId('eventId'),
      requestId: docId('requestId'),
      decision: z.enum(['approve', 'decline'], { error: 'decision must be "approve" or "decline"' }),
      reason: line('reason', 1000).optional(),
    }),
    requestObject('{ action: "previewTemplate", eventId, templateId, name, talkTitle? }', {
      action: z.literal('previewTemplate'),
      eventId: docId('eventId'),
      templateId: z
        .string({ error: 'templateId must be a template id' })
        .regex(TEMPLATE_ID_PATTERN, { error: 'templateId must be a template id' }),
      name: required('name', 300),
      talkTitle: line('talkTitle', 500).optional(),
    }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? 'action must be one the console knows'
        : issue.code === 'invalid_type'
          ? 'Expected an object { action, ... }'
          : undefined,
  },
);
export type ConsoleRequest = z.output<typeof ConsoleRequest>;
