// createServiceSas(): a SAS for a blob, a container or a directory prefix signed with the account
// key, optionally bound to a stored access policy so it can be revoked.
import { type BlobServiceClient, generateBlobSASQueryParameters } from "@azure/storage-blob";
import { invalidArgument } from "@blobkit/auth/kit";
import { blobSasValues, signWithSdk } from "./internal/blobSasValues.js";
import { checkClock } from "./internal/clock.js";
import { checkSasOptions, resolveCommonOptions } from "./internal/commonOptions.js";
import { normalizePermissions } from "./internal/permissions.js";
import { sasResult } from "./internal/sasResult.js";
import { sharedKeyOf } from "./internal/sharedKey.js";
import { resolveTarget } from "./internal/target.js";
import type { SasCommonOptions, SasPermissionsInput, SasResult, SasTarget } from "./types.js";

/** Options for {@link createServiceSas}. */
export interface ServiceSasOptions extends SasCommonOptions {
  /**
   * What the SAS allows, e.g. `"r"` or `["read", "list"]`. Required unless `storedPolicyId` names
   * a policy that defines the permissions (then leave it out: Azure refuses a SAS that repeats a
   * field the policy sets). `l` (list) and `f` (filter by tags) are valid only on a container.
   */
  permissions?: SasPermissionsInput;
  /**
   * The id of a stored access policy on the container (see the SDK's
   * `ContainerClient.setAccessPolicy`). The SAS then takes its missing start, expiry and
   * permissions from the policy, and stops working when the policy is changed or removed: the
   * only way to revoke a service SAS short of rotating the account key. With a policy, BlobKit
   * does not add its default start and expiry.
   */
  storedPolicyId?: string;
  /**
   * Allow an expiry more than 7 days away. A long-lived SAS signed with the account key can be
   * revoked only by rotating the key; prefer a stored access policy.
   * @defaultValue false
   */
  allowLongLived?: boolean;
  /**
   * The clock, for tests.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
}

/**
 * Creates a service SAS for a blob, a container or a directory prefix, signed with the account key
 * of a client connected with it. Prefer {@link createUserDelegationSas} when you can use Microsoft
 * Entra ID: a service SAS can be revoked only through a stored access policy (`storedPolicyId`) or
 * by rotating the account key. Safe defaults as for every BlobKit SAS: starts 15 minutes ago, lasts
 * one hour, HTTPS-only (HTTP too for an emulator on loopback), explicit permissions checked against
 * the target, at most 7 days unless `allowLongLived`. No request is made.
 *
 * @see [Create a service or account SAS: A service SAS for a blob or a container](../../../apps/docs/guides/service-account-sas.md#a-service-sas-for-a-blob-or-a-container)
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 * import { createServiceSas } from "@blobkit/sas";
 *
 * declare const accountName: string;
 * declare const accountKey: string;
 * const service = await connect({ method: "accountKey", accountName, accountKey });
 * const sas = createServiceSas(service, { container: "uploads" }, {
 *   permissions: ["create", "write"],
 *   expiresOn: new Date(Date.now() + 30 * 60_000),
 * });
 * ```
 */
export function createServiceSas(
  service: BlobServiceClient,
  target: SasTarget,
  options: ServiceSasOptions,
): SasResult {
  checkSasOptions(
    options,
    "create service SAS",
    'with at least permissions, e.g. { permissions: "r" }',
  );
  const credential = sharedKeyOf(service, "A service SAS");
  const resolved = resolveTarget(target, service);
  const policy = options.storedPolicyId;
  if (
    policy !== undefined &&
    // An unpaired surrogate would make the SDK's URL encoding throw a URIError.
    (typeof policy !== "string" || !/^.{1,64}$/su.test(policy) || !policy.isWellFormed())
  ) {
    throw invalidArgument(
      "storedPolicyId",
      "must be the 1-64 character id of a stored access policy",
    );
  }
  const permissions =
    policy !== undefined && options.permissions === undefined
      ? undefined
      : normalizePermissions(options.permissions, resolved.scope);
  const common = resolveCommonOptions(options, service.url, {
    now: checkClock(options.now)(),
    defaults: policy === undefined,
    allowLongLived: options.allowLongLived === true,
  });
  const values = blobSasValues({
    target: resolved,
    permissions,
    ...common,
    responseHeaders: options.responseHeaders,
    identifier: policy,
  });
  const query = signWithSdk(() => generateBlobSASQueryParameters(values, credential));
  return sasResult("service", resolved.url, query, common, permissions);
}
