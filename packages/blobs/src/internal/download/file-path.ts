// The file a download writes: checked before any request (see resolveFilePath).
import type { Stats } from "node:fs";
import { lstat, mkdir, readlink, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { invalidArgument } from "@blobkit/auth/kit";

/**
 * Checks before any request that a file can be written at `path` and returns the path to write:
 * a symbolic link is followed (its target is replaced, as `cp` does), a missing folder is created
 * when asked, a folder in the way is refused.
 */
export async function resolveFilePath(
  path: string,
  createFolders: boolean,
): Promise<{ target: string; existingMode: number | undefined }> {
  let target = resolve(path);
  let existing: Stats | undefined;
  for (let hops = 0; hops < 40; hops++) {
    // Anything but "not there" (a name too long, no permission) fails here, before any request.
    existing = await lstat(target).catch(missingOnly);
    if (!existing?.isSymbolicLink()) break;
    target = resolve(dirname(target), await readlink(target));
  }
  if (existing?.isDirectory()) {
    throw invalidArgument("destination.path", `${JSON.stringify(path)} is a folder`);
  }
  if (existing && !existing.isFile()) {
    // The download is renamed into place: that would replace a device (/dev/null), a named pipe
    // or a socket with a regular file instead of writing into it.
    throw invalidArgument(
      "destination.path",
      `${JSON.stringify(path)} is not a regular file (a device, pipe or socket); to write into it, pass { writable: createWriteStream(path) }`,
    );
  }
  // An existing file's folder exists; only a new file's folder needs looking at (one request
  // fewer per file for a folder of many small downloads).
  if (!existing) {
    const folder = dirname(target);
    const info = await stat(folder).catch(missingOnly);
    if (!info && createFolders) {
      await mkdir(folder, { recursive: true });
    } else if (!info?.isDirectory()) {
      throw invalidArgument(
        "destination.path",
        `the folder ${JSON.stringify(folder)} does not exist${createFolders ? " and is not a folder" : "; pass createFolders: true to create it"}`,
      );
    }
  }
  return { target, existingMode: existing ? existing.mode & 0o7777 : undefined };
}

/** `undefined` for a path that does not exist (or a dangling link); any other error is thrown. */
function missingOnly(error: unknown): undefined {
  if ((error as { code?: unknown }).code === "ENOENT") return undefined;
  throw error;
}
