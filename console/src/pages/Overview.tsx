/** The numbers an organizer asks for: people, certificates by state, page views, downloads, LinkedIn. */
import type { EventSummary } from '../api.js';
import { useI18n } from '../i18n.js';

export function Overview({ summary }: { summary: EventSummary }) {
  const { t, number, date } = useI18n();
  const o = t.overview;
  const { speakers, participants } = summary.people;
  const sum = (key: 'total' | 'ready' | 'rendering' | 'failed') => speakers[key] + participants[key];
  const run = summary.issuance;
  const tiles: [string, number][] = [
    [o.people, sum('total')],
    [o.ready, sum('ready')],
    [o.rendering, sum('rendering')],
    [o.failed, sum('failed')],
    [o.revoked, summary.revoked],
    [o.views, summary.stats.views],
    [o.downloads, summary.stats.downloads],
    [o.linkedIn, summary.stats.linkedIn],
  ];
  return (
    <div>
      <h2>{o.title}</h2>
      <dl class="tiles">
        {tiles.map(([label, value]) => (
          <div class="tile" key={label}>
            <dt>{label}</dt>
            <dd>{number(value)}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">
        {o.speakers}: {number(speakers.total)} · {o.participants}: {number(participants.total)}
      </p>
      <p class="muted">{o.statsNote}</p>
      <h3>{o.lastRun}</h3>
      {run ? (
        <p>
          {date(run.startedAt)} · {t.issuePage.progress(run.ready + run.failed + run.skipped, run.total)} ·{' '}
          {t.issuePage.runLine(run.ready, run.failed, run.skipped)}
        </p>
      ) : (
        <p>{o.noRun}</p>
      )}
    </div>
  );
}
