// Kill a folder transfer (SIGKILL, in a child process) mid-way and run it again: the result is
// byte-identical, and the re-run sends only what was missing (counted at a proxy).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ContainerClient } from "@azure/storage-blob";
import { type AzuriteConnection, startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { downloadDirectory, type TransferProgress, uploadDirectory } from "../src/index.js";
import { containerOf, tempFolder, treeDigest, writeTree } from "./helpers.js";

const MiB = 1024 * 1024;
/** Bodies that carry no file data: the block list of a commit, the XML of a listing. */
const PROTOCOL_BYTES = 64 * 1024;
const CHILD = fileURLToPath(new URL("./fixtures/transfer-child.ts", import.meta.url));

/** Runs the child transfer and kills it once `killWhen(bytesDone, filesDone)` says so. */
function runAndKill(
  azurite: AzuriteConnection,
  endpoint: string,
  spec: {
    container: string;
    operation: "upload" | "download";
    folder: string;
    prefix?: string;
    checkpoint?: string;
  },
  killWhen: (bytes: number, files: number) => boolean,
): Promise<{ killed: boolean; output: string }> {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const child = spawn(
    process.execPath,
    [
      CHILD,
      JSON.stringify({
        ...spec,
        endpoint,
        accountName: azurite.accountName,
        accountKey: azurite.accountKey,
      }),
    ],
    { cwd: fileURLToPath(new URL("..", import.meta.url)), env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  let killed = false;
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    output += chunk;
  });
  child.stdout.on("data", (chunk: string) => {
    output += chunk;
    for (const line of chunk.split("\n")) {
      const match = /^PROGRESS (\d+) (\d+)/.exec(line);
      if (match && !killed && killWhen(Number(match[1]), Number(match[2]))) {
        killed = true;
        child.kill("SIGKILL");
      }
    }
  });
  return new Promise((resolve) => child.on("close", () => resolve({ killed, output })));
}

/**
 * Waits until the proxy's byte counts stop moving: after a kill, it may still be reading the
 * bodies of the killed process's requests for a moment, which belong to the first run.
 */
async function settled(proxy: {
  stats: { requestBodyBytes: number; responseBodyBytes: number };
}): Promise<void> {
  let last = -1;
  for (;;) {
    const now = proxy.stats.requestBodyBytes + proxy.stats.responseBodyBytes;
    if (now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function uncommittedBytes(container: ContainerClient, name: string): Promise<number> {
  const list = await container
    .getBlockBlobClient(name)
    .getBlockList("uncommitted")
    .catch(() => undefined);
  return (list?.uncommittedBlocks ?? []).reduce((sum, block) => sum + block.size, 0);
}

describe("kill and resume", () => {
  test("a 512 MiB file upload killed mid-way: the re-run sends only the missing blocks", {
    timeout: 300_000,
  }, async ({ azurite, container: c }) => {
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const container = await containerOf(azurite, c.name, proxy.url);
    await using source = await tempFolder();
    await writeTree(source.path, { "huge.bin": 512 * MiB });
    const run = await runAndKill(
      azurite,
      proxy.url,
      { container: c.name, operation: "upload", folder: source.path },
      (bytes) => bytes > 200 * MiB,
    );
    expect(run.killed, run.output).toBe(true);
    await settled(proxy);
    const staged = await uncommittedBytes(container, "huge.bin");
    expect(staged).toBeGreaterThan(0);
    const before = proxy.stats.requestBodyBytes;
    const result = await uploadDirectory(container, source.path);
    const resent = proxy.stats.requestBodyBytes - before;
    expect(result.transferred.map((t) => t.name)).toEqual(["huge.bin"]);
    // Only what was missing: the staged blocks are not sent again.
    expect(resent).toBeLessThanOrEqual(512 * MiB - staged + PROTOCOL_BYTES);
    await using back = await tempFolder();
    const down = await downloadDirectory(container, back.path);
    expect(down.failed).toEqual([]);
    expect(await fileSha256(join(back.path, "huge.bin"))).toBe(
      await fileSha256(join(source.path, "huge.bin")),
    );
  });

  test("a 2,000-file folder upload killed mid-way: the re-run sends only the files not yet stored", {
    timeout: 300_000,
  }, async ({ azurite, container: c }) => {
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const container = await containerOf(azurite, c.name, proxy.url);
    await using source = await tempFolder();
    const files: Record<string, number> = {};
    for (let i = 0; i < 2000; i++) files[`d${i % 20}/f${i}.bin`] = 8 * 1024;
    await writeTree(source.path, files);
    const run = await runAndKill(
      azurite,
      proxy.url,
      { container: c.name, operation: "upload", folder: source.path },
      (_bytes, done) => done >= 800,
    );
    expect(run.killed, run.output).toBe(true);
    // Requests of the killed process may still be on their way: count what is stored after.
    await settled(proxy);
    let stored = 0;
    for await (const _ of container.listBlobsFlat()) stored++;
    expect(stored).toBeGreaterThanOrEqual(800);
    expect(stored).toBeLessThan(2000);
    const before = proxy.stats.requestBodyBytes;
    const result = await uploadDirectory(container, source.path);
    expect(result.failed).toEqual([]);
    expect(result.transferred).toHaveLength(2000 - stored);
    expect(proxy.stats.requestBodyBytes - before).toBe((2000 - stored) * 8 * 1024);
    await using back = await tempFolder();
    await downloadDirectory(container, back.path);
    expect(await treeDigest(back.path)).toEqual(await treeDigest(source.path));
  });

  test("a 512 MiB download killed mid-way resumes from its partial file; no partial file under the final name", {
    timeout: 300_000,
  }, async ({ azurite, container: c }) => {
    const direct = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await writeTree(source.path, { "huge.bin": 512 * MiB });
    await uploadDirectory(direct, source.path);
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const container = await containerOf(azurite, c.name, proxy.url);
    await using target = await tempFolder();
    const run = await runAndKill(
      azurite,
      proxy.url,
      { container: c.name, operation: "download", folder: target.path },
      (bytes) => bytes > 200 * MiB,
    );
    expect(run.killed, run.output).toBe(true);
    const left = await readdir(target.path);
    expect(left).not.toContain("huge.bin");
    expect(left).toEqual(
      expect.arrayContaining([".huge.bin.blobkit-partial", ".huge.bin.blobkit-journal"]),
    );
    const journal = JSON.parse(
      await readFile(join(target.path, ".huge.bin.blobkit-journal"), "utf8"),
    ) as { done: Array<[number, number]> };
    const done = journal.done.reduce((sum, [start, end]) => sum + end - start, 0);
    expect(done).toBeGreaterThan(0);
    await settled(proxy);
    const before = proxy.stats.responseBodyBytes;
    const result = await downloadDirectory(container, target.path);
    expect(result.failed).toEqual([]);
    const received = proxy.stats.responseBodyBytes - before;
    // Only what the journal did not have (the first request asks for the first missing range);
    // the ranges in flight at the kill are downloaded again.
    expect(received).toBeLessThanOrEqual(512 * MiB - done + PROTOCOL_BYTES);
    expect(await readdir(target.path)).toEqual(["huge.bin"]);
    expect(await fileSha256(join(target.path, "huge.bin"))).toBe(
      await fileSha256(join(source.path, "huge.bin")),
    );
  });

  test("a download killed mid-way of a blob that then changes starts over and never mixes versions", {
    timeout: 300_000,
  }, async ({ azurite, container: c }) => {
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await writeTree(source.path, { "v.bin": 256 * MiB });
    await uploadDirectory(container, source.path);
    await using target = await tempFolder();
    const run = await runAndKill(
      azurite,
      azurite.blobEndpoint,
      { container: c.name, operation: "download", folder: target.path },
      (bytes) => bytes > 64 * MiB,
    );
    expect(run.killed, run.output).toBe(true);
    await writeTree(source.path, { "v.bin": 256 * MiB }); // new content, new ETag
    await uploadDirectory(container, source.path, { overwrite: "always" });
    const result = await downloadDirectory(container, target.path);
    expect(result.failed).toEqual([]);
    expect(await readdir(target.path)).toEqual(["v.bin"]);
    expect(await fileSha256(join(target.path, "v.bin"))).toBe(
      await fileSha256(join(source.path, "v.bin")),
    );
  });

  test("with a checkpoint, the run after a kill reports the whole transfer: earlier files as transferred, progress carried on", {
    timeout: 300_000,
  }, async ({ azurite, container: c }) => {
    const container = await containerOf(azurite, c.name);
    await using source = await tempFolder();
    await using state = await tempFolder();
    const checkpoint = join(state.path, "upload.checkpoint");
    const files: Record<string, number> = {};
    for (let i = 0; i < 600; i++) files[`d${i % 6}/f${i}.bin`] = 4096;
    await writeTree(source.path, files);
    const run = await runAndKill(
      azurite,
      azurite.blobEndpoint,
      { container: c.name, operation: "upload", folder: source.path, checkpoint },
      (_bytes, done) => done >= 200,
    );
    expect(run.killed, run.output).toBe(true);
    // One line per file the killed run finished, up to its last fraction of a second.
    const text = await readFile(checkpoint, "utf8");
    // The complete lines: a kill in the middle of an append leaves half a line after them.
    const lines = text.slice(0, text.lastIndexOf("\n")).split("\n");
    const recorded = new Set(
      lines.filter((l) => l.startsWith("[")).map((l) => (JSON.parse(l) as [string])[0]),
    );
    expect(recorded.size).toBeGreaterThan(0);
    const reports: TransferProgress[] = [];
    const result = await uploadDirectory(container, source.path, {
      checkpoint,
      onProgress: (p) => reports.push({ ...p }),
    });
    expect(result.failed).toEqual([]);
    // The checkpoint names the files the killed run started: those it stored count as moved by
    // it, those in flight are sent now. Files it started after its last line reached the disk
    // are found unchanged and reported as skipped: nothing is sent twice.
    const earlier = result.earlierRuns?.files ?? 0;
    expect(result.earlierRuns?.runs).toBe(1);
    expect(earlier).toBeGreaterThan(0);
    expect(earlier).toBeLessThanOrEqual(recorded.size);
    expect(result.earlierRuns?.bytes).toBe(earlier * 4096);
    expect(result.counts.transferred + result.counts.skipped).toBe(600);
    expect(result.bytesTransferred).toBe((result.counts.transferred - earlier) * 4096);
    const last = reports.at(-1);
    expect(last).toMatchObject({
      phase: "done",
      filesDone: result.counts.transferred,
      filesTotal: result.counts.transferred,
      bytesDone: result.counts.transferred * 4096,
    });
    // Done: the checkpoint is gone.
    expect(await readdir(state.path)).toEqual([]);
    await using back = await tempFolder();
    await downloadDirectory(container, back.path);
    expect(await treeDigest(back.path)).toEqual(await treeDigest(source.path));
  });
});
