// What the parent process asks of a scenario process, and what it gets back.

export interface ScenarioSpec {
  kind: "upload" | "download" | "small-upload" | "tree-upload" | "tree-sync" | "tree-download";
  impl: string;
  endpoint: string;
  accountName: string;
  accountKey: string;
  container: string;
  /** The blob; for trees, the prefix (virtual folder) the tree goes under. */
  blob: string;
  /** The local file; for trees, the folder. */
  file: string;
  /** Bytes of the file, of one small blob, or of the whole tree. */
  size: number;
  /** Small blobs to upload, or files in the tree. */
  count?: number;
  concurrency?: number;
  /** rclone's `--transfers` for trees. */
  transfers?: number;
  /** A container SAS URL, for rclone (which is given no account key). */
  sasUrl?: string;
  /** Flags for the scenario's Node.js process (a row that shows a setting of the runtime). */
  nodeFlags?: string[];
}

export interface ScenarioResult {
  ms: number;
  bytes: number;
  ops: number;
  /** Client CPU time: the scenario process's, or for rclone its own (0 without GNU time). */
  cpuMs: number;
  maxRssMiB: number;
  /** Files the implementation says it transferred (trees): 0 for a sync that skipped all. */
  transferred?: number;
  /** rclone downloads: whether its log shows it compared the blob's MD5 with the file's. */
  hashChecked?: boolean;
}

/** What a scenario did, before the process adds its timings. */
export interface Done {
  bytes: number;
  ops: number;
  transferred?: number;
  /** rclone's own CPU time, peak RSS and log, which replace the scenario process's. */
  external?: { cpuMs: number; maxRssMiB: number; hashChecked: boolean };
}

/**
 * A scenario ready to run: its clients built and its modules loaded, so that the clock measures
 * the transfer only.
 */
export type Prepared = () => Promise<Done>;

/** A file of scenarios: prepares the one a spec names (or throws if it has none by that name). */
export type Runner = (spec: ScenarioSpec) => Promise<Prepared>;

/** A tree transfer's result: every file counts, whether it was sent or (in a sync) skipped. */
export function treeDone(spec: ScenarioSpec, transferred: number): Done {
  const files = spec.count ?? 0;
  // A copy that sent fewer files than the tree has measured something else: fail loudly.
  if (spec.kind !== "tree-sync" && transferred !== files) {
    throw new Error(`${spec.kind}:${spec.impl} transferred ${transferred} of ${files} files`);
  }
  return { bytes: spec.size, ops: files, transferred };
}
