// The options every BlobKit operation accepts.

/**
 * Options every BlobKit operation accepts. Operations that move bytes or walk many items extend it
 * with {@link ProgressOptions}.
 */
export interface OperationOptions {
  /** Cancels the operation; it then fails with a `StorageError` whose code is `"Aborted"`. */
  signal?: AbortSignal;
}

/** A progress report of a long operation. */
export interface Progress {
  /** Bytes (or items) done so far. */
  loaded: number;
  /** Total bytes (or items), when known. */
  total?: number;
}

/** Options of operations that report progress. */
export interface ProgressOptions extends OperationOptions {
  /** Called as work advances; must not throw. */
  onProgress?: (progress: Progress) => void;
}

/**
 * Turns BlobKit options into the SDK's `abortSignal` option, in one place.
 *
 * @example
 * ```ts
 * await blob.getProperties(sdkOptions(options));
 * ```
 */
export function sdkOptions(options: OperationOptions | undefined): { abortSignal?: AbortSignal } {
  return options?.signal ? { abortSignal: options.signal } : {};
}
