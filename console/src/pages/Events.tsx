/** The caller's events (an admin sees every event). */
import { useEffect } from 'preact/hooks';
import { api } from '../api.js';
import { useI18n } from '../i18n.js';
import { ErrorBox, Loading, useLoad } from '../ui.js';

export function Events() {
  const { t } = useI18n();
  const { value, error } = useLoad(() => api.listEvents(), []);
  // The moment the list can be used (the bench reads it: test/bench/console.ts).
  useEffect(() => {
    if (value) performance.mark('certforge:events-interactive');
  }, [value]);
  return (
    <section>
      <div class="heading-row">
        <h1>{t.events.title}</h1>
        <a class="button primary" href="/events/new">
          {t.events.create}
        </a>
      </div>
      <ErrorBox error={error} />
      {!value && !error && <Loading />}
      {value && value.events.length === 0 && <p>{t.events.empty}</p>}
      {value && value.events.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t.events.columns.name}</th>
              <th scope="col">{t.events.columns.date}</th>
              <th scope="col">{t.events.columns.place}</th>
            </tr>
          </thead>
          <tbody>
            {value.events.map((event) => (
              <tr key={event.eventId}>
                <th scope="row">
                  <a href={`/events/${encodeURIComponent(event.eventId)}`}>{event.name}</a>
                </th>
                <td>{event.date ?? ''}</td>
                <td>{event.place ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
