// Include/exclude patterns: globs (picomatch) matched against a file's path relative to the folder
// or prefix, with "/" separators; dot files match like any other unless excluded.
import { invalidArgument } from "@blobkit/auth/kit";
import picomatch from "picomatch";

/** Decides, from the patterns, whether a file is transferred and whether a folder is entered. */
export interface PathFilter {
  /** Whether the file at this relative path is part of the transfer. */
  file(relative: string): boolean;
  /** Whether the folder at this relative path may hold files of the transfer. */
  folder(relative: string): boolean;
  /** The patterns, as lists (a checkpoint records them). */
  readonly patterns: { include: string[]; exclude: string[] };
}

/** The patterns of an option as a list (none when left out), checked. */
function patternList(field: string, patterns: unknown): string[] {
  if (patterns === undefined) return [];
  const list = typeof patterns === "string" ? [patterns] : patterns;
  if (!Array.isArray(list) || list.some((p) => typeof p !== "string" || p.length === 0)) {
    throw invalidArgument(field, "must be a glob pattern or an array of non-empty glob patterns");
  }
  return [...(list as string[])];
}

function compile(field: string, list: string[]): ((path: string) => boolean) | undefined {
  if (list.length === 0) return undefined;
  try {
    return picomatch(list, { dot: true });
  } catch (error) {
    throw invalidArgument(field, `is not a valid glob pattern (${(error as Error).message})`);
  }
}

/** Builds the filter of `include` and `exclude` (a file must match include and not exclude). */
export function pathFilter(include: unknown, exclude: unknown): PathFilter {
  const patterns = {
    include: patternList("include", include),
    exclude: patternList("exclude", exclude),
  };
  const included = compile("include", patterns.include);
  const excluded = compile("exclude", patterns.exclude);
  return {
    patterns,
    file: (relative) => (included ? included(relative) : true) && !excluded?.(relative),
    // A folder is skipped only when an exclude pattern covers it ("logs", "logs/**"); include
    // patterns cannot prune folders, since "**/*.csv" may match deep inside any of them.
    folder: (relative) => !excluded?.(relative),
  };
}
