// Checks shared by uploadBlob and downloadBlob, run before any request.
import type { Progress } from "@blobkit/auth";
import { describeValue, invalidArgument } from "@blobkit/auth/kit";

export function checkInteger(
  field: string,
  value: unknown,
  min: number,
  max: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(
      field,
      `must be a whole number from ${min} to ${max}; got ${describeValue(value)}`,
    );
  }
  return value;
}

export function checkOptionalString(field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.length === 0) {
    throw invalidArgument(field, "must be a non-empty string");
  }
  return value;
}

/** HTTP header values: printable ASCII and tabs, as the service stores them. */
export function checkHeaderValue(field: string, value: unknown): string | undefined {
  const text = checkOptionalString(field, value);
  if (text !== undefined && /[^\t\x20-\x7e]/.test(text)) {
    throw invalidArgument(
      field,
      `${JSON.stringify(text)} is not a valid HTTP header value: use printable ASCII (encode other text, e.g. RFC 5987 for Content-Disposition file names)`,
    );
  }
  return text;
}

/** Reports progress, never going backwards, and never lets a throwing callback break a transfer. */
export function progressReporter(
  onProgress: ((progress: Progress) => void) | undefined,
  total: number | undefined,
  minStep = 0,
): { add(bytes: number): void; finish(): void; readonly loaded: number } {
  let loaded = 0;
  let reported = -1;
  const emit = () => {
    if (!onProgress || loaded === reported) return;
    reported = loaded;
    try {
      onProgress(total === undefined ? { loaded } : { loaded, total });
    } catch {
      // A progress callback must never break a transfer.
    }
  };
  return {
    add(bytes) {
      loaded += bytes;
      if (loaded - reported >= minStep) emit();
    },
    finish: emit,
    get loaded() {
      return loaded;
    },
  };
}
