// Create Container, with validation before any request and a bounded wait while Azure still
// deletes a container of the same name.
import type { BlobServiceClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import type { PublicAccessLevel } from "./getContainerProperties.js";
import { withoutQuery } from "./internal/convert.js";
import { createContainerInternal } from "./internal/create.js";
import type { Metadata } from "./validateMetadata.js";

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

/** What {@link createContainer} returns. */
export interface CreateContainerResult {
  /** The container name. */
  name: string;
  /** The container URL (without any SAS). */
  url: string;
  /** The new container's ETag. */
  etag: string;
  /** When it was created. */
  lastModified: Date;
}

/**
 * Creates a container, with optional metadata and public access level. The name (3-63
 * characters: lowercase letters, digits and single hyphens, a letter or digit at both ends) and
 * the metadata are checked before any request, and a bad one fails with an `InvalidArgument`
 * {@link @blobkit/auth!StorageError} that says what is wrong. While Azure still deletes a
 * container of the same name (409 `ContainerBeingDeleted`), it waits and tries again, for up to
 * a minute by default. Fails with `AlreadyExists` if the container exists; use
 * {@link createContainerIfNotExists} when that is fine.
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 * import { createContainer } from "@blobkit/containers";
 *
 * const service = await connect({ method: "entra", accountUrl: "https://myaccount.blob.core.windows.net" });
 * const created = await createContainer(service, "reports-2024", {
 *   metadata: { owner: "finance" },
 * });
 * console.log(created.url, created.etag);
 * ```
 */
export async function createContainer(
  service: BlobServiceClient,
  name: string,
  options?: CreateContainerOptions,
): Promise<CreateContainerResult> {
  const outcome = await createContainerInternal(service, name, options, "create container", false);
  return {
    name,
    url: withoutQuery(outcome.client.url),
    etag: outcome.etag ?? "",
    lastModified: outcome.lastModified ?? new Date(),
  };
}
