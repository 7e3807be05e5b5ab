// Inputs and results shared by the batch operations (deleteBlobs, setBlobsTier).
import type { ProgressOptions, StorageError } from "@blobkit/auth";

/**
 * A blob in a container, by name, optionally one of its snapshots or versions. Items of
 * {@link listBlobs} fit as they are.
 */
export type BlobReference =
  | string
  | {
      /** The blob's name. */
      name: string;
      /** A snapshot time, to act on that snapshot only. */
      snapshot?: string | undefined;
      /** A version id, to act on that version only. */
      versionId?: string | undefined;
    };

/** Options shared by the batch operations. */
export interface BlobBatchOptions extends ProgressOptions {
  /**
   * How many batch requests (of up to 256 blobs each) may be in flight at once (1-16).
   * @defaultValue 4
   */
  concurrency?: number;
}

/** What happened to one blob of a batch. */
export interface BlobBatchItemResult {
  /** The blob's name. */
  name: string;
  /** The snapshot, when the reference named one. */
  snapshot: string | undefined;
  /** The version, when the reference named one. */
  versionId: string | undefined;
  /** Whether the operation succeeded for this blob. */
  ok: boolean;
  /** The HTTP status of this blob's sub-request (`undefined` when the whole batch failed to send). */
  status: number | undefined;
  /** Why it failed, when it did. */
  error: StorageError | undefined;
}

/** The results of a batch operation, one per blob, in input order. */
export interface BlobBatchResult {
  /** One result per blob, in the order given. */
  results: BlobBatchItemResult[];
  /** How many blobs succeeded. */
  succeeded: number;
  /** How many failed; see their `error`. */
  failed: number;
}
