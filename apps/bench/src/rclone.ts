// rclone, the outside reference, run by a scenario process: its own CPU time and peak RSS come
// from GNU time, what it did (files transferred, whether it compared an MD5) from its log.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redactSecrets } from "@blobkit/auth/kit";
import { type Done, type Runner, type ScenarioSpec, treeDone } from "./spec.ts";

/** The totals rclone logs at the end of a run (`--use-json-log --stats-log-level NOTICE`). */
interface RcloneStats {
  transfers: number;
  checks: number;
  bytes: number;
  errors: number;
}

interface RcloneRun {
  /** rclone's own user + system CPU time; 0 without GNU time. */
  cpuMs: number;
  /** rclone's own peak RSS; 0 without GNU time. */
  maxRssMiB: number;
  /** Whether rclone logged that it compared an MD5 (needs `-vv`): `md5 = <hex> OK`. */
  hashChecked: boolean;
  stats?: RcloneStats;
}

/** Whether GNU time is there to measure rclone; asked once per process, before any clock. */
let gnuTime: Promise<boolean> | undefined;
function hasGnuTime(): Promise<boolean> {
  gnuTime ??= new Promise<boolean>((resolve) =>
    execFile("/usr/bin/time", ["-f", "%U", "true"], (error) => resolve(!error)),
  );
  return gnuTime;
}

/**
 * Runs rclone with the container's SAS URL in its environment (not on its command line: rclone
 * 1.60 reaches an emulator on a non-default port only through `sas_url`), no config file, and
 * GNU time around it when available to measure its own CPU time and peak RSS.
 */
export async function rclone(args: string[], sasUrl: string): Promise<RcloneRun> {
  const dir = await mkdtemp(join(tmpdir(), "blobkit-rclone-"));
  const usage = join(dir, "usage");
  const timed = await hasGnuTime();
  const [command, commandArgs] = timed
    ? ["/usr/bin/time", ["-o", usage, "-f", "%U %S %M", "rclone", ...args]]
    : ["rclone", args];
  try {
    const stderr = await new Promise<string>((resolve, reject) =>
      execFile(
        command,
        commandArgs,
        {
          env: {
            PATH: process.env.PATH ?? "",
            HOME: dir,
            RCLONE_CONFIG: join(dir, "rclone.conf"),
            RCLONE_AZUREBLOB_SAS_URL: sasUrl,
          },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, _stdout, text) =>
          error
            ? reject(new Error(`rclone failed: ${redactSecrets(text.slice(-800))}`))
            : resolve(text),
      ),
    );
    let cpuMs = 0;
    let maxRssMiB = 0;
    if (timed) {
      const [user, system, rssKiB] = (await readFile(usage, "utf8"))
        .trim()
        .split(/\s+/)
        .map(Number);
      cpuMs = ((user ?? 0) + (system ?? 0)) * 1000;
      maxRssMiB = (rssKiB ?? 0) / 1024;
    }
    const stats = lastStats(stderr);
    return {
      cpuMs,
      maxRssMiB,
      hashChecked: /md5 = [0-9a-f]{32} OK/.test(stderr),
      ...(stats ? { stats } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The last stats record of a JSON log (rclone logs one at the end, and one a minute before). */
function lastStats(log: string): RcloneStats | undefined {
  let found: RcloneStats | undefined;
  for (const line of log.split("\n")) {
    if (!line.startsWith("{") || !line.includes('"stats"')) continue;
    try {
      const { stats } = JSON.parse(line) as { stats?: Partial<RcloneStats> };
      if (stats)
        found = {
          transfers: stats.transfers ?? 0,
          checks: stats.checks ?? 0,
          bytes: stats.bytes ?? 0,
          errors: stats.errors ?? 0,
        };
    } catch {
      // A line that only looks like JSON: not a stats record.
    }
  }
  return found;
}

/** Arguments of each rclone scenario: single blobs with `copyto`, trees with `copy` and `sync`. */
function argsOf(spec: ScenarioSpec): string[] {
  const remote = `:azureblob:${spec.container}/${spec.blob}`;
  // Downloads log at -vv, so that the result can say whether rclone compared the MD5.
  const download = ["copyto", remote, spec.file, "-vv"];
  // Trees log their totals (files transferred) as JSON at the end.
  const tree = [
    "--transfers",
    String(spec.transfers ?? 4),
    "--use-json-log",
    "--stats-log-level",
    "NOTICE",
  ];
  switch (`${spec.kind}:${spec.impl}`) {
    case "upload:rclone":
      return ["copyto", spec.file, remote];
    case "download:rclone":
      return download;
    case "download:rclone-single-stream":
      return [...download, "--multi-thread-streams", "0"];
    case "download:rclone-ignore-checksum":
      return [...download, "--ignore-checksum"];
    case "tree-upload:rclone":
      return ["copy", spec.file, remote, ...tree];
    case "tree-sync:rclone":
      return ["sync", spec.file, remote, ...tree];
    case "tree-download:rclone":
      return ["copy", remote, spec.file, ...tree];
    default:
      throw new Error(`unknown scenario ${spec.kind}:${spec.impl}`);
  }
}

/** Asks for GNU time before the clock starts, then runs rclone. */
export const prepare: Runner = async (spec) => {
  const args = argsOf(spec);
  await hasGnuTime();
  return async (): Promise<Done> => {
    const run = await rclone(args, spec.sasUrl ?? "");
    const external = { cpuMs: run.cpuMs, maxRssMiB: run.maxRssMiB, hashChecked: run.hashChecked };
    if (!spec.kind.startsWith("tree")) return { bytes: spec.size, ops: 1, external };
    if (!run.stats) throw new Error("rclone logged no stats");
    return { ...treeDone(spec, run.stats.transfers), external };
  };
};
