/**
 * A real pretalx (2025.2.2 from PyPI) for the connector tests: `startPretalx()` copies the migrated
 * template database that test/setup/connector-servers.mjs prepared, seeds an organiser, an event and
 * an organiser team member's API token through pretalx's ORM (test/servers/pretalx_orm.py), starts
 * `python -m pretalx runserver` on a free port of 127.0.0.1 and waits until the API answers.
 *
 * The helpers act through pretalx's REST API (API version v1, the token is pinned to it): submissions
 * are created with POST /submissions/ and their speakers added with the add-speaker action; states
 * change with the accept / reject / confirm / cancel / make-submitted actions; a speaker's name with
 * PATCH /speakers/{code}/; a schedule is released with POST /schedules/release/. Only withdrawing has
 * no API in this version (a speaker does it in the web frontend): `setState(code, 'withdrawn')` goes
 * through the ORM script.
 */
import { callJson, listAll, runPython, SERVERS_DIR, startDjango, type TestServer } from './pretix-server.js';
import { join } from 'node:path';

export type PretalxState = 'submitted' | 'accepted' | 'confirmed' | 'rejected' | 'canceled' | 'withdrawn';

export interface PretalxSpeakerInput {
  name: string;
  email: string;
}

export interface PretalxCreatedSubmission {
  code: string;
  /** The speakers' user codes, in the order given. */
  speakerCodes: string[];
  /** GET submissions/{code}/?expand=speakers after adding the speakers (orga serializer). */
  submission: any;
}

export interface PretalxServer extends TestServer {
  organiser: string;
  submissionTypeId: number;
  /** A submission (state "submitted") with one or more speakers. */
  createSubmission(input: {
    title: string;
    speakers: PretalxSpeakerInput[];
    abstract?: string;
    description?: string;
  }): Promise<PretalxCreatedSubmission>;
  /** Moves a submission to a state through the API's actions (confirmed from submitted: accept, then confirm). */
  setState(code: string, state: PretalxState): Promise<any>;
  changeSpeakerName(speakerCode: string, name: string): Promise<any>;
  releaseSchedule(version: string): Promise<any>;
}

export interface StartPretalxOptions {
  organiser?: string;
  event?: string;
  /** The first day, ISO date (default 2026-09-14); the event lasts `days` days. */
  dateFrom?: string;
  days?: number;
}

export async function startPretalx(options: StartPretalxOptions = {}): Promise<PretalxServer> {
  const spec = {
    organiser: options.organiser ?? 'certforge',
    event: options.event ?? 'conf',
    dateFrom: options.dateFrom ?? '2026-09-14',
    days: options.days ?? 3,
  };
  const { server, seedLine } = await startDjango({
    name: 'pretalx',
    readyPath: '/api/events/',
    seed: ['pretalx_orm.py', 'seed', JSON.stringify(spec)],
  });
  const seeded = JSON.parse(seedLine) as {
    organiser: string;
    event: string;
    token: string;
    submissionTypeId: number;
    dateFrom: string;
    dateTo: string;
  };
  const apiUrl = `${server.baseUrl}/api/`;
  const authorization = `Token ${seeded.token}`;
  const api = (method: string, path: string, body?: unknown) =>
    callJson(/^https?:/.test(path) ? path : apiUrl + path.replace(/^\//, ''), authorization, method, body);
  const eventPath = (path: string) => `events/${seeded.event}/${path}`;
  const action = (code: string, name: string) => api('POST', eventPath(`submissions/${code}/${name}/`));

  const self: PretalxServer = {
    baseUrl: server.baseUrl,
    apiUrl,
    organiser: seeded.organiser,
    event: seeded.event,
    token: seeded.token,
    submissionTypeId: seeded.submissionTypeId,
    dateFrom: seeded.dateFrom,
    dateTo: seeded.dateTo,
    timings: server.timings,
    api,
    eventPath,
    list: (path) => listAll(api, path),
    async createSubmission(input) {
      let submission = await api('POST', eventPath('submissions/'), {
        title: input.title,
        submission_type: seeded.submissionTypeId,
        abstract: input.abstract ?? `An abstract of ${input.title}.`,
        description: input.description ?? `A description of ${input.title}.`,
        content_locale: 'en',
      });
      const code: string = submission.code;
      for (const speaker of input.speakers) {
        // The add-speaker action answers with the submission, but its `speakers` is always [] there
        // (the serializer gets no event): read the codes back afterwards.
        await api('POST', eventPath(`submissions/${code}/add-speaker/`), {
          email: speaker.email,
          name: speaker.name,
          locale: 'en',
        });
      }
      submission = await api('GET', eventPath(`submissions/${code}/?expand=speakers`));
      const byEmail = new Map<string, string>(
        (submission.speakers as any[]).map((s) => [String(s.email).toLowerCase(), String(s.code)]),
      );
      const speakerCodes = input.speakers.map((s) => byEmail.get(s.email.toLowerCase())!);
      return { code, speakerCodes, submission };
    },
    async setState(code, state) {
      const current = (await api('GET', eventPath(`submissions/${code}/`))).state as PretalxState;
      if (current === state) return api('GET', eventPath(`submissions/${code}/`));
      switch (state) {
        case 'submitted':
          return action(code, 'make-submitted');
        case 'accepted':
          return action(code, 'accept');
        case 'rejected':
          return action(code, 'reject');
        case 'canceled':
          return action(code, 'cancel');
        case 'confirmed':
          // pretalx confirms only accepted (or canceled) submissions.
          if (current !== 'accepted' && current !== 'canceled') await action(code, 'accept');
          return action(code, 'confirm');
        case 'withdrawn':
          await runPython(server.prepared, server.env, server.tempDir, [
            join(SERVERS_DIR, 'pretalx_orm.py'),
            'withdraw',
            JSON.stringify({ event: seeded.event, code }),
          ]);
          return api('GET', eventPath(`submissions/${code}/`));
      }
    },
    changeSpeakerName: (speakerCode, name) => api('PATCH', eventPath(`speakers/${speakerCode}/`), { name }),
    releaseSchedule: (version) => api('POST', eventPath('schedules/release/'), { version }),
    logs: server.logs,
    stop: server.stop,
  };
  return self;
}
