// `pnpm bench`: starts Azurite as a separate process and, in ONE run, times BlobKit's uploads
// and downloads (defaults and tuned) side by side with the raw @azure/storage-blob calls (their
// defaults and the fastest settings found), and rclone when it is installed, for several sizes,
// plus many small uploads at several concurrencies. Each measurement runs in its own process
// (own CPU time and peak RSS). Runs are interleaved: every round starts a fresh Azurite and runs
// each implementation once, in an order rotated from round to round, so drift on a shared
// machine spreads over all rows instead of favouring one. A row is the median of its rounds, with
// the slowest and fastest round beside it. Writes JSON, Markdown and an SVG chart to
// bench-results/ and prints the table with BlobKit/raw-SDK ratios.
//
// Options: --sizes=16,256,1024 (MiB)  --small=10000  --concurrency=1,16,64  --kinds=upload,download,small
//          --rounds=N (all sizes; default 9 for 16 MiB, 7 for 256 MiB, 5 for 1 GiB, 3 for small blobs)
//          --quick (16 MiB, 300 small blobs, 3 rounds)  --out=DIR (default bench-results)
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer, connect as netConnect } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BlobServiceClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import type { ScenarioResult, ScenarioSpec } from "./scenario.ts";

const MiB = 1024 * 1024;
const ACCOUNT = "devstoreaccount1";
// Azurite's well-known development key (public, documented by Microsoft).
const KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..", "..");

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k!, v ?? "true"] as const;
  }),
);
const quick = args.get("quick") === "true";
const sizesMiB = (args.get("sizes") ?? (quick ? "16" : "16,256,1024")).split(",").map(Number);
const smallCount = Number(args.get("small") ?? (quick ? 300 : 10_000));
/** Which parts to run, e.g. --kinds=download (default: upload,download,small). */
const kinds = new Set((args.get("kinds") ?? "upload,download,small").split(","));
const concurrencies = (args.get("concurrency") ?? (quick ? "16" : "1,16,64"))
  .split(",")
  .map(Number);
const roundsArg = args.get("rounds") ?? args.get("repeat") ?? (quick ? "3" : undefined);
/** Rounds of the small-blob groups (10,000 uploads each run a few seconds and vary little). */
const SMALL_ROUNDS = 3;
/** Rounds per size: more for small sizes, whose single runs are short and noisy. */
const roundsFor = (sizeMiB: number) =>
  Number(
    roundsArg ??
      (sizeMiB <= 16 ? 9 : sizeMiB <= 256 ? 7 : Number.isFinite(sizeMiB) ? 5 : SMALL_ROUNDS),
  );
const outDir = resolve(repoRoot, args.get("out") ?? "bench-results");

/** The single-request threshold of BlobKit's defaults: rows about single requests stop there. */
const SINGLE_SHOT_MiB = 32;

type Role = "sdk-default" | "raw" | "blobkit-default" | "blobkit" | "reference";
interface Impl {
  id: string;
  label: string;
  role: Role;
  /** Whether every request carries an MD5 of its body (uploads). */
  md5?: boolean;
  /** Only for sizes up to this many MiB. */
  maxSizeMiB?: number;
  /**
   * Only for sizes above this many MiB: below it, the settings make exactly the same requests
   * as the defaults, and a second sample of the same thing would only add noise to "best raw".
   */
  aboveSizeMiB?: number;
}

const rcloneVersion = (() => {
  try {
    return execFileSync("rclone", ["version"], { encoding: "utf8" }).split("\n")[0] ?? "rclone";
  } catch {
    return undefined;
  }
})();

const UPLOADS: Impl[] = [
  { id: "sdk-default", label: "SDK `uploadFile`, defaults", role: "sdk-default" },
  {
    id: "sdk-md5",
    label: "SDK `upload` of the bytes, with `transactionalContentMD5`",
    role: "raw",
    md5: true,
    maxSizeMiB: SINGLE_SHOT_MiB,
  },
  {
    id: "sdk-tuned",
    label: "SDK `uploadFile`, 16 MiB blocks × 8",
    role: "raw",
    // uploadFile sends up to 256 MiB in one request, with or without these settings.
    aboveSizeMiB: 256,
  },
  {
    id: "sdk-staged-md5",
    label: "SDK: blocks staged by hand with MD5, 8 MiB × 4",
    role: "raw",
    md5: true,
  },
  {
    id: "blobkit-default",
    label: "**BlobKit `uploadBlob`, defaults** (path)",
    role: "blobkit-default",
    md5: true,
  },
  {
    id: "blobkit-no-checksum",
    label: 'BlobKit, `checksum: "none"`',
    role: "blobkit",
    maxSizeMiB: SINGLE_SHOT_MiB,
  },
  {
    id: "blobkit-tuned",
    label: "BlobKit, 16 MiB blocks × 8 (fast-network settings)",
    role: "blobkit",
    md5: true,
    aboveSizeMiB: SINGLE_SHOT_MiB,
  },
  {
    id: "blobkit-stream",
    label: "BlobKit from a stream of unknown length",
    role: "blobkit",
    md5: true,
  },
  ...(rcloneVersion
    ? [{ id: "rclone", label: "rclone `copyto`, defaults", role: "reference" as const }]
    : []),
];
const DOWNLOADS: Impl[] = [
  { id: "sdk-default", label: "SDK `downloadToFile`, defaults", role: "sdk-default" },
  {
    id: "sdk-buffer-tuned",
    label: "SDK `downloadToBuffer`, 16 MiB × 8, then written",
    role: "raw",
  },
  { id: "sdk-ranged-parallel", label: "SDK: parallel ranges by hand, 16 MiB × 8", role: "raw" },
  {
    id: "blobkit-default",
    label: "**BlobKit `downloadBlob`, defaults** (path)",
    role: "blobkit-default",
  },
  { id: "blobkit-tuned", label: "BlobKit, concurrency 4", role: "blobkit" },
  ...(rcloneVersion
    ? [{ id: "rclone", label: "rclone `copyto`, defaults", role: "reference" as const }]
    : []),
];
const SMALL: Impl[] = [
  { id: "sdk", label: "SDK `upload`, defaults", role: "sdk-default" },
  { id: "blobkit", label: "**BlobKit `uploadBlob`**", role: "blobkit-default", md5: true },
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

interface Azurite {
  endpoint: string;
  service: BlobServiceClient;
  stop(): Promise<void>;
}

/** Azurite as its own process, in memory: a fresh one per round, so rounds don't share state. */
async function startAzurite(): Promise<Azurite> {
  const main = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      main,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      String(port),
      "--inMemoryPersistence",
      "--skipApiVersionCheck",
      "--disableTelemetry",
      "--silent",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await new Promise<boolean>((done) => {
      const socket = netConnect(port, "127.0.0.1", () => {
        socket.end();
        done(true);
      });
      socket.on("error", () => done(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error("Azurite did not start within 30 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  const endpoint = `http://127.0.0.1:${port}/${ACCOUNT}`;
  return {
    endpoint,
    service: new BlobServiceClient(endpoint, new StorageSharedKeyCredential(ACCOUNT, KEY)),
    stop: async () => {
      const exited = new Promise((done) => child.once("exit", done));
      child.kill();
      await exited;
    },
  };
}

async function makeFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = Buffer.allocUnsafe(4 * MiB);
  for (let written = 0; written < size; written += chunk.length) {
    randomFillSync(chunk);
    const part = chunk.subarray(0, Math.min(chunk.length, size - written));
    if (!out.write(part)) await new Promise<void>((done) => out.once("drain", () => done()));
  }
  await new Promise<void>((done, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : done())),
  );
}

/**
 * Flushes dirty pages to disk before a measurement. Each 1 GiB download leaves a GiB of them,
 * which the kernel would otherwise write back during whichever run comes next. (It did not
 * narrow the spread of the 1 GiB download rounds on the CI machine: up to 2.5x with it, 1.7x
 * without it in an earlier run; the rest of that spread has another cause.)
 */
function settleDisk(): void {
  try {
    execFileSync("sync");
  } catch {
    // No sync(1) (not Linux or macOS): measure without it.
  }
}

function runChild(spec: ScenarioSpec): Promise<ScenarioResult> {
  settleDisk();
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [join(here, "scenario.ts"), JSON.stringify(spec)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) reject(new Error(`${spec.kind}:${spec.impl} failed (exit ${code})`));
      else done(JSON.parse(line.slice(7)) as ScenarioResult);
    });
  });
}

/** A container SAS URL for rclone, which gets no account key. */
function sasUrl(azurite: Azurite, container: string): Promise<string> {
  return azurite.service.getContainerClient(container).generateSasUrl({
    permissions: ContainerSASPermissions.parse("racwdl"),
    expiresOn: new Date(Date.now() + 3 * 3600_000),
  });
}

/** Round r runs the implementations starting at the r-th: each leads once in a while. */
const rotated = <T>(items: T[], round: number): T[] =>
  items.map((_, i) => items[(i + round) % items.length]!);

interface Row {
  group: string;
  impl: string;
  label: string;
  role: Role;
  md5: boolean;
  /** Median of the rounds, and the slowest and fastest round. */
  mbps?: number;
  opsPerSec?: number;
  min: number;
  max: number;
  rounds: number;
  cpuS: number;
  rssMiB: number;
}

/** Small-blob groups are counted in blobs per second, the others in MiB per second. */
const isSmallGroup = (group: string) => group.includes("KiB");
const unitOf = (group: string) => (isSmallGroup(group) ? "blobs/s" : "MiB/s");
const rateOf = (group: string, r: ScenarioResult) =>
  (isSmallGroup(group) ? r.ops : r.bytes / MiB) / (r.ms / 1000);

const runs = new Map<string, { impl: Impl; group: string; results: ScenarioResult[] }>();
function record(group: string, impl: Impl, result: ScenarioResult): void {
  const key = `${group}\u0000${impl.id}`;
  const entry = runs.get(key) ?? { impl, group, results: [] };
  entry.results.push(result);
  runs.set(key, entry);
  console.log(
    `${group.padEnd(30)} ${impl.id.padEnd(20)} ${rateOf(group, result).toFixed(0).padStart(6)} ${unitOf(group)}`,
  );
}

const started = new Date();
const work = await mkdtemp(join(tmpdir(), "blobkit-bench-"));
console.log("Azurite: a separate process, in memory, a fresh one for every round");
console.log(
  `Machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; rclone: ${rcloneVersion ?? "not installed"}\n`,
);

try {
  for (const sizeMiB of sizesMiB) {
    const size = sizeMiB * MiB;
    const source = join(work, `source-${sizeMiB}.bin`);
    await makeFile(source, size);
    const uploads = kinds.has("upload")
      ? UPLOADS.filter(
          (i) =>
            (i.maxSizeMiB ?? Number.POSITIVE_INFINITY) >= sizeMiB &&
            (i.aboveSizeMiB ?? 0) < sizeMiB,
        )
      : [];
    const downloads = kinds.has("download") ? DOWNLOADS : [];
    for (let round = 0; round < roundsFor(sizeMiB); round++) {
      const azurite = await startAzurite();
      const base = { endpoint: azurite.endpoint, accountName: ACCOUNT, accountKey: KEY };
      try {
        for (const impl of rotated(uploads, round)) {
          const container = `up-${impl.id}`;
          await azurite.service.getContainerClient(container).create();
          const result = await runChild({
            ...base,
            kind: "upload",
            impl: impl.id,
            container,
            blob: "blob.bin",
            file: source,
            size,
            ...(impl.id === "rclone" ? { sasUrl: await sasUrl(azurite, container) } : {}),
          });
          record(`upload ${sizeMiB} MiB`, impl, result);
          await azurite.service.getContainerClient(container).delete();
        }
        if (downloads.length > 0) {
          const container = "download";
          await azurite.service.getContainerClient(container).create();
          await azurite.service
            .getContainerClient(container)
            .getBlockBlobClient("blob.bin")
            .uploadFile(source, { blockSize: 16 * MiB, concurrency: 4 });
          const sas = rcloneVersion ? await sasUrl(azurite, container) : undefined;
          for (const impl of rotated(downloads, round)) {
            const target = join(work, `download-${impl.id}.bin`);
            const result = await runChild({
              ...base,
              kind: "download",
              impl: impl.id,
              container,
              blob: "blob.bin",
              file: target,
              size,
              ...(impl.id === "rclone" && sas ? { sasUrl: sas } : {}),
            });
            record(`download ${sizeMiB} MiB`, impl, result);
            await rm(target, { force: true });
          }
        }
      } finally {
        await azurite.stop();
      }
    }
    await rm(source, { force: true });
  }
  for (const concurrency of kinds.has("small") ? concurrencies : []) {
    for (let round = 0; round < roundsFor(Number.POSITIVE_INFINITY); round++) {
      const azurite = await startAzurite();
      try {
        for (const impl of rotated(SMALL, round)) {
          const container = `small-${impl.id}`;
          await azurite.service.getContainerClient(container).create();
          const result = await runChild({
            endpoint: azurite.endpoint,
            accountName: ACCOUNT,
            accountKey: KEY,
            kind: "small-upload",
            impl: impl.id,
            container,
            blob: "small",
            file: "",
            size: 1024,
            count: smallCount,
            concurrency,
          });
          record(`${smallCount} x 1 KiB, concurrency ${concurrency}`, impl, result);
        }
      } finally {
        await azurite.stop();
      }
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

// One row per implementation and group: the median round, with the spread of all rounds.
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const rows: Row[] = [...runs.values()].map(({ impl, group, results }) => {
  const small = isSmallGroup(group);
  const rates = results.map((r) => rateOf(group, r));
  const mid = median(rates);
  return {
    group,
    impl: impl.id,
    label: impl.label,
    role: impl.role,
    md5: impl.md5 === true,
    ...(small ? { opsPerSec: mid } : { mbps: mid }),
    min: Math.min(...rates),
    max: Math.max(...rates),
    rounds: results.length,
    cpuS: median(results.map((r) => r.cpuMs)) / 1000,
    rssMiB: Math.max(...results.map((r) => r.maxRssMiB)),
  };
});

const value = (r: Row) => r.mbps ?? r.opsPerSec ?? 0;
interface Summary extends Row {
  /** BlobKit against the fastest raw-SDK row of its group. */
  vsBestRaw?: number;
  /** BlobKit against the SDK's own defaults. */
  vsSdkDefault?: number;
  /** BlobKit (with MD5) against the fastest raw-SDK row that also sends an MD5 per request. */
  vsBestRawMd5?: number;
}
const summary: Summary[] = rows.map((row) => {
  if (!row.role.startsWith("blobkit")) return row;
  const peers = rows.filter((r) => r.group === row.group);
  const raw = peers.filter((r) => r.role === "raw" || r.role === "sdk-default");
  const rawMd5 = raw.filter((r) => r.md5);
  const sdkDefault = peers.find((r) => r.role === "sdk-default");
  return {
    ...row,
    vsBestRaw: value(row) / Math.max(...raw.map(value)),
    ...(sdkDefault ? { vsSdkDefault: value(row) / value(sdkDefault) } : {}),
    ...(row.md5 && rawMd5.length > 0
      ? { vsBestRawMd5: value(row) / Math.max(...rawMd5.map(value)) }
      : {}),
  };
});

const fmt = (n: number | undefined, digits = 0) => (n === undefined ? "" : n.toFixed(digits));
const table = [
  "| scenario | implementation | MiB/s | blobs/s | slowest–fastest round | client CPU s | peak RSS MiB | BlobKit / best raw SDK | BlobKit / SDK defaults | BlobKit / best raw SDK with MD5 |",
  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...summary.map(
    (r) =>
      `| ${r.group} | ${r.label} | ${fmt(r.mbps)} | ${fmt(r.opsPerSec)} | ${fmt(r.min)}–${fmt(r.max)} | ${r.cpuS > 0 ? fmt(r.cpuS, 1) : "n/a"} | ${r.rssMiB > 0 ? fmt(r.rssMiB) : "n/a"} | ${fmt(r.vsBestRaw, 2)} | ${fmt(r.vsSdkDefault, 2)} | ${fmt(r.vsBestRawMd5, 2)} |`,
  ),
];
const checks = summary
  .filter((r) => r.role === "blobkit-default")
  .map((r) => {
    const ok = (r.vsBestRaw ?? 0) >= 0.95 && (r.vsSdkDefault ?? 0) >= 1;
    const md5 =
      r.vsBestRawMd5 === undefined
        ? ""
        : `; against raw SDK calls that also send an MD5 per request: ${fmt(r.vsBestRawMd5, 2)}x`;
    return `- ${r.group}: BlobKit defaults ${fmt(r.vsBestRaw, 2)}x the best raw SDK, ${fmt(r.vsSdkDefault, 2)}x the SDK defaults: ${ok ? "meets" : "misses"} the target (>= 0.95x and >= 1x)${md5}`;
  });
const rss = summary
  .filter((r) =>
    r.group === "upload 1024 MiB"
      ? r.impl === "blobkit-stream"
      : r.group === "download 1024 MiB" && r.impl === "blobkit-default",
  )
  .map(
    (r) =>
      `- ${r.group} ${r.impl}: peak RSS ${fmt(r.rssMiB)} MiB: ${r.rssMiB <= 200 ? "meets" : "misses"} the target (<= 200 MiB)`,
  );
const markdown = [
  `# BlobKit benchmark, ${started.toISOString()}`,
  "",
  `Azurite 3.37 in memory as a separate process, a fresh one for every round; ${cpus().length} cores; Node ${process.version}; rclone: ${rcloneVersion ?? "not installed, skipped"}. Each measurement ran in its own process. Every round ran each implementation once, in an order rotated from round to round; a row is the median of its rounds (${[...new Set(rows.map((r) => r.rounds))].join(", ")} rounds), with the slowest and fastest round; client CPU is the median, peak RSS the largest of its rounds. "Best raw SDK" is the fastest raw \`@azure/storage-blob\` row of the same group (rclone is a second reference, not part of it).`,
  "",
  ...table,
  "",
  "Targets:",
  ...checks,
  ...rss,
  "",
].join("\n");

/** A horizontal bar per row (median) with a line for its slowest–fastest rounds. */
function chart(rowsToDraw: Summary[]): string {
  const groups = [...new Set(rowsToDraw.map((r) => r.group))];
  const barHeight = 16;
  const left = 330;
  const width = 900;
  const plot = width - left - 60;
  let y = 40;
  const parts: string[] = [];
  const colour = (r: Row) =>
    r.role.startsWith("blobkit") ? "#2563eb" : r.role === "reference" ? "#9333ea" : "#9ca3af";
  const esc = (s: string) => s.replace(/[*`]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;");
  for (const group of groups) {
    const inGroup = rowsToDraw.filter((r) => r.group === group);
    const top = Math.max(...inGroup.map((r) => r.max));
    parts.push(`<text x="10" y="${y}" font-weight="bold">${esc(group)} (${unitOf(group)})</text>`);
    y += 8;
    for (const r of inGroup) {
      const scale = (v: number) => (v / top) * plot;
      parts.push(
        `<text x="${left - 8}" y="${y + barHeight - 4}" text-anchor="end">${esc(r.label)}</text>`,
        `<rect x="${left}" y="${y}" width="${scale(value(r)).toFixed(1)}" height="${barHeight - 3}" fill="${colour(r)}"/>`,
        `<line x1="${(left + scale(r.min)).toFixed(1)}" x2="${(left + scale(r.max)).toFixed(1)}" y1="${y + 6}" y2="${y + 6}" stroke="#111" stroke-width="1.5"/>`,
        `<text x="${(left + scale(r.max) + 6).toFixed(1)}" y="${y + barHeight - 4}">${fmt(value(r))}</text>`,
      );
      y += barHeight;
    }
    y += 22;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20">BlobKit (blue) against the raw SDK (grey) and rclone (purple): median of the rounds; the line spans the slowest to the fastest round</text>`,
    ...parts,
    "</svg>",
  ].join("\n");
}

mkdirSync(outDir, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, "-");
writeFileSync(
  join(outDir, `bench-${stamp}.json`),
  JSON.stringify(
    { started, sizesMiB, smallCount, concurrencies, rcloneVersion, rows: summary },
    null,
    2,
  ),
);
writeFileSync(join(outDir, `bench-${stamp}.md`), markdown);
writeFileSync(join(outDir, "latest.md"), markdown);
writeFileSync(join(outDir, `bench-${stamp}.svg`), chart(summary));
writeFileSync(join(outDir, "latest.svg"), chart(summary));
console.log(`\n${markdown}`);
console.log(`Results: ${join(outDir, `bench-${stamp}`)}.json, .md and .svg`);
