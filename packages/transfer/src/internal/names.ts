// How local paths and blob names map onto each other, in both directions, with every rule checked
// before any request: "/" separators on every OS, Unicode in NFC, names Azure refuses reported
// per file, and two local files that would share one blob name refused.
import { isStorageError } from "@blobkit/auth";
import { invalidArgument } from "@blobkit/auth/kit";
import { validateBlobName } from "@blobkit/blobs";

/**
 * Checks a virtual-directory prefix and returns it with a trailing "/" (or "" for the container's
 * root): `"backups/2024"` and `"backups/2024/"` both mean the folder `backups/2024/`.
 */
export function normalizePrefix(prefix: unknown, field = "prefix"): string {
  if (prefix === undefined || prefix === "") return "";
  if (typeof prefix !== "string") throw invalidArgument(field, "must be a string");
  const trimmed = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  if (
    trimmed.startsWith("/") ||
    trimmed.split("/").some((s) => s === "" || s === "." || s === "..")
  ) {
    throw invalidArgument(
      field,
      `${JSON.stringify(prefix)} must be a relative virtual directory such as "backups/2024": no leading "/", no empty, "." or ".." segments`,
    );
  }
  // Checked as a name would be, with a stand-in last segment (a prefix may end in a dot-free name).
  const problem = blobNameProblem(`${trimmed}/x`);
  if (problem !== undefined) throw invalidArgument(field, problem);
  return `${trimmed}/`;
}

/** The blob name of a file at `relative` (segments of its path below the folder). */
export function blobNameOf(prefix: string, relative: readonly string[]): string {
  return `${prefix}${relative.join("/")}`.normalize("NFC");
}

/** Why Azure would refuse `name` (too long, too many segments, trailing dot...), or undefined. */
export function blobNameProblem(name: string): string | undefined {
  try {
    validateBlobName(name, "blob name");
    return undefined;
  } catch (error) {
    if (isStorageError(error)) return error.message.replace(/^Invalid blob name: /, "");
    throw error;
  }
}

// Characters Windows refuses in file names; on other systems only "/" and NUL are impossible.
const WINDOWS_RESERVED = /[<>:"|?*\\]|[. ]$|^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * The local path segments of the blob `name` below `prefix`, or why it cannot be a local file:
 * an empty, "." or ".." segment would escape or collapse the folder; a name ending in "/" is a
 * folder marker, not a file.
 */
export function localSegmentsOf(
  name: string,
  prefix: string,
  platform: NodeJS.Platform = process.platform,
): { segments: string[] } | { problem: string } {
  const relative = name.slice(prefix.length);
  const segments = relative.split("/");
  for (const segment of segments) {
    if (segment === "" || segment === "." || segment === "..") {
      return {
        problem: `the blob name ${JSON.stringify(name)} has an empty, "." or ".." path segment, which has no safe local path`,
      };
    }
    if (segment.includes("\0") || (platform === "win32" && WINDOWS_RESERVED.test(segment))) {
      return {
        problem: `the blob name ${JSON.stringify(name)} has a segment (${JSON.stringify(segment)}) this operating system does not allow in a file name`,
      };
    }
  }
  return { segments };
}

/**
 * Finds local files that map to one blob name (e.g. "é" composed and decomposed in one folder,
 * which NFC makes equal) and returns a message per clash.
 */
export function nameClashes(items: Iterable<{ name: string; path: string }>): string[] {
  const seen = new Map<string, string>();
  const clashes: string[] = [];
  for (const item of items) {
    const other = seen.get(item.name);
    if (other === undefined) seen.set(item.name, item.path);
    else {
      clashes.push(
        `${JSON.stringify(other)} and ${JSON.stringify(item.path)} both map to the blob name ${JSON.stringify(item.name)} (names are normalized to Unicode NFC); rename one of them`,
      );
    }
  }
  return clashes;
}
