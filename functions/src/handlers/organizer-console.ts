/**
 * Callable `organizerConsole({ action, ... })`: what the organizer console (console/, served by
 * Firebase Hosting) reads and writes beyond the other callables: events, people, certificate
 * histories, import previews and uploads, templates (console/actions.ts, one function per action
 * of console/requests.ts). The console reaches data only through callables (docs/console.md,
 * "Why callables"): one gate for every client, and the same protocol on the official emulators
 * and on the offline stand-in.
 */
import { ConsoleRequest } from '../console/requests.js';
import { parseInput } from '../shared/request-schema.js';
import { callable, requireSignIn, type Caller } from './callable.js';

export const handleOrganizerConsole = callable<unknown>(async (request) => {
  const caller = requireSignIn(request, 'organizerConsole', 'use the console');
  return organizerAction(caller, parseInput(ConsoleRequest, request.data));
});

/** The actions load with the first request: no other function's cold start pays for them. */
async function organizerAction(caller: Caller, request: ConsoleRequest): Promise<unknown> {
  const actions = await import('../console/actions.js');
  switch (request.action) {
    case 'listEvents':
      return actions.listEvents(caller);
    case 'saveEvent':
      return actions.saveEvent(caller, request);
    case 'eventSummary':
      return actions.eventSummary(caller, request);
    case 'listPeople':
      return actions.listPeople(caller, request);
    case 'savePerson':
      return actions.savePerson(caller, request);
    case 'deletePerson':
      return actions.deletePerson(caller, request);
    case 'certificate':
      return actions.certificate(caller, request);
    case 'previewImport':
      return actions.previewImport(caller, request);
    case 'startImport':
      return actions.startImport(caller, request);
    case 'listImports':
      return actions.listImports(caller, request);
    case 'listTemplates':
      return actions.listTemplates(caller, request);
    case 'uploadTemplate':
      return actions.uploadTemplate(caller, request);
    case 'previewTemplate':
      return actions.previewTemplate(caller, request);
    case 'listOrganizers':
      return actions.listOrganizers(caller, request);
    case 'addOrganizer':
      return actions.addOrganizer(caller, request);
    case 'removeOrganizer':
      return actions.removeOrganizer(caller, request);
    case 'listCorrections':
      return actions.listCorrectionRequests(caller, request);
    case 'decideCorrection':
      return actions.decideCorrectionRequest(caller, request);
  }
}
