// Set Container Metadata, validated before any request, with an ETag check (ifMatch).
import type { ContainerClient } from "@azure/storage-blob";
import { type OperationOptions, StorageError } from "@blobkit/auth";
import { checkHeaderValue, containerContext, runOperation, sdkOptions } from "@blobkit/auth/kit";
import { explainContainerError } from "./internal/errors.js";
import { startContainerOperation } from "./internal/validateOptions.js";
import { validateMetadata } from "./rules/validateMetadata.js";
import type { Metadata } from "./types.js";

/** Options of {@link setContainerMetadata}. */
export interface SetContainerMetadataOptions extends OperationOptions {
  /**
   * Write only if the container's ETag is still this one (from {@link getContainerProperties} or
   * a listing), so a change made by someone else since you read it is not overwritten; otherwise
   * fail with `PreconditionFailed`. `"*"` only requires the container to exist.
   *
   * Azure's Set Container Metadata does not accept `If-Match` (only `If-Modified-Since`), and the
   * SDK drops an `ifMatch` condition without a word. BlobKit therefore compares the ETag with a
   * Get Container Properties request right before the write: this catches every change made
   * before that check, but not one landing in the few milliseconds between the check and the write.
   */
  ifMatch?: string;
  /** The container's active lease, if you hold one: the write then succeeds only under it. */
  leaseId?: string;
}

/** What {@link setContainerMetadata} returns. */
export interface SetContainerMetadataResult {
  /** The container's new ETag. */
  etag: string;
  /** When the metadata was written. */
  lastModified: Date;
}

/** ETags compared without their quotes, so `0x8D...` and `"0x8D..."` match. */
function sameEtag(a: string, b: string): boolean {
  const strip = (tag: string) => tag.replace(/^W\//, "").replace(/^"|"$/g, "");
  return strip(a) === strip(b);
}

/**
 * Replaces all of a container's metadata with the given entries (an empty object removes it).
 * The metadata is checked before any request: names must be C# identifiers, unique ignoring case,
 * values printable ASCII, and all of it at most 8 KiB; a problem fails with an `InvalidArgument`
 * {@link @blobkit/auth!StorageError} naming the entry. Pass `ifMatch` with the ETag you read to
 * avoid overwriting someone else's change (see its notes), or use
 * {@link updateContainerMetadata} to change some entries and keep the rest.
 *
 * @see [Manage container properties and metadata: Replace the metadata, if nobody changed it](../../../apps/docs/guides/container-properties-metadata.md#replace-the-metadata-if-nobody-changed-it)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { getContainerProperties, setContainerMetadata } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
 * const container = service.getContainerClient("reports");
 * const { etag, metadata } = await getContainerProperties(container);
 * await setContainerMetadata(container, { ...metadata, reviewed: "2024-05-01" }, { ifMatch: etag });
 * ```
 */
export async function setContainerMetadata(
  container: ContainerClient,
  metadata: Metadata,
  options?: SetContainerMetadataOptions,
): Promise<SetContainerMetadataResult> {
  const operation = "set container metadata";
  const { container: client, options: opts } = startContainerOperation(
    container,
    options,
    operation,
  );
  const checked = validateMetadata(metadata, "metadata");
  const ifMatch = checkHeaderValue("ifMatch", opts.ifMatch);
  const leaseId = checkHeaderValue("leaseId", opts.leaseId);
  const conditions = leaseId ? { conditions: { leaseId } } : {};
  if (ifMatch !== undefined && ifMatch !== "*") {
    const current = await runOperation(
      containerContext(client, operation, "read"),
      () => client.getProperties({ ...sdkOptions(opts), ...conditions }),
      explainContainerError,
    );
    if (!current.etag || !sameEtag(current.etag, ifMatch)) {
      throw new StorageError(
        "PreconditionFailed",
        `Set container metadata (container '${client.containerName}') failed: the container changed since it was read (its ETag is ${current.etag ?? "unknown"}, not ${ifMatch}). Read it again and retry, or use updateContainerMetadata, which does that for you.`,
        { operation },
      );
    }
  } else if (ifMatch === "*") {
    await runOperation(
      containerContext(client, operation, "read"),
      () => client.getProperties({ ...sdkOptions(opts), ...conditions }),
      explainContainerError,
    );
  }
  const response = await runOperation(
    containerContext(client, operation, "write"),
    () => client.setMetadata(checked, { ...sdkOptions(opts), ...conditions }),
    explainContainerError,
  );
  return {
    etag: response.etag ?? "",
    lastModified: response.lastModified ?? new Date(),
  };
}
