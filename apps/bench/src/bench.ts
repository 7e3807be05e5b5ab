// `pnpm bench`: starts Azurite as a separate process and, in ONE run, times BlobKit's uploads
// and downloads (defaults and other settings) side by side with the raw @azure/storage-blob calls
// (their defaults and the fastest settings found) and rclone when it is installed, for several
// sizes; many small uploads at several concurrencies; and folder transfers (a tree of many small
// files and one of a few large ones: upload, no-change sync, download) against rclone; and, when
// Chromium is installed, uploads and downloads in a web page against the SDK's (src/browser.ts). Each
// measurement runs in its own process (own CPU time and peak RSS). Runs are interleaved: every
// round starts a fresh Azurite and runs each implementation once, in an order rotated from round
// to round, so drift on a shared machine spreads over all rows instead of favouring one. A row is
// the median of its rounds, with the slowest and fastest round beside it, and client CPU per GiB.
// Writes JSON, Markdown and an SVG chart to bench-results/ and prints the report.
//
// Options: --sizes=16,256,1024 (MiB)  --small=10000  --concurrency=1,16,64
//          --kinds=upload,download,small,tree,browser (groups to run; all by default)
//          --browser-sizes=64 (MiB, the browser group's File)
//          --tree-small=10000 (files of 4 KiB)  --tree-large=20x64 (files x MiB)
//          --tree-scale=100000 (files of 4 KiB in the memory group: a no-change sync; 0 skips it)
//          --rounds=N (every group; default 9 for 16 MiB, 7 for 256 MiB, 5 for 1 GiB, 3 for
//          small blobs and trees)
//          --quick (16 MiB, 300 small blobs, trees of 500 x 4 KiB and 4 x 16 MiB, 3 rounds)
//          --out=DIR (default bench-results)
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runBrowserRounds } from "./browser.ts";
import {
  ACCOUNT,
  type Azurite,
  KEY,
  MiB,
  makeFile,
  rcloneVersion,
  rotated,
  runChild,
  sasUrl,
  startAzurite,
} from "./harness.ts";
import { DOWNLOADS, type Impl, SMALL, UPLOADS } from "./impls.ts";
import { chartOf, markdownOf } from "./report.ts";
import { type Group, groups, record, rows, summarize } from "./results.ts";
import { describeShape, makeTree, runScaleRounds, runTreeRounds, type TreeShape } from "./trees.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const OPTIONS = [
  "sizes",
  "small",
  "concurrency",
  "kinds",
  "tree-small",
  "tree-large",
  "tree-scale",
  "browser-sizes",
  "rounds",
  "repeat",
  "quick",
  "out",
];
const KINDS = ["upload", "download", "small", "tree", "browser"];
const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    if (!OPTIONS.includes(k ?? "")) throw new Error(`unknown option ${a}; options: ${OPTIONS}`);
    return [k!, v ?? "true"] as const;
  }),
);
const numbers = (option: string, fallback: string) => {
  const values = (args.get(option) ?? fallback).split(",").map(Number);
  if (values.some((n) => !Number.isFinite(n) || n <= 0))
    throw new Error(`--${option} takes positive numbers, separated by commas`);
  return values;
};
const quick = args.get("quick") === "true";
const sizesMiB = numbers("sizes", quick ? "16" : "16,256,1024");
const smallCount = numbers("small", quick ? "300" : "10000")[0]!;
const concurrencies = numbers("concurrency", quick ? "16" : "1,16,64");
const kinds = new Set((args.get("kinds") ?? KINDS.join(",")).split(","));
for (const kind of kinds)
  if (!KINDS.includes(kind)) throw new Error(`--kinds takes ${KINDS.join(", ")}; not ${kind}`);
const browserSizesMiB = numbers("browser-sizes", quick ? "16" : "64");
const treeSmall = numbers("tree-small", quick ? "500" : "10000")[0]!;
const [largeFiles, largeMiB] = (args.get("tree-large") ?? (quick ? "4x16" : "20x64"))
  .split("x")
  .map(Number);
if (!(largeFiles! > 0 && largeMiB! > 0))
  throw new Error("--tree-large takes FILESxMiB, e.g. 20x64");
const trees: TreeShape[] = [
  { shape: "small", files: treeSmall, fileBytes: 4096 },
  { shape: "large", files: largeFiles!, fileBytes: largeMiB! * MiB },
];
const treeScale = Number(args.get("tree-scale") ?? (quick ? 0 : 100_000));
if (!Number.isInteger(treeScale) || treeScale < 0)
  throw new Error("--tree-scale takes a number of files (0 skips the memory group)");
/** The memory group's tree, ten times the small one by default. */
const scaleTree: TreeShape | undefined =
  treeScale > 0 ? { shape: "small", files: treeScale, fileBytes: 4096 } : undefined;
const roundsArg = args.get("rounds") ?? args.get("repeat") ?? (quick ? "3" : undefined);
/** Rounds of the small-blob and tree groups (each runs a few seconds and varies little). */
const FEW_ROUNDS = 3;
/** Rounds per size: more for small sizes, whose single runs are short and noisy. */
const roundsFor = (sizeMiB: number) =>
  Number(
    roundsArg ??
      (sizeMiB <= 16 ? 9 : sizeMiB <= 256 ? 7 : Number.isFinite(sizeMiB) ? 5 : FEW_ROUNDS),
  );
const outDir = resolve(repoRoot, args.get("out") ?? "bench-results");

const fitsSize = (sizeMiB: number) => (i: Impl) =>
  (i.maxSizeMiB ?? Number.POSITIVE_INFINITY) >= sizeMiB && (i.aboveSizeMiB ?? 0) < sizeMiB;

/**
 * Uploads the blob the download rows read with BlobKit's own defaults, so that it carries a
 * whole-blob MD5 (`Content-MD5`) for BlobKit and rclone to verify, and checks that it does.
 */
async function prepareDownload(azurite: Azurite, source: string, size: number): Promise<void> {
  const container = azurite.service.getContainerClient("download");
  await container.create();
  await runChild({
    endpoint: azurite.endpoint,
    accountName: ACCOUNT,
    accountKey: KEY,
    kind: "upload",
    impl: "blobkit-default",
    container: "download",
    blob: "blob.bin",
    file: source,
    size,
  });
  const { contentMD5 } = await container.getBlobClient("blob.bin").getProperties();
  if (contentMD5?.length !== 16)
    throw new Error("the download blob has no Content-MD5: nothing would be verified");
}

/**
 * One download of the blob that no row records. The first download after the upload ran about
 * 1.5x slower than the next ones, with about 1.5 more client CPU-s per GiB, whichever tool made
 * it (probes at 1 GiB, 2026-12-06: 188-192 MiB/s first, 262-362 after, the same settings each
 * time): a cost of the machine after the upload, which would fall on whichever row leads a round.
 */
async function warmUp(
  base: { endpoint: string; accountName: string; accountKey: string; size: number },
  work: string,
): Promise<void> {
  const target = join(work, "warm-up.bin");
  await runChild({
    ...base,
    kind: "download",
    impl: "blobkit-not-durable",
    container: "download",
    blob: "blob.bin",
    file: target,
  });
  await rm(target, { force: true });
}

async function runSize(sizeMiB: number, work: string): Promise<void> {
  const size = sizeMiB * MiB;
  const source = join(work, `source-${sizeMiB}.bin`);
  await makeFile(source, size);
  const uploads = kinds.has("upload") ? UPLOADS.filter(fitsSize(sizeMiB)) : [];
  const downloads = kinds.has("download") ? DOWNLOADS.filter(fitsSize(sizeMiB)) : [];
  const upload: Group = { name: `upload ${sizeMiB} MiB`, family: "upload", unit: "MiB/s", sizeMiB };
  const download: Group = {
    name: `download ${sizeMiB} MiB`,
    family: "download",
    unit: "MiB/s",
    sizeMiB,
  };
  for (let round = 0; round < roundsFor(sizeMiB); round++) {
    let azurite = await startAzurite();
    const base = { endpoint: azurite.endpoint, accountName: ACCOUNT, accountKey: KEY, size };
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
          ...(impl.role === "reference" ? { sasUrl: await sasUrl(azurite, container) } : {}),
        });
        record(upload, impl, result);
        await azurite.service.getContainerClient(container).delete();
      }
      if (downloads.length === 0) continue;
      // A fresh emulator for the downloads: Azurite frees the memory of deleted blobs only in a
      // periodic clean-up, so after the uploads (a GiB each at 1 GiB) it would hold gigabytes of
      // them, and the memory pressure (seen: 11 GiB resident) slows whatever runs next.
      if (uploads.length > 0) {
        await azurite.stop();
        azurite = await startAzurite();
        base.endpoint = azurite.endpoint;
      }
      await prepareDownload(azurite, source, size);
      await warmUp(base, work);
      const sas = rcloneVersion ? await sasUrl(azurite, "download") : undefined;
      for (const impl of rotated(downloads, round)) {
        const target = join(work, `download-${impl.id}.bin`);
        const result = await runChild({
          ...base,
          kind: "download",
          impl: impl.id,
          container: "download",
          blob: "blob.bin",
          file: target,
          ...(impl.role === "reference" && sas ? { sasUrl: sas } : {}),
        });
        record(download, impl, result);
        await rm(target, { force: true });
      }
    } finally {
      await azurite.stop();
    }
  }
  await rm(source, { force: true });
}

async function runSmall(concurrency: number): Promise<void> {
  const group: Group = {
    name: `${smallCount} x 1 KiB, concurrency ${concurrency}`,
    family: "small",
    unit: "blobs/s",
  };
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
        record(group, impl, result);
      }
    } finally {
      await azurite.stop();
    }
  }
}

const started = new Date();
const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const work = await mkdtemp(join(tmpdir(), "blobkit-bench-"));
console.log("Azurite: a separate process, in memory, a fresh one for every round");
console.log(`Machine: ${machine}; rclone: ${rcloneVersion ?? "not installed"}\n`);
try {
  if (kinds.has("upload") || kinds.has("download"))
    for (const sizeMiB of sizesMiB) await runSize(sizeMiB, work);
  if (kinds.has("small")) for (const concurrency of concurrencies) await runSmall(concurrency);
  if (kinds.has("browser")) {
    const skipped = await runBrowserRounds(
      browserSizesMiB,
      roundsFor(Math.max(...browserSizesMiB)),
      { upload: true, download: true },
    );
    if (skipped) console.log(`Browser group skipped: ${skipped}\n`);
  }
  if (kinds.has("tree"))
    for (const tree of trees) {
      // Generated once per run; every implementation and round reads the same files.
      const folder = join(work, `tree-${tree.shape}`);
      await makeTree(folder, tree);
      await runTreeRounds(tree, folder, work, roundsFor(Number.POSITIVE_INFINITY));
      await rm(folder, { recursive: true, force: true });
    }
  if (kinds.has("tree") && scaleTree) {
    // Memory at ten times the tree: what a transfer holds must not grow with the tree. Two rounds
    // (each sync takes most of a minute against an emulator holding that many blobs).
    const folder = join(work, "tree-scale");
    await makeTree(folder, scaleTree);
    await runScaleRounds(scaleTree, folder, Math.min(2, roundsFor(Number.POSITIVE_INFINITY)));
    await rm(folder, { recursive: true, force: true });
  }
} finally {
  await rm(work, { recursive: true, force: true });
}

const summary = summarize(rows());
const groupList = [...groups.values()];
const { markdown, targets } = markdownOf({
  started,
  machine,
  rcloneVersion,
  groups: groupList,
  rows: summary,
});
const chart = chartOf(groupList, summary);
mkdirSync(outDir, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, "-");
writeFileSync(
  join(outDir, `bench-${stamp}.json`),
  JSON.stringify(
    {
      started,
      machine,
      sizesMiB,
      browserSizesMiB,
      smallCount,
      concurrencies,
      kinds: [...kinds],
      trees: [...trees.map(describeShape), ...(scaleTree ? [describeShape(scaleTree)] : [])],
      rcloneVersion,
      rows: summary,
      targets,
    },
    null,
    2,
  ),
);
writeFileSync(join(outDir, `bench-${stamp}.md`), markdown);
writeFileSync(join(outDir, "latest.md"), markdown);
writeFileSync(join(outDir, `bench-${stamp}.svg`), chart);
writeFileSync(join(outDir, "latest.svg"), chart);
console.log(`\n${markdown}`);
console.log(`Results: ${join(outDir, `bench-${stamp}`)}.json, .md and .svg`);
