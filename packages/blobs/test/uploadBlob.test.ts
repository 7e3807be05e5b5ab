import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isStorageError, type Progress, type StorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { type UploadBlobSource, uploadBlob } from "../src/index.js";
import {
  blobkitContainer,
  bytes,
  chunkedReadable,
  md5Base64,
  sha256,
  startRecordingProxy,
  stuckReadable,
  tempFolder,
  unreachableContainer,
  webStream,
} from "./transfer-helpers.js";

const KiB = 1024;
/** Small blocks so that multi-block uploads stay fast against the in-process emulator. */
const SMALL = { blockSize: 64 * KiB, maxSingleShotSize: 64 * KiB };

async function committedBlocks(
  container: Awaited<ReturnType<typeof blobkitContainer>>,
  name: string,
) {
  const list = await container.getBlockBlobClient(name).getBlockList("all");
  return {
    committed: list.committedBlocks?.length ?? 0,
    uncommitted: list.uncommittedBlocks?.length ?? 0,
  };
}

async function contentOf(container: Awaited<ReturnType<typeof blobkitContainer>>, name: string) {
  return container.getBlobClient(name).downloadToBuffer();
}

describe("uploadBlob: every source kind", () => {
  test("a string is sent as UTF-8 with a content type inferred from the name", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const text = "héllo wörld\n";
    const result = await uploadBlob(client, "greetings/hello.txt", text);
    expect(result.blockCount).toBe(0);
    expect(result.contentLength).toBe(Buffer.byteLength(text));
    expect(result.etag).toMatch(/./);
    expect(result.contentMD5).toBeDefined();
    const props = await client.getBlobClient("greetings/hello.txt").getProperties();
    expect(props.contentType).toBe("text/plain; charset=utf-8");
    expect((await contentOf(client, "greetings/hello.txt")).toString("utf8")).toBe(text);
  });

  test("bytes: Buffer and plain Uint8Array, single-shot and in blocks", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const small = bytes(1000);
    const large = bytes(300 * KiB + 17);
    const plain = new Uint8Array(large);
    const a = await uploadBlob(client, "small.bin", small, SMALL);
    const b = await uploadBlob(client, "large.bin", large, SMALL);
    const c = await uploadBlob(client, "plain.png", plain, SMALL);
    expect(a.blockCount).toBe(0);
    expect(b.blockCount).toBe(5);
    expect(c.blockCount).toBe(5);
    expect(sha256(await contentOf(client, "small.bin"))).toBe(sha256(small));
    expect(sha256(await contentOf(client, "large.bin"))).toBe(sha256(large));
    expect(sha256(await contentOf(client, "plain.png"))).toBe(sha256(large));
    expect(await committedBlocks(client, "large.bin")).toEqual({ committed: 5, uncommitted: 0 });
    const props = await client.getBlobClient("plain.png").getProperties();
    expect(props.contentType).toBe("image/png");
    expect((await client.getBlobClient("large.bin").getProperties()).contentType).toBe(
      "application/octet-stream",
    );
  });

  test("a Node Readable of unknown size, with odd chunk sizes", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(200 * KiB + 3);
    const progress: Progress[] = [];
    const result = await uploadBlob(client, "stream.bin", chunkedReadable(data), {
      ...SMALL,
      onProgress: (p) => progress.push(p),
    });
    expect(result.blockCount).toBe(4);
    expect(result.contentLength).toBe(data.length);
    expect(sha256(await contentOf(client, "stream.bin"))).toBe(sha256(data));
    expect(progress.at(-1)).toEqual({ loaded: data.length });
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]?.loaded).toBeGreaterThan(progress[i - 1]?.loaded ?? 0);
    }
  });

  test("chunks larger than a block are sent as views and never overwritten", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(1000 * KiB);
    const copy = Buffer.from(data);
    // 150 KiB chunks, 64 KiB blocks: some blocks are views of one chunk, some span two.
    const result = await uploadBlob(client, "views.bin", chunkedReadable(data, [150 * KiB]), {
      ...SMALL,
      concurrency: 2,
    });
    expect(result.blockCount).toBe(16);
    expect(sha256(await contentOf(client, "views.bin"))).toBe(sha256(copy));
    expect(data.equals(copy)).toBe(true);
  });

  test("a Node Readable with a size hint reports a total and checks the length", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(150 * KiB);
    const progress: Progress[] = [];
    const result = await uploadBlob(client, "sized.bin", chunkedReadable(data, [10_000]), {
      ...SMALL,
      size: data.length,
      onProgress: (p) => progress.push(p),
    });
    expect(result.blockCount).toBe(3);
    expect(progress.at(-1)).toEqual({ loaded: data.length, total: data.length });
    expect(sha256(await contentOf(client, "sized.bin"))).toBe(sha256(data));

    for (const size of [data.length - 1, data.length + 1, 1000]) {
      const error = await uploadBlob(client, `wrong-${size}.bin`, chunkedReadable(data), {
        ...SMALL,
        size,
      }).catch((e: unknown) => e as StorageError);
      expect(error).toMatchObject({ code: "InvalidArgument", field: "size" });
      expect(await client.getBlobClient(`wrong-${size}.bin`).exists()).toBe(false);
    }
  });

  test("a web ReadableStream", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(130 * KiB);
    const result = await uploadBlob(client, "web.bin", webStream(data), SMALL);
    expect(result.blockCount).toBe(3);
    expect(sha256(await contentOf(client, "web.bin"))).toBe(sha256(data));
    const small = bytes(10);
    const single = await uploadBlob(client, "web-small.json", webStream(small));
    expect(single.blockCount).toBe(0);
    expect((await client.getBlobClient("web-small.json").getProperties()).contentType).toBe(
      "application/json",
    );
  });

  test("a file path, single-shot and in blocks; a string is never taken for a path", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(250 * KiB);
    const path = join(folder.path, "data.csv");
    await writeFile(path, data);
    const staged = await uploadBlob(client, "file.csv", { path }, SMALL);
    expect(staged.blockCount).toBe(4);
    expect(sha256(await contentOf(client, "file.csv"))).toBe(sha256(data));
    expect((await client.getBlobClient("file.csv").getProperties()).contentType).toBe("text/csv");
    const single = await uploadBlob(client, "file-single.csv", { path });
    expect(single.blockCount).toBe(0);
    expect(sha256(await contentOf(client, "file-single.csv"))).toBe(sha256(data));

    await uploadBlob(client, "not-a-path.txt", path);
    expect((await contentOf(client, "not-a-path.txt")).toString()).toBe(path);
  });

  test("0-byte sources of every kind create an empty blob", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const emptyFile = join(folder.path, "empty");
    await writeFile(emptyFile, "");
    const sources: Record<string, () => UploadBlobSource> = {
      string: () => "",
      buffer: () => Buffer.alloc(0),
      readable: () => chunkedReadable(new Uint8Array(0)),
      web: () => webStream(new Uint8Array(0)),
      file: () => ({ path: emptyFile }),
    };
    for (const [kind, source] of Object.entries(sources)) {
      for (const options of [{}, { maxSingleShotSize: 0 }, { size: 0 }]) {
        const result = await uploadBlob(client, `empty-${kind}`, source(), options);
        expect(result).toMatchObject({ contentLength: 0, blockCount: 0 });
        const props = await client.getBlobClient(`empty-${kind}`).getProperties();
        expect(props.contentLength).toBe(0);
      }
    }
  });

  test("exactly-one-block boundaries: n blocks for n × blockSize, n + 1 for a byte more", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const options = { blockSize: 1024, maxSingleShotSize: 1024 };
    for (const [size, blocks] of [
      [1024, 0],
      [1025, 2],
      [2048, 2],
      [2049, 3],
    ] as const) {
      const data = bytes(size);
      const path = join(folder.path, `f${size}`);
      await writeFile(path, data);
      const kinds: Record<string, UploadBlobSource> = {
        bytes: data,
        readable: chunkedReadable(data, [1024]),
        odd: chunkedReadable(data, [1023, 3]),
        sized: chunkedReadable(data, [500]),
        web: webStream(data, 1024),
        file: { path },
      };
      for (const [kind, source] of Object.entries(kinds)) {
        const name = `b-${size}-${kind}`;
        const result = await uploadBlob(client, name, source, {
          ...options,
          ...(kind === "sized" ? { size } : {}),
        });
        expect(result.blockCount, name).toBe(blocks);
        expect(sha256(await contentOf(client, name)), name).toBe(sha256(data));
      }
    }
  });
});

describe("uploadBlob: properties in the same call", () => {
  test("metadata, tags, tier and HTTP headers, single-shot and from blocks", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    for (const [name, data] of [
      ["single.dat", bytes(100)],
      ["blocks.dat", bytes(200 * KiB)],
    ] as const) {
      await uploadBlob(client, name, data, {
        ...SMALL,
        contentType: "application/x-custom",
        contentEncoding: "identity",
        contentLanguage: "en-GB",
        contentDisposition: 'attachment; filename="x.dat"',
        cacheControl: "max-age=60",
        metadata: { owner: "finance", Reviewed: "yes" },
        tags: { project: "apollo", stage: "raw" },
        tier: "Cool",
      });
      const blob = client.getBlobClient(name);
      const props = await blob.getProperties();
      expect(props).toMatchObject({
        contentType: "application/x-custom",
        contentEncoding: "identity",
        contentLanguage: "en-GB",
        contentDisposition: 'attachment; filename="x.dat"',
        cacheControl: "max-age=60",
        accessTier: "Cool",
      });
      expect(props.metadata).toEqual({ owner: "finance", reviewed: "yes" });
      expect((await blob.getTags()).tags).toEqual({ project: "apollo", stage: "raw" });
    }
  });

  test("overwrite: false never replaces a blob (single-shot, blocks, stream)", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const first = await uploadBlob(client, "keep.txt", "original", { overwrite: false });
    const attempts: Array<() => Promise<unknown>> = [
      () => uploadBlob(client, "keep.txt", "new", { overwrite: false }),
      () => uploadBlob(client, "keep.txt", bytes(200 * KiB), { ...SMALL, overwrite: false }),
      () => uploadBlob(client, "keep.txt", chunkedReadable(bytes(10)), { overwrite: false }),
    ];
    for (const attempt of attempts) {
      const error = await attempt().catch((e: unknown) => e);
      expect(isStorageError(error, "AlreadyExists")).toBe(true);
      expect((error as Error).message).toMatch(/already exists and overwrite is false/);
    }
    const props = await client.getBlobClient("keep.txt").getProperties();
    expect(props.etag).toBe(first.etag);
    expect(await committedBlocks(client, "keep.txt")).toEqual({ committed: 0, uncommitted: 0 });
  });

  test("ifMatch replaces only the version you read", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    const first = await uploadBlob(client, "doc.txt", "v1");
    await uploadBlob(client, "doc.txt", "v2", { ifMatch: first.etag });
    const error = await uploadBlob(client, "doc.txt", "v3", { ifMatch: first.etag }).catch(
      (e: unknown) => e,
    );
    expect(isStorageError(error, "PreconditionFailed")).toBe(true);
    expect((await contentOf(client, "doc.txt")).toString()).toBe("v2");
  });
});

describe("uploadBlob: integrity, concurrency and cancellation", () => {
  test("every stageBlock and single-shot PUT carries the MD5 of its body; concurrency is bounded", async ({
    azurite,
    container,
  }) => {
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    const data = bytes(640 * KiB);
    await uploadBlob(client, "checked.bin", data, { ...SMALL, concurrency: 3 });
    await uploadBlob(client, "single.bin", bytes(1000));
    const puts = proxy.requests.filter((r) => r.method === "PUT");
    const blocks = puts.filter((r) => /comp=block(&|$)/.test(r.url));
    expect(blocks).toHaveLength(10);
    const single = puts.filter((r) => !/comp=/.test(r.url));
    expect(single).toHaveLength(1);
    for (const request of [...blocks, ...single]) {
      expect(request.headers["content-md5"]).toBe(request.bodyMD5);
    }
    expect(proxy.maxConcurrentBlocks).toBeGreaterThan(1);
    expect(proxy.maxConcurrentBlocks).toBeLessThanOrEqual(3);
    expect(sha256(await contentOf(client, "checked.bin"))).toBe(sha256(data));
    // Bodies are exactly the blocks: the service can verify each one.
    expect(blocks.map((r) => r.bodyMD5).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) =>
        md5Base64(data.subarray(i * 64 * KiB, (i + 1) * 64 * KiB)),
      ).sort(),
    );
  });

  test("a body corrupted on the way is rejected by the service and nothing is stored", async ({
    azurite,
    container,
  }) => {
    await using proxy = await startRecordingProxy(azurite.blobEndpoint, { corrupt: true });
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    for (const [name, data, options] of [
      ["single.bin", bytes(1000), {}],
      ["blocks.bin", bytes(256 * KiB), SMALL],
    ] as const) {
      const error = (await uploadBlob(client, name, data, options).catch((e: unknown) => e)) as
        | StorageError
        | undefined;
      expect(isStorageError(error, "BadRequest")).toBe(true);
      expect(error?.serviceCode).toBe("Md5Mismatch");
      expect(await client.getBlobClient(name).exists()).toBe(false);
    }
    // Without a checksum the same corruption is stored silently: what "md5" (the default) prevents.
    const data = bytes(1000);
    await uploadBlob(client, "unchecked.bin", data, { checksum: "none" });
    expect(sha256(await contentOf(client, "unchecked.bin"))).not.toBe(sha256(data));
  });

  test("a file sent in one request streams from disk with its MD5, is read again on a retry, and a corrupted body stores nothing", async ({
    azurite,
    container,
  }) => {
    await using folder = await tempFolder();
    const data = bytes(3 * 1024 * KiB + 17);
    const file = join(folder.path, "single.bin");
    await writeFile(file, data);

    await using recorder = await startRecordingProxy(azurite.blobEndpoint);
    const recorded = await blobkitContainer(azurite, container.name, recorder.url);
    const result = await uploadBlob(recorded, "single.bin", { path: file });
    expect(result).toMatchObject({ blockCount: 0, contentLength: data.length });
    const [put] = recorder.requests.filter((r) => r.method === "PUT");
    expect(put?.headers["content-md5"]).toBe(md5Base64(data));
    expect(put?.bodyMD5).toBe(md5Base64(data));
    expect(sha256(await contentOf(recorded, "single.bin"))).toBe(sha256(data));

    // The connection is reset once: the retry sends the whole file again, from its start.
    await using faults = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "reset", method: "PUT", times: 1 }],
    });
    const flaky = await blobkitContainer(azurite, container.name, faults.url, 3);
    await uploadBlob(flaky, "retried.bin", { path: file });
    expect(faults.stats.faults.reset).toBe(1);
    expect(sha256(await contentOf(flaky, "retried.bin"))).toBe(sha256(data));

    await using corrupter = await startRecordingProxy(azurite.blobEndpoint, { corrupt: true });
    const corrupting = await blobkitContainer(azurite, container.name, corrupter.url);
    const error = (await uploadBlob(corrupting, "corrupt.bin", { path: file }).catch(
      (e: unknown) => e,
    )) as StorageError | undefined;
    expect(error?.serviceCode).toBe("Md5Mismatch");
    expect(await corrupting.getBlobClient("corrupt.bin").exists()).toBe(false);
  });

  test('checksum "none" sends no Content-MD5, on blocks and single requests alike', async ({
    azurite,
    container,
  }) => {
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    const data = bytes(200 * KiB);
    await uploadBlob(client, "blocks.bin", data, { ...SMALL, checksum: "none" });
    await uploadBlob(client, "single.bin", bytes(1000), { checksum: "none" });
    const puts = proxy.requests.filter((r) => r.method === "PUT" && !/comp=blocklist/.test(r.url));
    expect(puts).toHaveLength(5);
    for (const request of puts) expect(request.headers["content-md5"]).toBeUndefined();
    expect(sha256(await contentOf(client, "blocks.bin"))).toBe(sha256(data));
  });

  test("abort mid-upload stops promptly, even while the source is stuck, and commits nothing", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const source = stuckReadable(bytes(200 * KiB));
    const controller = new AbortController();
    const loaded: number[] = [];
    const started = performance.now();
    const upload = uploadBlob(client, "aborted.bin", source, {
      ...SMALL,
      signal: controller.signal,
      onProgress: ({ loaded: n }) => {
        loaded.push(n);
        // Blocks have been staged and the source has nothing more to give: cancel now.
        if (n >= 128 * KiB) controller.abort();
      },
    });
    const error = await upload.catch((e: unknown) => e);
    expect(isStorageError(error, "Aborted")).toBe(true);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(loaded.length).toBeGreaterThan(0);
    expect(source.destroyedByUpload()).toBe(true);
    expect(await client.getBlobClient("aborted.bin").exists()).toBe(false);
  });

  test("abort before the source yields anything fails at once with Aborted", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const source = stuckReadable(new Uint8Array(0));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await uploadBlob(client, "never.bin", source, {
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(isStorageError(error, "Aborted")).toBe(true);
    expect(await client.getBlobClient("never.bin").exists()).toBe(false);
    const already = await uploadBlob(client, "never.bin", "x", {
      signal: AbortSignal.abort(),
    }).catch((e: unknown) => e);
    expect(isStorageError(already, "Aborted")).toBe(true);
  });

  test("a block the service rejects fails the upload and stops the others", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    // A lease id on a blob without a lease: the first stageBlock fails with 412.
    await uploadBlob(client, "leased.bin", "x");
    const source = chunkedReadable(bytes(400 * KiB));
    const error = await uploadBlob(client, "leased.bin", source, {
      ...SMALL,
      leaseId: "6d4f5e8a-4b3c-4d2e-9f1a-0b2c3d4e5f60",
    }).catch((e: unknown) => e);
    expect(isStorageError(error)).toBe(true);
    expect((error as StorageError).code).not.toBe("Aborted");
    expect(source.destroyed).toBe(true);
    expect((await contentOf(client, "leased.bin")).toString()).toBe("x");
  });
});

describe("uploadBlob: validation before any request", () => {
  test("bad names, sources and options are rejected without a request", async ({ azurite }) => {
    const client = await unreachableContainer(azurite);
    await using folder = await tempFolder();
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => uploadBlob(client, "", "x"), "name"],
      [() => uploadBlob(client, "a/", "x"), "name"],
      [() => uploadBlob(client, "a", 42 as unknown as string), "source"],
      [() => uploadBlob(client, "a", new Uint16Array(2) as unknown as Uint8Array), "source"],
      [() => uploadBlob(client, "a", { path: "" }), "source.path"],
      [() => uploadBlob(client, "a", { path: join(folder.path, "missing") }), "source.path"],
      [() => uploadBlob(client, "a", { path: folder.path }), "source.path"],
      [() => uploadBlob(client, "a", "x", { metadata: { "bad-name": "v" } }), "metadata.bad-name"],
      [() => uploadBlob(client, "a", "x", { tags: { "a€": "v" } }), "tags.a€"],
      [() => uploadBlob(client, "a", "x", { tier: "Frozen" as "Hot" }), "tier"],
      [() => uploadBlob(client, "a", "x", { blockSize: 0 }), "blockSize"],
      [() => uploadBlob(client, "a", "x", { concurrency: 0 }), "concurrency"],
      [() => uploadBlob(client, "a", "x", { size: 5 }), "size"],
      [() => uploadBlob(client, "a", "x", { contentType: "text/plain\n" }), "contentType"],
      [() => uploadBlob(client, "a", "x", { overwrite: false, ifMatch: '"x"' }), "ifMatch"],
      [
        () =>
          uploadBlob(client, "a", chunkedReadable(bytes(1)), { size: 1024 ** 4, blockSize: 1024 }),
        "blockSize",
      ],
    ];
    for (const [call, field] of cases) {
      const error = await call().catch((e: unknown) => e);
      expect(error, field).toMatchObject({ code: "InvalidArgument", field });
    }
  });
});
