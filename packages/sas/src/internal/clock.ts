// The `now` option of the SAS functions, the signer and parseSas: a caller's clock, checked when
// given and on every reading, so a clock that returns no valid Date fails naming `now`.
import { invalidArgument } from "@blobkit/auth/kit";

/** The clock of a `now` option (the system clock when left out), checked on every reading. */
export function checkClock(now: unknown): () => Date {
  if (now !== undefined && typeof now !== "function") {
    throw invalidArgument("now", "must be a function returning a Date");
  }
  const clock = (now as (() => unknown) | undefined) ?? (() => new Date());
  return () => {
    const value = clock();
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      throw invalidArgument("now", "must return a valid Date");
    }
    return value;
  };
}
