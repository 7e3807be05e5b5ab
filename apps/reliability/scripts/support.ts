// Shared by the cancellation scripts, which run as plain Node processes (types stripped) outside
// vitest: checks that throw (so the process exits non-zero), abort measurement, and the RESULT
// line the parent test reads. Nothing here may leave a timer or socket behind.
import { isStorageError } from "@blobkit/auth";

/** Longest time from `abort()` to the operation's rejection. */
export const ABORT_WITHIN_MS = 1_000;

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** What an aborted operation did. */
export interface AbortOutcome {
  /** The StorageError code it rejected with (or the error's text). */
  code: string;
  /** From `abort()` to the rejection. */
  latencyMs: number;
}

/**
 * Aborts `controller` and measures how long `running` takes to reject; checks it rejected with a
 * StorageError "Aborted" within {@link ABORT_WITHIN_MS}.
 */
export async function abortAndMeasure(
  label: string,
  controller: AbortController,
  running: Promise<unknown>,
): Promise<AbortOutcome> {
  let settledAt: number | undefined;
  let error: unknown;
  const watched = running.then(
    () => {
      settledAt = performance.now();
    },
    (caught: unknown) => {
      settledAt = performance.now();
      error = caught;
    },
  );
  const abortedAt = performance.now();
  controller.abort();
  await watched;
  const latencyMs = Math.round((settledAt ?? abortedAt) - abortedAt);
  check(error !== undefined, `${label}: completed although it was aborted`);
  const code = isStorageError(error) ? error.code : String(error);
  check(
    isStorageError(error, "Aborted"),
    `${label}: expected a StorageError "Aborted", got ${code}`,
  );
  check(
    latencyMs <= ABORT_WITHIN_MS,
    `${label}: took ${latencyMs} ms to stop after abort() (limit ${ABORT_WITHIN_MS} ms)`,
  );
  return { code, latencyMs };
}

/** Resolves once `predicate` holds, polling every 10 ms; fails after `timeoutMs`. */
export async function waitUntil(
  label: string,
  predicate: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const started = performance.now();
  while (!predicate()) {
    check(performance.now() - started < timeoutMs, `${label}: not reached in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Prints the line the parent test parses. Call it last: the process should exit right after. */
export function report(result: Record<string, unknown>): void {
  console.log(`RESULT ${JSON.stringify(result)}`);
}
