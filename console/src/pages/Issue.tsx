/**
 * Issuing: a bulk run for a role (the missing certificates, or new versions for everybody), its
 * progress from the run's own counters, the failures with their reasons and a retry, and the
 * print bundle to download.
 */
import { useState } from 'preact/hooks';
import { api, type EventSummary } from '../api.js';
import { useI18n } from '../i18n.js';
import { lookup } from '../messages/index.js';
import { ErrorBox, Loading, Notice, useLoad, RoleSelect } from '../ui.js';
import { Failure } from './People.js';

export function IssuePage({ summary, onChange }: { summary: EventSummary; onChange(): void }) {
  const { t, date } = useI18n();
  const m = t.issuePage;
  const eventId = summary.event.eventId;
  const roles = ['speaker', 'attendee', ...summary.event.roles.filter((r) => r !== 'speaker' && r !== 'attendee')];
  const [role, setRole] = useState('speaker');
  const [force, setForce] = useState(false);
  const [renew, setRenew] = useState(false);
  const [busy, setBusy] = useState<'run' | 'bundle' | 'zip' | undefined>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [bundle, setBundle] = useState<{ count: number; url: string; format: 'pdf' | 'zip' }>();
  const collection = role === 'speaker' ? 'speakers' : 'participants';
  const failures = useLoad(
    () => api.listPeople(eventId, collection, 'failed'),
    [eventId, collection, summary.issuance?.failed],
  );
  const run = summary.issuance;
  const done = run ? run.ready + run.failed + run.skipped : 0;

  const start = async () => {
    setBusy('run');
    setError(undefined);
    try {
      const result = await api.issueEventCertificates(eventId, role, force || renew, renew);
      setNotice(m.started(result.total));
      onChange();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };
  const buildBundle = async (format: 'pdf' | 'zip') => {
    setBusy(format === 'pdf' ? 'bundle' : 'zip');
    setError(undefined);
    setBundle(undefined);
    try {
      const result = await api.buildPrintBundle(eventId, role, format);
      setBundle({ count: result.count, url: result.url, format });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };
  const retry = async (personId: string) => {
    try {
      await api.generateCertificate(eventId, { collection, personId }, true);
    } catch (e) {
      setError(e);
    }
    failures.reload();
    onChange();
  };

  return (
    <div>
      <h2>{m.title}</h2>
      <p>{m.intro}</p>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <RoleSelect label={m.role} roles={roles} value={role} onChange={setRole} />
        <div class="checks">
          <label>
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.currentTarget.checked)} /> {m.force}
          </label>
          {summary.event.validityMonths !== null && (
            <label>
              <input type="checkbox" checked={renew} onChange={(e) => setRenew(e.currentTarget.checked)} /> {m.renew}
            </label>
          )}
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy !== undefined}>
            {busy === 'run' ? m.starting : m.start}
          </button>
        </div>
      </form>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={error} />
      {run && (
        <div class="card">
          <h3>{t.overview.lastRun}</h3>
          <p class="muted">
            {lookup(t.roles, run.role) ?? run.role} · {date(run.startedAt)}
          </p>
          <label class="progress">
            <span>{m.progress(done, run.total)}</span>
            <progress max={Math.max(run.total, 1)} value={done} />
          </label>
          <p aria-live="polite">
            {m.runLine(run.ready, run.failed, run.skipped)} {run.finishedAt || done >= run.total ? m.finished : ''}
          </p>
        </div>
      )}
      <h3>{m.failuresTitle}</h3>
      <ErrorBox error={failures.error} />
      {!failures.value && <Loading />}
      {failures.value && failures.value.people.length === 0 && <p>{m.noFailures}</p>}
      {failures.value && failures.value.people.length > 0 && (
        <ul class="failures">
          {failures.value.people.map((person) => (
            <li key={person.personId}>
              <strong>{person.name}</strong>
              <Failure person={person} />
              <button type="button" onClick={() => void retry(person.personId)}>
                {m.retryOne}
                <span class="visually-hidden">: {person.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="card">
        <h3>{m.bundleTitle}</h3>
        <p>{m.bundleIntro}</p>
        <button type="button" disabled={busy !== undefined} onClick={() => void buildBundle('pdf')}>
          {busy === 'bundle' ? m.building : m.bundle}
        </button>
        <p>{m.zipIntro}</p>
        <button type="button" disabled={busy !== undefined} onClick={() => void buildBundle('zip')}>
          {busy === 'zip' ? m.building : m.zip}
        </button>
        {bundle && (
          <p role="status">
            {bundle.format === 'pdf' ? m.bundleReady(bundle.count) : m.zipReady(bundle.count)}{' '}
            <a href={bundle.url} download>
              {m.download}
            </a>
          </p>
        )}
      </div>
    </div>
  );
}
