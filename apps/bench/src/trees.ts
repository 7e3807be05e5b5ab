// The folder-transfer groups (`--kinds=tree`): a tree of many small files and one of a few large
// ones, generated once per run, uploaded, synced with no change and downloaded by BlobKit and by
// rclone in interleaved rounds against a fresh Azurite per round.

import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import {
  ACCOUNT,
  type Azurite,
  KEY,
  MiB,
  makeFile,
  rotated,
  runChild,
  sasUrl,
  startAzurite,
} from "./harness.ts";
import {
  type Impl,
  SCALE_SYNCS,
  TREE_DOWNLOADS,
  TREE_SYNC_INTEROP,
  TREE_SYNCS,
  TREE_UPLOADS,
} from "./impls.ts";
import { type Group, record } from "./results.ts";
import type { ScenarioResult, ScenarioSpec } from "./spec.ts";

export interface TreeShape {
  shape: "small" | "large";
  files: number;
  fileBytes: number;
}

/** The virtual folder every tree goes under, in every container. */
const PREFIX = "tree";
/** Files per sub-folder of a small-file tree (a build output or a dataset has folders too). */
const FILES_PER_FOLDER = 100;

export const describeShape = (t: TreeShape) =>
  t.fileBytes < MiB
    ? `${t.files} x ${t.fileBytes / 1024} KiB`
    : `${t.files} x ${t.fileBytes / MiB} MiB`;

/** Writes the tree's files (random bytes) under `folder`. */
export async function makeTree(folder: string, tree: TreeShape): Promise<void> {
  if (tree.shape === "large") {
    await mkdir(folder, { recursive: true });
    for (let i = 0; i < tree.files; i++) await makeFile(join(folder, `f${i}.bin`), tree.fileBytes);
    return;
  }
  for (let first = 0; first < tree.files; first += FILES_PER_FOLDER) {
    const sub = join(folder, `d${String(first / FILES_PER_FOLDER).padStart(3, "0")}`);
    await mkdir(sub, { recursive: true });
    const count = Math.min(FILES_PER_FOLDER, tree.files - first);
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        writeFile(join(sub, `f${first + i}.bin`), randomBytes(tree.fileBytes)),
      ),
    );
  }
}

/** Each blob's ETag under the tree's prefix, to tell whether a sync changed anything. */
async function etagsOf(container: ContainerClient): Promise<Map<string, string>> {
  const etags = new Map<string, string>();
  for await (const blob of container.listBlobsFlat({ prefix: `${PREFIX}/` }))
    etags.set(blob.name, blob.properties.etag);
  return etags;
}

/** Blobs changed, added or removed between two listings. */
function changedBetween(before: Map<string, string>, after: Map<string, string>): number {
  let changed = 0;
  for (const [name, etag] of after) if (before.get(name) !== etag) changed++;
  for (const name of before.keys()) if (!after.has(name)) changed++;
  return changed;
}

/** The group of a tree's no-change syncs. */
const syncGroupOf = (tree: TreeShape): Group => ({
  name: `tree sync ${describeShape(tree)}, no change`,
  family: "tree-sync",
  unit: "files/s",
  shape: tree.shape,
});

/** Runs a no-change sync and records it with the number of blobs it changed (by ETag). */
async function recordSync(
  group: Group,
  impl: Impl,
  container: ContainerClient,
  sync: () => Promise<ScenarioResult>,
): Promise<void> {
  const before = await etagsOf(container);
  const result = await sync();
  record(group, impl, result, { changed: changedBetween(before, await etagsOf(container)) });
}

/** The unrecorded warm-up download of each round: BlobKit without the flush. */
const WARM_UP: Impl = { id: "blobkit-not-durable", label: "warm-up", role: "blobkit" };

/** Each implementation's own upload container; BlobKit's is also the source of the downloads. */
const containerOf = (impl: Impl) => `tree-${impl.ontoBlobKit ? "blobkit" : impl.id}`;

export async function runTreeRounds(
  tree: TreeShape,
  folder: string,
  work: string,
  rounds: number,
): Promise<void> {
  const name = describeShape(tree);
  const unit = tree.shape === "small" ? "files/s" : "MiB/s";
  const upload: Group = {
    name: `tree upload ${name}`,
    family: "tree-upload",
    unit,
    shape: tree.shape,
  };
  const sync = syncGroupOf(tree);
  const download: Group = {
    name: `tree download ${name}`,
    family: "tree-download",
    unit,
    shape: tree.shape,
  };
  // A small-file tree's downloads stay until its last round: deleting thousands of files just
  // before the next row writes as many made that row pay for it. On an ext4 file system without a
  // journal (this bench's VM), each new file's inode is chosen past those deleted in the last
  // minute or more (the kernel's `recently_deleted`): 16% of the client's CPU in a profile of a
  // download that ran after a delete, falling on whichever row came next. A large-file tree's
  // downloads are few files and many bytes: they go at once.
  const kept: string[] = [];
  try {
    for (let round = 0; round < rounds; round++)
      await runTreeRound(tree, folder, work, round, { upload, sync, download }, kept);
  } finally {
    for (const target of kept) await rm(target, { recursive: true, force: true });
  }
}

/** One round of a tree's groups against a fresh Azurite; small-file download targets go to `kept`. */
async function runTreeRound(
  tree: TreeShape,
  folder: string,
  work: string,
  round: number,
  { upload, sync, download }: { upload: Group; sync: Group; download: Group },
  kept: string[],
): Promise<void> {
  const azurite = await startAzurite();
  const run = (kind: ScenarioSpec["kind"], impl: Impl, container: string, file: string) =>
    runTreeChild(azurite, tree, { kind, impl, container, file });
  try {
    for (const impl of rotated(TREE_UPLOADS, round)) {
      await azurite.service.getContainerClient(containerOf(impl)).create();
      record(upload, impl, await run("tree-upload", impl, containerOf(impl), folder));
    }
    // rclone onto BlobKit's upload may rewrite its metadata: after the rotated rows.
    for (const impl of [...rotated(TREE_SYNCS, round), ...TREE_SYNC_INTEROP]) {
      const container = azurite.service.getContainerClient(containerOf(impl));
      await recordSync(sync, impl, container, () =>
        run("tree-sync", impl, containerOf(impl), folder),
      );
    }
    await dropRcloneUploads(azurite);
    const downloads = TREE_DOWNLOADS.filter((i) => !i.onlyShape || i.onlyShape === tree.shape);
    const keep = tree.shape === "small";
    // One download no row records, as for single blobs (bench.ts, `warmUp`): the first download
    // after the uploads pays a cost of the machine that would fall on whichever row leads.
    const warmUp = join(work, `tree-download-warm-up-${round}`);
    if (keep) kept.push(warmUp);
    await run("tree-download", WARM_UP, "tree-blobkit", warmUp);
    if (!keep) await rm(warmUp, { recursive: true, force: true });
    for (const impl of rotated(downloads, round)) {
      const target = join(work, `tree-download-${impl.id}-${round}`);
      if (keep) kept.push(target);
      record(download, impl, await run("tree-download", impl, "tree-blobkit", target));
      if (!keep) await rm(target, { recursive: true, force: true });
    }
  } finally {
    await azurite.stop();
  }
}

/** Runs one implementation's scenario on a tree in its own process. */
async function runTreeChild(
  azurite: Azurite,
  tree: TreeShape,
  run: { kind: ScenarioSpec["kind"]; impl: Impl; container: string; file: string },
) {
  const { impl, container } = run;
  return runChild({
    endpoint: azurite.endpoint,
    accountName: ACCOUNT,
    accountKey: KEY,
    kind: run.kind,
    impl: impl.scenario ?? impl.id,
    container,
    blob: PREFIX,
    file: run.file,
    size: tree.files * tree.fileBytes,
    count: tree.files,
    ...(impl.transfers ? { transfers: impl.transfers } : {}),
    ...(impl.nodeFlags ? { nodeFlags: impl.nodeFlags } : {}),
    ...(impl.role === "reference" || impl.role === "ceiling"
      ? { sasUrl: await sasUrl(azurite, container) }
      : {}),
  });
}

/** Frees Azurite's memory before the downloads (deleting a container is one request). */
async function dropRcloneUploads(azurite: Azurite): Promise<void> {
  for (const impl of TREE_UPLOADS)
    if (impl.role === "reference")
      await azurite.service.getContainerClient(containerOf(impl)).delete();
}

/**
 * The no-change sync of a large small-file tree, for memory (`--tree-scale`): one Azurite for
 * every round, the tree uploaded once by BlobKit before the first (not timed), then each
 * implementation's sync onto that upload, in rotated order.
 */
export async function runScaleRounds(
  tree: TreeShape,
  folder: string,
  rounds: number,
): Promise<void> {
  const sync = syncGroupOf(tree);
  const azurite = await startAzurite();
  const container = "tree-blobkit";
  const run = (kind: ScenarioSpec["kind"], impl: Impl) =>
    runTreeChild(azurite, tree, { kind, impl, container, file: folder });
  try {
    const blobs = azurite.service.getContainerClient(container);
    await blobs.create();
    const [blobkit] = SCALE_SYNCS;
    if (blobkit) await run("tree-upload", blobkit);
    for (let round = 0; round < rounds; round++)
      for (const impl of rotated(SCALE_SYNCS, round))
        await recordSync(sync, impl, blobs, () => run("tree-sync", impl));
  } finally {
    await azurite.stop();
  }
}
