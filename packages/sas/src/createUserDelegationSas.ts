// createUserDelegationSas(): a SAS for a blob, a container or a directory prefix, signed with the
// signer's cached user delegation key (Microsoft Entra ID), with BlobKit's safe defaults.
import { generateBlobSASQueryParameters } from "@azure/storage-blob";
import { invalidArgument } from "@blobkit/auth/kit";
import type { UserDelegationSigner } from "./createUserDelegationSigner.js";
import { blobSasValues, signWithSdk } from "./internal/blobSasValues.js";
import { checkSasOptions, resolveCommonOptions } from "./internal/commonOptions.js";
import { normalizePermissions } from "./internal/permissions.js";
import { sasResult } from "./internal/sasResult.js";
import { resolveTarget } from "./internal/target.js";
import { latestDelegationExpiry } from "./internal/validity.js";
import type { SasCommonOptions, SasPermissionsInput, SasResult, SasTarget } from "./types.js";

/** Options for {@link createUserDelegationSas}. */
export interface UserDelegationSasOptions extends SasCommonOptions {
  /**
   * What the SAS allows, e.g. `"r"` or `["read", "list"]`. Required: there is no default. Checked
   * against the target: `l` (list) and `f` (filter by tags) only on a container.
   */
  permissions: SasPermissionsInput;
}

/**
 * Creates a user delegation SAS for a blob, a container or a directory prefix, signed with the
 * signer's cached delegation key (see {@link createUserDelegationSigner}). Safe defaults: it starts
 * 15 minutes ago (clock skew), lasts one hour, is HTTPS-only, and grants exactly the permissions
 * you name. It never outlives its delegation key, so it lasts at most 7 days. The SAS acts with
 * the rights of your identity: the service also checks that your identity holds a data role for
 * what the SAS grants.
 *
 * @see [Create a user delegation SAS](../../../apps/docs/guides/user-delegation-sas.md)
 *
 * @example
 * ```ts
 * import type { BlobServiceClient } from "@azure/storage-blob";
 * import { createUserDelegationSas, createUserDelegationSigner } from "@blobkit/sas";
 *
 * declare const service: BlobServiceClient; // connected with Microsoft Entra ID
 * const signer = createUserDelegationSigner(service);
 * const { url } = await createUserDelegationSas(
 *   signer,
 *   { container: "reports", blob: "2024/q1.pdf" },
 *   { permissions: "r", expiresOn: new Date(Date.now() + 10 * 60_000) },
 * );
 * // hand `url` to the client that downloads the report; never log it
 * ```
 */
export async function createUserDelegationSas(
  signer: UserDelegationSigner,
  target: SasTarget,
  options: UserDelegationSasOptions,
): Promise<SasResult> {
  if (
    typeof signer !== "object" ||
    signer === null ||
    typeof signer.getUserDelegationKey !== "function" ||
    typeof signer.now !== "function"
  ) {
    throw invalidArgument("signer", "must come from createUserDelegationSigner()");
  }
  checkSasOptions(
    options,
    "create user delegation SAS",
    'with at least permissions, e.g. { permissions: "r" }',
  );
  const resolved = resolveTarget(target, signer.service);
  const permissions = normalizePermissions(options.permissions, resolved.scope);
  const now = signer.now();
  const common = resolveCommonOptions(options, signer.service.url, {
    now,
    defaults: true,
    allowLongLived: false,
    hardLimit: {
      expiresOn: latestDelegationExpiry(now),
      reason:
        "a user delegation SAS cannot outlive its delegation key, and a delegation key lasts at most 7 days. For longer access, create a new SAS when it is needed",
    },
  });
  const { expiresOn } = common;
  const values = blobSasValues({
    target: resolved,
    permissions,
    ...common,
    responseHeaders: options.responseHeaders,
  });
  const key = await signer.getUserDelegationKey({
    ...(expiresOn ? { validUntil: expiresOn } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (expiresOn && key.signedExpiresOn.getTime() < expiresOn.getTime()) {
    throw invalidArgument(
      "expiresOn",
      `the delegation key expires at ${key.signedExpiresOn.toISOString()}, before the SAS would (${expiresOn.toISOString()}); a SAS must not outlive its key`,
    );
  }
  const query = signWithSdk(() => generateBlobSASQueryParameters(values, key, signer.accountName));
  return sasResult("user-delegation", resolved.url, query, common, permissions);
}
