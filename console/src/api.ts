/**
 * The console's calls, typed: `organizerConsole` actions (functions/src/console/requests.ts) and
 * the other callables the console uses. Every answer type is the functions' own
 * (functions/src/console/types.ts).
 */
import type { CorrectionView } from '../../functions/src/issue/correction-requests.js';
import type {
  CorrectionRequestItem,
  CertificateDetail,
  ConsoleEvent,
  ConsolePerson,
  EventSummary,
  ImportPreviewResult,
  ImportSummary,
  PeopleCollection,
  PersonStatus,
  TemplateList,
  TemplatePreview,
  OrganizerList,
} from '../../functions/src/console/types.js';
import { call } from './firebase.js';

export type * from '../../functions/src/console/types.js';
export type { CorrectionView };

const consoleAction = <T>(data: Record<string, unknown>) => call<T>('organizerConsole', data);

export interface EventFields {
  name: string;
  date?: string;
  place?: string;
  locale?: string;
  issuer?: string;
  timeZone?: string;
  emailOnIssue?: boolean;
  offerPdf?: boolean;
  validityMonths?: number;
  templateId?: string;
  roleTemplates?: Record<string, string>;
  signatories?: { name: string; role?: string }[];
}

export interface PersonFields {
  name: string;
  email?: string;
  talkTitle?: string;
  role?: string;
}

export const api = {
  listEvents: () => consoleAction<{ events: ConsoleEvent[] }>({ action: 'listEvents' }),
  saveEvent: (event: EventFields, eventId?: string) =>
    consoleAction<{ event: ConsoleEvent }>({ action: 'saveEvent', event, ...(eventId ? { eventId } : {}) }),
  eventSummary: (eventId: string) => consoleAction<EventSummary>({ action: 'eventSummary', eventId }),
  listPeople: (eventId: string, collection: PeopleCollection, status?: PersonStatus, after?: string) =>
    consoleAction<{ people: ConsolePerson[]; next: string | null; total: number }>({
      action: 'listPeople',
      eventId,
      collection,
      pageSize: 50,
      ...(status ? { status } : {}),
      ...(after ? { after } : {}),
    }),
  savePerson: (eventId: string, collection: PeopleCollection, person: PersonFields, personId?: string) =>
    consoleAction<{ person: ConsolePerson }>({
      action: 'savePerson',
      eventId,
      collection,
      person,
      ...(personId ? { personId } : {}),
    }),
  deletePerson: (eventId: string, collection: PeopleCollection, personId: string) =>
    consoleAction<{ deleted: boolean }>({ action: 'deletePerson', eventId, collection, personId }),
  certificate: (certificateId: string) => consoleAction<CertificateDetail>({ action: 'certificate', certificateId }),
  previewImport: (input: ImportInput) => consoleAction<ImportPreviewResult>({ action: 'previewImport', ...input }),
  startImport: (input: ImportInput) => consoleAction<{ path: string }>({ action: 'startImport', ...input }),
  listImports: (eventId: string) => consoleAction<{ imports: ImportSummary[] }>({ action: 'listImports', eventId }),
  listTemplates: (eventId: string) => consoleAction<TemplateList>({ action: 'listTemplates', eventId }),
  uploadTemplate: (eventId: string, fileName: string, svg: string, fonts: { fileName: string; content: string }[]) =>
    consoleAction<{ templateId: string }>({ action: 'uploadTemplate', eventId, fileName, svg, fonts }),

  previewTemplate: (eventId: string, templateId: string, name: string, talkTitle?: string) =>
    consoleAction<TemplatePreview>({
      action: 'previewTemplate',
      eventId,
      templateId,
      name,
      ...(talkTitle ? { talkTitle } : {}),
    }),

  listOrganizers: (eventId: string) => consoleAction<OrganizerList>({ action: 'listOrganizers', eventId }),
  addOrganizer: (eventId: string, email: string) =>
    consoleAction<OrganizerList>({ action: 'addOrganizer', eventId, email }),
  removeOrganizer: (eventId: string, uid: string) =>
    consoleAction<OrganizerList>({ action: 'removeOrganizer', eventId, uid }),

  listCorrections: (eventId: string) =>
    consoleAction<{ requests: CorrectionRequestItem[] }>({ action: 'listCorrections', eventId }),
  decideCorrection: (eventId: string, requestId: string, decision: 'approve' | 'decline', reason?: string) =>
    consoleAction<{ status: string }>({
      action: 'decideCorrection',
      eventId,
      requestId,
      decision,
      ...(reason ? { reason } : {}),
    }),
  /** The recipient's side (not an organizer action): their certificate and their latest request. */
  correctionView: (certificateId: string) =>
    call<CorrectionView>('requestCorrection', { certificateId, action: 'view' }),
  requestCorrection: (certificateId: string, fields: { name?: string; talkTitle?: string; note?: string }) =>
    call<{ requestId: string; status: 'pending' }>('requestCorrection', {
      certificateId,
      action: 'request',
      ...fields,
    }),

  deleteEvent: (eventId: string, confirm: string) => call<{ eventId: string }>('deleteEvent', { eventId, confirm }),
  revokeCertificate: (certificateId: string, reason: string) =>
    call<{ certificateId: string; status: 'revoked' }>('revokeCertificate', { certificateId, reason }),
  generateCertificate: (eventId: string, person: { collection: PeopleCollection; personId: string }, force: boolean) =>
    call<{ status: string; certificateId?: string }>('generateCertificate', {
      eventId,
      ...(person.collection === 'speakers' ? { speakerId: person.personId } : { participantId: person.personId }),
      force,
    }),
  issueEventCertificates: (eventId: string, role: string, force: boolean, renew = false) =>
    call<{ runId: string; total: number; enqueued: number }>(
      'issueEventCertificates',
      { eventId, force, ...(renew ? { renew } : {}), ...(role === 'speaker' ? {} : { role }) },
      540_000,
    ),
  buildPrintBundle: (eventId: string, role: string, format: 'pdf' | 'zip' = 'pdf') =>
    call<{ count: number; url: string; path: string }>(
      'buildPrintBundle',
      { eventId, format, ...(role === 'speaker' ? {} : { role }) },
      540_000,
    ),
};

export interface ImportInput {
  eventId: string;
  role?: string;
  fileName: string;
  content: string;
  columns?: Record<string, string>;
}
