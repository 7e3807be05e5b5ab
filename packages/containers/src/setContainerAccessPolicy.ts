// Set Container ACL: public access level and stored access policies, validated before any request.
import type { ContainerClient } from "@azure/storage-blob";
import type { OperationOptions } from "@blobkit/auth";
import { checkHeaderValue, containerContext, runOperation, sdkOptions } from "@blobkit/auth/kit";
import { explainContainerError } from "./internal/errors.js";
import { startContainerOperation } from "./internal/validateOptions.js";
import { type ContainerAccessPolicy, validateAccessPolicy } from "./rules/validateAccessPolicy.js";

/** Options of {@link setContainerAccessPolicy}. */
export interface SetContainerAccessPolicyOptions extends OperationOptions {
  /** The container's active lease, if you hold one. */
  leaseId?: string;
}

/** What {@link setContainerAccessPolicy} returns. */
export interface SetContainerAccessPolicyResult {
  /** The container's new ETag. */
  etag: string;
  /** When the access policy was written. */
  lastModified: Date;
}

/**
 * Sets a container's public access level and stored access policies together (Set Container
 * ACL), replacing both: a policy left out is removed, and the public access level is always set,
 * so read the current one with {@link getContainerAccessPolicy} to keep it. Checked before any
 * request with {@link validateAccessPolicy}. Azure may take up to 30 seconds to apply a change to
 * the stored policies. Accounts that forbid anonymous access reject any level but `"none"` with
 * 409 `PublicAccessNotPermitted`.
 *
 * @see [Manage container properties and metadata: Access policy](../../../apps/docs/guides/container-properties-metadata.md#access-policy-public-access-and-stored-access-policies)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { setContainerAccessPolicy } from "@blobkit/containers";
 *
 * declare const service: BlobServiceClient;
 * await setContainerAccessPolicy(service.getContainerClient("reports"), {
 *   publicAccess: "none",
 *   policies: [{ id: "readers", permissions: "rl", expiresOn: new Date(Date.now() + 86_400_000) }],
 * });
 * ```
 */
export async function setContainerAccessPolicy(
  container: ContainerClient,
  policy: ContainerAccessPolicy,
  options?: SetContainerAccessPolicyOptions,
): Promise<SetContainerAccessPolicyResult> {
  const operation = "set container access policy";
  const { container: client, options: opts } = startContainerOperation(
    container,
    options,
    operation,
  );
  const checked = validateAccessPolicy(policy);
  const leaseId = checkHeaderValue("leaseId", opts.leaseId);
  const response = await runOperation(
    containerContext(client, operation, "manage"),
    () =>
      client.setAccessPolicy(
        checked.publicAccess === "none" ? undefined : checked.publicAccess,
        checked.policies.map((p) => ({
          id: p.id,
          accessPolicy: {
            ...(p.permissions ? { permissions: p.permissions } : {}),
            ...(p.startsOn ? { startsOn: p.startsOn } : {}),
            ...(p.expiresOn ? { expiresOn: p.expiresOn } : {}),
          },
        })),
        { ...sdkOptions(opts), ...(leaseId ? { conditions: { leaseId } } : {}) },
      ),
    explainContainerError,
  );
  return {
    etag: response.etag ?? "",
    lastModified: response.lastModified ?? new Date(),
  };
}
