// Faults at the edges of a transfer (issue 15, round two): a download onto a full disk (a 1 MiB
// tmpfs where mounting is allowed, and a writable that fails with ENOSPC), a body that trickles,
// a server that reads a whole upload and never answers, and an abort after the final request
// (Put Blob, Put Block List) was sent. Each must end in bounded time with an error that says what
// happened: a local error is not a network error, a trickle is dropped, a silent server times out
// in about tryTimeoutMs, an abort after the final request says the blob may exist. Numbers go to
// artifacts/reliability/transfer-faults.json and docs/reliability.md.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { promisify } from "node:util";
import { connect, isStorageError, type StorageError } from "@blobkit/auth";
import { downloadBlob, uploadBlob } from "@blobkit/blobs";
import { startSilentServer, startStubServer } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { afterAll } from "vitest";
import { ms, outcomes } from "./artifacts.ts";
import { settleWithin } from "./settleWithin.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
/** Far beyond any bound here: reaching it means the operation hung. */
const HANG_MS = 90_000;
const run = promisify(execFile);

const results = outcomes("transfer-faults");
afterAll(() => results.write());

/** What a failed operation left: its code, message and time. */
function outcome(error: unknown, elapsedMs: number) {
  const e = error as StorageError | undefined;
  return {
    code: isStorageError(e) ? e.code : String(e),
    elapsedMs: ms(elapsedMs),
    message: e?.message,
  };
}

/** A 1 MiB tmpfs, or why there is none here (mounting needs privileges). */
async function tinyDisk(): Promise<{ path?: string; skipped?: string; dispose(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "blobkit-full-disk-"));
  try {
    await run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", path]);
  } catch (error) {
    await rm(path, { recursive: true, force: true });
    return { skipped: (error as Error).message.split("\n")[0] ?? "", dispose: async () => {} };
  }
  return {
    path,
    dispose: async () => {
      await run("umount", [path]).catch(() => run("umount", ["-l", path]));
      await rm(path, { recursive: true, force: true });
    },
  };
}

describe("a download onto a full disk", () => {
  test("to a file on a 1 MiB tmpfs: FileSystemError naming the file, old file untouched, nothing left", async ({
    azurite,
    container,
  }) => {
    const disk = await tinyDisk();
    try {
      const service = await connect({ method: "emulator", emulator: azurite });
      const client = service.getContainerClient(container.name);
      await uploadBlob(client, "big.bin", Buffer.alloc(4 * MiB, 7));
      if (disk.path === undefined) {
        results.set("full disk (tmpfs)", { skipped: disk.skipped });
        return;
      }
      const path = join(disk.path, "big.bin");
      await writeFile(path, "previous");
      const settled = await settleWithin(HANG_MS, () =>
        downloadBlob(client.getBlobClient("big.bin"), { path }),
      );
      const left = await readdir(disk.path);
      results.set("full disk (tmpfs)", { ...outcome(settled.error, settled.elapsedMs), left });
      expect(isStorageError(settled.error, "FileSystemError"), String(settled.error)).toBe(true);
      expect((settled.error as Error).message).toMatch(/the disk is full.*\(ENOSPC\)/);
      expect((settled.error as Error).message).toContain(path);
      expect(await readFile(path, "utf8")).toBe("previous");
      expect(left).toEqual(["big.bin"]);
      expect(settled.elapsedMs).toBeLessThan(10_000);
    } finally {
      await disk.dispose();
    }
  });

  test("to a writable that fails with ENOSPC: DestinationError, not NetworkError", async ({
    azurite,
    container,
  }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    const client = service.getContainerClient(container.name);
    await uploadBlob(client, "big.bin", Buffer.alloc(4 * MiB, 7));
    let written = 0;
    const full = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        if (written <= MiB) return callback();
        callback(
          Object.assign(new Error("ENOSPC: no space left on device, write"), {
            code: "ENOSPC",
            syscall: "write",
          }),
        );
      },
    });
    const settled = await settleWithin(HANG_MS, () =>
      downloadBlob(client.getBlobClient("big.bin"), { writable: full }),
    );
    results.set(
      "full disk (writable failing with ENOSPC)",
      outcome(settled.error, settled.elapsedMs),
    );
    expect(isStorageError(settled.error, "DestinationError"), String(settled.error)).toBe(true);
    expect((settled.error as Error).message).toMatch(/the disk is full/);
  });
});

describe("a body that trickles", () => {
  test("20 bytes every 100 ms: dropped, resumed, then NetworkError naming minBytesPerSecond", async () => {
    const size = 256 * KiB;
    let requests = 0;
    await using server = await startStubServer((request, response) => {
      requests++;
      const match = /bytes=(\d+)-(\d*)/.exec(String(request.headers["x-ms-range"] ?? ""));
      const start = Number(match?.[1] ?? 0);
      const end = Math.min(size - 1, match?.[2] ? Number(match[2]) : size - 1);
      response.writeHead(match ? 206 : 200, {
        "content-length": String(end - start + 1),
        ...(match ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
        etag: '"0x8DTRICKLE"',
        "last-modified": new Date().toUTCString(),
        "x-ms-blob-type": "BlockBlob",
      });
      const timer = setInterval(() => response.write(Buffer.alloc(20, 1)), 100);
      response.once("close", () => clearInterval(timer));
    });
    const service = await connect({ method: "emulator", emulator: server, retry: { maxTries: 1 } });
    const folder = await mkdtemp(join(tmpdir(), "blobkit-trickle-"));
    try {
      const stallTimeoutMs = 500;
      const settled = await settleWithin(HANG_MS, () =>
        downloadBlob(
          service.getContainerClient("trickle").getBlobClient("slow.bin"),
          { path: join(folder, "slow.bin") },
          { stallTimeoutMs },
        ),
      );
      results.set("trickling body (200 B/s, stallTimeoutMs 500, defaults otherwise)", {
        ...outcome(settled.error, settled.elapsedMs),
        requests,
      });
      expect(isStorageError(settled.error, "NetworkError"), String(settled.error)).toBe(true);
      expect((settled.error as Error).message).toMatch(/minBytesPerSecond/);
      // The first request and 5 resumes, each dropped after one window.
      expect(requests).toBe(6);
      expect(settled.elapsedMs).toBeLessThan(6 * stallTimeoutMs + 3_000);
      expect(await readdir(folder)).not.toContain("slow.bin");
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe("a server that reads the whole upload and never answers", () => {
  test("4 MiB in one request with tryTimeoutMs 1000: Timeout in seconds", async () => {
    await using silent = await startSilentServer();
    const service = await connect({
      method: "emulator",
      emulator: silent,
      retry: { maxTries: 1, tryTimeoutMs: 1_000 },
    });
    const settled = await settleWithin(HANG_MS, () =>
      uploadBlob(service.getContainerClient("silent"), "four.bin", Buffer.alloc(4 * MiB, 1)),
    );
    results.set(
      "silent after the body (4 MiB, one request, tryTimeoutMs 1000)",
      outcome(settled.error, settled.elapsedMs),
    );
    expect(isStorageError(settled.error, "Timeout"), String(settled.error)).toBe(true);
    expect(settled.elapsedMs).toBeLessThan(10_000);
  });
});

describe("an abort after the final request was sent", () => {
  /** A stub that reads each write whole and answers the final one (`held`) only after 10 s. */
  async function holdingStub(held: "put blob" | "put block list") {
    const answer = (response: ServerResponse) =>
      response
        .writeHead(201, { etag: '"0x8DHELD"', "last-modified": new Date().toUTCString() })
        .end();
    const stub = await startStubServer(async (request, response) => {
      const comp = request.query.get("comp");
      const kind = comp === null ? "put blob" : comp === "blocklist" ? "put block list" : comp;
      if (kind === held) {
        await new Promise((resolve) => setTimeout(resolve, 10_000).unref());
        if (!response.destroyed) answer(response);
      } else answer(response);
    });
    const service = await connect({ method: "emulator", emulator: stub, retry: { maxTries: 1 } });
    const seen = () =>
      stub.requests.filter((r) =>
        held === "put blob" ? r.query.get("comp") === null : r.query.get("comp") === "blocklist",
      ).length;
    return { stub, container: service.getContainerClient("held"), seen };
  }

  for (const [held, size, options] of [
    ["put blob", 4 * MiB, {}],
    ["put block list", 1 * MiB, { blockSize: 256 * KiB, maxSingleShotSize: 256 * KiB }],
  ] as const) {
    test(`${held}: Aborted, saying the blob may have been written`, async () => {
      const { stub, container, seen } = await holdingStub(held);
      await using _ = stub;
      const controller = new AbortController();
      const running = uploadBlob(container, "held.bin", Buffer.alloc(size, 3), {
        ...options,
        signal: controller.signal,
      });
      while (seen() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const settled = await settleWithin(HANG_MS, async () => {
        controller.abort();
        return running;
      });
      results.set(
        `abort after the final request (${held})`,
        outcome(settled.error, settled.elapsedMs),
      );
      expect(isStorageError(settled.error, "Aborted"), String(settled.error)).toBe(true);
      expect((settled.error as Error).message).toMatch(/may have been written/);
      expect(settled.elapsedMs).toBeLessThan(1_000);
    });
  }
});
