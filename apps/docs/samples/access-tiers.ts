/**
 * Set or change a blob's access tier: move one blob or many between Hot, Cool, Cold and Archive,
 * read the tier and rehydration status, and rehydrate an archived blob before reading it.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/access-tiers.test.ts`.
 * Azurite rehydrates at once; Azure takes hours (the test also runs the code against a loopback
 * server that answers as Azure does).
 */
import type { BlobClient, ContainerClient } from "@azure/storage-blob";
import { connect, isStorageError } from "@blobkit/auth";
// #region imports
import {
  downloadBlob,
  getBlobTier,
  listBlobs,
  rehydrateBlob,
  setBlobsTier,
  setBlobTier,
} from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Set or change a blob's access tier", order: 35 };

// #region set-tier
/** Move a blob that is rarely read to Cool; between online tiers the change is immediate. */
export async function cool(blob: BlobClient) {
  await setBlobTier(blob, "Cool");
  return getBlobTier(blob);
}
// #endregion set-tier

// #region set-many
/** Archive everything under a prefix in batches of 256, with a result per blob. */
export async function archivePrefix(container: ContainerClient, prefix: string) {
  const result = await setBlobsTier(container, listBlobs(container, { prefix }), "Archive");
  for (const item of result.results) {
    if (!item.ok) console.error(`${item.name}: ${item.error?.message}`);
  }
  return { archived: result.succeeded, failed: result.failed };
}
// #endregion set-many

// #region read-archived
/** Reading an archived blob fails with a message that says to rehydrate it first. */
export async function readOrRehydrate(blob: BlobClient) {
  try {
    const { content } = await downloadBlob(blob, { to: "string" });
    return { content };
  } catch (error) {
    if (isStorageError(error) && error.serviceCode === "BlobArchived") {
      console.error(error.message); // "... in the Archive tier ... Rehydrate it first ..."
      const started = await rehydrateBlob(blob, { tier: "Hot", priority: "High" });
      return { rehydrating: started.pending };
    }
    throw error;
  }
}
// #endregion read-archived

// #region status
/** Check on a rehydration: call it now and then (Azure takes up to 15 hours, or ~1 with High). */
export async function isReadable(blob: BlobClient) {
  const status = await getBlobTier(blob);
  if (status.rehydrating) {
    console.log(`rehydrating to ${status.rehydratingTo} with ${status.rehydratePriority} priority`);
  }
  return !status.archived && !status.rehydrating;
}
// #endregion status

// #region rehydrate-copy
/** Keep the archived blob, and rehydrate a copy of it into Cool. */
export async function restoreCopy(archived: BlobClient, destination: BlobClient) {
  return rehydrateBlob(archived, { tier: "Cool", priority: "Standard", destination });
}
// #endregion rehydrate-copy

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-tiers");
  await createContainer(service, name);
  const container = service.getContainerClient(name);
  try {
    for (const blob of ["2019/a.csv", "2019/b.csv", "2024/c.csv"]) {
      await container.uploadBlockBlob(blob, "a,b,c", 5);
    }
    const cooled = await cool(container.getBlobClient("2024/c.csv"));
    const archived = await archivePrefix(container, "2019/");
    const first = await readOrRehydrate(container.getBlobClient("2019/a.csv"));
    const readable = await isReadable(container.getBlobClient("2019/a.csv"));
    const second = await readOrRehydrate(container.getBlobClient("2019/a.csv"));
    const copy = await restoreCopy(
      container.getBlobClient("2019/b.csv"),
      container.getBlobClient("restored/b.csv"),
    );
    return {
      cooled: cooled.tier,
      archived,
      first,
      readable,
      second,
      copy,
      copyTier: (await getBlobTier(container.getBlobClient("restored/b.csv"))).tier,
      stillArchived: (await getBlobTier(container.getBlobClient("2019/b.csv"))).archived,
    };
  } finally {
    await deleteContainer(container);
  }
}
