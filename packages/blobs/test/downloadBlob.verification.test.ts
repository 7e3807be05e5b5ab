// downloadBlob's whole-blob check (issue 17): a blob whose bytes do not match its stored MD5 fails
// with "ChecksumMismatch" for every destination, with nothing under the final file name and a
// stream or writable that ends with the error; an honest blob is verified even when its ranges
// are resumed after cut connections; ranges, `verify: false` and blobs without an MD5 say so.
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { BlobClient } from "@azure/storage-blob";
import { isStorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { type DownloadBlobOptions, downloadBlob, uploadBlob } from "../src/index.js";
import {
  blobkitContainer,
  bytes,
  sha256,
  startRecordingProxy,
  tempFolder,
} from "./transfer-helpers.js";

const KiB = 1024;
const MiB = 1024 * KiB;
/** Small ranges, so that a few hundred KiB exercise the parallel path. */
const SMALL: DownloadBlobOptions = { rangeSize: 32 * KiB, concurrency: 4 };
const DESTINATIONS = ["string", "bytes", "file", "writable", "stream", "web-stream"] as const;
type Kind = (typeof DESTINATIONS)[number];

/** What one download of a blob that does not match its MD5 did, per destination. */
interface Outcome {
  error: unknown;
  /** For a stream or writable: the events it saw. */
  events: string[];
  /** For a stream or writable: the error it was destroyed with. */
  streamError?: unknown;
}

/**
 * Downloads `blob` to `kind`, expecting a failure. For a file, `path` holds "previous" before;
 * for a stream, the returned stream is read to its end (or its error).
 */
async function failedDownload(
  blob: BlobClient,
  kind: Kind,
  path: string,
  options: DownloadBlobOptions,
): Promise<Outcome> {
  const events: string[] = [];
  switch (kind) {
    case "string":
      return { error: await downloadBlob(blob, { to: "string" }, options).catch((e) => e), events };
    case "bytes":
      return { error: await downloadBlob(blob, { to: "bytes" }, options).catch((e) => e), events };
    case "file":
      return { error: await downloadBlob(blob, { path }, options).catch((e) => e), events };
    case "writable": {
      let streamError: unknown;
      const writable = new Writable({ write: (_chunk, _encoding, callback) => callback() });
      writable.on("finish", () => events.push("finish"));
      writable.on("error", (e) => {
        events.push("error");
        streamError = e;
      });
      const error = await downloadBlob(blob, { writable }, options).catch((e) => e);
      await new Promise((resolve) => setImmediate(resolve));
      if (writable.destroyed) events.push("destroyed");
      return { error, events, streamError };
    }
    case "web-stream": {
      const { stream } = await downloadBlob(blob, { to: "web-stream" }, options);
      const reader = stream.getReader();
      try {
        while (!(await reader.read()).done) {
          // read to the end or the error
        }
        events.push("end");
        return { error: undefined, events };
      } catch (e) {
        events.push("error");
        return { error: e, events, streamError: e };
      }
    }
    default: {
      const { stream } = await downloadBlob(blob, { to: "stream" }, options);
      stream.on("end", () => events.push("end"));
      let streamError: unknown;
      try {
        for await (const _ of stream) {
          // read to the end or the error
        }
      } catch (e) {
        streamError = e;
        events.push("error");
      }
      return { error: streamError, events, streamError };
    }
  }
}

/** Every destination fails with ChecksumMismatch; the file at `path` keeps "previous". */
async function expectMismatchEverywhere(
  blob: BlobClient,
  folder: { path: string; files(): Promise<string[]> },
  options: DownloadBlobOptions,
): Promise<void> {
  const existing = join(folder.path, "existing.bin");
  await writeFile(existing, "previous");
  for (const kind of DESTINATIONS) {
    const outcome = await failedDownload(blob, kind, existing, options);
    expect(isStorageError(outcome.error, "ChecksumMismatch"), `${kind}: ${outcome.error}`).toBe(
      true,
    );
    expect((outcome.error as Error).message, kind).toMatch(/stored Content-MD5/);
    if (kind === "writable") {
      expect(outcome.events, kind).toEqual(["error", "destroyed"]);
      expect(isStorageError(outcome.streamError, "ChecksumMismatch"), kind).toBe(true);
    }
    if (kind === "stream" || kind === "web-stream") expect(outcome.events, kind).toEqual(["error"]);
  }
  // The existing file is untouched, and a new path gets no file at all.
  expect(await readFile(existing, "utf8")).toBe("previous");
  const fresh = join(folder.path, "fresh.bin");
  const error = await downloadBlob(blob, { path: fresh }, options).catch((e: unknown) => e);
  expect(isStorageError(error, "ChecksumMismatch")).toBe(true);
  expect((error as Error).message).toMatch(/Nothing was written/);
  // No partial file or journal is kept: corrupted bytes cannot help a re-run.
  expect(await folder.files()).toEqual(["existing.bin"]);
}

describe("downloadBlob: bytes that do not match the stored MD5", () => {
  test("a wrong stored Content-MD5 fails every destination, one range or many", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(200 * KiB);
    await uploadBlob(client, "wrong-md5.bin", data);
    const raw = container.client.getBlobClient("wrong-md5.bin");
    const wrong = createHash("md5").update("something else").digest();
    await raw.setHTTPHeaders({
      blobContentMD5: wrong,
      blobContentType: "application/octet-stream",
    });
    const blob = client.getBlobClient("wrong-md5.bin");
    for (const options of [{}, SMALL]) await expectMismatchEverywhere(blob, folder, options);
    // Without the check the same bytes arrive, and the result says they were not checked.
    const unchecked = await downloadBlob(blob, { to: "bytes" }, { verify: false });
    expect(sha256(unchecked.content)).toBe(sha256(data));
    expect(unchecked.verification).toBe("disabled");
  });

  test("a body corrupted on the way fails every destination (the stored MD5 is right)", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    await uploadBlob(client, "flipped.bin", bytes(200 * KiB));
    await using proxy = await startRecordingProxy(azurite.blobEndpoint, { corruptResponses: true });
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    const blob = viaProxy.getBlobClient("flipped.bin");
    for (const options of [{}, SMALL]) await expectMismatchEverywhere(blob, folder, options);
    // The blob itself is fine: read directly, it verifies.
    const direct = await downloadBlob(client.getBlobClient("flipped.bin"), { to: "bytes" });
    expect(direct.verification).toBe("verified");
  });
});

describe("downloadBlob: a large file in parallel ranges", () => {
  // 72 MiB up and down through the emulator every test file shares: slow on a busy CI machine.
  test("a wrong stored MD5 fails with nothing under the final name; cut connections still verify the whole blob", {
    timeout: 120_000,
  }, async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(72 * MiB);
    await uploadBlob(client, "large.bin", data);
    const options: DownloadBlobOptions = { rangeSize: 8 * MiB, concurrency: 4 };

    // Ranges cut mid-body are read again; the whole blob is still checked, and matches.
    {
      await using proxy = await startFaultProxy(azurite.blobEndpoint, {
        rules: [{ fault: "cut-body", method: "GET", ranged: true, rate: 0.3, times: 3 }],
      });
      const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
      const path = join(folder.path, "honest.bin");
      const result = await downloadBlob(viaProxy.getBlobClient("large.bin"), { path }, options);
      expect(result.verification).toBe("verified");
      expect(proxy.stats.faults["cut-body"]).toBeGreaterThan(0);
      expect(sha256(await readFile(path))).toBe(sha256(data));
    }

    await container.client.getBlobClient("large.bin").setHTTPHeaders({
      blobContentMD5: createHash("md5").update("something else").digest(),
      blobContentType: "application/octet-stream",
    });
    const existing = join(folder.path, "existing.bin");
    await writeFile(existing, "previous");
    const error = await downloadBlob(
      client.getBlobClient("large.bin"),
      { path: existing },
      options,
    ).catch((e: unknown) => e);
    expect(isStorageError(error, "ChecksumMismatch"), String(error)).toBe(true);
    expect(await readFile(existing, "utf8")).toBe("previous");
    expect(await folder.files()).toEqual(["existing.bin", "honest.bin"]);
  });
});

describe("downloadBlob: what the result says was checked", () => {
  test("verified, range, disabled and no checksum stored", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(100 * KiB);
    await uploadBlob(client, "single.bin", data);
    await uploadBlob(client, "blocks.bin", data, {
      blockSize: 16 * KiB,
      maxSingleShotSize: 16 * KiB,
    });
    await uploadBlob(client, "bare.bin", data, {
      blockSize: 16 * KiB,
      maxSingleShotSize: 16 * KiB,
      contentMD5: "none",
    });
    const expected = createHash("md5").update(data).digest();
    for (const name of ["single.bin", "blocks.bin"]) {
      const blob = client.getBlobClient(name);
      for (const options of [{}, SMALL]) {
        const result = await downloadBlob(blob, { path: join(folder.path, name) }, options);
        expect(result.verification, name).toBe("verified");
        expect(Buffer.from(result.contentMD5 ?? []).equals(expected), name).toBe(true);
      }
      const range = await downloadBlob(blob, { to: "bytes" }, { range: { offset: 10, count: 99 } });
      expect(range.verification).toBe("range");
      expect(range.content.equals(data.subarray(10, 109))).toBe(true);
      const off = await downloadBlob(blob, { to: "stream" }, { verify: false });
      expect(off.verification).toBe("disabled");
      off.stream.resume();
    }
    const bare = await downloadBlob(client.getBlobClient("bare.bin"), { to: "bytes" });
    expect(bare.verification).toBe("no checksum stored");
    expect(bare.contentMD5).toBeUndefined();
    expect(sha256(bare.content)).toBe(sha256(data));
  });
});

describe("downloadBlob: verification across resumed ranges", () => {
  test("ranges resumed after cut connections are still checked as one whole blob", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(300 * KiB);
    await uploadBlob(client, "honest.bin", data);
    await uploadBlob(client, "dishonest.bin", data);
    await container.client.getBlobClient("dishonest.bin").setHTTPHeaders({
      blobContentMD5: createHash("md5").update("not it").digest(),
    });
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    for (const kind of DESTINATIONS) {
      for (const options of [{}, SMALL]) {
        // The first two GETs are cut after 10 KiB: the download resumes twice.
        proxy.setRules([{ fault: "cut-body", method: "GET", cutAfter: 10 * KiB, times: 2 }]);
        const before = proxy.stats.faults["cut-body"];
        const honest = await digestOf(
          viaProxy.getBlobClient("honest.bin"),
          kind,
          folder.path,
          options,
        );
        expect(honest.verification, kind).toBe("verified");
        expect(honest.digest, kind).toBe(sha256(data));
        proxy.setRules([{ fault: "cut-body", method: "GET", cutAfter: 10 * KiB, times: 1 }]);
        const failed = await failedDownload(
          viaProxy.getBlobClient("dishonest.bin"),
          kind,
          join(folder.path, "dishonest.out"),
          options,
        );
        expect(isStorageError(failed.error, "ChecksumMismatch"), `${kind}: ${failed.error}`).toBe(
          true,
        );
        expect(proxy.stats.faults["cut-body"], kind).toBe(before + 3);
      }
    }
    expect((await folder.files()).filter((f) => f.startsWith("dishonest"))).toEqual([]);
  });
});

/** Downloads to one destination kind; returns the sha256 of what arrived and the verification. */
async function digestOf(
  blob: BlobClient,
  kind: Kind,
  folder: string,
  options: DownloadBlobOptions,
): Promise<{ digest: string; verification: string }> {
  switch (kind) {
    case "string": {
      const r = await downloadBlob(blob, { to: "string", encoding: "latin1" }, options);
      return { digest: sha256(Buffer.from(r.content, "latin1")), verification: r.verification };
    }
    case "bytes": {
      const r = await downloadBlob(blob, { to: "bytes" }, options);
      return { digest: sha256(r.content), verification: r.verification };
    }
    case "file": {
      const path = join(folder, "honest.out");
      const r = await downloadBlob(blob, { path }, options);
      return { digest: sha256(await readFile(path)), verification: r.verification };
    }
    case "writable": {
      const hash = createHash("sha256");
      const writable = new Writable({
        write: (chunk: Buffer, _encoding, callback) => {
          hash.update(chunk);
          callback();
        },
      });
      const r = await downloadBlob(blob, { writable }, options);
      return { digest: hash.digest("hex"), verification: r.verification };
    }
    default: {
      const r = await downloadBlob(blob, { to: "stream" }, options);
      const hash = createHash("sha256");
      for await (const chunk of r.stream) hash.update(chunk as Buffer);
      return { digest: hash.digest("hex"), verification: r.verification };
    }
  }
}
