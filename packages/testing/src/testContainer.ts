// A uniquely named container for one test, deleted afterwards.
import { randomBytes } from "node:crypto";
import type { BlobServiceClient, ContainerClient } from "@azure/storage-blob";

/** Options for {@link createTestContainer}. */
export interface CreateTestContainerOptions {
  /**
   * Start of the container name (lowercase letters, digits, hyphens); a random suffix follows.
   * @defaultValue `"test"`
   */
  prefix?: string;
  /** Cancels creation. */
  signal?: AbortSignal;
}

/** A test container that deletes itself with `await using` or {@link TestContainer.dispose}. */
export interface TestContainer extends AsyncDisposable {
  readonly name: string;
  readonly client: ContainerClient;
  /** Deletes the container (and its blobs); safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Returns a new unique, valid container name with the given prefix.
 *
 * @example
 * ```ts
 * import { uniqueContainerName } from "@blobkit/testing";
 *
 * uniqueContainerName("Upload Tests"); // e.g. "upload-tests-mwv3k2a1-9f3c21ab"
 * ```
 */
export function uniqueContainerName(prefix = "test"): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return `${(clean || "test").slice(0, 40)}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

/**
 * Creates a uniquely named container and returns a handle that deletes it when disposed, so tests
 * never share state and never leave data behind.
 *
 * @example
 * ```ts
 * import { createTestContainer, startAzurite } from "@blobkit/testing";
 *
 * await using azurite = await startAzurite();
 * await using container = await createTestContainer(azurite.serviceClient, { prefix: "upload" });
 * await container.client.uploadBlockBlob("a.txt", "hi", 2);
 * ```
 */
export async function createTestContainer(
  service: BlobServiceClient,
  options: CreateTestContainerOptions = {},
): Promise<TestContainer> {
  const name = uniqueContainerName(options.prefix);
  const client = service.getContainerClient(name);
  await client.create(options.signal ? { abortSignal: options.signal } : {});
  let disposed: Promise<void> | undefined;
  const dispose = () => {
    disposed ??= client.deleteIfExists().then(() => undefined);
    return disposed;
  };
  return { name, client, dispose, [Symbol.asyncDispose]: dispose };
}
