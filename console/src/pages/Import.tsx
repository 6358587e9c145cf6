/**
 * Importing a spreadsheet: pick the file and the role, check it (the import's own reader runs
 * on it, nothing is written), change how columns are read, see the first rows and the rows
 * that will be rejected, then import. The reports of the event's imports follow.
 */
import { useState } from 'preact/hooks';
import { api, type EventSummary, type ImportPreviewResult } from '../api.js';
import { fileBase64 } from '../firebase.js';
import { useI18n } from '../i18n.js';
import { lookup } from '../messages/index.js';
import { ErrorBox, Field, Loading, Notice, useLoad, TableWrap, RoleSelect, useAction } from '../ui.js';

const ROLES = ['speaker', 'attendee', 'volunteer', 'organizer', 'reviewer', 'chair', 'sponsor', 'moderator'];
const CHOICES = ['name', 'given', 'family', 'email', 'talk.title', 'id', 'role', 'ignore'];
/** The fields the first-rows table shows, in order. */
const SHOWN = ['name', 'email', 'talk.title', 'role'];

function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') {
    const title = (value as Record<string, unknown>).title;
    return typeof title === 'string' ? title : JSON.stringify(value);
  }
  return String(value);
}

export function ImportPage({ summary, onChange }: { summary: EventSummary; onChange(): void }) {
  const { t, date } = useI18n();
  const m = t.importPage;
  const eventId = summary.event.eventId;
  const [file, setFile] = useState<File>();
  const [role, setRole] = useState('speaker');
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<ImportPreviewResult>();
  /** The choices the shown preview was read with, and the order of its columns at the first check. */
  const [checkedChoices, setCheckedChoices] = useState<Record<string, string>>({});
  const [headerOrder, setHeaderOrder] = useState<string[]>([]);
  const { busy, error, run } = useAction();
  const [started, setStarted] = useState(false);
  const reports = useLoad(
    () => api.listImports(eventId),
    [eventId],
    (r) => (started && (r.imports.length === 0 || r.imports.some((i) => i.status === 'running')) ? 2000 : undefined),
  );

  const input = async (columns: Record<string, string>) => ({
    eventId,
    role,
    fileName: file!.name,
    content: await fileBase64(file!),
    ...(Object.keys(columns).length ? { columns } : {}),
  });
  const check = async (columns = choices) => {
    if (!file) return;
    setStarted(false);
    await run(async () => {
      const result = await api.previewImport(await input(columns));
      setPreview(result);
      setCheckedChoices(columns);
      if (result.ok && Object.keys(columns).length === 0)
        setHeaderOrder([
          ...Object.values(result.columns),
          ...result.ignoredColumns.map((c) => c.header).filter(Boolean),
        ]);
    });
  };
  const start = () =>
    run(async () => {
      await api.startImport(await input(choices));
      setStarted(true);
      setPreview(undefined);
      reports.reload();
      onChange();
    });
  const choose = (header: string, choice: string) => {
    const next = { ...choices };
    if (choice) next[header] = choice;
    else delete next[header];
    setChoices(next);
  };
  const changed = JSON.stringify(choices) !== JSON.stringify(checkedChoices);

  // How each column is read now; the rows keep the order of the first check (a choice never moves a row).
  const readings = new Map<string, string>();
  if (preview?.ok) {
    for (const [field, header] of Object.entries(preview.columns)) readings.set(header, field);
    for (const ignored of preview.ignoredColumns)
      if (ignored.header) readings.set(ignored.header, `— ${ignored.reason}`);
  }
  const headers = [...headerOrder, ...[...readings.keys()].filter((h) => !headerOrder.includes(h))].filter((h) =>
    readings.has(h),
  );

  return (
    <div>
      <h2>{m.title}</h2>
      <p>{m.intro}</p>
      <form
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void check();
        }}
      >
        <div class="grid2">
          <Field label={m.file}>
            {(id) => (
              <input
                id={id}
                type="file"
                required
                accept=".csv,.tsv,.txt,.xlsx,.json,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                onChange={(e) => {
                  setFile(e.currentTarget.files?.[0]);
                  setPreview(undefined);
                  setChoices({});
                  setCheckedChoices({});
                  setHeaderOrder([]);
                }}
              />
            )}
          </Field>
          <RoleSelect label={m.role} roles={ROLES} value={role} onChange={setRole} />
        </div>
        <div class="actions">
          <button type="submit" disabled={busy || !file}>
            {busy ? m.checking : m.preview}
          </button>
        </div>
      </form>
      <ErrorBox error={error} />
      {preview && !preview.ok && (
        <div class="error" role="alert">
          <p>
            <strong>{m.fileRejected}</strong> {lookup(m.fileProblems, preview.error.code) ?? ''}
          </p>
          <p class="detail">{preview.error.message}</p>
          <p class="detail">{t.failureCode(preview.error.code)}</p>
        </div>
      )}
      {preview?.ok && (
        <div class="card">
          <p role="status">
            <strong>{m.summary(preview.rowsTotal, preview.accepted, preview.rejected)}</strong>
          </p>
          <h3>{m.mappingTitle}</h3>
          <p class="muted">{m.mappingIntro}</p>
          <TableWrap label={m.mappingTitle}>
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">{m.header}</th>
                  <th scope="col">{m.readAs}</th>
                </tr>
              </thead>
              <tbody>
                {headers.map((header) => (
                  <tr key={header}>
                    <th scope="row">{header}</th>
                    <td>
                      <select
                        aria-label={`${m.readAs}: ${header}`}
                        value={choices[header] ?? ''}
                        onChange={(e) => choose(header, e.currentTarget.value)}
                      >
                        <option value="">
                          {m.auto} ({lookup(m.choices, readings.get(header)!) ?? readings.get(header)})
                        </option>
                        {CHOICES.map((c) => (
                          <option key={c} value={c}>
                            {lookup(m.choices, c) ?? c}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <div class="actions">
            <button type="button" disabled={busy || !changed} onClick={() => void check(choices)}>
              {m.applyMapping}
            </button>
          </div>
          <h3>{m.firstRows}</h3>
          <TableWrap label={m.firstRows}>
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">{m.line}</th>
                  {SHOWN.map((f) => (
                    <th scope="col" key={f}>
                      {lookup(m.choices, f) ?? f}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.line}>
                    <td>{row.line}</td>
                    {SHOWN.map((f) => (
                      <td key={f}>
                        {show(f === 'talk.title' ? (row.fields.talk ?? row.fields['talk.title']) : row.fields[f])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {preview.rejectedRows.length > 0 && (
            <>
              <h3>{m.rejectedTitle}</h3>
              <TableWrap label={m.rejectedTitle}>
                <table class="list">
                  <thead>
                    <tr>
                      <th scope="col">{m.line}</th>
                      <th scope="col">{m.reason}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rejectedRows.map((row, i) => (
                      <tr key={i}>
                        <td>{row.line}</td>
                        <td>
                          {lookup(m.rowProblems, row.code) ?? row.reason}
                          <br />
                          <span class="detail">{row.reason}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </>
          )}
          <div class="actions">
            <button
              type="button"
              class="primary"
              disabled={busy || changed || preview.accepted === 0}
              onClick={() => void start()}
            >
              {m.start}
            </button>
          </div>
        </div>
      )}
      {started && <Notice>{m.started}</Notice>}
      <h3>{m.reportsTitle}</h3>
      <ErrorBox error={reports.error} />
      {!reports.value && <Loading />}
      {reports.value && reports.value.imports.length === 0 && <p>{m.noReports}</p>}
      {reports.value && reports.value.imports.length > 0 && (
        <ul class="reports">
          {reports.value.imports.map((r) => (
            <li key={r.importId}>
              <strong>{r.fileName}</strong> · {lookup(t.roles, r.role) ?? r.role} ·{' '}
              {lookup(m.importStatus, r.status) ?? r.status} · {date(r.startedAt)}
              <br />
              {r.error ? (
                <span class="error-text">{lookup(m.fileProblems, r.error.code) ?? r.error.message}</span>
              ) : (
                m.reportLine(r.created, r.updated, r.unchanged, r.rejected)
              )}
              {r.rejectedRows.length > 0 && (
                <details>
                  <summary>{m.rejectedTitle}</summary>
                  <ul>
                    {r.rejectedRows.map((row, i) => (
                      <li key={i}>
                        {m.line} {row.line}: {lookup(m.rowProblems, row.code) ?? row.reason}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
