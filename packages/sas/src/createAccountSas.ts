// createAccountSas(): an account SAS for the blob service, signed with the account key.
import {
  AccountSASPermissions,
  type BlobServiceClient,
  generateAccountSASQueryParameters,
  SASProtocol,
} from "@azure/storage-blob";
import { signWithSdk } from "./internal/blobSasValues.js";
import { checkClock } from "./internal/clock.js";
import { checkSasOptions, resolveCommonOptions } from "./internal/commonOptions.js";
import { normalizePermissions, normalizeResourceTypes } from "./internal/permissions.js";
import { sasResult } from "./internal/sasResult.js";
import { sharedKeyOf } from "./internal/sharedKey.js";
import type {
  AccountSasResourceType,
  SasCommonOptions,
  SasPermissionsInput,
  SasResult,
} from "./types.js";

/** Options for {@link createAccountSas}. */
export interface AccountSasOptions extends Omit<SasCommonOptions, "responseHeaders"> {
  /**
   * What the SAS allows, e.g. `"rl"` or `["read", "list"]`. Required: there is no default.
   * Valid: r, w, d, x, y, l, a, c, t, f, i (`u` and `p` apply to queues and tables only).
   */
  permissions: SasPermissionsInput;
  /**
   * Which levels the SAS reaches: `"s"` service, `"c"` container, `"o"` object (blob), as letters
   * (`"co"`) or words (`["container", "object"]`). Required: there is no default.
   */
  resourceTypes: string | readonly AccountSasResourceType[];
  /**
   * Allow an expiry more than 7 days away. An account SAS can be revoked only by rotating the
   * account key.
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
 * Creates an account SAS for the blob service, signed with the account key of a client connected
 * with it. An account SAS reaches every container of the account and cannot be bound to a stored
 * access policy, so it can be revoked only by rotating the key: prefer a user delegation SAS
 * ({@link createUserDelegationSas}) or a service SAS for one container ({@link createServiceSas}),
 * and use an account SAS for tools that need several containers. Same safe defaults as every
 * BlobKit SAS. No request is made.
 *
 * @see [Create a service or account SAS: An account SAS](../../../apps/docs/guides/service-account-sas.md#an-account-sas)
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 * import { createAccountSas } from "@blobkit/sas";
 *
 * declare const accountName: string;
 * declare const accountKey: string;
 * const service = await connect({ method: "accountKey", accountName, accountKey });
 * const sas = createAccountSas(service, {
 *   permissions: "rl",
 *   resourceTypes: ["container", "object"],
 * });
 * ```
 */
export function createAccountSas(
  service: BlobServiceClient,
  options: AccountSasOptions,
): SasResult {
  checkSasOptions(
    options,
    "create account SAS",
    'e.g. { permissions: "rl", resourceTypes: ["container", "object"] }',
  );
  const credential = sharedKeyOf(service, "An account SAS");
  const permissions = normalizePermissions(options.permissions, "account");
  const resourceTypes = normalizeResourceTypes(options.resourceTypes);
  const common = resolveCommonOptions(options, service.url, {
    now: checkClock(options.now)(),
    defaults: true,
    allowLongLived: options.allowLongLived === true,
  });
  const { startsOn, expiresOn, protocol, ipRange } = common;
  const query = signWithSdk(() =>
    generateAccountSASQueryParameters(
      {
        permissions: AccountSASPermissions.parse(permissions),
        resourceTypes,
        services: "b",
        // resolveValidity always sets both when defaults apply
        expiresOn: expiresOn as Date,
        ...(startsOn ? { startsOn } : {}),
        protocol: protocol === "https" ? SASProtocol.Https : SASProtocol.HttpsAndHttp,
        ...(ipRange ? { ipRange } : {}),
      },
      credential,
    ),
  );
  return sasResult("account", service.url, query, common, permissions);
}
