// The types several files of this package share: metadata, a container's properties, and the
// options of the create functions. They live here so that src/internal/ needs no public
// capability file for a type, and no import circle forms between the two.
import type { OperationOptions } from "@blobkit/auth";

/** User metadata: name/value pairs stored as `x-ms-meta-*` headers. */
export type Metadata = Record<string, string>;

/**
 * Who may read a container's data without authorization: `"none"` (private, the default),
 * `"blob"` (anyone may read blobs whose URL they know) or `"container"` (anyone may also list).
 */
export type PublicAccessLevel = "none" | "blob" | "container";

/** Whether a lease is held on the container (`"locked"`) or not. */
export type LeaseStatus = "locked" | "unlocked";

/** Where the container's lease is in its lifecycle. */
export type LeaseState = "available" | "leased" | "expired" | "breaking" | "broken";

/** Whether an active lease is infinite or of fixed duration (15-60 s). */
export type LeaseDuration = "infinite" | "fixed";

/** The system properties and metadata of a container. */
export interface ContainerProperties {
  /** The container name. */
  name: string;
  /** The container's ETag, quoted as the service sends it, e.g. `"0x8DC..."`. */
  etag: string;
  /** When the container or its properties, metadata or access policy last changed. */
  lastModified: Date;
  /** Whether a lease is held. */
  leaseStatus: LeaseStatus;
  /** The lease's state. */
  leaseState: LeaseState;
  /** Infinite or fixed, when a lease is held. */
  leaseDuration?: LeaseDuration;
  /** Who may read without authorization. */
  publicAccess: PublicAccessLevel;
  /** Whether a container-level immutability (WORM) policy exists. */
  hasImmutabilityPolicy: boolean;
  /** Whether a legal hold is set. */
  hasLegalHold: boolean;
  /** Whether version-level immutability is enabled. */
  immutableStorageWithVersioning: boolean;
  /** The default encryption scope for new blobs, if one is set. */
  defaultEncryptionScope?: string;
  /** Whether blobs must use the default encryption scope. */
  preventEncryptionScopeOverride?: boolean;
  /**
   * User metadata, names as stored (`ReviewedBy`). Azure compares names ignoring case. When the
   * credential may not list containers, the names are lower-case (see
   * {@link getContainerProperties}).
   */
  metadata: Metadata;
}

/**
 * How long {@link createContainer} keeps trying while Azure answers 409 `ContainerBeingDeleted`
 * (for at least 30 seconds after a container of the same name was deleted).
 */
export interface RetryWhileBeingDeletedOptions {
  /**
   * Longest total wait before giving up with a `Conflict` error. 0 tries once.
   * @defaultValue 60000
   */
  maxWaitMs?: number;
  /**
   * First delay between tries; it doubles after each try, with jitter.
   * @defaultValue 1000
   */
  initialDelayMs?: number;
  /**
   * Upper bound of one delay.
   * @defaultValue 10000
   */
  maxDelayMs?: number;
}

/** Options of {@link createContainer} and {@link createContainerIfNotExists}. */
export interface CreateContainerOptions extends OperationOptions {
  /** User metadata, checked with {@link validateMetadata} before any request. */
  metadata?: Metadata;
  /**
   * Who may read without authorization. Most accounts forbid anything but `"none"`
   * (AllowBlobPublicAccess is false by default), and Azure then answers 409 PublicAccessNotPermitted.
   * @defaultValue "none"
   */
  publicAccess?: PublicAccessLevel;
  /**
   * Wait with exponential backoff while Azure still deletes a container of the same name, or
   * `false` to fail at once with a `Conflict` error whose `serviceCode` is `ContainerBeingDeleted`.
   * The wait is bounded and ends at once when `signal` fires.
   * @defaultValue `{ maxWaitMs: 60000, initialDelayMs: 1000, maxDelayMs: 10000 }`
   */
  retryWhileBeingDeleted?: RetryWhileBeingDeletedOptions | false;
}
