// downloadBlob to a file (issues 14 and 15): local failures are "FileSystemError"s naming the file
// and the cause (never "NetworkError", which callers retry), names up to the file system's limit
// work (the partial file and journal beside them fit too), and a replaced file keeps its mode, a
// symbolic link is followed, new files get `mode`, folders are created on request, and the file
// is flushed to disk before it is renamed into place.
import {
  lstat,
  mkdir,
  open,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import type { BlobClient } from "@azure/storage-blob";
import { isStorageError, type StorageError } from "@blobkit/auth";
import { startFaultProxy } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { vi } from "vitest";
import { downloadBlob, uploadBlob } from "../src/index.js";
import { readOnlyFolder, tinyTmpfs } from "./mounts.js";
import {
  blobkitContainer,
  bytes,
  sha256,
  startRecordingProxy,
  tempFolder,
} from "./transfer-helpers.js";

const KiB = 1024;
const MiB = 1024 * KiB;

/** Downloads `blob` to `path`, expecting a FileSystemError; returns it. */
async function fileSystemFailure(blob: BlobClient, path: string): Promise<StorageError> {
  const error = await downloadBlob(blob, { path }).catch((e: unknown) => e);
  // A caller that retries network errors must not retry these.
  expect((error as StorageError).code, String(error)).not.toBe("NetworkError");
  expect(isStorageError(error, "FileSystemError"), String(error)).toBe(true);
  return error as StorageError;
}

describe("downloadBlob to a file: local failures", () => {
  test("a name too long for the file system fails before any request, naming the file", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await uploadBlob(client, "a.bin", bytes(10 * KiB));
    await using proxy = await startRecordingProxy(azurite.blobEndpoint);
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    await using folder = await tempFolder();
    const path = join(folder.path, "n".repeat(256));
    const error = await fileSystemFailure(viaProxy.getBlobClient("a.bin"), path);
    expect(error.message).toMatch(/file name is too long/);
    expect(error.message).toContain("n".repeat(256));
    expect(error.message).toMatch(/ENAMETOOLONG/);
    expect(proxy.requests).toHaveLength(0);
    expect(await folder.files()).toEqual([]);
  });

  test("a path under /proc fails with the file and the cause", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    await uploadBlob(client, "a.bin", bytes(10 * KiB));
    const error = await fileSystemFailure(client.getBlobClient("a.bin"), "/proc/blobkit-a.bin");
    expect(error.message).toContain("/proc/");
    expect(error.message).toMatch(/\(E[A-Z]+\)/);
  });

  test("a read-only folder fails with the file and the cause", async ({
    azurite,
    container,
    skip,
  }) => {
    await using mount = await readOnlyFolder();
    if (mount.skipped !== undefined) return skip(mount.skipped);
    const client = await blobkitContainer(azurite, container.name);
    await uploadBlob(client, "a.bin", bytes(10 * KiB));
    const path = join(mount.path, "a.bin");
    const error = await fileSystemFailure(client.getBlobClient("a.bin"), path);
    expect(error.message).toMatch(/read-only/);
    expect(error.message).toContain(mount.path);
    expect(error.message).toMatch(/EROFS/);
  });

  test("a full disk fails with the file and the cause; the old file is untouched and no partial file is kept", async ({
    azurite,
    container,
    skip,
  }) => {
    await using disk = await tinyTmpfs("1m");
    if (disk.skipped !== undefined) return skip(disk.skipped);
    const client = await blobkitContainer(azurite, container.name);
    await uploadBlob(client, "big.bin", bytes(2048 * KiB));
    const path = join(disk.path, "big.bin");
    await writeFile(path, "previous");
    for (const options of [{}, { rangeSize: 256 * KiB, concurrency: 4 }]) {
      const error = (await downloadBlob(client.getBlobClient("big.bin"), { path }, options).catch(
        (e: unknown) => e,
      )) as StorageError;
      expect(error.code, String(error)).toBe("FileSystemError");
      expect(error.message).toMatch(/the disk is full/);
      expect(error.message).toMatch(/ENOSPC/);
      expect(error.message).toContain(path);
      expect(await readFile(path, "utf8")).toBe("previous");
      // A full disk wants its space back: the partial file and its journal are gone.
      expect(await readdir(disk.path)).toEqual(["big.bin"]);
    }
  });
});

describe("downloadBlob to a file: long names", () => {
  test("every name the file system accepts can be downloaded to, and resumed", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(64 * KiB);
    await uploadBlob(client, "long.bin", data);
    const blob = client.getBlobClient("long.bin");
    const names = [
      ...Array.from({ length: 26 }, (_, i) => "L".repeat(230 + i)),
      "é".repeat(127), // 254 bytes in UTF-8
    ];
    for (const name of names) {
      const path = join(folder.path, name);
      const result = await downloadBlob(blob, { path });
      expect(result.verification, `${name.length}`).toBe("verified");
      expect(sha256(await readFile(path)), `${name.length}`).toBe(sha256(data));
      expect(await folder.files(), `${name.length}`).toEqual([name]);
      await rm(path);
    }
    // Interrupted after two ranges, then run again: the partial file and journal (short names
    // beside a long one) let the second run continue.
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    const viaProxy = await blobkitContainer(azurite, container.name, proxy.url);
    for (const name of ["R".repeat(238), "R".repeat(255)]) {
      const path = join(folder.path, name);
      const options = { rangeSize: 16 * KiB, concurrency: 1, maxResumes: 0 };
      proxy.setRules([{ fault: "cut-body", method: "GET", after: 2, times: 1 }]);
      const error = await downloadBlob(viaProxy.getBlobClient("long.bin"), { path }, options).catch(
        (e: unknown) => e,
      );
      expect(isStorageError(error, "NetworkError"), String(error)).toBe(true);
      expect(await folder.files()).toHaveLength(2);
      // The same blob through the same endpoint (the journal records the blob's URL).
      proxy.setRules([]);
      const resumed = await downloadBlob(viaProxy.getBlobClient("long.bin"), { path }, options);
      expect(resumed.resumedBytes).toBe(32 * KiB);
      expect(sha256(await readFile(path))).toBe(sha256(data));
      expect(await folder.files()).toEqual([name]);
      await rm(path);
    }
  });
});

describe("downloadBlob to a file: replacing a file", () => {
  test("a replaced file keeps its mode; a new file gets `mode`", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(40 * KiB);
    await uploadBlob(client, "m.bin", data);
    const blob = client.getBlobClient("m.bin");
    for (const mode of [0o600, 0o755, 0o640]) {
      const path = join(folder.path, `existing-${mode.toString(8)}`);
      await writeFile(path, "previous", { mode });
      await downloadBlob(blob, { path });
      expect((await stat(path)).mode & 0o777, mode.toString(8)).toBe(mode);
      expect(sha256(await readFile(path))).toBe(sha256(data));
    }
    const secret = join(folder.path, "new-0600");
    await downloadBlob(blob, { path: secret, mode: 0o600 });
    expect((await stat(secret)).mode & 0o777).toBe(0o600);
    // The default is 0o666 less the umask, as for any new file.
    const probe = join(folder.path, "probe");
    await (await open(probe, "w", 0o666)).close();
    const plain = join(folder.path, "new-default");
    await downloadBlob(blob, { path: plain });
    expect((await stat(plain)).mode & 0o777).toBe((await stat(probe)).mode & 0o777);
  });

  test("a symbolic link at the path is followed: its target is replaced, the link stays", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(40 * KiB);
    await uploadBlob(client, "l.bin", data);
    const blob = client.getBlobClient("l.bin");
    await mkdir(join(folder.path, "real"));
    const real = join(folder.path, "real", "target.bin");
    await writeFile(real, "previous", { mode: 0o600 });
    const link = join(folder.path, "link.bin");
    await symlink("real/target.bin", link);
    await downloadBlob(blob, { path: link });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe("real/target.bin");
    expect(sha256(await readFile(real))).toBe(sha256(data));
    expect((await stat(real)).mode & 0o777).toBe(0o600);
    // No partial file or journal beside the link or the target.
    expect(await folder.files()).toEqual(["link.bin", "real"]);
    expect(await readdir(join(folder.path, "real"))).toEqual(["target.bin"]);
    // A link to a file that does not exist yet creates it.
    const dangling = join(folder.path, "dangling.bin");
    await symlink("real/created.bin", dangling);
    await downloadBlob(blob, { path: dangling });
    expect((await lstat(dangling)).isSymbolicLink()).toBe(true);
    expect(sha256(await readFile(join(folder.path, "real", "created.bin")))).toBe(sha256(data));
  });

  test("a device, pipe or socket at the path is refused, never replaced by a regular file", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await uploadBlob(client, "n.bin", bytes(1000));
    const error = await downloadBlob(client.getBlobClient("n.bin"), { path: "/dev/null" }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "InvalidArgument", field: "destination.path" });
    expect((error as Error).message).toMatch(/not a regular file.*createWriteStream/);
    expect((await stat("/dev/null")).isCharacterDevice()).toBe(true);
  });

  test("createFolders creates the missing folders, as mkdir -p", async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(1000);
    await uploadBlob(client, "f.bin", data);
    const path = join(folder.path, "a", "b", "c", "f.bin");
    const refused = await downloadBlob(client.getBlobClient("f.bin"), { path }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: "InvalidArgument", field: "destination.path" });
    expect((refused as Error).message).toMatch(/createFolders: true/);
    await downloadBlob(client.getBlobClient("f.bin"), { path, createFolders: true });
    expect(sha256(await readFile(path))).toBe(sha256(data));
  });

  test("durable (the default) flushes the file and its folder; durable: false does not", async ({
    azurite,
    container,
  }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    await uploadBlob(client, "d.bin", bytes(100 * KiB));
    const blob = client.getBlobClient("d.bin");
    const handle = await open(join(folder.path, "probe"), "w");
    const prototype = Object.getPrototypeOf(handle) as { sync(): Promise<void> };
    await handle.close();
    const sync = vi.spyOn(prototype, "sync");
    try {
      await downloadBlob(blob, { path: join(folder.path, "durable.bin") });
      // The file before its rename, then the folder after it.
      expect(sync).toHaveBeenCalledTimes(2);
      sync.mockClear();
      await downloadBlob(blob, { path: join(folder.path, "fast.bin"), durable: false });
      expect(sync).not.toHaveBeenCalled();
    } finally {
      sync.mockRestore();
    }
  });

  // 72 MiB up and down through the emulator every test file shares: slow on a busy CI machine.
  test("a durable download writes back while it runs (fdatasync every 32 MiB), then flushes the rest", {
    timeout: 120_000,
  }, async ({ azurite, container }) => {
    const client = await blobkitContainer(azurite, container.name);
    await using folder = await tempFolder();
    const data = bytes(72 * MiB);
    await uploadBlob(client, "big.bin", data);
    const blob = client.getBlobClient("big.bin");
    const handle = await open(join(folder.path, "probe"), "w");
    const prototype = Object.getPrototypeOf(handle) as {
      sync(): Promise<void>;
      datasync(): Promise<void>;
    };
    await handle.close();
    const datasync = vi.spyOn(prototype, "datasync");
    const sync = vi.spyOn(prototype, "sync");
    try {
      await downloadBlob(blob, { path: join(folder.path, "durable.bin") });
      expect(sha256(await readFile(join(folder.path, "durable.bin")))).toBe(sha256(data));
      // At least one write-back ran before the final flush of the file (and then the folder's).
      expect(datasync.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(datasync.mock.calls.length).toBeLessThanOrEqual(2);
      expect(sync).toHaveBeenCalledTimes(2);
      datasync.mockClear();
      await downloadBlob(blob, { path: join(folder.path, "fast.bin"), durable: false });
      expect(datasync).not.toHaveBeenCalled();
    } finally {
      datasync.mockRestore();
      sync.mockRestore();
    }
  });
});
