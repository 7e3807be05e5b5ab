// Progress of a transfer: reported as bytes arrive or leave, never backwards, never breaking it.
import type { Progress } from "@blobkit/auth";

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
