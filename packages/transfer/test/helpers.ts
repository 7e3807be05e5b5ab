// Test helpers for folder transfers: a BlobKit client of the shared emulator (optionally through
// a proxy), temporary folders, trees of files, and their digests.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import type { AzuriteConnection } from "@blobkit/testing";

/** A BlobKit client for a container of the shared emulator, or through `endpoint` (a proxy). */
export async function containerOf(
  azurite: AzuriteConnection,
  name: string,
  endpoint = azurite.blobEndpoint,
  maxTries = 2,
): Promise<ContainerClient> {
  const service = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: endpoint,
      accountName: azurite.accountName,
      accountKey: azurite.accountKey,
    },
    retry: { maxTries, retryDelayMs: 10 },
  });
  return service.getContainerClient(name);
}

/** A temporary folder, removed by `await using`. */
export async function tempFolder(): Promise<{ path: string } & AsyncDisposable> {
  const path = await mkdtemp(join(tmpdir(), "blobkit-transfer-"));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}

/** Writes files (relative path -> content or size of random bytes) below `root`. */
export async function writeTree(
  root: string,
  files: Record<string, string | number | Buffer>,
): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, ...relative.split("/"));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof content === "number" ? randomBytes(content) : content);
  }
}

/** sha256 of every file below `root`, by relative path with "/" (hidden partial files included). */
export async function treeDigest(root: string): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const relative = path
      .slice(root.length + 1)
      .split(/[\\/]/)
      .join("/");
    digests[relative] = createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  }
  return Object.fromEntries(Object.entries(digests).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Names of the blobs of a container, sorted. */
export async function blobNames(container: ContainerClient): Promise<string[]> {
  const names: string[] = [];
  for await (const blob of container.listBlobsFlat()) names.push(blob.name);
  return names.sort();
}
