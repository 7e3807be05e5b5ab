/**
 * Create a container: create one with metadata, create it only if it is missing, check a name
 * before sending anything, and re-create a container right after deleting it.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/create-container.test.ts`.
 */
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect, isStorageError } from "@blobkit/auth";
// #region imports
import {
  createContainer,
  createContainerIfNotExists,
  deleteContainerIfExists,
  validateContainerName,
} from "@blobkit/containers";
// #endregion imports
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Create a container", order: 10 };

// #region create
/** Create a container that must not exist yet, with metadata describing it. */
export async function createReportsContainer(service: BlobServiceClient, name: string) {
  const created = await createContainer(service, name, {
    metadata: { owner: "finance", retention: "P7Y" },
  });
  console.log(`Created ${created.url} (ETag ${created.etag})`);
  return created;
}
// #endregion create

// #region create-if-not-exists
/** At start-up: make sure the container is there, whether or not an earlier run created it. */
export async function ensureUploadsContainer(service: BlobServiceClient, name: string) {
  const { created } = await createContainerIfNotExists(service, name);
  console.log(created ? `Created ${name}` : `${name} already existed`);
  return created;
}
// #endregion create-if-not-exists

// #region validate-name
/** Check a name typed by a user before sending anything, and show them what is wrong. */
export function checkContainerName(name: string): string | undefined {
  try {
    validateContainerName(name);
    return undefined;
  } catch (error) {
    if (isStorageError(error, "InvalidArgument")) return error.message;
    throw error;
  }
}
// #endregion validate-name

// #region recreate
/**
 * Start from an empty container: delete it and create it again. Azure keeps the name for at
 * least 30 seconds after a delete; createContainer waits (here up to 2 minutes) and gives up
 * early if the signal fires.
 */
export async function recreateContainer(service: BlobServiceClient, name: string) {
  await deleteContainerIfExists(service.getContainerClient(name));
  return createContainer(service, name, {
    retryWhileBeingDeleted: { maxWaitMs: 120_000 },
    signal: AbortSignal.timeout(150_000),
  });
}
// #endregion recreate

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const reports = uniqueContainerName("guide-reports");
  const uploads = uniqueContainerName("guide-uploads");
  try {
    const created = await createReportsContainer(service, reports);
    const firstRun = await ensureUploadsContainer(service, uploads);
    const secondRun = await ensureUploadsContainer(service, uploads);
    const nameProblems = ["reports-2024", "Reports", "my_reports", "ab", "-reports"].map(
      (name) => ({ name, problem: checkContainerName(name) }),
    );
    const recreated = await recreateContainer(service, reports);
    return { created, firstRun, secondRun, nameProblems, recreated };
  } finally {
    await deleteContainerIfExists(service.getContainerClient(reports));
    await deleteContainerIfExists(service.getContainerClient(uploads));
  }
}
