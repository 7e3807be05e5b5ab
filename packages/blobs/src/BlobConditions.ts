// Conditions a write (or read) must meet, shared by every blob operation that accepts them.
import type { TagQuery } from "./tagQuery.js";

/** Conditions on the blob an operation acts on; the operation fails with `PreconditionFailed` if one does not hold. */
export interface BlobConditions {
  /** Act only if the blob's ETag is this one (optimistic concurrency). */
  ifMatch?: string;
  /**
   * Act only if the blob's index tags match, e.g. `tagQuery().where("status", "=", "draft")`
   * (sent as `x-ms-if-tags`). A string is sent as is; prefer the builder, which quotes correctly.
   */
  whereTags?: TagQuery | string;
  /** The blob's active lease id; required to change a leased blob. */
  leaseId?: string;
}
