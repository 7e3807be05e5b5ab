// One benchmark scenario, run in its own process so that its CPU time and peak RSS are its own.
// Reads a JSON spec (spec.ts) from argv[2], prints one line `RESULT {...}` with the measurements.
// Only the modules the scenario needs are loaded (an rclone row loads neither the SDK nor
// BlobKit), and clients are built before the clock starts.
import { readFileSync } from "node:fs";
import type { Runner, ScenarioResult, ScenarioSpec } from "./spec.ts";

/**
 * This process's own peak RSS in MiB. Not `process.resourceUsage().maxRSS` on Linux: a child's
 * starts at its parent's RSS at fork (the kernel carries the forked image's high-water mark
 * across exec), so every row run from a bench process of 317 MiB reported at least 317 MiB.
 * `VmHWM` in /proc/self/status counts this program's memory only.
 */
function peakRssMiB(): number {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
    if (kib !== undefined) return Number(kib) / 1024;
  } catch {
    // Not Linux: getrusage is all there is.
  }
  return process.resourceUsage().maxRSS / 1024;
}

const spec = JSON.parse(process.argv[2] ?? "{}") as ScenarioSpec;
const { prepare } = (await (spec.impl.startsWith("rclone")
  ? import("./rclone.ts")
  : spec.impl === "ceiling"
    ? import("./run-ceiling.ts")
    : spec.kind.startsWith("tree")
      ? import("./run-tree.ts")
      : import("./run-blob.ts"))) as { prepare: Runner };
const run = await prepare(spec);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const done = await run();
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const result: ScenarioResult = {
  ms,
  bytes: done.bytes,
  ops: done.ops,
  // For rclone, its own CPU time and peak RSS (0 when GNU time is not installed).
  cpuMs: done.external ? done.external.cpuMs : (cpu.user + cpu.system) / 1000,
  maxRssMiB: done.external ? done.external.maxRssMiB : peakRssMiB(),
  ...(done.transferred === undefined ? {} : { transferred: done.transferred }),
  ...(done.external && spec.kind === "download" ? { hashChecked: done.external.hashChecked } : {}),
};
console.log(`RESULT ${JSON.stringify(result)}`);
