// uploadBlob against a stub Azure, for what the emulator cannot show on demand (issue 15): an
// abort that comes after the final request was sent (Put Blob, or Put Block List) says the blob
// may have been written, while one before it is a plain cancellation; and a commit after the
// service lost the staged blocks (400 InvalidBlockList) says the upload must start over.
import type { ServerResponse } from "node:http";
import { connect, isStorageError, type StorageError } from "@blobkit/auth";
import { type StubRequest, startStubServer } from "@blobkit/testing";
import { describe, expect, test } from "vitest";
import { uploadBlob } from "../src/index.js";
import { serviceError } from "./blob-stub.js";
import { bytes } from "./transfer-helpers.js";

const KiB = 1024;
const MiB = 1024 * KiB;

type Kind = "put blob" | "put block" | "put block list" | "other";

function kindOf(request: StubRequest): Kind {
  if (request.method !== "PUT") return "other";
  const comp = request.query.get("comp");
  if (comp === "block") return "put block";
  if (comp === "blocklist") return "put block list";
  return comp === null ? "put blob" : "other";
}

/** Azure's answer to a successful write. */
function created(response: ServerResponse): void {
  response
    .writeHead(201, {
      etag: '"0x8DC0000000000C1"',
      "last-modified": "Mon, 01 Jan 2024 00:00:00 GMT",
      "x-ms-request-id": "stub-write",
      "x-ms-request-server-encrypted": "true",
      "content-length": "0",
    })
    .end();
}

/**
 * A stub that answers writes at once, except requests of kind `held`, which it reads whole and
 * answers only after `holdMs` (or, with `refuse`, answers with that error).
 */
async function startUploadStub(
  held: Kind,
  options: { holdMs?: number; refuse?: [number, string] },
) {
  const stub = await startStubServer(async (request, response) => {
    const kind = kindOf(request);
    if (kind === held) {
      if (options.refuse) return serviceError(response, options.refuse[0], options.refuse[1]);
      await new Promise((resolve) => setTimeout(resolve, options.holdMs ?? 5_000));
      if (!response.destroyed) created(response);
      return;
    }
    if (kind === "other") return serviceError(response, 404, "BlobNotFound");
    created(response);
  });
  const service = await connect({ method: "emulator", emulator: stub, retry: { maxTries: 1 } });
  return { stub, container: service.getContainerClient("stub") };
}

/** Uploads, aborting once the stub has received `count` requests of kind `kind`, whole. */
async function abortAfter(
  stub: Awaited<ReturnType<typeof startUploadStub>>,
  kind: Kind,
  count: number,
  data: Uint8Array,
  options: { blockSize?: number; maxSingleShotSize?: number } = {},
): Promise<{ error: StorageError; ms: number }> {
  const controller = new AbortController();
  const running = uploadBlob(stub.container, "blob.bin", data, {
    ...options,
    signal: controller.signal,
  });
  const seen = () => stub.stub.requests.filter((r) => kindOf(r) === kind).length;
  while (seen() < count) await new Promise((resolve) => setTimeout(resolve, 5));
  const abortedAt = performance.now();
  controller.abort();
  const error = (await running.catch((e: unknown) => e)) as StorageError;
  return { error, ms: performance.now() - abortedAt };
}

describe("uploadBlob: an abort after the final request was sent (contract)", () => {
  test("Put Blob, small and large bodies: the error says the blob may have been written", async () => {
    for (const size of [10 * KiB, 4 * MiB]) {
      const stub = await startUploadStub("put blob", { holdMs: 5_000 });
      await using _ = stub.stub;
      const { error, ms } = await abortAfter(stub, "put blob", 1, bytes(size));
      expect(isStorageError(error, "Aborted"), `${size}: ${error}`).toBe(true);
      expect(error.message, `${size}`).toMatch(/after its final request \(Put Blob\)/);
      expect(error.message, `${size}`).toMatch(/may have been written/);
      expect(ms).toBeLessThan(1_000);
    }
  });

  test("Put Block List: the error says the blob may have been written", async () => {
    const stub = await startUploadStub("put block list", { holdMs: 5_000 });
    await using _ = stub.stub;
    const { error, ms } = await abortAfter(stub, "put block list", 1, bytes(256 * KiB), {
      blockSize: 64 * KiB,
      maxSingleShotSize: 64 * KiB,
    });
    expect(isStorageError(error, "Aborted"), String(error)).toBe(true);
    expect(error.message).toMatch(/after its final request \(Put Block List\)/);
    expect(error.message).toMatch(/may have been written/);
    expect(ms).toBeLessThan(1_000);
    expect(stub.stub.requests.filter((r) => kindOf(r) === "put block")).toHaveLength(4);
  });

  test("an abort while blocks are still being staged is a plain cancellation", async () => {
    const stub = await startUploadStub("put block", { holdMs: 5_000 });
    await using _ = stub.stub;
    const { error, ms } = await abortAfter(stub, "put block", 1, bytes(256 * KiB), {
      blockSize: 64 * KiB,
      maxSingleShotSize: 64 * KiB,
    });
    expect(isStorageError(error, "Aborted"), String(error)).toBe(true);
    expect(error.message).not.toMatch(/may have been written/);
    expect(ms).toBeLessThan(1_000);
    expect(stub.stub.requests.filter((r) => kindOf(r) === "put block list")).toHaveLength(0);
  });
});

describe("uploadBlob: a commit after the service lost the staged blocks (contract)", () => {
  test("400 InvalidBlockList says the blocks are gone and the upload must start over", async () => {
    const stub = await startUploadStub("put block list", { refuse: [400, "InvalidBlockList"] });
    await using _ = stub.stub;
    const error = (await uploadBlob(stub.container, "blob.bin", bytes(256 * KiB), {
      blockSize: 64 * KiB,
      maxSingleShotSize: 64 * KiB,
    }).catch((e: unknown) => e)) as StorageError;
    expect(isStorageError(error), String(error)).toBe(true);
    expect(error.statusCode).toBe(400);
    expect(error.serviceCode).toBe("InvalidBlockList");
    expect(error.message).toMatch(/no longer holds the blocks this upload staged/);
    expect(error.message).toMatch(/Upload the blob again from the start/);
  });
});
