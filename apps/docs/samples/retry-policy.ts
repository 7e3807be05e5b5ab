/**
 * Configure a retry policy: backoff with jitter, a client-side per-try timeout that really
 * aborts, a secondary host for reads, and metrics of retries.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/retry-policy.test.ts`.
 */
import {
  connect,
  DEFAULT_RETRY_OPTIONS,
  diagnoseConnection,
  isStorageError,
  type RetryEvent,
} from "@blobkit/auth";
import { getContainerProperties } from "@blobkit/containers";
import type { AzuriteConnection } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Configure a retry policy", order: 1 };

// #region defaults
/** The defaults BlobKit uses when you set nothing. */
export function showDefaults() {
  console.log(DEFAULT_RETRY_OPTIONS);
  // { maxTries: 4, tryTimeoutMs: 30000, minUploadBytesPerSecond: 655360, retryDelayMs: 800,
  //   maxRetryDelayMs: 30000, jitter: true }
  return DEFAULT_RETRY_OPTIONS;
}
// #endregion defaults

// #region configure
/** A client tuned for an interactive app: fail fast, and count retries for metrics. */
export async function connectForInteractiveUse(connectionString: string, retries: RetryEvent[]) {
  return connect({
    method: "connectionString",
    connectionString,
    retry: {
      maxTries: 3, // the first try and two retries
      tryTimeoutMs: 5_000, // abort a try that shows no progress for 5 s
      retryDelayMs: 200, // then wait ~200 ms, ~400 ms (with jitter)
      maxRetryDelayMs: 2_000, // never more than 2 s, even if the service asks for longer
      onRetry: (event) => retries.push(event),
    },
  });
}
// #endregion configure

// #region secondary
/** With read-access geo-redundant storage, retried reads alternate with the secondary region. */
export async function connectWithSecondary(accountName: string, accountKey: string) {
  return connect({
    method: "accountKey",
    accountName,
    accountKey,
    retry: { secondaryHost: `${accountName}-secondary.blob.core.windows.net` },
  });
}
// #endregion secondary

// #region timeout
/** A server that accepts connections but never answers fails fast instead of hanging forever. */
export async function checkUnresponsiveEndpoint(
  accountUrl: string,
  accountName: string,
  accountKey: string,
) {
  const service = await connect({
    method: "accountKey",
    accountName,
    accountKey,
    accountUrl,
    retry: { maxTries: 2, tryTimeoutMs: 500, retryDelayMs: 100 },
  });
  try {
    return await getContainerProperties(service.getContainerClient("reports"));
  } catch (error) {
    if (isStorageError(error, "Timeout")) {
      console.error(error.message); // "... no response ... within the per-try timeout on 2 tries ..."
    }
    throw error;
  }
}
// #endregion timeout

/** Runs the retry examples against the emulator and a silent loopback endpoint. */
export async function main(env: { azurite: AzuriteConnection; silentEndpoint: string }) {
  showDefaults();
  const retries: RetryEvent[] = [];
  const service = await connectForInteractiveUse(env.azurite.connectionString, retries);
  const healthy = await diagnoseConnection(service);
  const secondary = await connectWithSecondary(env.azurite.accountName, env.azurite.accountKey);
  const silent = await checkUnresponsiveEndpoint(
    env.silentEndpoint,
    env.azurite.accountName,
    env.azurite.accountKey,
  ).then(
    () => undefined,
    (error: unknown) => error,
  );
  return { healthy, retries, secondaryUrl: secondary.url, silent };
}
