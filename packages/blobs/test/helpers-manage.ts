// Helpers of the tests that manage blobs (list, copy, delete, restore, tags, properties, tiers).
import type { ContainerClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import type { AzuriteConnection } from "@blobkit/testing";

/** Uploads small blobs with the SDK directly (uploadBlob belongs to another test suite). */
export async function putBlobs(
  container: ContainerClient,
  names: readonly string[],
  body = "x",
): Promise<void> {
  await Promise.all(
    names.map((name) => container.uploadBlockBlob(name, body, Buffer.byteLength(body))),
  );
}

/** A BlobKit client of the shared emulator that does not retry (for tests expecting errors). */
export function service(azurite: AzuriteConnection, retry = false) {
  return connect({
    method: "emulator",
    emulator: azurite,
    ...(retry ? {} : { retry: { maxTries: 1 } }),
  });
}

/** Collects an async iterable (tests only: listings are small here). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** A small tree of virtual directories, for the listing tests. */
export const TREE = [
  "a.txt",
  "docs/readme.md",
  "docs/guide/intro.md",
  "docs/guide/setup.md",
  "img/logo.png",
  "z.txt",
];
