/**
 * List containers: iterate all of them with `for await`, filter by prefix, read their metadata,
 * and page with continuation tokens for a UI.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/list-containers.test.ts`.
 */
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
// #region imports
import { createContainer, deleteContainersByPrefix, listContainers } from "@blobkit/containers";
// #endregion imports
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "List containers", order: 11 };

// #region list-prefix
/** Print the containers whose name starts with a prefix; pages are fetched as you go. */
export async function printContainers(service: BlobServiceClient, prefix: string) {
  const names: string[] = [];
  for await (const container of listContainers(service, { prefix })) {
    console.log(`${container.name}  modified ${container.lastModified.toISOString()}`);
    names.push(container.name);
  }
  return names;
}
// #endregion list-prefix

// #region list-metadata
/** Find the containers owned by a team, from their metadata. */
export async function containersOwnedBy(service: BlobServiceClient, prefix: string, owner: string) {
  const owned: string[] = [];
  for await (const container of listContainers(service, { prefix, includeMetadata: true })) {
    if (container.metadata?.owner === owner) owned.push(container.name);
  }
  return owned;
}
// #endregion list-metadata

// #region page
/**
 * One page for a UI: the names and a token for "next page". The UI keeps only the token (in a
 * URL, say) and passes it back; an absent token means the last page.
 */
export async function containerPage(
  service: BlobServiceClient,
  prefix: string,
  continuationToken?: string,
) {
  const pages = listContainers(service, { prefix }).byPage({
    maxPageSize: 2,
    ...(continuationToken ? { continuationToken } : {}),
  });
  const result = await pages.next();
  const page = result.done ? undefined : result.value;
  return {
    names: page ? page.items.map((container) => container.name) : [],
    next: page?.continuationToken,
  };
}
// #endregion page

// #region deleted
/** Soft-deleted containers that can still be restored (none in Azurite: it has no soft delete). */
export async function restorableContainers(service: BlobServiceClient, prefix: string) {
  const restorable = [];
  for await (const container of listContainers(service, { prefix, includeDeleted: true })) {
    if (container.deleted) {
      restorable.push({
        name: container.name,
        version: container.version,
        daysLeft: container.remainingRetentionDays,
      });
    }
  }
  return restorable;
}
// #endregion deleted

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const prefix = `${uniqueContainerName("guide-list")}-`;
  try {
    for (const [suffix, owner] of [
      ["a", "finance"],
      ["b", "sales"],
      ["c", "finance"],
    ] as const) {
      await createContainer(service, `${prefix}${suffix}`, { metadata: { owner } });
    }
    const all = await printContainers(service, prefix);
    const finance = await containersOwnedBy(service, prefix, "finance");
    const firstPage = await containerPage(service, prefix);
    const secondPage = await containerPage(service, prefix, firstPage.next);
    const restorable = await restorableContainers(service, prefix);
    return { prefix, all, finance, firstPage, secondPage, restorable };
  } finally {
    await deleteContainersByPrefix(service, prefix);
  }
}
