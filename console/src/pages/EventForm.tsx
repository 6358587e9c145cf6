/** Creating an event, and editing one (its settings page, with deletion). */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, type ConsoleEvent, type EventFields } from '../api.js';
import { useI18n } from '../i18n.js';
import { ErrorBox, Field, Notice, useAction } from '../ui.js';

const LOCALES = ['en', 'es', 'pt', 'fr', 'de', 'it', 'pl', 'nl', 'ar', 'zh', 'ja', 'ko', 'hi', 'tr', 'uk', 'ru'];

function fieldsOf(event: ConsoleEvent | undefined): EventFields {
  return {
    name: event?.name ?? '',
    date: event?.date ?? '',
    place: event?.place ?? '',
    locale: event?.locale ?? '',
    issuer: event?.issuer ?? '',
    timeZone: event?.timeZone ?? '',
    emailOnIssue: event?.emailOnIssue ?? false,
    offerPdf: event?.offerPdf ?? false,
    ...(event?.validityMonths ? { validityMonths: event.validityMonths } : {}),
    signatories: (event?.signatories ?? []).map((s) => ({ name: s.name, role: s.role ?? '' })),
  };
}

/** Only what was filled in is sent; empty text clears a field of an existing event. */
function cleaned(fields: EventFields, existing: boolean): EventFields {
  const out: EventFields = { name: fields.name.trim() };
  for (const key of ['date', 'place', 'locale', 'issuer', 'timeZone'] as const) {
    const value = (fields[key] ?? '').trim();
    if (value || existing) out[key] = value;
  }
  out.emailOnIssue = fields.emailOnIssue ?? false;
  out.offerPdf = fields.offerPdf ?? false;
  // Empty clears the validity of an existing event; a new event without it simply has none.
  if (fields.validityMonths || existing) out.validityMonths = fields.validityMonths ?? 0;
  out.signatories = (fields.signatories ?? [])
    .filter((s) => s.name.trim())
    .map((s) => ({ name: s.name.trim(), ...(s.role?.trim() ? { role: s.role.trim() } : {}) }));
  return out;
}

export function EventForm(props: { event?: ConsoleEvent; onSaved(event: ConsoleEvent): void }) {
  const { t } = useI18n();
  const f = t.eventForm;
  const [fields, setFields] = useState<EventFields>(() => fieldsOf(props.event));
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);
  const set = (patch: Partial<EventFields>) => {
    setSaved(false);
    setFields({ ...fields, ...patch });
  };
  const signatories = fields.signatories ?? [];

  const submit = async (e: Event) => {
    e.preventDefault();
    await run(async () => {
      const { event } = await api.saveEvent(cleaned(fields, !!props.event), props.event?.eventId);
      setSaved(true);
      props.onSaved(event);
    });
  };

  const text = (
    key: 'name' | 'date' | 'place' | 'issuer' | 'timeZone',
    label: string,
    hint?: string,
    required = false,
  ) => (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(id, describedBy) => (
        <input
          id={id}
          aria-describedby={describedBy}
          required={required}
          value={fields[key] ?? ''}
          onInput={(e) => set({ [key]: e.currentTarget.value })}
        />
      )}
    </Field>
  );

  return (
    <form class="card" onSubmit={submit}>
      {text('name', f.name, f.nameHint, true)}
      <div class="grid2">
        {text('date', f.date, f.dateHint)}
        {text('place', f.place)}
      </div>
      <div class="grid2">
        <Field label={f.locale} hint={f.localeHint}>
          {(id, describedBy) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={fields.locale ?? ''}
              onChange={(e) => set({ locale: e.currentTarget.value })}
            >
              <option value="">{t.notSet}</option>
              {LOCALES.map((l) => (
                <option value={l} key={l}>
                  {new Intl.DisplayNames([l], { type: 'language' }).of(l) ?? l} ({l})
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('timeZone', f.timeZone, f.timeZoneHint)}
      </div>
      {text('issuer', f.issuer, f.issuerHint)}
      <div class="checks">
        <label>
          <input
            type="checkbox"
            checked={fields.emailOnIssue}
            onChange={(e) => set({ emailOnIssue: e.currentTarget.checked })}
          />{' '}
          {f.emailOnIssue}
        </label>
        <label>
          <input
            type="checkbox"
            checked={fields.offerPdf}
            onChange={(e) => set({ offerPdf: e.currentTarget.checked })}
          />{' '}
          {f.offerPdf}
        </label>
      </div>
      <Field label={f.validityMonths} hint={f.validityMonthsHint}>
        {(id, describedBy) => (
          <input
            id={id}
            type="number"
            min={1}
            max={1200}
            step={1}
            inputMode="numeric"
            aria-describedby={describedBy}
            value={fields.validityMonths ?? ''}
            onInput={(e) => {
              const value = e.currentTarget.value.trim();
              set({ validityMonths: value === '' ? undefined : Number(value) });
            }}
          />
        )}
      </Field>
      <fieldset>
        <legend>{f.signatories}</legend>
        {signatories.map((s, i) => (
          <div class="grid2 signatory" key={i}>
            <Field label={`${f.signatoryName} ${i + 1}`}>
              {(id) => (
                <input
                  id={id}
                  value={s.name}
                  onInput={(e) =>
                    set({
                      signatories: signatories.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)),
                    })
                  }
                />
              )}
            </Field>
            <Field label={`${f.signatoryRole} ${i + 1}`}>
              {(id) => (
                <input
                  id={id}
                  value={s.role ?? ''}
                  onInput={(e) =>
                    set({
                      signatories: signatories.map((x, j) => (j === i ? { ...x, role: e.currentTarget.value } : x)),
                    })
                  }
                />
              )}
            </Field>
            <button
              type="button"
              class="link"
              onClick={() => set({ signatories: signatories.filter((_, j) => j !== i) })}
            >
              {f.removeSignatory(i + 1)}
            </button>
          </div>
        ))}
        {signatories.length < 4 && (
          <button type="button" onClick={() => set({ signatories: [...signatories, { name: '', role: '' }] })}>
            {f.addSignatory}
          </button>
        )}
      </fieldset>
      <ErrorBox error={error} />
      {saved && <Notice>{props.event ? f.saved : f.created}</Notice>}
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
      </div>
    </form>
  );
}

export function NewEvent() {
  const { t } = useI18n();
  const { route } = useLocation();
  return (
    <section>
      <p>
        <a href="/">← {t.nav.events}</a>
      </p>
      <h1>{t.eventForm.createTitle}</h1>
      <EventForm onSaved={(event) => route(`/events/${encodeURIComponent(event.eventId)}`)} />
    </section>
  );
}

export function DeleteEvent({ event }: { event: ConsoleEvent }) {
  const { t } = useI18n();
  const d = t.deleteEvent;
  const { route } = useLocation();
  const [typed, setTyped] = useState('');
  const { busy, error, setError, run } = useAction();
  const matches = typed.trim() === event.name.trim();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!matches) return setError(new Error(d.mismatch));
    await run(async () => {
      await api.deleteEvent(event.eventId, typed.trim());
      route('/');
    });
  };
  return (
    <form class="card danger" onSubmit={submit}>
      <h2>{d.title}</h2>
      <p>{d.warning}</p>
      <Field label={d.confirmLabel(event.name)}>
        {(id) => <input id={id} value={typed} autoComplete="off" onInput={(e) => setTyped(e.currentTarget.value)} />}
      </Field>
      <ErrorBox error={error} />
      <div class="actions">
        <button type="submit" class="danger" disabled={busy || !matches}>
          {d.submit}
        </button>
      </div>
    </form>
  );
}
