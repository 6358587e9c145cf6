/**
 * The event's template: choose a bundled or an uploaded one, upload a new one with its fonts,
 * and see it with sample names (the longest names and one per script, the set of
 * `npm run check-template`) with what the renderer warned about, in the organizer's words.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type EventSummary, type TemplatePreview } from '../api.js';
import { fileBase64 } from '../firebase.js';
import { useI18n } from '../i18n.js';
import { lookup } from '../messages/index.js';
import { ErrorBox, Field, Loading, Notice, useId, useLoad, useAction } from '../ui.js';
import samples from '../../../examples/names-by-script.json';

const SAMPLE_NAMES: { label: string; name: string }[] = [
  { label: 'Latin', name: 'Ada Lovelace' },
  ...(samples as { names: { script: string; name: string }[] }).names.map((n) => ({ label: n.script, name: n.name })),
];
const SAMPLE_TALK = 'Verifiable Certificates on Serverless Infrastructure at Scale';

function Preview({ eventId, templateId }: { eventId: string; templateId: string }) {
  const { t } = useI18n();
  const m = t.templatePage;
  const [sample, setSample] = useState(0);
  const [result, setResult] = useState<TemplatePreview>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let live = true;
    setResult(undefined);
    setError(undefined);
    api.previewTemplate(eventId, templateId, SAMPLE_NAMES[sample]!.name, SAMPLE_TALK).then(
      (r) => live && setResult(r),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [eventId, templateId, sample]);
  return (
    <div class="card">
      <h3>{m.previewTitle}</h3>
      <p class="muted">{m.previewIntro}</p>
      <Field label={m.sample}>
        {(id) => (
          <select id={id} value={String(sample)} onChange={(e) => setSample(Number(e.currentTarget.value))}>
            {SAMPLE_NAMES.map((s, i) => (
              <option key={i} value={String(i)}>
                {s.label}: {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorBox error={error} />
      {!result && !error && <Loading />}
      {result?.ok && (
        <div class="preview-grid">
          <img
            class="preview"
            src={`data:image/png;base64,${result.png}`}
            alt={`${m.previewTitle}: ${SAMPLE_NAMES[sample]!.name}`}
          />
          <div>
            <h4>{m.checkTitle}</h4>
            <p class="muted">{m.page(result.pageMm.width, result.pageMm.height)}</p>
            <p>
              {m.fields}:{' '}
              {result.fields.map((f, i) => (
                <span key={f}>
                  {i > 0 && ', '}
                  <code dir="ltr">{`{{${f}}}`}</code>
                </span>
              ))}
            </p>
            {result.warnings.length === 0 ? (
              <p class="ok">{m.checkOk}</p>
            ) : (
              <ul class="warnings">
                {[...new Map(result.warnings.map((w) => [w.code, w])).values()].map((w) => (
                  <li key={w.code}>
                    {lookup(m.warnings, w.code) ?? m.warningOther(w.code)}
                    <br />
                    <span class="detail">{w.message}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      {result && !result.ok && (
        <div class="error" role="alert">
          <p>
            <strong>{m.renderFailed}</strong> {lookup(t.failures, result.error.code) ?? ''}
          </p>
          <p class="detail">
            {t.failureCode(result.error.code)} — {result.error.message}
          </p>
        </div>
      )}
    </div>
  );
}

export function TemplatePage({ summary, onChange }: { summary: EventSummary; onChange(): void }) {
  const { t, date } = useI18n();
  const m = t.templatePage;
  const eventId = summary.event.eventId;
  const list = useLoad(() => api.listTemplates(eventId), [eventId]);
  const roles = [...new Set(['speaker', 'attendee', ...summary.event.roles])];
  const [role, setRole] = useState('');
  const eventTemplate = summary.event.templateId ?? 'classic';
  const current = role ? (summary.event.roleTemplates[role] ?? eventTemplate) : eventTemplate;
  const [shown, setShown] = useState<string>(current);
  const roleId = useId('role');
  const [svg, setSvg] = useState<File>();
  const [fonts, setFonts] = useState<File[]>([]);
  const { busy, error, run } = useAction();
  const [notice, setNotice] = useState<string>();

  const use = async (templateId: string) => {
    await run(async () => {
      const e = summary.event;
      await api.saveEvent(
        role ? { name: e.name, roleTemplates: { [role]: templateId } } : { name: e.name, templateId },
        eventId,
      );
      onChange();
    });
  };
  const upload = async (e: Event) => {
    e.preventDefault();
    if (!svg) return;
    await run(async () => {
      const fontFiles = await Promise.all(fonts.map(async (f) => ({ fileName: f.name, content: await fileBase64(f) })));
      const { templateId } = await api.uploadTemplate(eventId, svg.name, await fileBase64(svg), fontFiles);
      setNotice(m.uploaded_ok);
      setShown(templateId);
      list.reload();
    });
  };

  const row = (templateId: string, label: string, extra?: string) => (
    <li key={templateId} class={templateId === shown ? 'selected' : undefined}>
      <button type="button" class="link" aria-pressed={templateId === shown} onClick={() => setShown(templateId)}>
        {label}
      </button>
      {extra && <span class="muted"> {extra}</span>}{' '}
      {templateId === current ? (
        <span class="badge badge-ready">{m.inUse}</span>
      ) : (
        <button type="button" disabled={busy} onClick={() => void use(templateId)}>
          {m.use}
          <span class="visually-hidden">: {label}</span>
        </button>
      )}
    </li>
  );

  return (
    <div>
      <h2>{m.title}</h2>
      <ErrorBox error={error} />
      {notice && <Notice>{notice}</Notice>}
      <div class="field inline">
        <label for={roleId}>{m.forRole}</label>
        <select id={roleId} value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          <option value="">{m.everyRole}</option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {lookup(t.roles, r) ?? r}
            </option>
          ))}
        </select>
      </div>
      {!list.value && <Loading />}
      {list.value && (
        <div class="grid2">
          <div>
            <h3>{m.bundled}</h3>
            <ul class="templates">{list.value.bundled.map((id) => row(id, id))}</ul>
          </div>
          <div>
            <h3>{m.uploaded}</h3>
            <ul class="templates">
              {list.value.uploaded.map((u) =>
                row(u.templateId, u.fileName, `${date(u.uploadedAt)} · ${u.fonts.join(', ')}`),
              )}
            </ul>
          </div>
        </div>
      )}
      <Preview eventId={eventId} templateId={shown} />
      <form class="card" onSubmit={upload}>
        <h3>{m.uploadTitle}</h3>
        <p class="muted">{m.uploadIntro}</p>
        <div class="grid2">
          <Field label={m.svgFile}>
            {(id) => (
              <input
                id={id}
                type="file"
                accept=".svg,image/svg+xml"
                required
                onChange={(e) => setSvg(e.currentTarget.files?.[0])}
              />
            )}
          </Field>
          <Field label={m.fontFiles}>
            {(id) => (
              <input
                id={id}
                type="file"
                multiple
                accept=".ttf,.otf,.ttc,font/ttf,font/otf"
                onChange={(e) => setFonts([...(e.currentTarget.files ?? [])])}
              />
            )}
          </Field>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !svg}>
            {m.upload}
          </button>
        </div>
      </form>
    </div>
  );
}
