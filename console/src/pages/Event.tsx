/** One event: its tabs (overview, people, import, issue, template, corrections, settings). */
import { useRoute } from 'preact-iso';
import { api, type EventSummary } from '../api.js';
import { useI18n } from '../i18n.js';
import { ErrorBox, Loading, useLoad } from '../ui.js';
import { DeleteEvent, EventForm } from './EventForm.js';
import { Overview } from './Overview.js';
import { People } from './People.js';
import { ImportPage } from './Import.js';
import { IssuePage } from './Issue.js';
import { TemplatePage } from './Template.js';
import { Organizers } from './Organizers.js';
import { Corrections } from './Corrections.js';

const TABS = ['overview', 'people', 'import', 'issue', 'template', 'corrections', 'settings'] as const;
type Tab = (typeof TABS)[number];

/** Whether something is still moving (the summary is polled meanwhile). */
export function busy(summary: EventSummary): boolean {
  const run = summary.issuance;
  return (
    summary.people.speakers.rendering + summary.people.participants.rendering > 0 ||
    (run !== null && run.finishedAt === null && run.ready + run.failed + run.skipped < run.total)
  );
}

export function EventPage() {
  const { t } = useI18n();
  const { params } = useRoute();
  const eventId = params.eventId!;
  const tab: Tab = (TABS as readonly string[]).includes(params.tab ?? '') ? (params.tab as Tab) : 'overview';
  const summary = useLoad(
    () => api.eventSummary(eventId),
    [eventId],
    (s) => (busy(s) ? 3000 : 15000),
  );
  const base = `/events/${encodeURIComponent(eventId)}`;
  if (summary.error && !summary.value)
    return (
      <section>
        <ErrorBox error={summary.error} />
        <p>
          <a href="/">{t.home}</a>
        </p>
      </section>
    );
  if (!summary.value) return <Loading />;
  const s = summary.value;
  return (
    <section>
      <p>
        <a href="/">← {t.nav.events}</a>
      </p>
      <h1>{s.event.name}</h1>
      <p class="muted">{[s.event.date, s.event.place].filter(Boolean).join(' · ')}</p>
      <nav class="tabs" aria-label={s.event.name}>
        {TABS.map((name) => (
          <a
            key={name}
            href={name === 'overview' ? base : `${base}/${name}`}
            aria-current={tab === name ? 'page' : undefined}
          >
            {t.nav[name]}
          </a>
        ))}
      </nav>
      {tab === 'overview' && <Overview summary={s} />}
      {tab === 'people' && <People summary={s} onChange={summary.reload} />}
      {tab === 'import' && <ImportPage summary={s} onChange={summary.reload} />}
      {tab === 'issue' && <IssuePage summary={s} onChange={summary.reload} />}
      {tab === 'template' && <TemplatePage summary={s} onChange={summary.reload} />}
      {tab === 'corrections' && <Corrections summary={s} />}
      {tab === 'settings' && (
        <>
          <h2>{t.eventForm.editTitle}</h2>
          <EventForm event={s.event} onSaved={(event) => summary.setValue({ ...s, event })} />
          <Organizers event={s.event} />
          <DeleteEvent event={s.event} />
        </>
      )}
    </section>
  );
}
