/**
 * Get started: connect to Azure Blob Storage in each of the four ways Microsoft's guide teaches,
 * check the connection, and cancel work with an AbortSignal.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/get-started.test.ts`.
 */
import type { TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
// #region imports
import { connect, connectFromEnv, diagnoseConnection, isStorageError } from "@blobkit/auth";
// #endregion imports
import type { AzuriteConnection } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Get started", order: 0 };

// #region connect-entra
/** Microsoft Entra ID: the recommended way. `DefaultAzureCredential` finds `az login`, managed identity, ... */
export async function connectWithEntraId(
  accountUrl: string, // e.g. "https://myaccount.blob.core.windows.net"
  credential: TokenCredential = new DefaultAzureCredential(),
) {
  return connect({ method: "entra", accountUrl, credential });
}
// #endregion connect-entra

// #region connect-sas
/** A SAS token someone gave you, scoped and time-limited. */
export async function connectWithSas(accountUrl: string, sasToken: string) {
  return connect({ method: "sas", accountUrl, sasToken });
}
// #endregion connect-sas

// #region connect-key
/** The account key (Shared Key). Prefer Entra ID: a key grants everything and must be rotated. */
export async function connectWithAccountKey(
  accountName: string,
  accountKey: string,
  accountUrl?: string,
) {
  return connect({
    method: "accountKey",
    accountName,
    accountKey,
    ...(accountUrl ? { accountUrl } : {}),
  });
}
// #endregion connect-key

// #region connect-string
/** A connection string, e.g. from the portal or `UseDevelopmentStorage=true` for Azurite. */
export async function connectWithConnectionString(connectionString: string) {
  return connect({ method: "connectionString", connectionString, verify: true });
}
// #endregion connect-string

// #region connect-env
/** From AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT_URL with a SAS, key or Entra ID. */
export async function connectFromEnvironment(
  env: Record<string, string | undefined> = process.env,
) {
  return connectFromEnv({ env });
}
// #endregion connect-env

// #region diagnose
/** Check the endpoint and credential, and print a diagnosis instead of a stack trace. */
export async function checkAccount(service: Awaited<ReturnType<typeof connect>>) {
  const diagnosis = await diagnoseConnection(service);
  if (diagnosis.ok) {
    console.log(`OK: ${diagnosis.summary}`);
  } else {
    console.error(`Cannot use the account: ${diagnosis.summary}`);
  }
  return diagnosis;
}
// #endregion diagnose

// #region abort
/** Every BlobKit call takes a `signal`; here the check gives up after 5 seconds. */
export async function checkWithDeadline(service: Awaited<ReturnType<typeof connect>>) {
  try {
    return await diagnoseConnection(service, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    if (isStorageError(error, "Aborted")) console.error("Gave up after 5 s");
    throw error;
  }
}
// #endregion abort

/** Runs every way to connect against the emulators that `pnpm start` (or the test) provides. */
export async function main(env: {
  azurite: AzuriteConnection;
  azuriteHttps: AzuriteConnection;
  credential: TokenCredential;
  sasToken: string;
}) {
  const results = {
    entra: await checkAccount(
      await connectWithEntraId(env.azuriteHttps.blobEndpoint, env.credential),
    ),
    sas: await checkAccount(await connectWithSas(env.azurite.blobEndpoint, env.sasToken)),
    accountKey: await checkAccount(
      await connectWithAccountKey(
        env.azurite.accountName,
        env.azurite.accountKey,
        env.azurite.blobEndpoint,
      ),
    ),
    connectionString: await checkAccount(
      await connectWithConnectionString(env.azurite.connectionString),
    ),
    environment: await checkAccount(
      await connectFromEnvironment({
        AZURE_STORAGE_CONNECTION_STRING: env.azurite.connectionString,
      }),
    ),
  };
  await checkWithDeadline(await connectWithConnectionString(env.azurite.connectionString));
  return results;
}
