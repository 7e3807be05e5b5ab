/**
 * Copy blobs: within an account, into another tier with new metadata and tags, from a URL, from
 * another account with a user delegation SAS, and a long copy with progress and cancellation.
 *
 * Run against the embedded emulators by `pnpm start`; tested by `test/copy-blobs.test.ts`, which
 * also follows a pending copy and its cancellation against a loopback server that answers as
 * Azure does (Azurite completes every copy at once).
 */
import type { TokenCredential } from "@azure/core-auth";
import { type BlobClient, BlobSASPermissions, type BlobServiceClient } from "@azure/storage-blob";
import { connect, isStorageError } from "@blobkit/auth";
// #region imports
import { type CopyBlobResult, copyBlob, getBlobProperties } from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { createUserDelegationSas, createUserDelegationSigner } from "@blobkit/sas";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Copy blobs", order: 31 };

// #region copy
/** Copy a blob; BlobKit picks the mechanism and authorizes the service's read of the source. */
export async function backUp(source: BlobClient, destination: BlobClient) {
  const result = await copyBlob(source, destination);
  console.log(`copied with a ${result.mechanism} copy`); // "sync" for block blobs up to 256 MiB
  return result;
}
// #endregion copy

// #region copy-tier
/** Copy into the Cool tier, with metadata and index tags of its own. */
export async function archiveReport(source: BlobClient, destination: BlobClient) {
  return copyBlob(source, destination, {
    tier: "Cool",
    metadata: { source: source.name },
    tags: { kind: "report", year: "2024" },
    overwrite: false, // fail with AlreadyExists if the destination exists
  });
}
// #endregion copy-tier

// #region copy-url
/** Copy from a URL that carries its own SAS (or a public URL). */
export async function importFromUrl(sasUrl: string, destination: BlobClient) {
  return copyBlob(sasUrl, destination);
}
// #endregion copy-url

// #region copy-across-accounts
/**
 * Copy from an account you reach with Microsoft Entra ID: give the service a short-lived,
 * read-only user delegation SAS for the source.
 */
export async function copyFromOtherAccount(
  sourceService: BlobServiceClient, // connected with Entra ID
  source: BlobClient,
  destination: BlobClient,
) {
  const signer = createUserDelegationSigner(sourceService);
  return copyBlob(source, destination, {
    sourceAuthorization: async () => {
      const sas = await createUserDelegationSas(
        signer,
        { container: source.containerName, blob: source.name },
        { permissions: "r", expiresOn: new Date(Date.now() + 15 * 60_000), allowHttp: true },
      );
      return sas.token;
    },
  });
}
// #endregion copy-across-accounts

// #region copy-progress
/** A large or cross-region copy: report progress, and give up (aborting the copy) after an hour. */
export async function copyLarge(
  source: BlobClient,
  destination: BlobClient,
  pollIntervalMs = 5_000,
) {
  try {
    return await copyBlob(source, destination, {
      mode: "async",
      pollIntervalMs,
      signal: AbortSignal.timeout(60 * 60_000),
      onProgress: ({ loaded, total }) => console.log(`${loaded} of ${total ?? "?"} bytes`),
    });
  } catch (error) {
    if (isStorageError(error, "Aborted")) {
      console.error(error.message); // "... the pending copy was aborted (abortCopyFromURL) ..."
    }
    throw error;
  }
}
// #endregion copy-progress

/** Runs the guide's code against the emulators that `pnpm start` (or the test) provides. */
export async function main(env: {
  azurite: AzuriteConnection;
  azuriteHttps: AzuriteConnection;
  credential: TokenCredential;
}) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-copy");
  await createContainer(service, name);
  const container = service.getContainerClient(name);
  const entra = await connect({
    method: "emulator",
    emulator: env.azuriteHttps,
    credential: env.credential,
  });
  const entraName = uniqueContainerName("guide-copy-entra");
  await createContainer(entra, entraName);
  const entraContainer = entra.getContainerClient(entraName);
  try {
    await container.uploadBlockBlob("reports/q1.pdf", "quarterly", 9);
    const results: Record<string, CopyBlobResult> = {
      backUp: await backUp(
        container.getBlobClient("reports/q1.pdf"),
        container.getBlobClient("backup/q1.pdf"),
      ),
      archive: await archiveReport(
        container.getBlobClient("reports/q1.pdf"),
        container.getBlobClient("archive/q1.pdf"),
      ),
      fromUrl: await importFromUrl(
        await container.getBlobClient("reports/q1.pdf").generateSasUrl({
          permissions: BlobSASPermissions.parse("r"),
          expiresOn: new Date(Date.now() + 10 * 60_000),
        }),
        container.getBlobClient("imported/q1.pdf"),
      ),
      large: await copyLarge(
        container.getBlobClient("reports/q1.pdf"),
        container.getBlobClient("large/q1.pdf"),
        10,
      ),
    };
    await entraContainer.uploadBlockBlob("shared.csv", "a,b", 3);
    results.acrossAccounts = await copyFromOtherAccount(
      entra,
      entraContainer.getBlobClient("shared.csv"),
      entraContainer.getBlobClient("copy.csv"),
    );
    const archived = await getBlobProperties(container.getBlobClient("archive/q1.pdf"));
    return { results, archived };
  } finally {
    await deleteContainer(container);
    await deleteContainer(entraContainer);
  }
}
