// uploadBlob's less common sources (issue 14, rough edges): ArrayBuffer, SharedArrayBuffer,
// DataView (a view into a larger buffer: only its bytes) and Node's Blob are uploaded as their
// bytes, single-shot and in blocks; other typed arrays are refused with a message naming the
// accepted types and the way out; a source stream that fails gives code "SourceError" (not
// "Unknown", not "NetworkError") and commits nothing.
import { Readable } from "node:stream";
import { isStorageError, type StorageError } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { type UploadBlobSource, uploadBlob } from "../src/index.js";
import { blobkitContainer, bytes, sha256 } from "./transfer-helpers.js";

const KiB = 1024;
const SMALL = { blockSize: 64 * KiB, maxSingleShotSize: 64 * KiB };

describe("uploadBlob: bytes in other shapes", () => {
  test("ArrayBuffer, SharedArrayBuffer, DataView and Blob, single-shot and in blocks", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    for (const size of [1000, 200 * KiB + 3]) {
      const data = bytes(size);
      // A DataView into the middle of a larger buffer: only the viewed bytes are uploaded.
      const padded = new Uint8Array(size + 20);
      padded.set(data, 7);
      const shared = new SharedArrayBuffer(size);
      new Uint8Array(shared).set(data);
      const sources: Record<string, UploadBlobSource> = {
        ArrayBuffer: data.buffer.slice(data.byteOffset, data.byteOffset + size),
        SharedArrayBuffer: shared,
        DataView: new DataView(padded.buffer, 7, size),
        Blob: new Blob([data]),
      };
      for (const [kind, source] of Object.entries(sources)) {
        const name = `${kind}-${size}.bin`;
        const result = await uploadBlob(client, name, source, SMALL);
        expect(result.contentLength, name).toBe(size);
        expect(result.blockCount, name).toBe(size > SMALL.maxSingleShotSize ? 4 : 0);
        const stored = await client.getBlobClient(name).downloadToBuffer();
        expect(sha256(stored), name).toBe(sha256(data));
      }
    }
  });

  test("other typed arrays are refused, naming the accepted types and the way out", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    for (const source of [new Uint16Array(4), new Float64Array(2), new BigInt64Array(1)]) {
      const error = (await uploadBlob(client, "typed.bin", source as never).catch(
        (e: unknown) => e,
      )) as StorageError;
      expect(error).toMatchObject({ code: "InvalidArgument", field: "source" });
      expect(error.message).toMatch(/Buffer, Uint8Array, ArrayBuffer or DataView/);
      expect(error.message).toContain(source.constructor.name);
      expect(error.message).toMatch(/new Uint8Array\(array\.buffer, array\.byteOffset/);
    }
    expect(await client.getBlobClient("typed.bin").exists()).toBe(false);
  });
});

describe("uploadBlob: a source stream that fails", () => {
  test('gives code "SourceError" quoting its error, single-shot and in blocks; nothing is committed', async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const failing = (good: number) =>
      Readable.from(
        (async function* () {
          for (let sent = 0; sent < good; sent += 16 * KiB) yield bytes(16 * KiB);
          throw new Error("gzip: unexpected end of file");
        })(),
      );
    const webFailing = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes(100 * KiB));
          controller.error(new TypeError("the fetch body was cut"));
        },
      });
    const cases: Array<[string, () => UploadBlobSource, object, RegExp]> = [
      ["node, one request", () => failing(16 * KiB), {}, /gzip: unexpected end of file/],
      ["node, blocks", () => failing(160 * KiB), SMALL, /gzip: unexpected end of file/],
      ["node, sized", () => failing(160 * KiB), { ...SMALL, size: 300 * KiB }, /gzip/],
      ["web, blocks", webFailing, SMALL, /the fetch body was cut/],
    ];
    for (const [label, source, options, quoted] of cases) {
      const error = (await uploadBlob(client, "failing.bin", source(), options).catch(
        (e: unknown) => e,
      )) as StorageError;
      expect(isStorageError(error, "SourceError"), `${label}: ${error}`).toBe(true);
      expect(error.message, label).toMatch(/the source stream failed while being read/);
      expect(error.message, label).toMatch(quoted);
      expect(error.cause, label).toBeDefined();
      expect(await client.getBlobClient("failing.bin").exists(), label).toBe(false);
    }
  });

  test("an abort is still an abort, and a stream of non-bytes an InvalidArgument", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const controller = new AbortController();
    const endless = new Readable({ read() {} });
    const running = uploadBlob(client, "aborted.bin", endless, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const aborted = await running.catch((e: unknown) => e);
    expect(isStorageError(aborted, "Aborted"), String(aborted)).toBe(true);
    const objects = Readable.from([{ not: "bytes" }]);
    const invalid = await uploadBlob(client, "objects.bin", objects).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ code: "InvalidArgument", field: "source" });
  });
});
