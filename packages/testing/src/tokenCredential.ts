// A TokenCredential that issues the JWT-shaped tokens Azurite's `--oauth basic` mode accepts.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";

/** Options for {@link createEmulatorTokenCredential}. */
export interface EmulatorTokenCredentialOptions {
  /**
   * Tenant id placed in the token's issuer and `tid` claim.
   * @defaultValue `"00000000-0000-0000-0000-00000000b10b"`
   */
  tenantId?: string;
  /**
   * Object id of the emulated user or app (`oid`), which a user delegation SAS records.
   * @defaultValue `"00000000-0000-0000-0000-0000000b10b1"`
   */
  objectId?: string;
  /**
   * Lifetime of each token in seconds.
   * @defaultValue 3600
   */
  lifetimeSeconds?: number;
  /**
   * Audience claim. Azurite accepts `https://storage.azure.com` and account-scoped audiences.
   * @defaultValue `"https://storage.azure.com"`
   */
  audience?: string;
}

/** A {@link TokenCredential} for the emulator that also counts how often it was asked for a token. */
export interface EmulatorTokenCredential extends TokenCredential {
  /** Number of `getToken` calls so far. */
  readonly tokenRequests: number;
}

const base64url = (value: object): string =>
  Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * Creates a credential that issues unsigned, JWT-shaped tokens that Azurite accepts in its
 * `--oauth basic` mode (it checks the claims, not the signature). Use it wherever production code
 * takes a `TokenCredential` (for example instead of `DefaultAzureCredential`), so Microsoft Entra
 * ID code paths run against the emulator without any network traffic off loopback.
 *
 * Never use it against a real storage account: Azure rejects these tokens.
 *
 * @example
 * ```ts
 * import { startAzurite, createEmulatorTokenCredential } from "@blobkit/testing";
 * import { BlobServiceClient } from "@azure/storage-blob";
 *
 * await using azurite = await startAzurite({ https: true });
 * const client = new BlobServiceClient(azurite.blobEndpoint, createEmulatorTokenCredential());
 * await client.getUserDelegationKey(new Date(), new Date(Date.now() + 3_600_000));
 * ```
 */
export function createEmulatorTokenCredential(
  options: EmulatorTokenCredentialOptions = {},
): EmulatorTokenCredential {
  const tenantId = options.tenantId ?? "00000000-0000-0000-0000-00000000b10b";
  const objectId = options.objectId ?? "00000000-0000-0000-0000-0000000b10b1";
  const lifetime = options.lifetimeSeconds ?? 3600;
  const audience = options.audience ?? "https://storage.azure.com";
  let requests = 0;
  return {
    get tokenRequests() {
      return requests;
    },
    async getToken(_scopes: string | string[], opts?: GetTokenOptions): Promise<AccessToken> {
      if (opts?.abortSignal?.aborted) throw new Error("getToken was aborted");
      requests++;
      const now = Math.floor(Date.now() / 1000);
      const header = base64url({ alg: "RS256", typ: "JWT" });
      const payload = base64url({
        aud: audience,
        iss: `https://sts.windows.net/${tenantId}/`,
        iat: now - 60,
        nbf: now - 60,
        exp: now + lifetime,
        oid: objectId,
        tid: tenantId,
        sub: objectId,
        appid: "blobkit-testing",
        scp: "user_impersonation",
        ver: "1.0",
      });
      const signature = Buffer.from("blobkit-emulator-signature").toString("base64url");
      return {
        token: `${header}.${payload}.${signature}`,
        expiresOnTimestamp: (now + lifetime) * 1000,
        tokenType: "Bearer",
      };
    },
  };
}
