// `pnpm bench`: starts Azurite as a separate process and, in ONE run, times BlobKit's uploads
// and downloads (defaults and tuned) side by side with the raw @azure/storage-blob calls (their
// defaults and the fastest settings found), for several sizes, plus many small uploads at several
// concurrencies. Each measurement runs in its own process (own CPU time and peak RSS). Writes
// JSON and Markdown to bench-results/ and prints the table with BlobKit/raw-SDK ratios.
//
// Options: --sizes=16,256,1024 (MiB)  --small=10000  --concurrency=1,16,64  --quick
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer, connect as netConnect } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { ScenarioResult, ScenarioSpec } from "./scenario.ts";

const MiB = 1024 * 1024;
const ACCOUNT = "devstoreaccount1";
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
/** Repetitions per scenario: more for small sizes, whose single runs are noisy. */
const repeatFor = (sizeMiB: number) =>
  Number(args.get("repeat") ?? (sizeMiB <= 16 ? 5 : sizeMiB <= 256 ? 3 : 1));

const UPLOADS = [
  "sdk-default",
  "sdk-tuned",
  "sdk-staged-md5",
  "blobkit-default",
  "blobkit-stream",
  "blobkit-tuned",
];
const DOWNLOADS = [
  "sdk-default",
  "sdk-buffer-tuned",
  "sdk-ranged-parallel",
  "blobkit-default",
  "blobkit-tuned",
];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startAzuriteProcess(): Promise<{ endpoint: string; child: ChildProcess }> {
  const require = createRequire(import.meta.url);
  const main = require.resolve("azurite/dist/src/blob/main.js");
  const port = await freePort();
  const child = spawn(
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
    const ok = await new Promise<boolean>((resolve) => {
      const socket = netConnect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error("Azurite did not start within 30 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint: `http://127.0.0.1:${port}/${ACCOUNT}`, child };
}

async function makeFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = Buffer.allocUnsafe(4 * MiB);
  for (let written = 0; written < size; written += chunk.length) {
    randomFillSync(chunk);
    const part = chunk.subarray(0, Math.min(chunk.length, size - written));
    if (!out.write(part)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
}

/** Runs a scenario `times` times and keeps the median run (by time); peak RSS is the largest seen. */
async function measure(
  spec: ScenarioSpec,
  times: number,
  before?: () => Promise<void>,
): Promise<ScenarioResult> {
  const runs: ScenarioResult[] = [];
  for (let i = 0; i < times; i++) {
    await before?.();
    runs.push(await runChild(spec));
  }
  runs.sort((a, b) => a.ms - b.ms);
  const median = runs[Math.floor(runs.length / 2)]!;
  return { ...median, maxRssMiB: Math.max(...runs.map((r) => r.maxRssMiB)) };
}

function runChild(spec: ScenarioSpec): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
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
      else resolve(JSON.parse(line.slice(7)) as ScenarioResult);
    });
  });
}

interface Row {
  group: string;
  impl: string;
  mbps?: number;
  opsPerSec?: number;
  cpuS: number;
  rssMiB: number;
}

const started = new Date();
// A fresh Azurite for each group: its in-memory store frees deleted data only lazily, and its
// speed depends on how many blobs it holds, so groups must not inherit each other's leftovers.
let azurite: ChildProcess | undefined;
let service!: BlobServiceClient;
let base!: { endpoint: string; accountName: string; accountKey: string };
async function freshAzurite(): Promise<void> {
  if (azurite) {
    const exited = new Promise((resolve) => azurite?.once("exit", resolve));
    azurite?.kill();
    await exited;
  }
  const started = await startAzuriteProcess();
  azurite = started.child;
  service = new BlobServiceClient(started.endpoint, new StorageSharedKeyCredential(ACCOUNT, KEY));
  base = { endpoint: started.endpoint, accountName: ACCOUNT, accountKey: KEY };
}
const work = await mkdtemp(join(tmpdir(), "blobkit-bench-"));
const rows: Row[] = [];
console.log("Azurite: a separate process, in memory, started afresh for each group");
console.log(
  `Machine: ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
);

try {
  for (const sizeMiB of sizesMiB) {
    await freshAzurite();
    const size = sizeMiB * MiB;
    const source = join(work, `source-${sizeMiB}.bin`);
    await makeFile(source, size);
    const group = `${sizeMiB} MiB`;
    for (const impl of kinds.has("upload") ? UPLOADS : []) {
      const container = `up-${sizeMiB}-${impl}`;
      await service.getContainerClient(container).create();
      const r = await measure(
        { ...base, kind: "upload", impl, container, blob: "blob.bin", file: source, size },
        repeatFor(sizeMiB),
      );
      rows.push({
        group: `upload ${group}`,
        impl,
        mbps: size / MiB / (r.ms / 1000),
        cpuS: r.cpuMs / 1000,
        rssMiB: r.maxRssMiB,
      });
      console.log(
        `upload   ${group.padStart(9)} ${impl.padEnd(20)} ${(size / MiB / (r.ms / 1000)).toFixed(0).padStart(5)} MiB/s`,
      );
      await service.getContainerClient(container).delete();
    }
    const container = `down-${sizeMiB}`;
    await service.getContainerClient(container).create();
    await service
      .getContainerClient(container)
      .getBlockBlobClient("blob.bin")
      .uploadFile(source, { blockSize: 16 * MiB, concurrency: 4 });
    for (const impl of kinds.has("download") ? DOWNLOADS : []) {
      const target = join(work, `download-${impl}.bin`);
      const r = await measure(
        { ...base, kind: "download", impl, container, blob: "blob.bin", file: target, size },
        repeatFor(sizeMiB),
        () => rm(target, { force: true }),
      );
      rows.push({
        group: `download ${group}`,
        impl,
        mbps: size / MiB / (r.ms / 1000),
        cpuS: r.cpuMs / 1000,
        rssMiB: r.maxRssMiB,
      });
      console.log(
        `download ${group.padStart(9)} ${impl.padEnd(20)} ${(size / MiB / (r.ms / 1000)).toFixed(0).padStart(5)} MiB/s`,
      );
      await rm(target, { force: true });
    }
    await service.getContainerClient(container).delete();
    await rm(source, { force: true });
  }
  for (const concurrency of kinds.has("small") ? concurrencies : []) {
    await freshAzurite();
    for (const impl of ["sdk", "blobkit"]) {
      const container = `small-${concurrency}-${impl}`;
      await service.getContainerClient(container).create();
      const r = await runChild({
        ...base,
        kind: "small-upload",
        impl,
        container,
        blob: "small",
        file: "",
        size: 1024,
        count: smallCount,
        concurrency,
      });
      rows.push({
        group: `${smallCount} x 1 KiB, concurrency ${concurrency}`,
        impl,
        opsPerSec: r.ops / (r.ms / 1000),
        cpuS: r.cpuMs / 1000,
        rssMiB: r.maxRssMiB,
      });
      console.log(
        `small    c=${String(concurrency).padEnd(3)} ${impl.padEnd(20)} ${(r.ops / (r.ms / 1000)).toFixed(0).padStart(5)} blobs/s`,
      );
      await service.getContainerClient(container).delete();
    }
  }
} finally {
  azurite?.kill();
  await rm(work, { recursive: true, force: true });
}

let rclone = "not installed; skipped";
try {
  rclone = execFileSync("rclone", ["version"], { encoding: "utf8" }).split("\n")[0] ?? "installed";
  rclone += " (installed, but not yet wired into this benchmark)";
} catch {
  // rclone is optional
}

// Ratios: BlobKit against the best raw-SDK number of the same group, and against the SDK's defaults.
interface Summary extends Row {
  vsBestRaw?: number;
  vsSdkDefault?: number;
}
const summary: Summary[] = rows.map((row) => {
  const peers = rows.filter((r) => r.group === row.group && r.impl.startsWith("sdk"));
  const value = (r: Row) => r.mbps ?? r.opsPerSec ?? 0;
  const bestRaw = Math.max(...peers.map(value));
  const sdkDefault = peers.find((r) => r.impl === "sdk-default" || r.impl === "sdk");
  return row.impl.startsWith("blobkit")
    ? {
        ...row,
        vsBestRaw: value(row) / bestRaw,
        ...(sdkDefault ? { vsSdkDefault: value(row) / value(sdkDefault) } : {}),
      }
    : row;
});

const fmt = (n: number | undefined, digits = 0) => (n === undefined ? "" : n.toFixed(digits));
const lines = [
  `| scenario | implementation | MiB/s | blobs/s | client CPU s | peak RSS MiB | BlobKit / best raw | BlobKit / SDK default |`,
  `| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
  ...summary.map(
    (r) =>
      `| ${r.group} | ${r.impl} | ${fmt(r.mbps)} | ${fmt(r.opsPerSec)} | ${fmt(r.cpuS, 1)} | ${fmt(r.rssMiB)} | ${fmt(r.vsBestRaw, 2)} | ${fmt(r.vsSdkDefault, 2)} |`,
  ),
];
const checks = summary
  .filter((r) => r.impl === "blobkit-default")
  .map((r) => {
    const ok = (r.vsBestRaw ?? 0) >= 0.95 && (r.vsSdkDefault ?? 0) >= 1;
    return `- ${r.group}: BlobKit defaults ${fmt(r.vsBestRaw, 2)}x best raw, ${fmt(r.vsSdkDefault, 2)}x SDK defaults: ${ok ? "meets" : "misses"} the target (>= 0.95x and >= 1x)`;
  });
const rss = summary
  .filter(
    (r) =>
      r.group.endsWith("1024 MiB") && r.impl.startsWith("blobkit") && !r.impl.endsWith("tuned"),
  )
  .map((r) => `- ${r.group} ${r.impl}: peak RSS ${fmt(r.rssMiB)} MiB (target <= 200)`);
const markdown = [
  `# BlobKit benchmark, ${started.toISOString()}`,
  "",
  `Azurite 3.37 in memory as a separate process; ${cpus().length} cores; Node ${process.version}. Each measurement ran in its own process; a row is the median of ${repeatFor(16)} runs (16 MiB), ${repeatFor(256)} (256 MiB) or ${repeatFor(1024)} (1 GiB), measured side by side in this run; peak RSS is the largest of its runs.`,
  "",
  ...lines,
  "",
  "Targets:",
  ...checks,
  ...rss,
  "",
  `rclone: ${rclone}`,
  "",
].join("\n");
const outDir = join(repoRoot, "bench-results");
mkdirSync(outDir, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, "-");
writeFileSync(
  join(outDir, `bench-${stamp}.json`),
  JSON.stringify({ started, sizesMiB, smallCount, concurrencies, rows: summary, rclone }, null, 2),
);
writeFileSync(join(outDir, `bench-${stamp}.md`), markdown);
writeFileSync(join(outDir, "latest.md"), markdown);
console.log(`\n${markdown}`);
console.log(`Results: bench-results/bench-${stamp}.json and .md`);
