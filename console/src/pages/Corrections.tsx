/** The event's correction requests from recipients: what is on the certificate, what they ask for; approve or decline. */
import { useState } from 'preact/hooks';
import { api, type CorrectionRequestItem, type EventSummary } from '../api.js';
import { useI18n } from '../i18n.js';
import { ErrorBox, Field, Loading, useAction, useLoad } from '../ui.js';

export function Corrections({ summary }: { summary: EventSummary }) {
  const { t } = useI18n();
  const m = t.corrections;
  const eventId = summary.event.eventId;
  const list = useLoad(() => api.listCorrections(eventId), [eventId]);
  return (
    <section class="card" aria-labelledby="corrections-title">
      <h2 id="corrections-title">{m.title}</h2>
      <p class="muted">{m.intro}</p>
      {!list.value && !list.error && <Loading />}
      <ErrorBox error={list.error} />
      {list.value && list.value.requests.length === 0 && <p>{m.empty}</p>}
      {list.value && list.value.requests.length > 0 && (
        <ul class="corrections">
          {list.value.requests.map((request) => (
            <CorrectionItem key={request.requestId} eventId={eventId} request={request} onDecided={list.reload} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CorrectionItem(props: { eventId: string; request: CorrectionRequestItem; onDecided: () => void }) {
  const { t } = useI18n();
  const m = t.corrections;
  const { request } = props;
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const decide = async (decision: 'approve' | 'decline') => {
    const done = await run(() => api.decideCorrection(props.eventId, request.requestId, decision, reason.trim()));
    if (done) props.onDecided();
  };
  const rows: [string, string | null | undefined, string | undefined][] = [
    [m.name, request.current.name, request.requested.name],
    [m.talkTitle, request.current.talkTitle, request.requested.talkTitle],
  ];
  return (
    <li class="correction" data-request={request.requestId}>
      <p>
        <strong class={`status-${request.status}`}>{m.status[request.status]}</strong>{' '}
        <span class="muted">
          {m.requestedOn} <time dateTime={request.requestedAt}>{new Date(request.requestedAt).toLocaleString()}</time>
        </span>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col"></th>
            <th scope="col">{m.current}</th>
            <th scope="col">{m.requested}</th>
          </tr>
        </thead>
        <tbody>
          {rows
            .filter(([, , wanted]) => wanted !== undefined)
            .map(([label, current, wanted]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>
                  <bdi>{current ?? ''}</bdi>
                </td>
                <td>
                  <bdi>{wanted}</bdi>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      {request.note && (
        <p>
          {m.note}: <bdi>{request.note}</bdi>
        </p>
      )}
      {request.reason && <p class="muted">{request.reason}</p>}
      {request.status === 'pending' && (
        <>
          <Field label={m.reason}>
            {(id) => (
              <input id={id} value={reason} maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} />
            )}
          </Field>
          <ErrorBox error={error} />
          <div class="actions">
            <button type="button" class="primary" disabled={busy} onClick={() => void decide('approve')}>
              {m.approve}
            </button>
            <button type="button" class="danger" disabled={busy} onClick={() => void decide('decline')}>
              {m.decline}
            </button>
          </div>
        </>
      )}
    </li>
  );
}
