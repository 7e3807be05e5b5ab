// Get Container ACL: public access level and stored access policies, as plain objects.
import type { ContainerClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { checkHeaderValue, containerContext, runOperation, sdkOptions } from "@blobkit/auth/kit";
import { publicAccessOf } from "./internal/convert.js";
import { explainContainerError } from "./internal/errors.js";
import { startContainerOperation } from "./internal/validateOptions.js";
import type { ContainerAccessPolicy, StoredAccessPolicy } from "./rules/validateAccessPolicy.js";

/** Options of {@link getContainerAccessPolicy}. */
export interface GetContainerAccessPolicyOptions extends OperationOptions {
  /** Read only if this lease is the container's active lease. */
  leaseId?: string;
}

/** What {@link getContainerAccessPolicy} returns. */
export interface GetContainerAccessPolicyResult extends ContainerAccessPolicy {
  /** The container's ETag. */
  etag: string;
  /** The container's last-modified time. */
  lastModified: Date;
}

/**
 * Reads a container's public access level and its stored access policies (Get Container ACL).
 * The result can be changed and passed to {@link setContainerAccessPolicy}, which replaces both.
 *
 * @see [Manage container properties and metadata: Access policy](../../../apps/docs/guides/container-properties-metadata.md#access-policy-public-access-and-stored-access-policies)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { getContainerAccessPolicy } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
 * const { publicAccess, policies } = await getContainerAccessPolicy(service.getContainerClient("reports"));
 * for (const p of policies) console.log(p.id, p.permissions, p.expiresOn);
 * ```
 */
export async function getContainerAccessPolicy(
  container: ContainerClient,
  options?: GetContainerAccessPolicyOptions,
): Promise<GetContainerAccessPolicyResult> {
  const operation = "get container access policy";
  const { container: client, options: opts } = startContainerOperation(
    container,
    options,
    operation,
  );
  const leaseId = checkHeaderValue("leaseId", opts.leaseId);
  const response = await runOperation(
    containerContext(client, operation, "manage"),
    () =>
      client.getAccessPolicy({
        ...sdkOptions(opts),
        ...(leaseId ? { conditions: { leaseId } } : {}),
      }),
    explainContainerError,
  );
  const policies = response.signedIdentifiers.map(
    (identifier): StoredAccessPolicy => ({
      id: identifier.id,
      ...(identifier.accessPolicy?.permissions
        ? { permissions: identifier.accessPolicy.permissions }
        : {}),
      ...(identifier.accessPolicy?.startsOn ? { startsOn: identifier.accessPolicy.startsOn } : {}),
      ...(identifier.accessPolicy?.expiresOn
        ? { expiresOn: identifier.accessPolicy.expiresOn }
        : {}),
    }),
  );
  return {
    publicAccess: publicAccessOf(response.blobPublicAccess),
    policies,
    etag: response.etag ?? "",
    lastModified: response.lastModified ?? new Date(0),
  };
}
