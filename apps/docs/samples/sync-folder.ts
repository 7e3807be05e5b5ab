/**
 * Sync a folder: publish a folder to a container again and again (unchanged files are skipped,
 * changed ones sent), make the container match it with `deleteExtraneous` after a dry run, compare
 * by content when modification times mean nothing, and mirror a prefix down to a folder.
 *
 * Run against the embedded emulator by `pnpm start`; tested by `test/sync-folder.test.ts`.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
// #region imports
import { connect } from "@blobkit/auth";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";
import { downloadDirectory, uploadDirectory } from "@blobkit/transfer";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Sync a folder", order: 24 };

// #region publish
/** Send what is new or changed since the last run; skip the rest without reading it. */
export async function publish(container: ContainerClient, folder: string) {
  const result = await uploadDirectory(container, folder, { prefix: "www" });
  console.log(`${result.transferred.length} sent, ${result.skipped.length} unchanged`);
  return result;
}
// #endregion publish

// #region dry-run
/** What a sync would send and delete, without doing either. */
export async function previewSync(container: ContainerClient, folder: string) {
  const preview = await uploadDirectory(container, folder, {
    prefix: "www",
    deleteExtraneous: true,
    dryRun: true,
  });
  for (const item of preview.transferred) console.log(`would send    ${item.name}`);
  for (const item of preview.deleted) console.log(`would delete  ${item.name}`);
  return preview;
}
// #endregion dry-run

// #region sync
/**
 * Make `www/` match the folder: send what changed, delete what the folder no longer has. Refuses
 * when the dry run would delete more than `maxDeletions` blobs, say after pointing it at the
 * wrong folder.
 */
export async function syncSite(container: ContainerClient, folder: string, maxDeletions: number) {
  const preview = await previewSync(container, folder);
  if (preview.deleted.length > maxDeletions) {
    throw new Error(
      `refusing to delete ${preview.deleted.length} blobs (more than ${maxDeletions}); check the folder`,
    );
  }
  return uploadDirectory(container, folder, { prefix: "www", deleteExtraneous: true });
}
// #endregion sync

// #region compare-md5
/**
 * A fresh checkout or build gives every file a new modification time: compare contents instead,
 * so only files whose bytes changed are sent (each local file is read once to hash it).
 */
export async function publishBuild(container: ContainerClient, folder: string, dryRun = false) {
  return uploadDirectory(container, folder, { prefix: "www", compare: "md5", dryRun });
}
// #endregion compare-md5

// #region mirror
/** Keep a local copy of `www/` in step with the container, extra local files removed. */
export async function mirror(container: ContainerClient, folder: string) {
  return downloadDirectory(container, folder, { prefix: "www", deleteExtraneous: true });
}
// #endregion mirror

async function writeTree(root: string, files: Record<string, string>) {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, ...relative.split("/"));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
}

async function blobNames(container: ContainerClient) {
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat()) names.push(blob.name);
  return names.sort();
}

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-sync");
  await createContainer(service, name);
  const container = service.getContainerClient(name);
  const root = await mkdtemp(join(tmpdir(), "blobkit-sync-"));
  try {
    const site = join(root, "site");
    await writeTree(site, {
      "index.html": "<h1>Welcome</h1>",
      "news.html": "<p>No news</p>",
      "old.html": "<p>Gone soon</p>",
      "css/site.css": "body { margin: 0 }",
    });
    const first = await publish(container, site);
    const second = await publish(container, site);

    await writeFile(join(site, "news.html"), "<p>Version 2 is out</p>");
    const changed = await publish(container, site);

    await rm(join(site, "old.html"));
    const preview = await previewSync(container, site);
    const afterPreview = await blobNames(container);
    const refused = await syncSite(container, site, 0).catch((error: unknown) => error);
    const synced = await syncSite(container, site, 5);
    const afterSync = await blobNames(container);

    // A fresh checkout: same bytes, new modification times.
    const later = new Date(Date.now() + 60_000);
    for (const file of ["index.html", "news.html", "css/site.css"]) {
      await utimes(join(site, file), later, later);
    }
    const byTime = await uploadDirectory(container, site, { prefix: "www", dryRun: true });
    const byContent = await publishBuild(container, site);

    const copy = join(root, "copy");
    await writeTree(copy, { "stray.txt": "not on the site" });
    const mirrored = await mirror(container, copy);
    const copyFiles = (await readdir(copy, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(copy.length + 1))
      .sort();
    const copyMatches = await Promise.all(
      ["index.html", "news.html", "css/site.css"].map(async (file) =>
        (await readFile(join(copy, file))).equals(await readFile(join(site, file))),
      ),
    );
    return {
      first,
      second,
      changed,
      preview,
      afterPreview,
      refused,
      synced,
      afterSync,
      byTime,
      byContent,
      mirrored,
      copyFiles,
      copyIdentical: copyMatches.every(Boolean),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
    await deleteContainer(container);
  }
}
