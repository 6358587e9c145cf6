/** Who organizes the event: co-organizers added by the email they sign in with, removed (never the last one). */
import { useState } from 'preact/hooks';
import { api, type ConsoleEvent } from '../api.js';
import { ApiError } from '../firebase.js';
import { useI18n } from '../i18n.js';
import { ErrorBox, Field, Loading, useLoad, useAction } from '../ui.js';

export function Organizers({ event }: { event: ConsoleEvent }) {
  const { t } = useI18n();
  const m = t.organizers;
  const list = useLoad(() => api.listOrganizers(event.eventId), [event.eventId]);
  const [email, setEmail] = useState('');
  const { busy, error, run } = useAction();
  /** Runs `work` and shows the list it answers; an unknown email is explained. */
  const change = async (work: () => Promise<Awaited<ReturnType<typeof api.listOrganizers>>>) => {
    const organizers = await run(() =>
      work().catch((e: unknown) => {
        throw e instanceof ApiError && e.code === 'not-found' ? new Error(m.notFound(email.trim())) : e;
      }),
    );
    if (organizers) list.setValue(organizers);
    return organizers !== undefined;
  };
  return (
    <section class="card" aria-labelledby="organizers-title">
      <h2 id="organizers-title">{m.title}</h2>
      <p class="muted">{m.intro}</p>
      {!list.value && !list.error && <Loading />}
      <ErrorBox error={list.error} />
      {list.value && (
        <ul class="organizers">
          {list.value.organizers.map((o) => (
            <li key={o.uid}>
              <bdi>{o.email ?? m.unknownUser}</bdi> {o.you && <span class="muted">{m.you}</span>}{' '}
              {list.value!.organizers.length > 1 && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => void change(() => api.removeOrganizer(event.eventId, o.uid))}
                >
                  {m.remove}
                  <span class="visually-hidden">: {o.email ?? o.uid}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void change(() => api.addOrganizer(event.eventId, email.trim())).then((ok) => ok && setEmail(''));
        }}
      >
        <h3>{m.add}</h3>
        <Field label={m.email}>
          {(id) => (
            <input
              id={id}
              type="email"
              required
              autoComplete="off"
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          )}
        </Field>
        <ErrorBox error={error} />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {m.addSubmit}
          </button>
        </div>
      </form>
    </section>
  );
}
