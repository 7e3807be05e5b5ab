/**
 * List blobs: flat listings with a prefix and extra data, page by page with continuation tokens,
 * one level of virtual directories, and a whole tree walked depth-first.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/list-blobs.test.ts`.
 */
import type { ContainerClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
// #region imports
import { listBlobs, listBlobsByHierarchy, walkBlobs } from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "List blobs", order: 30 };

// #region list-flat
/** Every blob of a container, in name order; pages are fetched as the loop goes. */
export async function totalSize(container: ContainerClient) {
  let bytes = 0;
  let count = 0;
  for await (const blob of listBlobs(container)) {
    bytes += blob.properties.contentLength ?? 0;
    count++;
  }
  return { count, bytes };
}
// #endregion list-flat

// #region list-prefix
/** The blobs under a prefix, with their metadata and index tags. */
export async function reportsOf(container: ContainerClient, year: string) {
  const reports: { name: string; owner: string | undefined; status: string | undefined }[] = [];
  for await (const blob of listBlobs(container, {
    prefix: `reports/${year}/`,
    include: ["metadata", "tags"],
  })) {
    reports.push({ name: blob.name, owner: blob.metadata?.owner, status: blob.tags?.status });
  }
  return reports;
}
// #endregion list-prefix

// #region list-pages
/** One page for a UI: return the names and the token that fetches the next page. */
export async function listPage(container: ContainerClient, continuationToken?: string) {
  const pages = listBlobs(container).byPage({
    maxPageSize: 2,
    ...(continuationToken ? { continuationToken } : {}),
  });
  const next = await pages.next();
  const page = next.done ? undefined : next.value;
  return {
    names: page?.items.map((blob) => blob.name) ?? [],
    next: page?.continuationToken, // undefined on the last page
  };
}
// #endregion list-pages

// #region list-hierarchy
/** One level of a folder: sub-folders (prefixes) and the blobs directly in it. */
export async function listFolder(container: ContainerClient, folder: string) {
  const entries: string[] = [];
  for await (const item of listBlobsByHierarchy(container, { prefix: folder })) {
    entries.push(item.kind === "prefix" ? `${item.name} (folder)` : item.name);
  }
  return entries;
}
// #endregion list-hierarchy

// #region walk
/** The whole tree, depth-first, indented like `tree`; `descend` skips folders you do not need. */
export async function printTree(container: ContainerClient) {
  const lines: string[] = [];
  for await (const entry of walkBlobs(container, { descend: (prefix) => prefix !== "tmp/" })) {
    const label =
      entry.kind === "prefix" ? `${entry.name.split("/").at(-2)}/` : entry.name.split("/").at(-1);
    lines.push(`${"  ".repeat(entry.depth)}${label}`);
  }
  console.log(lines.join("\n"));
  return lines;
}
// #endregion walk

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-list");
  const container = await createContainer(service, name).then(() =>
    service.getContainerClient(name),
  );
  try {
    const upload = (blob: string, options = {}) =>
      container.getBlockBlobClient(blob).upload("data", 4, options);
    await upload("reports/2024/q1.pdf", {
      metadata: { owner: "finance" },
      tags: { status: "final" },
    });
    await upload("reports/2024/q2.pdf", {
      metadata: { owner: "sales" },
      tags: { status: "draft" },
    });
    await upload("reports/2023/q4.pdf");
    await upload("readme.txt");
    await upload("tmp/scratch.bin");
    const firstPage = await listPage(container);
    return {
      total: await totalSize(container),
      reports2024: await reportsOf(container, "2024"),
      firstPage,
      secondPage: await listPage(container, firstPage.next),
      reportsFolder: await listFolder(container, "reports/"),
      tree: await printTree(container),
    };
  } finally {
    await deleteContainer(container);
  }
}
