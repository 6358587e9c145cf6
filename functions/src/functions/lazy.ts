/**
 * A handler that loads on its first call: a function's definition module loads only the
 * trigger's provider and its options, and its handler (firebase-admin, the renderer, the
 * credential libraries) comes with the first event or request, once per instance.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler signature
export function lazy<F extends (...args: any[]) => unknown>(
  load: () => Promise<F>,
): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>> {
  let loaded: Promise<F> | undefined;
  return async (...args: Parameters<F>): Promise<Awaited<ReturnType<F>>> => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined; // a failed load (a transient read error) is tried again by the next call
      throw error;
    });
    return (await (
      await loaded
    )(...args)) as Awaited<ReturnType<F>>;
  };
}

/**
 * `lazy` for the functions that issue certificates (they render and sign): on the first call the
 * renderer starts (wasm compile on V8's background threads, the bundled fonts read) and the
 * credential libraries load while the handler's modules load, instead of after them. A failure
 * to start either is left to the handler's own call, which reports it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler signature
export function lazyIssuing<F extends (...args: any[]) => unknown>(
  load: () => Promise<F>,
): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>> {
  return lazy(() => {
    import('../render-instance.js').then((m) => m.renderer()).catch(() => undefined);
    import('../credential/open-badge.js').then((m) => m.preloadCredentialLibraries()).catch(() => undefined);
    return load();
  });
}
