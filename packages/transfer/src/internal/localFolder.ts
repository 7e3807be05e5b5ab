// The local folder of a transfer, checked before any request: a path, a folder (not a file), and
// present when the transfer reads from it.
import { stat } from "node:fs/promises";
import { fileSystemError, invalidArgument } from "@blobkit/auth/kit";
import { codeOf } from "./walkLocal.js";

/**
 * Checks `folder` and tells whether it exists. A missing folder is refused when `mustExist`
 * (an upload reads it), else fine (a download creates it); a file in its place is refused.
 */
export async function checkLocalFolder(
  folder: unknown,
  context: { operation: string; resource?: string },
  mustExist: boolean,
): Promise<boolean> {
  if (typeof folder !== "string" || folder.length === 0) {
    throw invalidArgument("folder", "must be the path of a local folder");
  }
  const info = await stat(folder).catch((error: unknown) => {
    if (codeOf(error) !== "ENOENT") throw fileSystemError(error, { ...context, path: folder });
    if (mustExist) throw invalidArgument("folder", `${JSON.stringify(folder)} does not exist`);
    return undefined;
  });
  if (info && !info.isDirectory()) {
    throw invalidArgument("folder", `${JSON.stringify(folder)} is a file, not a folder`);
  }
  return info !== undefined;
}
