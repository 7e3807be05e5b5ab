// downloadBlob's destinations (issue 14, rough edges): a writable that fails gives code
// "DestinationError" naming its cause (a full disk behind a writable included: never
// "NetworkError", which callers retry), a stream its consumer stops early frees its connection,
// and a destination that mixes kinds ({ to, path }) is refused by tsc and at run time.
import { Writable } from "node:stream";
import { isStorageError, type StorageError } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { downloadBlob, uploadBlob } from "../src/index.js";
import { blobkitContainer, bytes, sha256, unreachableContainer } from "./transfer-helpers.js";

const KiB = 1024;

/** A writable that accepts `okBytes`, then fails every write with `error`. */
function failingWritable(okBytes: number, error: Error): Writable {
  let seen = 0;
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > okBytes ? error : null);
    },
  });
}

describe("downloadBlob: a destination writable that fails", () => {
  test('gives code "DestinationError" with its cause: a full disk, any other error, an early close', async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await uploadBlob(client, "w.bin", bytes(600 * KiB));
    const blob = client.getBlobClient("w.bin");
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), {
      code: "ENOSPC",
      errno: -28,
      syscall: "write",
    });
    const closedEarly = new Writable({
      write(_chunk, _encoding, callback) {
        callback();
        this.destroy();
      },
    });
    const cases: Array<[string, Writable, RegExp]> = [
      ["full disk", failingWritable(100 * KiB, enospc), /the disk is full.*\(ENOSPC\)/],
      [
        "any error",
        failingWritable(0, new Error("the browser went away")),
        /the browser went away/,
      ],
      ["closed early", closedEarly, /Premature close/],
    ];
    for (const [label, writable, cause] of cases) {
      const error = (await downloadBlob(blob, { writable }).catch(
        (e: unknown) => e,
      )) as StorageError;
      expect(isStorageError(error, "DestinationError"), `${label}: ${error}`).toBe(true);
      expect(error.message, label).toMatch(/the destination stream failed while being written/);
      expect(error.message, label).toMatch(cause);
    }
    // The download's own failures keep their codes.
    const missing = await downloadBlob(client.getBlobClient("missing.bin"), {
      writable: failingWritable(0, new Error("never written")),
    }).catch((e: unknown) => e);
    expect(isStorageError(missing, "NotFound")).toBe(true);
  });

  test("a stream its consumer stops early frees the connection; the next download works", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(2048 * KiB);
    await uploadBlob(client, "s.bin", data);
    const blob = client.getBlobClient("s.bin");
    for (let i = 0; i < 3; i++) {
      const { stream } = await downloadBlob(blob, { to: "stream" });
      await new Promise((resolve) => stream.once("data", resolve));
      stream.destroy();
    }
    const whole = await downloadBlob(blob, { to: "bytes" });
    expect(sha256(whole.content)).toBe(sha256(data));
  });
});

describe("downloadBlob: a web ReadableStream", () => {
  test('{ to: "web-stream" } reads the blob in order and verified; cancelled early, it frees the connection', async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const data = bytes(2048 * KiB + 17);
    await uploadBlob(client, "web.bin", data);
    const blob = client.getBlobClient("web.bin");
    const result = await downloadBlob(blob, { to: "web-stream" }, { rangeSize: 256 * KiB });
    expect(result.verification).toBe("verified");
    expect(result.contentLength).toBe(data.length);
    const received = Buffer.from(await new Response(result.stream).arrayBuffer());
    expect(sha256(received)).toBe(sha256(data));
    for (let i = 0; i < 3; i++) {
      const { stream } = await downloadBlob(blob, { to: "web-stream" });
      const reader = stream.getReader();
      await reader.read();
      await reader.cancel();
    }
    // A missing blob rejects the call itself, before any stream.
    const missing = await downloadBlob(client.getBlobClient("missing.bin"), {
      to: "web-stream",
    }).catch((e: unknown) => e);
    expect(isStorageError(missing, "NotFound")).toBe(true);
    const whole = await downloadBlob(blob, { to: "bytes" });
    expect(sha256(whole.content)).toBe(sha256(data));
  });
});

describe("downloadBlob: one destination kind at a time", () => {
  test("{ to, path }, { path, writable } and { to, writable } are refused by tsc and at run time", async ({
    azurite,
  }) => {
    const client = await unreachableContainer(azurite);
    const blob = client.getBlobClient("a");
    const writable = new Writable({ write: (_c, _e, callback) => callback() });
    const calls = [
      // @ts-expect-error a string destination has no path
      () => downloadBlob(blob, { to: "string", path: "a.txt" }),
      // @ts-expect-error a file destination has no writable
      () => downloadBlob(blob, { path: "a.txt", writable }),
      // @ts-expect-error a bytes destination has no writable
      () => downloadBlob(blob, { to: "bytes", writable }),
    ];
    for (const call of calls) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "InvalidArgument", field: "destination" });
      expect((error as Error).message).toMatch(/give exactly one of/);
    }
  });
});
