/** Small pieces every page uses: a labelled field, the error and notice boxes, a loader. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './firebase.js';
import { useI18n } from './i18n.js';
import { lookup } from './messages/index.js';

let ids = 0;
/** A stable id for label/aria pairs. */
export function useId(prefix: string): string {
  const ref = useRef<string>();
  ref.current ??= `${prefix}-${++ids}`;
  return ref.current;
}

export function Field(props: {
  label: string;
  hint?: string;
  children: (id: string, describedBy?: string) => ComponentChildren;
}) {
  const id = useId('f');
  const hintId = props.hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id, hintId)}
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** An error, in the organizer's words where the code is known, then the service's own message. */
export function ErrorBox({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  const api = error instanceof ApiError ? error : undefined;
  const lead = (api && lookup(t.errors, api.code)) ?? t.errors.other;
  const explained = api?.detailCode ? lookup(t.failures, api.detailCode) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert">
      <p>
        <strong>{lead}</strong> {explained ?? ''}
      </p>
      {api?.code !== 'unavailable' && api?.code !== 'unauthenticated' && <p class="detail">{message}</p>}
    </div>
  );
}

export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p class="loading" role="status" aria-live="polite">
      {t.loading}
    </p>
  );
}

/**
 * Runs `load` now and whenever `deps` change; then again after `poll(value)` ms (none: stop), skipping
 * the loads while the tab is hidden.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], poll?: (value: T) => number | undefined) {
  const [value, setValue] = useState<T | undefined>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const again = () => {
      if (document.hidden) timer = setTimeout(again, 2000);
      else void run();
    };
    const run = () =>
      load().then(
        (v) => {
          if (!live) return;
          setValue(v);
          setError(undefined);
          const next = poll?.(v);
          if (next !== undefined) timer = setTimeout(again, next);
        },
        (e: unknown) => live && setError(e),
      );
    void run();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { value, error, reload: () => setTick((n) => n + 1), setValue };
}

/** The status of a certificate as a labelled badge. */
export function StatusBadge({ status }: { status: keyof ReturnType<typeof useI18n>['t']['status'] }) {
  const { t } = useI18n();
  return <span class={`badge badge-${status}`}>{t.status[status]}</span>;
}

/**
 * A table that may scroll sideways on a narrow screen: a labelled region the keyboard can focus,
 * so it can be scrolled with the arrow keys.
 */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A labelled choice of role ids, each shown by its translated name (or its id for an organizer's own role). */
export function RoleSelect(props: {
  label: string;
  roles: readonly string[];
  value: string;
  onChange(role: string): void;
}) {
  const { t } = useI18n();
  return (
    <Field label={props.label}>
      {(id) => (
        <select id={id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
          {props.roles.map((r) => (
            <option key={r} value={r}>
              {lookup(t.roles, r) ?? r}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * What a button or form does: `run(work)` marks it busy, clears the last error, and keeps the error
 * `work` throws for the ErrorBox (the result of `work`, or undefined when it failed).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await work();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
