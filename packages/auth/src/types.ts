// The types every BlobKit package shares: options every operation accepts, and what error
// conversion needs to know about the operation and its client.

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

/** How a client proves who it is. */
export type CredentialKind = "entra" | "sas" | "accountKey" | "anonymous";

/**
 * The kind of access an operation needs; BlobKit names the matching SAS permission and Azure role
 * when the service refuses it.
 */
export type AccessKind =
  | "read"
  | "write"
  | "create"
  | "delete"
  | "list"
  | "tag"
  | "filter"
  | "delegate"
  | "manage";

/** The minimal view of an SDK client that error conversion needs. */
export interface ClientLike {
  readonly url: string;
  readonly credential?: unknown;
}

/** What BlobKit was doing when an error happened, to make the message actionable. */
export interface ErrorContext {
  /** Verb phrase, e.g. `"create container"`. */
  operation: string;
  /** What it acted on, e.g. `"container 'reports'"`. */
  resource?: string;
  /** The client used, to name the credential kind (never its secret). */
  client?: ClientLike;
  /** The access the operation needs. */
  access?: AccessKind;
}
