/**
 * One certificate: its preview, verification link and QR code, its versions (corrections,
 * replaced, revoked with the reason), revocation with a reason, and a new version.
 */
import { useMemo, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import qrcode from 'qrcode-generator';
import { api, type CertificateVersion } from '../api.js';
import { useI18n } from '../i18n.js';
import { lookup } from '../messages/index.js';
import { ErrorBox, Field, Loading, Notice, StatusBadge, useLoad, useAction } from '../ui.js';

function qrDataUrl(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true }))}`;
}

/** The path of a verification URL on this origin (Hosting serves /verify/** from the verify function). */
function previewPath(certificateId: string): string {
  return `/verify/${encodeURIComponent(certificateId)}/preview.png`;
}

export function CertificatePage() {
  const { t, date } = useI18n();
  const m = t.certificatePage;
  const { params } = useRoute();
  const certificateId = params.certificateId!;
  const detail = useLoad(() => api.certificate(certificateId), [certificateId]);
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const [notice, setNotice] = useState<string>();
  const [copied, setCopied] = useState(false);
  const d = detail.value;
  const qr = useMemo(() => (d ? qrDataUrl(d.certificate.verifyUrl) : ''), [d]);

  if (detail.error && !d)
    return (
      <section>
        <ErrorBox error={detail.error} />
        <p>
          <a href="/">{t.home}</a>
        </p>
      </section>
    );
  if (!d) return <Loading />;
  const c = d.certificate;
  const eventBase = `/events/${encodeURIComponent(d.eventId)}`;

  const revoke = async (e: Event) => {
    e.preventDefault();
    await run(async () => {
      await api.revokeCertificate(c.certificateId, reason.trim());
      setNotice(m.revoked);
      detail.reload();
    });
  };
  const reissue = async () => {
    const person = d.person;
    if (!person) return;
    await run(async () => {
      await api.generateCertificate(d.eventId, person, true);
      setNotice(m.reissued);
      detail.reload();
    });
  };
  const status = (v: CertificateVersion) => (v.status === 'valid' ? 'valid' : v.status);

  return (
    <section>
      <p>
        <a href={`${eventBase}/people`}>← {t.nav.people}</a>
      </p>
      <h1>
        {m.title}: {c.recipientName}
      </h1>
      <div class="preview-grid">
        <img class="preview" src={previewPath(c.certificateId)} alt={`${m.title}: ${c.recipientName}`} />
        <div>
          <dl class="facts">
            <dt>{m.status}</dt>
            <dd>
              <StatusBadge status={status(c)} />
            </dd>
            <dt>{m.recipient}</dt>
            <dd>{c.recipientName}</dd>
            {c.talkTitle && (
              <>
                <dt>{m.talk}</dt>
                <dd>{c.talkTitle}</dd>
              </>
            )}
            <dt>{m.issuedOn}</dt>
            <dd>{date(c.issuedAt)}</dd>
            <dt>{m.template}</dt>
            <dd>
              {c.templateId}
              {c.templateVersion ? ` (${c.templateVersion})` : ''}
            </dd>
            {d.role && (
              <>
                <dt>{t.people.role}</dt>
                <dd>{lookup(t.roles, d.role) ?? d.role}</dd>
              </>
            )}
            <dt>{m.verifyLink}</dt>
            <dd>
              <a href={c.verifyUrl} rel="noopener" target="_blank" dir="ltr">
                {c.verifyUrl}
              </a>{' '}
              <button
                type="button"
                onClick={() => void navigator.clipboard?.writeText(c.verifyUrl).then(() => setCopied(true))}
              >
                {m.copy}
              </button>
              {copied && <span role="status"> {m.copied}</span>}
            </dd>
          </dl>
          <img class="qr" src={qr} width={160} height={160} alt={m.qrLabel} />
        </div>
      </div>
      {notice && <Notice>{notice}</Notice>}
      <ErrorBox error={error} />
      <h2>{m.history}</h2>
      <ol class="history">
        {d.history.map((v, i) => (
          <li key={v.certificateId} aria-current={v.certificateId === c.certificateId ? 'true' : undefined}>
            <strong>{m.version(i + 1)}</strong>
            {v.certificateId === c.certificateId ? ` (${m.current})` : ''} · <StatusBadge status={status(v)} /> ·{' '}
            {date(v.issuedAt)} · {v.recipientName}
            {v.talkTitle ? ` — ${v.talkTitle}` : ''}
            {v.revocationReason && <div class="failure">{m.revokedWith(v.revocationReason)}</div>}
            {v.certificateId !== c.certificateId && (
              <>
                {' '}
                <a href={`/certificates/${v.certificateId}`}>{m.title}</a>
              </>
            )}
          </li>
        ))}
      </ol>
      {c.status === 'valid' && (
        <form class="card danger" onSubmit={revoke}>
          <h2>{m.revokeTitle}</h2>
          <Field label={m.revokeReason}>
            {(id) => (
              <input
                id={id}
                required
                maxLength={500}
                value={reason}
                onInput={(e) => setReason(e.currentTarget.value)}
              />
            )}
          </Field>
          <div class="actions">
            <button type="submit" class="danger" disabled={busy || !reason.trim()}>
              {m.revoke}
            </button>
          </div>
        </form>
      )}
      {d.person && (
        <div class="card">
          <h2>{m.reissueTitle}</h2>
          <p>{m.reissueIntro}</p>
          <button type="button" disabled={busy} onClick={() => void reissue()}>
            {m.reissue}
          </button>
        </div>
      )}
    </section>
  );
}
