import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import type { ContainerClient } from "@azure/storage-blob";
import { isStorageError, type Progress } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { type DownloadBlobOptions, downloadBlob, uploadBlob } from "../src/index.js";
import {
  blobkitContainer,
  bytes,
  sha256,
  tempFolder,
  unreachableContainer,
} from "./transfer-helpers.js";

const KiB = 1024;
/** Small ranges, so that a few hundred KiB exercise the parallel path. */
const SMALL: DownloadBlobOptions = { rangeSize: 32 * KiB, concurrency: 4 };

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A Writable that hashes what it receives. */
function hashingWritable(): Writable & { digest(): string; bytes: number } {
  const hash = createHash("sha256");
  let count = 0;
  const writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      count += chunk.length;
      callback();
    },
  });
  return Object.assign(writable, {
    digest: () => hash.digest("hex"),
    get bytes() {
      return count;
    },
  });
}

/** Downloads `name` to every destination kind and returns the sha256 of each. */
async function everyDestination(
  client: ContainerClient,
  name: string,
  folder: string,
  options: DownloadBlobOptions = {},
): Promise<Record<string, string>> {
  const blob = client.getBlobClient(name);
  const path = join(folder, `${name.replaceAll("/", "_")}.out`);
  const text = await downloadBlob(blob, { to: "string", encoding: "latin1" }, options);
  const raw = await downloadBlob(blob, { to: "bytes" }, options);
  const streamed = await downloadBlob(blob, { to: "stream" }, options);
  const streamedBytes = await collect(streamed.stream);
  await downloadBlob(blob, { path }, options);
  const writable = hashingWritable();
  await downloadBlob(blob, { writable }, options);
  return {
    string: sha256(Buffer.from(text.content, "latin1")),
    bytes: sha256(raw.content),
    stream: sha256(streamedBytes),
    path: sha256(await readFile(path)),
    writable: writable.digest(),
  };
}

function allEqual(digests: Record<string, string>, expected: string): void {
  for (const [kind, digest] of Object.entries(digests)) expect(digest, kind).toBe(expected);
}

describe("downloadBlob: every destination kind", () => {
  test("string, bytes, stream, file and writable all get the same bytes", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(300 * KiB + 11);
    const uploaded = await uploadBlob(client, "dir/data.bin", data, {
      metadata: { owner: "me" },
      contentType: "application/x-test",
    });
    const expected = sha256(data);
    allEqual(await everyDestination(client, "dir/data.bin", folder.path, SMALL), expected);
    allEqual(await everyDestination(client, "dir/data.bin", folder.path), expected);
    const result = await downloadBlob(client.getBlobClient("dir/data.bin"), { to: "bytes" }, SMALL);
    expect(result).toMatchObject({
      etag: uploaded.etag,
      contentLength: data.length,
      blobSize: data.length,
      contentType: "application/x-test",
      metadata: { owner: "me" },
    });
    expect(result.contentMD5).toEqual(uploaded.contentMD5);
    // Only the final file is left: no temporary file.
    expect(await folder.files()).toEqual(["dir_data.bin.out"]);
  });

  test("a string is decoded as UTF-8 by default", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    await uploadBlob(client, "t.txt", "żółw 🐢");
    const { content } = await downloadBlob(client.getBlobClient("t.txt"), { to: "string" });
    expect(content).toBe("żółw 🐢");
  });

  test("0-byte blobs, to every destination, with and without ranges in parallel", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    await uploadBlob(client, "empty", "");
    allEqual(await everyDestination(client, "empty", folder.path), sha256(""));
    allEqual(await everyDestination(client, "empty", folder.path, SMALL), sha256(""));
    const result = await downloadBlob(client.getBlobClient("empty"), { to: "bytes" });
    expect(result).toMatchObject({ contentLength: 0, blobSize: 0 });
  });

  test("exactly-one-range boundaries: rangeSize, rangeSize + 1, 2 × rangeSize", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    for (const size of [1, 32 * KiB - 1, 32 * KiB, 32 * KiB + 1, 64 * KiB]) {
      const data = bytes(size);
      await uploadBlob(client, `r${size}`, data);
      allEqual(await everyDestination(client, `r${size}`, folder.path, SMALL), sha256(data));
    }
  });
});

describe("downloadBlob: ranges and conditions", () => {
  test("byte ranges: middle, to the end, past the end, and outside the blob", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(200 * KiB);
    await uploadBlob(client, "ranged.bin", data);
    const blob = client.getBlobClient("ranged.bin");
    const cases: Array<[{ offset: number; count?: number }, Buffer]> = [
      [{ offset: 1000, count: 100_000 }, data.subarray(1000, 101_000)],
      [{ offset: 150 * KiB }, data.subarray(150 * KiB)],
      [{ offset: 0, count: 1 }, data.subarray(0, 1)],
      [{ offset: 199 * KiB, count: 10 * KiB }, data.subarray(199 * KiB)],
      [{ offset: data.length - 1 }, data.subarray(data.length - 1)],
    ];
    for (const [range, expected] of cases) {
      const digests = await everyDestination(client, "ranged.bin", folder.path, {
        ...SMALL,
        range,
      });
      allEqual(digests, sha256(expected));
      const result = await downloadBlob(blob, { to: "bytes" }, { ...SMALL, range });
      expect(result).toMatchObject({ contentLength: expected.length, blobSize: data.length });
    }
    for (const destination of [{ to: "bytes" }, { to: "stream" }] as const) {
      const error = await downloadBlob(blob, destination, {
        range: { offset: data.length },
      }).catch((e: unknown) => e);
      expect(isStorageError(error, "RangeNotSatisfiable")).toBe(true);
    }
  });

  test("ifMatch and ifNoneMatch decide whether to download", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    const uploaded = await uploadBlob(client, "c.txt", "content");
    const blob = client.getBlobClient("c.txt");
    const ok = await downloadBlob(blob, { to: "string" }, { ifMatch: uploaded.etag });
    expect(ok.content).toBe("content");
    const stale = await downloadBlob(blob, { to: "string" }, { ifMatch: '"0x1"' }).catch(
      (e: unknown) => e,
    );
    expect(isStorageError(stale, "PreconditionFailed")).toBe(true);
    const cached = await downloadBlob(blob, { to: "bytes" }, { ifNoneMatch: uploaded.etag }).catch(
      (e: unknown) => e,
    );
    expect(isStorageError(cached, "PreconditionFailed")).toBe(true);
  });

  test("a missing blob fails with NotFound and leaves no file", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const blob = client.getBlobClient("missing.bin");
    for (const destination of [
      { to: "string" },
      { to: "stream" },
      { path: join(folder.path, "missing.bin") },
      { writable: new PassThrough() },
    ] as const) {
      const error = await downloadBlob(blob, destination).catch((e: unknown) => e);
      expect(isStorageError(error, "NotFound")).toBe(true);
    }
    expect(await folder.files()).toEqual([]);
  });

  test("progress counts bytes received, up to the total", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(2048 * KiB);
    await uploadBlob(client, "p.bin", data);
    const events: Progress[] = [];
    await downloadBlob(
      client.getBlobClient("p.bin"),
      { path: join(folder.path, "p.bin") },
      { ...SMALL, onProgress: (p) => events.push(p) },
    );
    expect(events.length).toBeGreaterThan(2);
    expect(events.at(-1)).toEqual({ loaded: data.length, total: data.length });
    for (let i = 1; i < events.length; i++) {
      expect(events[i]?.loaded).toBeGreaterThan(events[i - 1]?.loaded ?? 0);
    }
  });
});

describe("downloadBlob: dropped connections, changes and cancellation", () => {
  test("resumes after a connection cut mid-body: identical bytes for every destination", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(700 * KiB);
    await uploadBlob(client, "cut.bin", data);
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    for (const options of [SMALL, {}]) {
      const digests: Record<string, string> = {};
      for (const kind of ["string", "bytes", "stream", "path", "writable"]) {
        proxy.setRules([{ fault: "cut-body", method: "GET", cutAfter: 0.4, times: 1 }]);
        const before = proxy.stats.faults["cut-body"];
        const one = await everyDestinationOnce(viaProxy, "cut.bin", folder.path, kind, options);
        expect(proxy.stats.faults["cut-body"], kind).toBe(before + 1);
        digests[kind] = one;
      }
      allEqual(digests, sha256(data));
    }
  });

  test("resumes after a body that stalls for longer than stallTimeoutMs", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(256 * KiB);
    await uploadBlob(client, "stall.bin", data);
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      // The first response sends one chunk, then waits about a minute before the next.
      rules: [{ fault: "throttle", method: "GET", bytesPerSecond: 1_000, times: 1 }],
    });
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    const started = performance.now();
    const { stream } = await downloadBlob(
      viaProxy.getBlobClient("stall.bin"),
      { to: "stream" },
      { stallTimeoutMs: 300 },
    );
    expect(sha256(await collect(stream))).toBe(sha256(data));
    expect(proxy.stats.faults.throttle).toBe(1);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  test("gives up with NetworkError after maxResumes; the old file is untouched, the partial file is kept for a re-run (or removed with resume: false)", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const content = bytes(100 * KiB);
    await uploadBlob(client, "flaky.bin", content);
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "cut-body", method: "GET", cutAfter: 0 }],
    });
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    const target = join(folder.path, "flaky.bin");
    await writeFile(target, "previous content");
    // In one range (the first response carries it all) there is nothing to resume: no file is
    // left but the old one.
    const whole = await downloadBlob(
      viaProxy.getBlobClient("flaky.bin"),
      { path: target },
      { maxResumes: 2 },
    ).catch((e: unknown) => e);
    expect(isStorageError(whole, "NetworkError")).toBe(true);
    expect(await folder.files()).toEqual(["flaky.bin"]);
    // In several ranges, the partial file and its journal wait for a re-run.
    const error = await downloadBlob(
      viaProxy.getBlobClient("flaky.bin"),
      { path: target },
      { maxResumes: 2, rangeSize: 32 * KiB },
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "NetworkError")).toBe(true);
    expect((error as Error).message).toMatch(/dropped 3 times in a row/);
    // The old file is untouched; the partial file and its journal wait for a re-run.
    expect(await folder.files()).toEqual([
      ".flaky.bin.blobkit-journal",
      ".flaky.bin.blobkit-partial",
      "flaky.bin",
    ]);
    expect(await readFile(target, "utf8")).toBe("previous content");
    // With resume: false nothing is left but the old file.
    const again = await downloadBlob(
      viaProxy.getBlobClient("flaky.bin"),
      { path: target, resume: false },
      { maxResumes: 2, rangeSize: 32 * KiB },
    ).catch((e: unknown) => e);
    expect(isStorageError(again, "NetworkError")).toBe(true);
    expect(await folder.files()).toEqual(["flaky.bin"]);
    // A run that can reach the blob completes and leaves only the file.
    await downloadBlob(client.getBlobClient("flaky.bin"), { path: target });
    expect(await folder.files()).toEqual(["flaky.bin"]);
    expect(sha256(await readFile(target))).toBe(sha256(content));
  });

  test("a blob changed during the download is never mixed with the new version", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await uploadBlob(client, "changing.bin", bytes(200 * KiB));
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "cut-body", method: "GET", cutAfter: 1000, times: 1 }],
    });
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    const { stream } = await downloadBlob(viaProxy.getBlobClient("changing.bin"), {
      to: "stream",
    });
    // The first response was cut; before BlobKit resumes, someone replaces the blob.
    await uploadBlob(client, "changing.bin", bytes(200 * KiB));
    const error = await collect(stream).catch((e: unknown) => e);
    expect(isStorageError(error, "PreconditionFailed")).toBe(true);
    expect((error as Error).message).toMatch(/changed while it was being downloaded/);
  });

  test("abort stops a file download; nothing appears under the final name, and a re-run completes it", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const content = bytes(2048 * KiB);
    await uploadBlob(client, "big.bin", content);
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "throttle", method: "GET", bytesPerSecond: 256 * KiB }],
    });
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    const controller = new AbortController();
    const started = performance.now();
    const error = await downloadBlob(
      viaProxy.getBlobClient("big.bin"),
      { path: join(folder.path, "big.bin") },
      {
        ...SMALL,
        signal: controller.signal,
        onProgress: ({ loaded }) => {
          if (loaded > 0) controller.abort();
        },
      },
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "Aborted")).toBe(true);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(await folder.files()).not.toContain("big.bin");
    const done = await downloadBlob(client.getBlobClient("big.bin"), {
      path: join(folder.path, "big.bin"),
    });
    expect(done.verification).toBe("verified");
    expect(await folder.files()).toEqual(["big.bin"]);
    expect(sha256(await readFile(join(folder.path, "big.bin")))).toBe(sha256(content));
  });

  test("abort ends a returned stream even while its consumer is not reading", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await uploadBlob(client, "s.bin", bytes(2048 * KiB));
    const controller = new AbortController();
    const { stream } = await downloadBlob(
      client.getBlobClient("s.bin"),
      { to: "stream" },
      { signal: controller.signal },
    );
    const failed = new Promise<unknown>((resolve) => stream.once("error", resolve));
    controller.abort();
    const error = await failed;
    expect(isStorageError(error, "Aborted")).toBe(true);
  });

  test("a slow writable gets backpressure, and end: false leaves it open", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(512 * KiB);
    await uploadBlob(client, "w.bin", data);
    const received: Buffer[] = [];
    let ended = false;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk);
        setImmediate(callback);
      },
      final(callback) {
        ended = true;
        callback();
      },
    });
    await downloadBlob(client.getBlobClient("w.bin"), { writable: slow, end: false });
    expect(sha256(Buffer.concat(received))).toBe(sha256(data));
    expect(ended).toBe(false);
    slow.end();
  });
});

describe("downloadBlob: validation before any request", () => {
  test("bad destinations, ranges and options are rejected without a request", async ({
    azurite,
  }) => {
    const client = await unreachableContainer(azurite);
    await using folder = await tempFolder();
    const blob = client.getBlobClient("a");
    const cases: Array<[() => Promise<unknown>, string]> = [
      [() => downloadBlob(blob, {} as { to: "bytes" }), "destination"],
      [() => downloadBlob(blob, { to: "text" } as unknown as { to: "bytes" }), "destination"],
      [
        () => downloadBlob(blob, { to: "string", encoding: "klingon" as "utf8" }),
        "destination.encoding",
      ],
      [() => downloadBlob(blob, { path: "" }), "destination.path"],
      [() => downloadBlob(blob, { path: join(folder.path, "no/such/dir/f") }), "destination.path"],
      [() => downloadBlob(blob, { path: folder.path }), "destination.path"],
      [() => downloadBlob(blob, { writable: {} as NodeJS.WritableStream }), "destination.writable"],
      [() => downloadBlob(blob, { to: "bytes" }, { range: { offset: -1 } }), "range.offset"],
      [
        () => downloadBlob(blob, { to: "bytes" }, { range: { offset: 0, count: 0 } }),
        "range.count",
      ],
      [() => downloadBlob(blob, { to: "bytes" }, { concurrency: 65 }), "concurrency"],
      [() => downloadBlob(blob, { to: "bytes" }, { rangeSize: 0 }), "rangeSize"],
      [() => downloadBlob(blob, { to: "bytes" }, { maxResumes: -1 }), "maxResumes"],
      [() => downloadBlob(blob, { to: "bytes" }, { stallTimeoutMs: 1.5 }), "stallTimeoutMs"],
      [() => downloadBlob(blob, { to: "bytes" }, { ifMatch: "" }), "ifMatch"],
    ];
    for (const [call, field] of cases) {
      const error = await call().catch((e: unknown) => e);
      expect(error, field).toMatchObject({ code: "InvalidArgument", field });
    }
  });
});

/** Downloads through one destination kind and returns the sha256. */
async function everyDestinationOnce(
  client: ContainerClient,
  name: string,
  folder: string,
  kind: string,
  options: DownloadBlobOptions,
): Promise<string> {
  const blob = client.getBlobClient(name);
  switch (kind) {
    case "string": {
      const { content } = await downloadBlob(blob, { to: "string", encoding: "latin1" }, options);
      return sha256(Buffer.from(content, "latin1"));
    }
    case "bytes":
      return sha256((await downloadBlob(blob, { to: "bytes" }, options)).content);
    case "stream":
      return sha256(await collect((await downloadBlob(blob, { to: "stream" }, options)).stream));
    case "path": {
      const path = join(folder, `${kind}.out`);
      await downloadBlob(blob, { path }, options);
      return sha256(await readFile(path));
    }
    default: {
      const writable = hashingWritable();
      await downloadBlob(blob, { writable }, options);
      return writable.digest();
    }
  }
}
