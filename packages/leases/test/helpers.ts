// Test helpers: a BlobKit client of the shared emulator, blobs to lease, and a loopback server
// that counts requests (to prove validation happens before any).
import { createServer } from "node:http";
import type { BlockBlobClient, ContainerClient } from "@azure/storage-blob";
import { connect, type RetryOptions } from "@blobkit/auth";
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  type AzuriteConnection,
} from "@blobkit/testing";

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
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const service = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT_NAME}`,
      accountName: AZURITE_ACCOUNT_NAME,
      accountKey: AZURITE_ACCOUNT_KEY,
    },
    retry: { maxTries: 1 },
  });
  return {
    container: service.getContainerClient("validation"),
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Active ref'd timers of this process. */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
