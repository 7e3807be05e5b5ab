// A hang guard for the reliability tests: an operation that does not settle in time becomes an
// error that says so, so a hang fails its test with a message instead of a vitest timeout.

/** What a settled operation gave, and how long it took. */
export interface Settled<T> {
  value?: T;
  error?: unknown;
  elapsedMs: number;
}

/**
 * Runs `fn` and settles within `hangAfterMs`: if it has not settled by then, the result is an
 * error saying it hung, so a hang fails the test with a message instead of a vitest timeout.
 */
export async function settleWithin<T>(
  hangAfterMs: number,
  fn: () => Promise<T>,
): Promise<Settled<T>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`HUNG: not settled after ${hangAfterMs} ms`)),
      hangAfterMs,
    );
  });
  try {
    const value = await Promise.race([fn(), hung]);
    return { value, elapsedMs: performance.now() - started };
  } catch (error) {
    return { error, elapsedMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
