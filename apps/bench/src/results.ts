// The measurements of a run, as they arrive (one per implementation, group and round), and the
// rows made of them: the median round with the slowest and fastest, CPU per GiB, peak RSS, and
// the ratios between BlobKit and the SDK or rclone.
import { GiB, MiB } from "./harness.ts";
import type { Impl, Role } from "./impls.ts";
import type { ScenarioResult } from "./spec.ts";

export type Unit = "MiB/s" | "blobs/s" | "files/s";
export type Family =
  | "upload"
  | "download"
  | "small"
  | "tree-upload"
  | "tree-sync"
  | "tree-download";

export interface Group {
  name: string;
  family: Family;
  unit: Unit;
  /** Size of the blob (upload and download groups). */
  sizeMiB?: number;
  /** Many small files or a few large ones (tree groups). */
  shape?: "small" | "large";
}

/** What the parent process saw around a measurement (a sync's effect on the blobs). */
export interface Observed {
  /** Blobs whose ETag changed, or that appeared or went, during a no-change sync. */
  changed?: number;
}

export interface Row {
  group: string;
  family: Family;
  unit: Unit;
  impl: string;
  label: string;
  role: Role;
  md5: boolean;
  /** Median of the rounds, in `unit`; also as `mbps` or `opsPerSec`. */
  rate: number;
  mbps?: number;
  opsPerSec?: number;
  /** The slowest and fastest round. */
  min: number;
  max: number;
  rounds: number;
  /** Bytes per round: moved, or for a no-change sync, the size of the tree checked. */
  bytes: number;
  /** Median client CPU time of the rounds (for rclone its own, from GNU time; 0 without it). */
  cpuS: number;
  /** `cpuS` per GiB of `bytes`. */
  cpuSPerGiB: number;
  /** Largest peak RSS of the rounds. */
  rssMiB: number;
  /** Trees: files the implementation transferred (largest of the rounds). */
  transferred?: number;
  /** No-change syncs: blobs changed (largest of the rounds). */
  changed?: number;
  /** rclone downloads: in how many rounds its log showed an MD5 comparison. */
  hashCheckedRounds?: number;
}

export interface Summary extends Row {
  /** BlobKit against the fastest raw-SDK row of its group. */
  vsBestRaw?: number;
  /** BlobKit against the SDK's own defaults. */
  vsSdkDefault?: number;
  /** BlobKit (with MD5) against the fastest raw-SDK row that also sends an MD5 per request. */
  vsBestRawMd5?: number;
  /** BlobKit against each rclone row of its group (by impl id). */
  vsRclone?: Record<string, number>;
}

interface Entry {
  group: Group;
  impl: Impl;
  results: ScenarioResult[];
  observed: Observed[];
}

const entries = new Map<string, Entry>();
export const groups = new Map<string, Group>();

function rateOf(group: Group, r: ScenarioResult): number {
  return (group.unit === "MiB/s" ? r.bytes / MiB : r.ops) / (r.ms / 1000);
}

/** Keeps one measurement, and prints it as it comes. */
export function record(
  group: Group,
  impl: Impl,
  result: ScenarioResult,
  observed: Observed = {},
): void {
  groups.set(group.name, group);
  const key = `${group.name}\u0000${impl.id}`;
  const entry = entries.get(key) ?? { group, impl, results: [], observed: [] };
  entry.results.push(result);
  entry.observed.push(observed);
  entries.set(key, entry);
  const cpu = result.bytes > 0 ? (result.cpuMs / 1000 / (result.bytes / GiB)).toFixed(2) : "-";
  console.log(
    `${group.name.padEnd(34)} ${impl.id.padEnd(22)} ${rateOf(group, result).toFixed(0).padStart(7)} ${group.unit.padEnd(7)} ${cpu.padStart(7)} CPU-s/GiB`,
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const maxOf = (values: (number | undefined)[]) => {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length > 0 ? Math.max(...known) : undefined;
};

/** One row per implementation and group: the median round, with the spread of all rounds. */
export function rows(): Row[] {
  return [...entries.values()].map(({ group, impl, results, observed }) => {
    const rates = results.map((r) => rateOf(group, r));
    const rate = median(rates);
    const cpuS = median(results.map((r) => r.cpuMs)) / 1000;
    const bytes = results[0]?.bytes ?? 0;
    const transferred = maxOf(results.map((r) => r.transferred));
    const changed = maxOf(observed.map((o) => o.changed));
    const checked = results.filter((r) => r.hashChecked !== undefined);
    return {
      group: group.name,
      family: group.family,
      unit: group.unit,
      impl: impl.id,
      label: impl.label,
      role: impl.role,
      md5: impl.md5 === true,
      rate,
      ...(group.unit === "MiB/s" ? { mbps: rate } : { opsPerSec: rate }),
      min: Math.min(...rates),
      max: Math.max(...rates),
      rounds: results.length,
      bytes,
      cpuS,
      cpuSPerGiB: bytes > 0 ? cpuS / (bytes / GiB) : 0,
      rssMiB: Math.max(...results.map((r) => r.maxRssMiB)),
      ...(transferred === undefined ? {} : { transferred }),
      ...(changed === undefined ? {} : { changed }),
      ...(checked.length > 0
        ? { hashCheckedRounds: checked.filter((r) => r.hashChecked).length }
        : {}),
    };
  });
}

/** The rclone rows a tree group's BlobKit row is held against: its own copies or syncs. */
export const isOwnRclone = (r: Row) => r.role === "reference" && r.impl !== "rclone-onto-blobkit";

/** Adds to each BlobKit row its ratios to the SDK rows (or, in tree groups, the rclone rows). */
export function summarize(all: Row[]): Summary[] {
  return all.map((row) => {
    if (!row.role.startsWith("blobkit")) return row;
    const peers = all.filter((r) => r.group === row.group);
    if (row.family.startsWith("tree")) {
      const rclone = peers.filter(isOwnRclone);
      return rclone.length === 0
        ? row
        : { ...row, vsRclone: Object.fromEntries(rclone.map((r) => [r.impl, row.rate / r.rate])) };
    }
    const raw = peers.filter((r) => r.role === "raw" || r.role === "sdk-default");
    const rawMd5 = raw.filter((r) => r.md5);
    const sdkDefault = peers.find((r) => r.role === "sdk-default");
    return {
      ...row,
      ...(raw.length > 0 ? { vsBestRaw: row.rate / Math.max(...raw.map((r) => r.rate)) } : {}),
      ...(sdkDefault ? { vsSdkDefault: row.rate / sdkDefault.rate } : {}),
      ...(row.md5 && rawMd5.length > 0
        ? { vsBestRawMd5: row.rate / Math.max(...rawMd5.map((r) => r.rate)) }
        : {}),
    };
  });
}
