/**
 * Get started: connect to Azure Blob Storage in each of the four ways Microsoft's guide teaches
 * (and to a container with a SAS made for it), check the connection, and cancel work with an
 * AbortSignal.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/get-started.test.ts`.
 */
import type { TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
// #region imports
import { connect, connectFromEnv, diagnoseConnection, isStorageError } from "@blobkit/auth";
// #endregion imports
import { createServiceSas } from "@blobkit/sas";
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

// #region connect-container-sas
/**
 * A SAS made for one container (`sr=c`): give that container's URL, so `verify` checks the token
 * against it. The client is still the account's: reach the container with `getContainerClient`.
 */
export async function connectWithContainerSas(containerUrl: string, sasToken: string) {
  // e.g. containerUrl = "https://myaccount.blob.core.windows.net/reports"
  return connect({ method: "sas", accountUrl: containerUrl, sasToken, verify: true });
}
// #endregion connect-container-sas

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
/** Every BlobKit call takes a `signal`; here the check is cancelled after `deadlineMs`. */
export async function checkWithDeadline(
  service: Awaited<ReturnType<typeof connect>>,
  deadlineMs = 5_000,
) {
  try {
    return await diagnoseConnection(service, { signal: AbortSignal.timeout(deadlineMs) });
  } catch (error) {
    // A cancelled operation fails with a StorageError whose code is "Aborted".
    if (isStorageError(error, "Aborted")) console.error(`Gave up after ${deadlineMs} ms`);
    throw error;
  }
}
// #endregion abort

/** A container and a SAS made for it alone, as someone who owns the account would hand it out. */
async function containerWithSas(azurite: AzuriteConnection) {
  const owner = await connectWithAccountKey(
    azurite.accountName,
    azurite.accountKey,
    azurite.blobEndpoint,
  );
  const container = owner.getContainerClient(`get-started-${Date.now().toString(36)}`);
  await container.create();
  const sas = createServiceSas(
    owner,
    { container: container.containerName },
    { permissions: "rl" },
  );
  return { container, sas, [Symbol.asyncDispose]: async () => void (await container.delete()) };
}

/** Runs every way to connect against the emulators that `pnpm start` (or the test) provides. */
export async function main(env: {
  azurite: AzuriteConnection;
  azuriteHttps: AzuriteConnection;
  credential: TokenCredential;
  sasToken: string;
  /** An endpoint that accepts connections and never answers, to show a cancelled check. */
  silentEndpoint: string;
}) {
  await using shared = await containerWithSas(env.azurite);
  const results = {
    entra: await checkAccount(
      await connectWithEntraId(env.azuriteHttps.blobEndpoint, env.credential),
    ),
    sas: await checkAccount(await connectWithSas(env.azurite.blobEndpoint, env.sasToken)),
    containerSas: await checkAccount(
      await connectWithContainerSas(shared.container.url, shared.sas.token),
    ),
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
  // Against a server that never answers, the deadline passes and the check is cancelled.
  const silent = await connectWithAccountKey(
    env.azurite.accountName,
    env.azurite.accountKey,
    env.silentEndpoint,
  );
  const cancelled = await checkWithDeadline(silent, 200).then(
    () => undefined,
    (error: unknown) => error,
  );
  return { ...results, cancelled };
}
