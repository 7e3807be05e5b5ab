// Small file systems for tests of local failures: a tiny tmpfs (a full disk) and a read-only bind
// mount (a folder nobody may write, even root). Mounting needs privileges a test machine may not
// grant: each helper then returns the reason, for the test to skip with.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A mounted folder, unmounted and removed by `await using`; or why it could not be mounted. */
export type Mounted =
  | { path: string; skipped?: undefined; [Symbol.asyncDispose](): Promise<void> }
  | { path?: undefined; skipped: string; [Symbol.asyncDispose](): Promise<void> };

async function mounted(prepare: (path: string) => Promise<void>): Promise<Mounted> {
  const path = await mkdtemp(join(tmpdir(), "blobkit-mount-"));
  try {
    await prepare(path);
  } catch (error) {
    await rm(path, { recursive: true, force: true });
    await rm(`${path}-source`, { recursive: true, force: true });
    return {
      skipped: `cannot mount here (${(error as Error).message.split("\n")[0]})`,
      [Symbol.asyncDispose]: async () => {},
    };
  }
  return {
    path,
    [Symbol.asyncDispose]: async () => {
      await run("umount", [path]).catch(() => run("umount", ["-l", path]));
      await rm(path, { recursive: true, force: true });
      await rm(`${path}-source`, { recursive: true, force: true });
    },
  };
}

/** A tmpfs of `size` (e.g. "1m"): writing more fails with ENOSPC. */
export function tinyTmpfs(size = "1m"): Promise<Mounted> {
  return mounted(async (path) => {
    await run("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", path]);
  });
}

/**
 * A tmpfs of `size` of which a filler file takes `filled` bytes: a disk that fills in the middle
 * of a transfer. `makeRoom()` deletes the filler, for the run that should then finish.
 */
export async function filledTmpfs(
  size: string,
  filled: number,
): Promise<Mounted & { makeRoom(): Promise<void> }> {
  const disk = await tinyTmpfs(size);
  const filler = disk.path === undefined ? undefined : join(disk.path, "filler");
  if (filler !== undefined) await writeFile(filler, Buffer.alloc(filled));
  return Object.assign(disk, {
    makeRoom: async () => {
      if (filler !== undefined) await rm(filler);
    },
  });
}

/**
 * A read-only view of an empty folder: creating a file in it fails with EROFS whoever runs the
 * test (a `chmod` would not stop root).
 */
export function readOnlyFolder(): Promise<Mounted> {
  return mounted(async (path) => {
    const source = `${path}-source`;
    await mkdir(source);
    await run("mount", ["--bind", source, path]);
    await run("mount", ["-o", "remount,bind,ro", path]).catch(async (error: unknown) => {
      await run("umount", [path]);
      throw error;
    });
  });
}
