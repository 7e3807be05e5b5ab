// What the guides' samples need to run against the embedded emulators: shared by the main job
// (scripts/main.ts) and the samples' tests, so both run the samples the same way.
import { createServer, type Socket } from "node:net";
import type { TokenCredential } from "@azure/core-auth";
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  generateAccountSASQueryParameters,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { type AzuriteConnection, createEmulatorTokenCredential } from "@blobkit/testing";

export interface SampleEnvironment extends AsyncDisposable {
  /** Plain HTTP emulator with the development account key. */
  azurite: AzuriteConnection;
  /** HTTPS emulator that accepts Entra ID tokens. */
  azuriteHttps: AzuriteConnection;
  /** A token credential the HTTPS emulator accepts (stands in for DefaultAzureCredential). */
  credential: TokenCredential;
  /** An account SAS (read, write, delete, list, add, create) for the plain emulator. */
  sasToken: string;
  /** A loopback endpoint that accepts connections and never answers. */
  silentEndpoint: string;
}

export async function createSampleEnvironment(
  azurite: AzuriteConnection,
  azuriteHttps: AzuriteConnection,
): Promise<SampleEnvironment> {
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const { port } = silent.address() as { port: number };
  const sasToken = generateAccountSASQueryParameters(
    {
      startsOn: new Date(Date.now() - 15 * 60_000),
      expiresOn: new Date(Date.now() + 60 * 60_000),
      permissions: AccountSASPermissions.parse("rwdlac"),
      resourceTypes: AccountSASResourceTypes.parse("sco").toString(),
      services: AccountSASServices.parse("b").toString(),
    },
    new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey),
  ).toString();
  return {
    azurite,
    azuriteHttps,
    credential: createEmulatorTokenCredential(),
    sasToken,
    silentEndpoint: `http://127.0.0.1:${port}/devstoreaccount1`,
    async [Symbol.asyncDispose]() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    },
  };
}
