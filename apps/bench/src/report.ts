// The benchmark's report: a Markdown table per group with the ratio lines under it and the
// targets at the end, and an SVG chart with client CPU per GiB beside every bar.
import { BLOBKIT_CONCURRENCY, RCLONE_TRANSFERS } from "./impls.ts";
import { cpuOf, fmt, linesOf, type Target } from "./ratios.ts";
import type { Group, Row, Summary } from "./results.ts";

function notesOf(r: Row): string {
  const notes: string[] = [];
  if (r.hashCheckedRounds !== undefined)
    notes.push(
      r.hashCheckedRounds === r.rounds
        ? "MD5 checked"
        : r.hashCheckedRounds === 0
          ? "MD5 not checked"
          : `MD5 checked in ${r.hashCheckedRounds} of ${r.rounds} rounds`,
    );
  if (r.family === "tree-sync")
    notes.push(`sent ${r.transferred ?? "?"} files, changed ${r.changed ?? "?"} blobs`);
  if (r.role === "reference" && r.cpuS === 0) notes.push("no GNU time: CPU and RSS n/a");
  return notes.join("; ");
}

function tableOf(group: Group, rows: Summary[]): string[] {
  const tree = group.family.startsWith("tree");
  const ratioHeads = tree
    ? [`× rclone --transfers ${RCLONE_TRANSFERS}`, `× rclone --transfers ${BLOBKIT_CONCURRENCY}`]
    : ["× best raw SDK", "× SDK defaults", "× best raw SDK with MD5"];
  const ratios = (r: Summary) =>
    tree
      ? [
          fmt(r.vsRclone?.[`rclone-${RCLONE_TRANSFERS}`], 2),
          fmt(r.vsRclone?.[`rclone-${BLOBKIT_CONCURRENCY}`], 2),
        ]
      : [fmt(r.vsBestRaw, 2), fmt(r.vsSdkDefault, 2), fmt(r.vsBestRawMd5, 2)];
  const known = (r: Row, text: string) => (r.cpuS > 0 || r.role !== "reference" ? text : "n/a");
  return [
    `| implementation | ${group.unit} | slowest–fastest round | client CPU s | CPU s/GiB | peak RSS MiB | ${ratioHeads.join(" | ")} | notes |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ${ratioHeads.map(() => "---:").join(" | ")} | --- |`,
    ...rows.map(
      (r) =>
        `| ${r.label} | ${fmt(r.rate)} | ${fmt(r.min)}–${fmt(r.max)} | ${known(r, fmt(r.cpuS, 2))} | ${known(r, fmt(r.cpuSPerGiB, 2))} | ${known(r, fmt(r.rssMiB))} | ${ratios(r).join(" | ")} | ${notesOf(r)} |`,
    ),
  ];
}

export interface ReportContext {
  started: Date;
  machine: string;
  rcloneVersion: string | undefined;
  groups: Group[];
  rows: Summary[];
}

/** The Markdown report, and every target line with its verdict. */
export function markdownOf(context: ReportContext): { markdown: string; targets: Target[] } {
  const { started, machine, rcloneVersion, rows } = context;
  const targets: Target[] = [];
  const sections: string[] = [];
  for (const group of context.groups) {
    const inGroup = rows.filter((r) => r.group === group.name);
    if (inGroup.length === 0) continue;
    const { lines, targets: found } = linesOf(group, inGroup);
    targets.push(...found);
    sections.push(`### ${group.name} (${group.unit})`, "", ...tableOf(group, inGroup), "");
    if (lines.length > 0) sections.push(...lines, "");
  }
  const roundCounts = [...new Set(rows.map((r) => r.rounds))].join(", ");
  const markdown = [
    `# BlobKit benchmark, ${started.toISOString()}`,
    "",
    `Azurite 3.37 in memory as a separate process, a fresh one for every round; ${machine}; rclone: ${rcloneVersion ?? "not installed, skipped"}. Each measurement ran in its own process. Every round ran each implementation once, in an order rotated from round to round; a row is the median of its rounds (${roundCounts} rounds), with the slowest and fastest round.`,
    "",
    "## How to read",
    "",
    "- **Rate**: MiB/s for single blobs and large-file trees, blobs/s or files/s for many small ones and for no-change syncs (files checked per second). Median round; the slowest–fastest column shows the spread.",
    "- **Client CPU s**: user + system CPU time of the process that made the transfer (median round); for rclone its own, from GNU time. Azurite's CPU is not in it. On 2 cores the client and the emulator share the CPU, so **CPU s/GiB** (client CPU per GiB moved; for small blobs per GiB of payload, for no-change syncs per GiB of the tree checked) is the number that carries over to a real network.",
    "- **Peak RSS**: the largest of the rounds, each the process's own high-water mark (`VmHWM` on Linux; getrusage's `maxRSS` would include the bench's own memory at the time it started the row); rclone's from GNU time.",
    "- **Ratios** (× columns and lines) divide rates: above 1, BlobKit is faster. \"Best raw SDK\" is the fastest raw `@azure/storage-blob` row of the group; rclone is a separate reference. Transfers are compared at equal integrity: verified downloads with verified ones (rclone's log must show the MD5 comparison, `md5 = … OK`); unverified ones with BlobKit's `verify: false, durable: false` row, which, like rclone `--ignore-checksum` and the SDK, neither checks the bytes nor flushes the file; uploads with a raw SDK path that also stores a whole-blob MD5. The same ratios with BlobKit's defaults are given beside them.",
    "- **Trees**: each implementation uploads into its own fresh container; syncs run on each one's own upload with no change (ETags compared before and after); downloads read the tree BlobKit uploaded in that round. rclone `--transfers` is files in flight; BlobKit's default budget is 16 requests in flight, shared by up to 32 files. A small-file tree's download folders are deleted after its last round, not between rows: on an ext4 file system without a journal, files created within a minute or more of thousands of deletions cost each row that came next up to a sixth more client CPU.",
    "- **Emulator ceiling** (small-file tree downloads): the cheapest client the bench can make lists the prefix, then GETs each blob over keep-alive `node:http` connections, as many at a time as BlobKit's budget, and drops the bodies (no SDK, no file, no check). Azurite is one JavaScript thread: what this row reaches is about what it serves on this machine, so no row can be expected above it, and a target above it is a target for the emulator, not for the client.",
    "",
    "## Results",
    "",
    ...sections,
    "## Targets",
    "",
    ...targets.map((t) => `- ${t.text}`),
    "",
  ].join("\n");
  return { markdown, targets };
}

/** A horizontal bar per row (median), a line for its slowest–fastest rounds, CPU per GiB beside. */
export function chartOf(groups: Group[], rows: Row[]): string {
  const barHeight = 16;
  const left = 540;
  const width = 1200;
  const plot = width - left - 230;
  let y = 40;
  const parts: string[] = [];
  const colour = (r: Row) =>
    r.role.startsWith("blobkit") ? "#2563eb" : r.role === "reference" ? "#9333ea" : "#9ca3af";
  const esc = (s: string) => s.replace(/[*`]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;");
  for (const group of groups) {
    const inGroup = rows.filter((r) => r.group === group.name);
    if (inGroup.length === 0) continue;
    const top = Math.max(...inGroup.map((r) => r.max));
    parts.push(
      `<text x="10" y="${y}" font-weight="bold">${esc(group.name)} (${group.unit})</text>`,
    );
    y += 8;
    for (const r of inGroup) {
      const scale = (v: number) => (top > 0 ? (v / top) * plot : 0);
      parts.push(
        `<text x="${left - 8}" y="${y + barHeight - 4}" text-anchor="end">${esc(r.label)}</text>`,
        `<rect x="${left}" y="${y}" width="${scale(r.rate).toFixed(1)}" height="${barHeight - 3}" fill="${colour(r)}"/>`,
        `<line x1="${(left + scale(r.min)).toFixed(1)}" x2="${(left + scale(r.max)).toFixed(1)}" y1="${y + 6}" y2="${y + 6}" stroke="#111" stroke-width="1.5"/>`,
        `<text x="${(left + scale(r.max) + 6).toFixed(1)}" y="${y + barHeight - 4}">${fmt(r.rate)} · ${esc(cpuOf(r))}</text>`,
      );
      y += barHeight;
    }
    y += 22;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif" font-size="12" role="img">`,
    // Its text alternative, for screen readers (and Biome's a11y rule, since the chart is committed
    // with the performance guide).
    "<title>BlobKit's transfer rates against the raw SDK and rclone, by group, from pnpm bench</title>",
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20">BlobKit (blue) against the raw SDK (grey) and rclone (purple): median of the rounds; the line spans the slowest to the fastest round; client CPU s per GiB beside each bar</text>`,
    ...parts,
    "</svg>",
  ].join("\n");
}
