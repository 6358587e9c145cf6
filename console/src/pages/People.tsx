/**
 * The event's people: speakers or participants, 50 at a time (more on request, so 10,000 people
 * never load at once), filtered by certificate state; add, edit, delete one; each failure
 * explained with what to do, and tried again. Updates by itself while certificates are being made.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type ConsolePerson, type EventSummary, type PeopleCollection, type PersonStatus } from '../api.js';
import { useI18n } from '../i18n.js';
import { lookup } from '../messages/index.js';
import { ErrorBox, Field, Loading, Notice, StatusBadge, useId, TableWrap, RoleSelect, useAction } from '../ui.js';

const STATUSES: PersonStatus[] = ['none', 'rendering', 'ready', 'failed', 'revoked'];
const PARTICIPANT_ROLES = ['attendee', 'volunteer', 'organizer', 'reviewer', 'chair', 'sponsor', 'moderator'];

export function Failure({ person }: { person: ConsolePerson }) {
  const { t } = useI18n();
  if (person.error) {
    const explained = lookup(t.failures, person.error.code) ?? t.failureOther;
    return (
      <div class="failure">
        <p>{explained}</p>
        {person.error.fields && (
          <p>
            {t.failureFields}{' '}
            {person.error.fields.map((f, i) => (
              <span key={f}>
                {i > 0 && ', '}
                <code dir="ltr">{`{{${f}}}`}</code>
              </span>
            ))}
          </p>
        )}
        {person.error.characters && (
          <p>
            {t.failureCharacters} <bdi>{person.error.characters}</bdi>
          </p>
        )}
        <p class="detail">
          {t.failureCode(person.error.code)} — {person.error.message}
        </p>
      </div>
    );
  }
  if (person.eligibility)
    return (
      <p class="failure">
        {lookup(t.eligibility, person.eligibility.code) ?? person.eligibility.message ?? person.eligibility.code}
      </p>
    );
  return null;
}

function PersonForm(props: {
  eventId: string;
  collection: PeopleCollection;
  person?: ConsolePerson;
  onDone(message?: string): void;
}) {
  const { t } = useI18n();
  const p = t.people;
  const [name, setName] = useState(props.person?.name ?? '');
  const [email, setEmail] = useState(props.person?.email ?? '');
  const [talkTitle, setTalkTitle] = useState(props.person?.talkTitle ?? '');
  const [role, setRole] = useState(props.person?.role ?? 'attendee');
  const { busy, error, run } = useAction();
  const headingId = useId('person');
  const submit = async (e: Event) => {
    e.preventDefault();
    await run(async () => {
      await api.savePerson(
        props.eventId,
        props.collection,
        {
          name: name.trim(),
          email: email.trim(),
          ...(props.collection === 'speakers' ? { talkTitle: talkTitle.trim() } : { role }),
        },
        props.person?.personId,
      );
      props.onDone(props.person ? p.saved : p.added);
    });
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId}>{props.person ? p.editTitle : p.addTitle}</h3>
      <div class="grid2">
        <Field label={p.name}>
          {(id) => <input id={id} required value={name} onInput={(e) => setName(e.currentTarget.value)} autoFocus />}
        </Field>
        <Field label={`${p.email} ${t.optional}`}>
          {(id) => <input id={id} type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
        </Field>
      </div>
      {props.collection === 'speakers' ? (
        <Field label={`${p.talkTitle} ${t.optional}`}>
          {(id) => <input id={id} value={talkTitle} onInput={(e) => setTalkTitle(e.currentTarget.value)} />}
        </Field>
      ) : (
        <RoleSelect label={p.role} roles={PARTICIPANT_ROLES} value={role} onChange={setRole} />
      )}
      <ErrorBox error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t.saving : t.save}
        </button>
        <button type="button" onClick={() => props.onDone()}>
          {t.cancel}
        </button>
      </div>
    </form>
  );
}

export function People({ summary, onChange }: { summary: EventSummary; onChange(): void }) {
  const { t } = useI18n();
  const p = t.people;
  const eventId = summary.event.eventId;
  const [collection, setCollection] = useState<PeopleCollection>(
    summary.people.speakers.total === 0 && summary.people.participants.total > 0 ? 'participants' : 'speakers',
  );
  const [status, setStatus] = useState<PersonStatus | ''>('');
  const [people, setPeople] = useState<ConsolePerson[] | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>();
  const [editing, setEditing] = useState<ConsolePerson | 'new' | undefined>();
  const [notice, setNotice] = useState<string>();
  const [version, setVersion] = useState(0);
  const collectionId = useId('coll');
  // Each time rows are shown (the bench reads the marks: test/bench/console.ts).
  useEffect(() => {
    if (people) performance.mark('certforge:people-shown', { detail: people.length });
  }, [people]);
  const statusId = useId('status');

  // The first page, again whenever the list changes; polled while someone's certificate is being made.
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let first = true;
    const load = async () => {
      try {
        const page = await api.listPeople(eventId, collection, status || undefined);
        if (!live) return;
        setPeople((current) => {
          // Keep pages loaded beyond the first: refresh their rows in place.
          if (!current || current.length <= page.people.length) return page.people;
          const fresh = new Map(page.people.map((x) => [x.personId, x]));
          return [...page.people, ...current.slice(page.people.length).map((x) => fresh.get(x.personId) ?? x)];
        });
        if (first) setNext(page.next);
        setTotal(page.total);
        first = false;
        setError(undefined);
        // Live: quickly while certificates are being made, slowly otherwise (people arrive by imports and syncs).
        const wait = page.people.some((x) => x.status === 'rendering') ? 3000 : 10000;
        timer = setTimeout(function again() {
          if (document.hidden) timer = setTimeout(again, 2000);
          else void load();
        }, wait);
      } catch (e) {
        if (live) setError(e);
      }
    };
    void load();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [eventId, collection, status, version]);

  const reset = () => {
    setPeople(undefined);
    setNext(null);
    setVersion((v) => v + 1);
  };
  const more = async () => {
    if (!next) return;
    try {
      const page = await api.listPeople(eventId, collection, status || undefined, next);
      setPeople([...(people ?? []), ...page.people]);
      setNext(page.next);
    } catch (e) {
      setError(e);
    }
  };
  const remove = async (person: ConsolePerson) => {
    if (!confirm(p.deleteConfirm(person.name))) return;
    try {
      await api.deletePerson(eventId, collection, person.personId);
      setNotice(p.deleted);
      reset();
      onChange();
    } catch (e) {
      setError(e);
    }
  };
  const retry = async (person: ConsolePerson) => {
    try {
      await api.generateCertificate(eventId, { collection, personId: person.personId }, true);
    } catch (e) {
      setError(e);
    }
    reset();
    onChange();
  };

  return (
    <div>
      <h2>{p.title}</h2>
      <div class="toolbar">
        <div class="field inline">
          <label for={collectionId}>{p.title}</label>
          <select
            id={collectionId}
            value={collection}
            onChange={(e) => {
              setCollection(e.currentTarget.value as PeopleCollection);
              reset();
            }}
          >
            <option value="speakers">{p.speakers}</option>
            <option value="participants">{p.participants}</option>
          </select>
        </div>
        <div class="field inline">
          <label for={statusId}>{p.filter}</label>
          <select
            id={statusId}
            value={status}
            onChange={(e) => {
              setStatus(e.currentTarget.value as PersonStatus | '');
              reset();
            }}
          >
            <option value="">{p.all}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t.status[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          {p.add}
        </button>
      </div>
      {editing && (
        <PersonForm
          eventId={eventId}
          collection={collection}
          {...(editing === 'new' ? {} : { person: editing })}
          onDone={(message) => {
            setEditing(undefined);
            if (message) {
              setNotice(message);
              reset();
              onChange();
            }
          }}
        />
      )}
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={error} />
      {!people && !error && <Loading />}
      {people && people.length === 0 && <p>{p.empty}</p>}
      {people && people.length > 0 && (
        <>
          <p class="muted" aria-live="polite">
            {p.count(people.length, total)} · {p.liveNote}
          </p>
          <TableWrap label={p.title}>
            <table class="list people">
              <thead>
                <tr>
                  <th scope="col">{p.columns.name}</th>
                  <th scope="col">{p.columns.email}</th>
                  <th scope="col">{collection === 'speakers' ? p.columns.talk : p.columns.role}</th>
                  <th scope="col">{p.columns.status}</th>
                  <th scope="col">{p.columns.actions}</th>
                </tr>
              </thead>
              <tbody>
                {people.map((person) => (
                  <tr key={person.personId}>
                    <th scope="row">
                      <bdi>{person.name}</bdi>
                    </th>
                    <td>
                      <bdi>{person.email ?? ''}</bdi>
                    </td>
                    <td>
                      {collection === 'speakers'
                        ? (person.talkTitle ?? '')
                        : (lookup(t.roles, person.role) ?? person.role)}
                    </td>
                    <td>
                      <StatusBadge status={person.status} />
                      {person.status === 'none' && person.eligibility && <span class="muted"> {p.notEligible}</span>}
                      <Failure person={person} />
                    </td>
                    <td>
                      <div class="row-actions">
                        {person.certificateId && person.status !== 'failed' && (
                          <a href={`/certificates/${person.certificateId}`}>
                            {p.openCertificate}
                            <span class="visually-hidden">: {person.name}</span>
                          </a>
                        )}
                        {person.status === 'failed' && (
                          <button type="button" onClick={() => void retry(person)}>
                            {t.retry}
                            <span class="visually-hidden">: {person.name}</span>
                          </button>
                        )}
                        <button type="button" onClick={() => setEditing(person)}>
                          {t.edit}
                          <span class="visually-hidden">: {person.name}</span>
                        </button>
                        <button type="button" class="danger-link" onClick={() => void remove(person)}>
                          {t.delete}
                          <span class="visually-hidden">: {person.name}</span>
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {next && (
            <button type="button" onClick={() => void more()}>
              {p.more}
            </button>
          )}
        </>
      )}
    </div>
  );
}
