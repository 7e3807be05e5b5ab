// createAccountSas(): an account SAS for the blob service, signed with the account key.
import {
  AccountSASPermissions,
  type BlobServiceClient,
  generateAccountSASQueryParameters,
  SASProtocol,
} from "@azure/storage-blob";
import { invalidArgument, throwIfAborted } from "@blobkit/auth/kit";
import { signWithSdk } from "./internal/blobSasValues.js";
import { normalizePermissions, normalizeResourceTypes } from "./internal/permissions.js";
import { clockOf, sharedKeyOf } from "./internal/sharedKey.js";
import { withToken } from "./internal/target.js";
import { checkIpRange, resolveProtocol, resolveValidity } from "./internal/validity.js";
import type {
  AccountSasResourceType,
  SasCommonOptions,
  SasPermissionsInput,
  SasResult,
} from "./SasOptions.js";

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
 * @example
 * ```ts
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
  if (typeof options !== "object" || options === null) {
    throw invalidArgument(
      "options",
      'are required, e.g. { permissions: "rl", resourceTypes: ["container", "object"] }',
    );
  }
  throwIfAborted(options.signal, "create account SAS");
  const credential = sharedKeyOf(service, "An account SAS");
  const permissions = normalizePermissions(options.permissions, "account");
  const resourceTypes = normalizeResourceTypes(options.resourceTypes);
  const now = clockOf(options.now);
  const { startsOn, expiresOn } = resolveValidity({
    startsOn: options.startsOn,
    expiresOn: options.expiresOn,
    now,
    defaults: true,
    allowLongLived: options.allowLongLived === true,
  });
  const protocol = resolveProtocol(service.url, options.allowHttp);
  const ipRange = checkIpRange(options.ipRange);
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
  const token = query.toString();
  return {
    token,
    url: withToken(service.url, token),
    kind: "account",
    permissions: query.permissions ?? permissions,
    startsOn,
    expiresOn,
    protocol,
  };
}
