/**
 * The recipient's page (/correction/<certificateId>, linked from the verification page): signed in
 * with the email the certificate was issued to, they see their certificate's name and talk title
 * and ask the organizer to correct them; afterwards, the organizer's answer.
 */
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { api } from '../api.js';
import { ApiError } from '../firebase.js';
import { useI18n } from '../i18n.js';
import { ErrorBox, Field, Loading, Notice, useAction, useLoad } from '../ui.js';

export function CorrectionPage() {
  const { t } = useI18n();
  const m = t.correction;
  const { params } = useRoute();
  const certificateId = params.certificateId!;
  const view = useLoad(() => api.correctionView(certificateId), [certificateId]);
  const [name, setName] = useState<string | undefined>(undefined);
  const [talkTitle, setTalkTitle] = useState<string | undefined>(undefined);
  const [note, setNote] = useState('');
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();
  if (view.error) {
    const denied = view.error instanceof ApiError && view.error.detailCode === 'CORRECTION_NOT_ALLOWED';
    return (
      <section class="card">
        <h1>{m.title}</h1>
        {denied ? <p role="alert">{m.notAllowed}</p> : <ErrorBox error={view.error} />}
      </section>
    );
  }
  if (!view.value) return <Loading />;
  const v = view.value;
  const request = v.request;
  const waiting = sent || request?.status === 'pending';
  // A replaced version shows its answer (an approved request, usually) and no form.
  const closed = v.replaced && !sent;
  return (
    <section class="card" aria-labelledby="correction-title">
      <h1 id="correction-title">{m.title}</h1>
      {v.eventName && <p class="muted">{v.eventName}</p>}
      <p>{m.intro}</p>
      <h2>{m.onCertificate}</h2>
      <dl>
        <dt>{t.corrections.name}</dt>
        <dd>
          <bdi id="current-name">{v.recipientName}</bdi>
        </dd>
        {v.talkTitle && (
          <>
            <dt>{t.corrections.talkTitle}</dt>
            <dd>
              <bdi>{v.talkTitle}</bdi>
            </dd>
          </>
        )}
      </dl>
      {request?.status === 'approved' && !sent && <Notice>{m.approved}</Notice>}
      {request?.status === 'declined' && !sent && (
        <Notice>
          {m.declined} {request.reason && `${m.reason} ${request.reason}`}
        </Notice>
      )}
      {closed ? null : waiting ? (
        <p role="status" id="correction-state">
          {sent ? m.sent : m.pending}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(() =>
              api.requestCorrection(certificateId, {
                ...(name !== undefined ? { name } : {}),
                ...(talkTitle !== undefined ? { talkTitle } : {}),
                ...(note.trim() ? { note } : {}),
              }),
            ).then((result) => result && setSent(true));
          }}
        >
          <Field label={m.newName}>
            {(id) => (
              <input
                id={id}
                required
                maxLength={300}
                value={name ?? v.recipientName}
                onInput={(e) => setName(e.currentTarget.value)}
              />
            )}
          </Field>
          {v.talkTitle !== null && (
            <Field label={m.newTalkTitle}>
              {(id) => (
                <input
                  id={id}
                  maxLength={300}
                  value={talkTitle ?? v.talkTitle ?? ''}
                  onInput={(e) => setTalkTitle(e.currentTarget.value)}
                />
              )}
            </Field>
          )}
          <Field label={m.note}>
            {(id) => <textarea id={id} maxLength={1000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
          </Field>
          <ErrorBox error={error} />
          <div class="actions">
            <button type="submit" disabled={busy}>
              {m.submit}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
