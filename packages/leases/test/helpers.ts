// Test helpers: a BlobKit client of the shared emulator, blobs to lease, and a loopback server
// that counts requests (to prove validation happens before any).
import type { BlockBlobClient, ContainerClient } from "@azure/storage-blob";
import { connect, type RetryOptions, type StorageError } from "@blobkit/auth";
import { type AzuriteConnection, startStubServer } from "@blobkit/testing";

export async function containerOf(
  azurite: AzuriteConnection,
  containerName: string,
  retry: RetryOptions = { maxTries: 1 },
  blobEndpoint = azurite.blobEndpoint,
): Promise<ContainerClient> {
  const service = await connect({
    method: "emulator",
    emulator: { ...azurite, blobEndpoint },
    retry,
  });
  return service.getContainerClient(containerName);
}

/** A block blob with the given text, created if needed. */
export async function blobWith(
  container: ContainerClient,
  name: string,
  text = "0",
): Promise<BlockBlobClient> {
  const blob = container.getBlockBlobClient(name);
  await blob.upload(text, Buffer.byteLength(text));
  return blob;
}

export async function readText(blob: BlockBlobClient, signal?: AbortSignal): Promise<string> {
  return (
    await blob.downloadToBuffer(0, undefined, signal ? { abortSignal: signal } : {})
  ).toString();
}

/** A loopback server that counts requests and answers 500; `container` points at it. */
export async function startCountingServer(): Promise<{
  container: ContainerClient;
  readonly requests: number;
  close(): Promise<void>;
}> {
  const stub = await startStubServer((_request, response) => response.writeHead(500).end());
  const service = await connect({ method: "emulator", emulator: stub, retry: { maxTries: 1 } });
  return {
    container: service.getContainerClient("validation"),
    get requests() {
      return stub.requests.length;
    },
    close: () => stub.stop(),
  };
}

/** Active ref'd timers of this process. */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The error `promise` rejects with; fails the test if it resolves. */
export const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as StorageError,
  );
