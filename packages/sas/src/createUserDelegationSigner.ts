// createUserDelegationSigner(): gets user delegation keys with the client's Microsoft Entra ID
// credential, caches them, replaces them before they expire, and shares one request among
// concurrent callers, so a burst of SAS requests never floods GetUserDelegationKey.
import type { BlobServiceClient, UserDelegationKey } from "@azure/storage-blob";
import { type OperationOptions, StorageError } from "@blobkit/auth";
import {
  abortedError,
  checkInteger,
  credentialKindOf,
  invalidArgument,
  raceAbort,
  runOperation,
  throwIfAborted,
} from "@blobkit/auth/kit";
import { checkClock } from "./internal/clock.js";
import { checkDate, latestDelegationExpiry, wholeSeconds } from "./internal/validity.js";
import { SAS_DEFAULTS } from "./SAS_DEFAULTS.js";

/** Options for {@link createUserDelegationSigner}. */
export interface UserDelegationSignerOptions {
  /**
   * How long each delegation key lives, in whole milliseconds from 1 minute to 7 days. A key is
   * fetched for at least this long (longer if a SAS needs it), and never for more than 7 days.
   * @defaultValue 24 hours
   */
  keyLifetimeMs?: number;
  /**
   * A cached key is replaced once it has less than this left to live, in whole milliseconds;
   * shorter than `keyLifetimeMs`.
   * @defaultValue 15 minutes, or a quarter of `keyLifetimeMs` if that is shorter
   */
  refreshBeforeMs?: number;
  /**
   * The clock, for tests and for hosts with a known offset.
   * @defaultValue `() => new Date()`
   */
  now?: () => Date;
  /**
   * The storage account name, which the SAS signature includes.
   * @defaultValue the client's `accountName` (from the URL)
   */
  accountName?: string;
}

/** Options for {@link UserDelegationSigner.getUserDelegationKey}. */
export interface GetUserDelegationKeyOptions extends OperationOptions {
  /**
   * The key must stay valid at least until this time (e.g. the expiry of the SAS to sign).
   * @defaultValue now
   */
  validUntil?: Date;
}

/**
 * Signs user delegation SAS for one storage account with a cached user delegation key. Create one
 * per account and keep it for the life of your app; pass it to {@link createUserDelegationSas}.
 */
export interface UserDelegationSigner {
  /** The storage account the keys belong to. */
  readonly accountName: string;
  /** The service client (connected with Microsoft Entra ID) that fetches keys. */
  readonly service: BlobServiceClient;
  /** The signer's clock. */
  now(): Date;
  /**
   * Returns a user delegation key valid at least until `validUntil`: the cached one when it
   * qualifies and is not about to expire, otherwise a new one. Concurrent calls share one
   * request. A caller's `signal` cancels its own wait, never the shared request.
   */
  getUserDelegationKey(options?: GetUserDelegationKeyOptions): Promise<UserDelegationKey>;
  /**
   * Forgets the cached key, e.g. after you called `revokeUserDelegationKeys`, so that the next
   * SAS is signed with a new key.
   */
  clearCache(): void;
}

const OPERATION = "get user delegation key";

/** What a caller whose signal fires gets while the shared key request goes on. */
const aborted = () => abortedError(OPERATION);

/**
 * Creates a signer for user delegation SAS, the kind Microsoft recommends: it is signed with a
 * key that your Microsoft Entra ID identity obtains, so no account key is involved, and it can be
 * revoked by revoking the delegation keys. The signer fetches a key (`Get User Delegation Key`)
 * on first use, caches it, replaces it before it expires, and lets concurrent callers share one
 * request, so a burst of SAS requests costs one call. Your identity needs the
 * **Storage Blob Delegator** role (or a data role that includes it, such as Storage Blob Data
 * Contributor) on the account, plus the data role for what the SAS grants.
 *
 * @see [Create a user delegation SAS: Create one signer per account](../../../apps/docs/guides/user-delegation-sas.md#create-one-signer-per-account)
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 * import { createUserDelegationSas, createUserDelegationSigner } from "@blobkit/sas";
 *
 * const service = await connect({ method: "entra", accountUrl: "https://myaccount.blob.core.windows.net" });
 * const signer = createUserDelegationSigner(service);
 * const sas = await createUserDelegationSas(signer, { container: "reports", blob: "q1.pdf" }, {
 *   permissions: "r",
 * });
 * console.log(sas.expiresOn);
 * ```
 */
export function createUserDelegationSigner(
  service: BlobServiceClient,
  options: UserDelegationSignerOptions = {},
): UserDelegationSigner {
  if (
    typeof service !== "object" ||
    service === null ||
    typeof (service as { getUserDelegationKey?: unknown }).getUserDelegationKey !== "function"
  ) {
    throw invalidArgument("service", "must be a BlobServiceClient, e.g. from connect()");
  }
  const kind = credentialKindOf(service);
  if (kind !== "entra") {
    throw invalidArgument(
      "service",
      `a user delegation SAS needs a client connected with Microsoft Entra ID (connect({ method: "entra" })), but this client uses ${kind === "accountKey" ? "the account key: use createServiceSas or createAccountSas instead" : kind === "sas" ? "a SAS token, which cannot sign other SAS" : "no credential"}`,
    );
  }
  const keyLifetimeMs = checkInteger(
    "keyLifetimeMs",
    options.keyLifetimeMs,
    { min: 60_000, max: SAS_DEFAULTS.maxLifetimeMs, unit: "milliseconds: 1 minute to 7 days" },
    SAS_DEFAULTS.keyLifetimeMs,
  );
  const refreshBeforeMs = checkInteger(
    "refreshBeforeMs",
    options.refreshBeforeMs,
    { min: 0, max: keyLifetimeMs - 1, unit: "milliseconds, shorter than keyLifetimeMs" },
    Math.min(SAS_DEFAULTS.keyRefreshBeforeMs, keyLifetimeMs / 4),
  );
  const now = checkClock(options.now);
  const accountName = options.accountName ?? service.accountName;
  if (typeof accountName !== "string" || accountName === "") {
    throw invalidArgument(
      "accountName",
      "could not be read from the client's URL (custom domain?); pass the storage account name",
    );
  }

  let cached: UserDelegationKey | undefined;
  let pending: { promise: Promise<UserDelegationKey>; expiresOn: Date } | undefined;

  const fetchKey = (startsOn: Date, expiresOn: Date): Promise<UserDelegationKey> =>
    runOperation(
      {
        operation: OPERATION,
        resource: `account '${accountName}'`,
        client: service,
        access: "delegate",
      },
      async () => {
        const response = await service.getUserDelegationKey(startsOn, expiresOn);
        const key: UserDelegationKey = {
          signedObjectId: response.signedObjectId,
          signedTenantId: response.signedTenantId,
          signedStartsOn: response.signedStartsOn,
          signedExpiresOn: response.signedExpiresOn,
          signedService: response.signedService,
          signedVersion: response.signedVersion,
          value: response.value,
          ...(response.signedDelegatedUserTenantId
            ? { signedDelegatedUserTenantId: response.signedDelegatedUserTenantId }
            : {}),
        };
        if (!key.value || Number.isNaN(key.signedExpiresOn.getTime())) {
          throw new StorageError(
            "Unknown",
            "Get user delegation key failed: the service answered without a usable key.",
            { operation: OPERATION },
          );
        }
        return Object.freeze(key);
      },
    );

  return {
    accountName,
    service,
    now,
    async getUserDelegationKey(
      keyOptions: GetUserDelegationKeyOptions = {},
    ): Promise<UserDelegationKey> {
      const signal = keyOptions.signal;
      throwIfAborted(signal, OPERATION);
      const current = now();
      const latest = latestDelegationExpiry(current);
      const until = checkDate(keyOptions.validUntil, "validUntil");
      if (until && until.getTime() > latest.getTime()) {
        throw invalidArgument(
          "validUntil",
          `${until.toISOString()} is beyond what a user delegation key can cover: keys last at most 7 days (latest: ${latest.toISOString()})`,
        );
      }
      const need = until ?? current;
      const usable = (expiresOn: Date) =>
        expiresOn.getTime() >= need.getTime() &&
        expiresOn.getTime() - refreshBeforeMs > current.getTime();
      if (cached && usable(cached.signedExpiresOn)) return cached;
      if (pending && usable(pending.expiresOn)) return raceAbort(pending.promise, signal, aborted);

      // Fetch for at least keyLifetimeMs beyond what is needed now, so a stream of SAS with the
      // same lifetime reuses the key instead of fetching one each time.
      const startsOn = wholeSeconds(new Date(current.getTime() - SAS_DEFAULTS.startSkewMs));
      const wanted = Math.max(current.getTime(), need.getTime()) + keyLifetimeMs;
      const expiresOn = wholeSeconds(new Date(Math.min(wanted, latest.getTime())));
      const promise = fetchKey(startsOn, expiresOn).then((key) => {
        if (!cached || key.signedExpiresOn.getTime() >= cached.signedExpiresOn.getTime()) {
          cached = key;
        }
        return key;
      });
      const entry = { promise, expiresOn };
      pending = entry;
      // Clear the shared request when it settles; a failure is not cached, the next call retries.
      promise.then(
        () => {
          if (pending === entry) pending = undefined;
        },
        () => {
          if (pending === entry) pending = undefined;
        },
      );
      return raceAbort(promise, signal, aborted);
    },
    clearCache() {
      cached = undefined;
      pending = undefined;
    },
  };
}
