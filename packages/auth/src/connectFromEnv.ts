// connectFromEnv(): connect() from the conventional AZURE_STORAGE_* environment variables.
import type { TokenCredential } from "@azure/core-auth";
import type { BlobServiceClient } from "@azure/storage-blob";
import { environment } from "#platform";
import { type ConnectCommonOptions, type ConnectOptions, connect } from "./connect.js";
import { invalidArgument, StorageError } from "./StorageError.js";

/** Options for {@link connectFromEnv}. */
export interface ConnectFromEnvOptions extends ConnectCommonOptions {
  /**
   * Where to read the variables from.
   * @defaultValue `process.env`
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Token credential for Microsoft Entra ID; `DefaultAzureCredential` when left out. */
  credential?: TokenCredential;
}

/** The variables {@link connectFromEnv} reads, in order of precedence. */
export const ENV_VARIABLES = [
  "AZURE_STORAGE_CONNECTION_STRING",
  "AZURE_STORAGE_ACCOUNT_URL",
  "AZURE_STORAGE_ACCOUNT_NAME",
  "AZURE_STORAGE_ACCOUNT_KEY",
  "AZURE_STORAGE_SAS_TOKEN",
] as const;

/**
 * Connects from environment variables, choosing the method from what is set:
 * 1. `AZURE_STORAGE_CONNECTION_STRING`;
 * 2. otherwise the account (`AZURE_STORAGE_ACCOUNT_URL`, or `AZURE_STORAGE_ACCOUNT_NAME`) with
 *    `AZURE_STORAGE_SAS_TOKEN`, or `AZURE_STORAGE_ACCOUNT_KEY` (needs the name), or else
 *    Microsoft Entra ID.
 * A missing or malformed variable gives an `InvalidArgument` error naming it (never its value);
 * with `verify: true`, a connection that fails gives what {@link connect} gives
 * (`AuthenticationFailed`, `NetworkError`, `Timeout`, with the status).
 *
 * @see [Get started: Connect from environment variables](../../../apps/docs/guides/get-started.md#connect-from-environment-variables)
 *
 * @example
 * ```ts
 * import { connectFromEnv } from "@blobkit/auth";
 *
 * // AZURE_STORAGE_ACCOUNT_URL=https://myaccount.blob.core.windows.net, signed in with `az login`
 * const service = await connectFromEnv();
 * ```
 */
export async function connectFromEnv(
  options: ConnectFromEnvOptions = {},
): Promise<BlobServiceClient> {
  const { env = environment(), credential, ...common } = options;
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  };
  const connectionString = get("AZURE_STORAGE_CONNECTION_STRING");
  const accountUrl = get("AZURE_STORAGE_ACCOUNT_URL");
  const accountName = get("AZURE_STORAGE_ACCOUNT_NAME") ?? get("AZURE_STORAGE_ACCOUNT");
  const accountKey = get("AZURE_STORAGE_ACCOUNT_KEY") ?? get("AZURE_STORAGE_KEY");
  const sasToken = get("AZURE_STORAGE_SAS_TOKEN");
  let chosen: ConnectOptions;
  // Only an error about a value (it has a field) is about a variable: name the variable instead
  // of the option. A refused key, an unreachable endpoint or an expired token found by `verify`
  // keeps its code and status, as connect() gives them.
  const rename = (error: unknown, variable: string): never => {
    if (!(error instanceof StorageError) || error.field === undefined) throw error;
    throw new StorageError(
      error.code,
      error.message.replace(/^Invalid [^:]+:/, `Invalid ${variable}:`),
      {
        ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
        ...(error.serviceCode !== undefined ? { serviceCode: error.serviceCode } : {}),
        ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
        ...(error.operation !== undefined ? { operation: error.operation } : {}),
        ...(error.tries !== undefined ? { tries: error.tries } : {}),
        ...(error.cause !== undefined ? { cause: error.cause } : {}),
        field: variable,
      },
    );
  };
  if (connectionString) {
    chosen = { ...common, method: "connectionString", connectionString };
    return connect(chosen).catch((e) => rename(e, "AZURE_STORAGE_CONNECTION_STRING"));
  }
  const url =
    accountUrl ?? (accountName ? `https://${accountName}.blob.core.windows.net` : undefined);
  if (!url) {
    throw invalidArgument(
      "environment",
      "no storage account is configured: set AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT_URL (or AZURE_STORAGE_ACCOUNT_NAME) with AZURE_STORAGE_SAS_TOKEN, AZURE_STORAGE_ACCOUNT_KEY, or a Microsoft Entra ID sign-in",
    );
  }
  const urlVariable = accountUrl ? "AZURE_STORAGE_ACCOUNT_URL" : "AZURE_STORAGE_ACCOUNT_NAME";
  if (sasToken) {
    chosen = { ...common, method: "sas", accountUrl: url, sasToken };
    return connect(chosen).catch((e: unknown) =>
      rename(
        e,
        (e as { field?: string }).field === "sasToken" ? "AZURE_STORAGE_SAS_TOKEN" : urlVariable,
      ),
    );
  }
  if (accountKey) {
    if (!accountName) {
      throw invalidArgument(
        "AZURE_STORAGE_ACCOUNT_NAME",
        "is required with AZURE_STORAGE_ACCOUNT_KEY (the key signs requests with the account name)",
      );
    }
    chosen = { ...common, method: "accountKey", accountName, accountKey, accountUrl: url };
    return connect(chosen).catch((e: unknown) => {
      const field = (e as { field?: string }).field;
      return rename(
        e,
        field === "accountKey"
          ? "AZURE_STORAGE_ACCOUNT_KEY"
          : field === "accountName"
            ? "AZURE_STORAGE_ACCOUNT_NAME"
            : urlVariable,
      );
    });
  }
  chosen = { ...common, method: "entra", accountUrl: url, ...(credential ? { credential } : {}) };
  return connect(chosen).catch((e) => rename(e, urlVariable));
}
