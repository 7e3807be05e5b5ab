// uploadBlob's checksums (issue 17): the whole-blob MD5 stored with multi-block uploads of every
// source kind (checked against an independent MD5 and the SDK's getProperties), the contentMD5
// option ("none", or bytes stored as given), and checksum: "crc64" on single requests and
// blocks, which the service checks: a corrupted body is refused with Crc64Mismatch, and sent again
// when the client has tries left.
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { isStorageError, type StorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { downloadBlob, type UploadBlobSource, uploadBlob } from "../src/index.js";
import { crc64 } from "../src/internal/checksum/crc64.js";
import {
  blobkitContainer,
  bytes,
  chunkedReadable,
  sha256,
  startRecordingProxy,
  tempFolder,
  webStream,
} from "./transfer-helpers.js";

const KiB = 1024;
/** Small blocks so that multi-block uploads stay fast against the in-process emulator. */
const SMALL = { blockSize: 64 * KiB, maxSingleShotSize: 64 * KiB };

function md5(data: Uint8Array): string {
  return createHash("md5").update(data).digest("base64");
}

function base64(value: Uint8Array | undefined): string | undefined {
  return value === undefined ? undefined : Buffer.from(value).toString("base64");
}

/** The MD5 the service holds for the blob, as the SDK reads it (not BlobKit). */
async function storedMD5(client: ContainerClient, name: string): Promise<string | undefined> {
  return base64((await client.getBlobClient(name).getProperties()).contentMD5);
}

describe("uploadBlob: the whole-blob MD5", () => {
  test("multi-block uploads of a file, bytes and streams store the MD5 of the whole source", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(300 * KiB + 123);
    const path = join(folder.path, "source.bin");
    await writeFile(path, data);
    const sources: Record<string, () => UploadBlobSource> = {
      file: () => ({ path }),
      bytes: () => data,
      "stream of unknown length": () => chunkedReadable(data),
      "web stream": () => webStream(data),
      blob: () => new Blob([data]),
    };
    for (const [kind, source] of Object.entries(sources)) {
      for (const concurrency of [1, 4]) {
        const name = `${kind}-${concurrency}.bin`;
        const result = await uploadBlob(client, name, source(), { ...SMALL, concurrency });
        expect(result.blockCount, name).toBeGreaterThan(1);
        expect(base64(result.contentMD5), name).toBe(md5(data));
        expect(await storedMD5(client, name), name).toBe(md5(data));
        const back = await downloadBlob(client.getBlobClient(name), { to: "bytes" });
        expect(back.verification, name).toBe("verified");
        expect(sha256(back.content), name).toBe(sha256(data));
      }
    }
    // A sized stream whose blocks arrive faster than they are hashed in order.
    const sized = await uploadBlob(client, "sized.bin", chunkedReadable(data, [17 * KiB]), {
      ...SMALL,
      size: data.length,
      concurrency: 8,
    });
    expect(base64(sized.contentMD5)).toBe(md5(data));
    expect(await storedMD5(client, "sized.bin")).toBe(md5(data));
  });

  test("a single request stores the MD5 the service computes", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(10 * KiB);
    const result = await uploadBlob(client, "single.bin", data);
    expect(result.blockCount).toBe(0);
    expect(base64(result.contentMD5)).toBe(md5(data));
    expect(await storedMD5(client, "single.bin")).toBe(md5(data));
  });

  test('contentMD5: "none" stores none, and downloads say so', async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(200 * KiB);
    const result = await uploadBlob(client, "bare.bin", data, { ...SMALL, contentMD5: "none" });
    expect(result.blockCount).toBe(4);
    expect(result.contentMD5).toBeUndefined();
    expect(await storedMD5(client, "bare.bin")).toBeUndefined();
    const back = await downloadBlob(client.getBlobClient("bare.bin"), { to: "bytes" });
    expect(back.verification).toBe("no checksum stored");
    expect(sha256(back.content)).toBe(sha256(data));
  });

  test("an MD5 the caller gives is stored as given, without being checked", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(200 * KiB);
    const right = createHash("md5").update(data).digest();
    const blocks = await uploadBlob(client, "given.bin", data, { ...SMALL, contentMD5: right });
    expect(base64(blocks.contentMD5)).toBe(md5(data));
    expect(await storedMD5(client, "given.bin")).toBe(md5(data));
    const single = await uploadBlob(client, "given-single.bin", data, { contentMD5: right });
    expect(single.blockCount).toBe(0);
    expect(await storedMD5(client, "given-single.bin")).toBe(md5(data));
    // A wrong one is stored too (Put Block List does not check it): downloads then refuse it.
    const wrong = createHash("md5").update("another file").digest();
    await uploadBlob(client, "given-wrong.bin", data, { ...SMALL, contentMD5: wrong });
    expect(await storedMD5(client, "given-wrong.bin")).toBe(wrong.toString("base64"));
    const error = await downloadBlob(client.getBlobClient("given-wrong.bin"), {
      to: "bytes",
    }).catch((e: unknown) => e);
    expect(isStorageError(error, "ChecksumMismatch")).toBe(true);
    const refused = await uploadBlob(client, "x.bin", data, {
      contentMD5: new Uint8Array(15),
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "InvalidArgument", field: "contentMD5" });
  });
});

describe("uploadBlob: an abort while the whole-blob MD5 waits for earlier blocks", () => {
  test("rejects with Aborted and leaves no unhandled rejection (which would end the process)", async ({
    azurite,
    container,
  }) => {
    // Through a proxy (slower requests: more blocks in flight at the abort), from a file (blocks
    // read concurrently: later ones wait for earlier ones to be hashed).
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    await using folder = await tempFolder();
    const path = join(folder.path, "aborted.bin");
    await writeFile(path, bytes(2048 * KiB));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      for (let run = 0; run < 5; run++) {
        const controller = new AbortController();
        const error = await uploadBlob(
          client,
          "aborted.bin",
          { path },
          {
            ...SMALL,
            concurrency: 8,
            signal: controller.signal,
            onProgress: ({ loaded }) => {
              if (loaded >= (2 + run) * SMALL.blockSize) controller.abort();
            },
          },
        ).catch((e: unknown) => e);
        expect(isStorageError(error, "Aborted"), String(error)).toBe(true);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});

describe('uploadBlob: checksum "crc64"', () => {
  test("single requests and blocks carry the CRC-64 of their body, and the blob is stored", async ({
    azurite,
    container,
  }) => {
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    await using folder = await tempFolder();
    const data = bytes(200 * KiB + 5);
    const path = join(folder.path, "crc.bin");
    await writeFile(path, data);
    const sources: Record<string, [UploadBlobSource, object]> = {
      "bytes, one request": [data, {}],
      "bytes, blocks": [data, SMALL],
      "file, one request": [{ path }, {}],
      "file, blocks": [{ path }, SMALL],
      "stream, blocks": [chunkedReadable(data), SMALL],
    };
    for (const [name, [source, options]] of Object.entries(sources)) {
      const first = proxy.requests.length;
      const result = await uploadBlob(client, name, source, { ...options, checksum: "crc64" });
      expect(base64(result.contentMD5), name).toBe(md5(data));
      const bodies = proxy.requests
        .slice(first)
        .filter((r) => r.method === "PUT" && !/comp=blocklist/.test(r.url));
      expect(bodies.length, name).toBeGreaterThan(0);
      for (const request of bodies) {
        expect(request.headers["x-ms-content-crc64"], name).toMatch(/^[A-Za-z0-9+/]{11}=$/);
        expect(request.headers["content-md5"], name).toBeUndefined();
      }
      const back = await downloadBlob(client.getBlobClient(name), { to: "bytes" });
      expect(sha256(back.content), name).toBe(sha256(data));
      expect(back.verification, name).toBe("verified");
    }
    // The header is the CRC-64 of exactly the body sent (checked for the one-request upload).
    const single = proxy.requests.find(
      (r) => r.method === "PUT" && r.url.includes("bytes%2C%20one%20request"),
    );
    expect(single?.headers["x-ms-content-crc64"]).toBe(
      Buffer.from(await crc64(data)).toString("base64"),
    );
  });

  test("a body corrupted on the way is refused with Crc64Mismatch and nothing is stored", async ({
    azurite,
    container,
  }) => {
    await using proxy = await startRecordingProxy(azurite.blobEndpoint, { corrupt: true });
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    for (const [name, options] of [
      ["single.bin", {}],
      ["blocks.bin", SMALL],
    ] as const) {
      const error = (await uploadBlob(client, name, bytes(200 * KiB), {
        ...options,
        checksum: "crc64",
      }).catch((e: unknown) => e)) as StorageError | undefined;
      expect(isStorageError(error, "BadRequest"), `${name}: ${error}`).toBe(true);
      expect(error?.statusCode).toBe(400);
      expect(error?.serviceCode).toBe("Crc64Mismatch");
      expect(await client.getBlobClient(name).exists()).toBe(false);
      const list = await client
        .getBlockBlobClient(name)
        .getBlockList("all")
        .catch(() => undefined);
      expect(list?.committedBlocks?.length ?? 0).toBe(0);
    }
  });
});

describe("uploadBlob: a body corrupted once on the way", () => {
  test("the service refuses it (Md5Mismatch or Crc64Mismatch), the block is sent again, and the blob is whole", async ({
    azurite,
    container,
  }) => {
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url, 3);
    for (const checksum of ["md5", "crc64"] as const) {
      const data = bytes(300 * KiB);
      const before = proxy.stats.faults["corrupt-request"];
      // The second Put Block request arrives with a byte changed.
      proxy.setRules([
        { fault: "corrupt-request", method: "PUT", path: /comp=block&/, after: 1, times: 1 },
      ]);
      const result = await uploadBlob(client, `${checksum}.bin`, data, { ...SMALL, checksum });
      expect(proxy.stats.faults["corrupt-request"] - before).toBe(1);
      expect(result.blockCount).toBe(5);
      const back = await downloadBlob(client.getBlobClient(`${checksum}.bin`), { to: "bytes" });
      expect(back.verification).toBe("verified");
      expect(sha256(back.content)).toBe(sha256(data));
    }
  });
});
