// A download to a file killed mid-transfer (issue 14.8): the process gets SIGKILL, so no clean-up
// runs; its partial file and journal stay, and the next download of the same blob continues from
// them and leaves only the file. If the blob changed in between, the next download starts over
// and returns the new content, never a mix of the two versions.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AzuriteConnection } from "@blobkit/testing";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { downloadBlob, uploadBlob } from "../src/index.js";
import { runChild } from "./child/runChild.js";
import { blobkitContainer, bytes, sha256, tempFolder } from "./transfer-helpers.js";

const KiB = 1024;
const SIZE = 2048 * KiB;
const OPTIONS = { rangeSize: 128 * KiB, concurrency: 2 };

/** Waits until `predicate` holds, polling; fails after `timeoutMs`. */
async function waitFor(
  label: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
) {
  const started = performance.now();
  while (!(await predicate())) {
    if (performance.now() - started > timeoutMs)
      throw new Error(`${label}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The ranges the journal beside `path` records as written, or none. */
async function journaled(folder: string, name: string): Promise<number> {
  const text = await readFile(join(folder, `.${name}.blobkit-journal`), "utf8").catch(() => "");
  if (!text) return 0;
  const { done } = JSON.parse(text) as { done: Array<[number, number]> };
  return done.reduce((sum, [start, end]) => sum + end - start, 0);
}

/** Starts a download of `blob` in a child process and kills it once the journal shows progress. */
async function killMidDownload(
  azurite: AzuriteConnection,
  endpoint: string,
  container: string,
  blob: string,
  folder: string,
): Promise<number> {
  const child = runChild("download-to-file.ts", {
    emulator: { ...azurite, blobEndpoint: endpoint },
    container,
    blob,
    path: join(folder, blob),
    options: OPTIONS,
  });
  try {
    await waitFor(
      `journal of the child's download (stderr: ${child.stderr})`,
      async () => (await journaled(folder, blob)) >= 256 * KiB || child.stderr.length > 0,
    );
    expect(child.stderr).toBe("");
  } finally {
    await child.kill();
  }
  expect(child.stdout).not.toMatch(/^RESULT/m);
  return journaled(folder, blob);
}

describe("downloadBlob to a file, after the process was killed", () => {
  test("the next download continues from the partial file and leaves only the file", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(SIZE);
    await uploadBlob(client, "killed.bin", data);
    // Each response at 1 MiB/s: the child is still downloading when the journal shows progress.
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "throttle", method: "GET", bytesPerSecond: 1024 * KiB }],
    });
    const written = await killMidDownload(
      azurite,
      proxy.url,
      container.name,
      "killed.bin",
      folder.path,
    );
    expect(written).toBeGreaterThanOrEqual(256 * KiB);
    expect(written).toBeLessThan(SIZE);
    // (A kill during a journal update may also leave its temporary copy, which the next run reuses.)
    expect(await folder.files()).toEqual(
      expect.arrayContaining([".killed.bin.blobkit-journal", ".killed.bin.blobkit-partial"]),
    );
    expect(await folder.files()).not.toContain("killed.bin");
    // As if the kill had come while the journal was being rewritten: its temporary copy stays.
    await writeFile(join(folder.path, ".killed.bin.blobkit-journal.tmp"), "{ half a jour");
    proxy.setRules([]);
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    const result = await downloadBlob(
      viaProxy.getBlobClient("killed.bin"),
      { path: join(folder.path, "killed.bin") },
      OPTIONS,
    );
    expect(result.resumedBytes).toBe(written);
    expect(result.verification).toBe("verified");
    expect(sha256(await readFile(join(folder.path, "killed.bin")))).toBe(sha256(data));
    expect(await folder.files()).toEqual(["killed.bin"]);
  });

  test("a blob changed in between is downloaded whole again, never mixed", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    await uploadBlob(client, "changed.bin", bytes(SIZE));
    await using proxy = await startFaultProxy(azurite.blobEndpoint, {
      rules: [{ fault: "throttle", method: "GET", bytesPerSecond: 1024 * KiB }],
    });
    const written = await killMidDownload(
      azurite,
      proxy.url,
      container.name,
      "changed.bin",
      folder.path,
    );
    expect(written).toBeGreaterThan(0);
    // Same size, other bytes: only the ETag tells the versions apart.
    const replacement = bytes(SIZE);
    await uploadBlob(client, "changed.bin", replacement);
    proxy.setRules([]);
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    const result = await downloadBlob(
      viaProxy.getBlobClient("changed.bin"),
      { path: join(folder.path, "changed.bin") },
      OPTIONS,
    );
    expect(result.resumedBytes).toBe(0);
    expect(result.verification).toBe("verified");
    expect(sha256(await readFile(join(folder.path, "changed.bin")))).toBe(sha256(replacement));
    expect(await folder.files()).toEqual(["changed.bin"]);
  });
});
