// createTransferBudget: transfers that share a budget keep, together, at most `concurrency`
// requests in flight (counted at a proxy: every request, first GETs and commits included) and
// at most `memoryBytes` of buffers, give everything back when they end, and a caller's abort
// while waiting for a slot rejects at once.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { isStorageError } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { createTransferBudget, downloadBlob, uploadBlob } from "../src/index.js";
import type { Budget } from "../src/internal/transfer/budget.js";
import {
  blobkitContainer,
  bytes,
  sha256,
  startRecordingProxy,
  tempFolder,
} from "./transfer-helpers.js";

const KiB = 1024;
const MiB = 1024 * KiB;

describe("createTransferBudget", () => {
  test("two uploads and a download sharing concurrency 2 never have more than 2 requests in flight", async ({
    azurite,
    container,
  }) => {
    const direct = await blobkitContainer(azurite, container.name);
    const downloaded = bytes(3 * MiB);
    await uploadBlob(direct, "down.bin", downloaded);
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    await using folder = await tempFolder();
    const fileData = bytes(2 * MiB);
    const path = join(folder.path, "up.bin");
    await writeFile(path, fileData);
    const budget = createTransferBudget({ concurrency: 2, memoryBytes: 4 * MiB });
    let peakHeld = 0;
    const watch = setInterval(() => {
      peakHeld = Math.max(peakHeld, budget.heldBytes);
      expect(budget.active).toBeLessThanOrEqual(2);
    }, 1);
    const blocks = { blockSize: 256 * KiB, maxSingleShotSize: 256 * KiB, budget };
    const memory = bytes(2 * MiB + 5);
    try {
      const [a, b, c] = await Promise.all([
        uploadBlob(client, "up-file.bin", { path }, blocks),
        uploadBlob(client, "up-bytes.bin", memory, blocks),
        downloadBlob(
          client.getBlobClient("down.bin"),
          { to: "bytes" },
          { rangeSize: 256 * KiB, budget },
        ),
      ]);
      expect(a.blockCount).toBe(8);
      expect(b.blockCount).toBe(9);
      expect(sha256(c.content)).toBe(sha256(downloaded));
    } finally {
      clearInterval(watch);
    }
    expect(proxy.requests.length).toBeGreaterThan(25);
    expect(proxy.maxInFlight).toBeLessThanOrEqual(2);
    expect(proxy.maxInFlight).toBe(2);
    // Memory: never above the budget, and all of it (and every slot) given back.
    expect(peakHeld).toBeGreaterThan(0);
    expect(peakHeld).toBeLessThanOrEqual(4 * MiB);
    expect(budget.heldBytes).toBe(0);
    expect(budget.active).toBe(0);
    expect(budget.waiting).toBe(0);
    expect(sha256(await direct.getBlobClient("up-file.bin").downloadToBuffer())).toBe(
      sha256(fileData),
    );
  });

  test("every destination and a single-request upload wait for their slot too", async ({
    azurite,
    container,
  }) => {
    const direct = await blobkitContainer(azurite, container.name);
    const data = bytes(300 * KiB);
    await uploadBlob(direct, "d.bin", data);
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const client = await blobkitContainer(azurite, container.name, proxy.url);
    await using folder = await tempFolder();
    const budget = createTransferBudget({ concurrency: 1 });
    const blob = client.getBlobClient("d.bin");
    const results = await Promise.all([
      downloadBlob(blob, { to: "bytes" }, { budget, rangeSize: 64 * KiB }),
      downloadBlob(blob, { path: join(folder.path, "d.bin") }, { budget, rangeSize: 64 * KiB }),
      downloadBlob(blob, { to: "stream" }, { budget }).then(async ({ stream }) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      }),
      uploadBlob(client, "small.bin", bytes(10 * KiB), { budget }),
      uploadBlob(client, "blocks.bin", data, {
        budget,
        blockSize: 64 * KiB,
        maxSingleShotSize: 64 * KiB,
      }),
    ]);
    expect(sha256(results[0].content)).toBe(sha256(data));
    expect(sha256(results[2])).toBe(sha256(data));
    expect(proxy.maxInFlight).toBe(1);
    expect(budget.active).toBe(0);
    expect(budget.heldBytes).toBe(0);
  });

  test("an abort while waiting for a slot rejects at once with Aborted", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const budget = createTransferBudget({ concurrency: 1 });
    let releaseHolder: () => void = () => {};
    const holding = budget.run(0, () => new Promise<void>((resolve) => (releaseHolder = resolve)));
    const controller = new AbortController();
    const waitingUpload = uploadBlob(client, "waits.bin", bytes(1000), {
      budget,
      signal: controller.signal,
    });
    const waitingRun = budget.run(0, async () => "ran", { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(budget.waiting).toBe(2);
    const abortedAt = performance.now();
    controller.abort();
    const [upload, run] = await Promise.all([
      waitingUpload.catch((e: unknown) => e),
      waitingRun.catch((e: unknown) => e),
    ]);
    expect(performance.now() - abortedAt).toBeLessThan(200);
    expect(isStorageError(upload, "Aborted"), String(upload)).toBe(true);
    expect(isStorageError(run, "Aborted"), String(run)).toBe(true);
    expect(budget.waiting).toBe(0);
    releaseHolder();
    await holding;
    expect(budget.active).toBe(0);
    expect(await client.getBlobClient("waits.bin").exists()).toBe(false);
    // The budget still works after the abort.
    expect(await budget.run(10, async () => "after")).toBe("after");
  });

  test("many uploads sharing a budget reuse its block buffers and keep them within its memory", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    const budget = createTransferBudget({ concurrency: 4, memoryBytes: 4 * 1024 * 1024 });
    const pool = (budget as unknown as Budget).pool;
    let worst = 0;
    const watch = () => {
      worst = Math.max(worst, budget.heldBytes + pool.freeBytes);
    };
    await using folder = await tempFolder();
    const files = Array.from({ length: 6 }, () => bytes(3 * 1024 * 1024));
    for (const [i, data] of files.entries()) await writeFile(join(folder.path, `${i}.bin`), data);
    await Promise.all(
      files.map((_, i) =>
        uploadBlob(
          client,
          `pooled-${i}.bin`,
          { path: join(folder.path, `${i}.bin`) },
          {
            budget,
            blockSize: 512 * 1024,
            maxSingleShotSize: 256 * 1024,
            onProgress: watch,
          },
        ),
      ),
    );
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(pool.freeBytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    for (const [i, data] of files.entries()) {
      const stored = await client.getBlobClient(`pooled-${i}.bin`).downloadToBuffer();
      expect(stored.equals(data)).toBe(true);
    }
  });

  test("options are checked", () => {
    expect(() => createTransferBudget({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createTransferBudget({ memoryBytes: 10 })).toThrow(/memoryBytes/);
    const budget = createTransferBudget();
    expect(budget).toMatchObject({ concurrency: 16, memoryBytes: 256 * MiB, active: 0 });
  });
});
