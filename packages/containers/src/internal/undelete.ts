// Restore Container through the SDK. The SDK's public undeleteContainer() does not pass an
// abortSignal to its request, so a cancelled restore could still land after the caller gave up.
// Like the SDK itself does inside undeleteContainer(), this calls the generated operation of the
// container client, which does take the signal; if that internal shape ever changes, it falls back
// to the public method and stops waiting (without being able to stop the request) on abort.
import type { BlobServiceClient } from "@azure/storage-blob";
import { abortedError, raceAbort } from "@blobkit/auth/kit";

interface GeneratedContainerOperations {
  restore(options: {
    deletedContainerName: string;
    deletedContainerVersion: string;
    abortSignal?: AbortSignal;
  }): Promise<unknown>;
}

export async function undeleteContainer(
  service: BlobServiceClient,
  name: string,
  version: string,
  signal: AbortSignal | undefined,
  operation: string,
): Promise<void> {
  const client = service.getContainerClient(name);
  const generated = (
    client as unknown as {
      storageClientContext?: { container?: Partial<GeneratedContainerOperations> };
    }
  ).storageClientContext?.container;
  if (generated && typeof generated.restore === "function") {
    await generated.restore({
      deletedContainerName: name,
      deletedContainerVersion: version,
      ...(signal ? { abortSignal: signal } : {}),
    });
    return;
  }
  // raceAbort keeps a late failure of the abandoned request from becoming unhandled.
  await raceAbort(service.undeleteContainer(name, version), signal, () => abortedError(operation));
}
