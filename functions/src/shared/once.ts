/**
 * The one "cached promise, cleared on failure" of certforge: the first call starts the work
 * (with its arguments), later calls share its promise; a failed start is forgotten, so the
 * next call tries again instead of inheriting the failure.
 */
export function once<A extends unknown[], T>(start: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let pending: Promise<T> | undefined;
  return (...args: A) => {
    pending ??= start(...args).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
