/**
 * Transfer folders and many files: upload a folder, download a prefix, copy a prefix server-side,
 * choose files with include and exclude patterns, share one budget between transfers, show a
 * progress bar, and go on past failures (then read what failed).
 *
 * Run against the embedded emulator by `pnpm start` (its progress bar is the one you see there);
 * tested by `test/transfer-folders.test.ts`.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
// #region imports
import { connect } from "@blobkit/auth";
import { createTransferBudget } from "@blobkit/blobs";
// #endregion imports
import { createContainer, deleteContainer } from "@blobkit/containers";
import { type AzuriteConnection, uniqueContainerName } from "@blobkit/testing";
import {
  copyDirectory,
  downloadDirectory,
  type TransferProgress,
  uploadDirectory,
} from "@blobkit/transfer";

/** Guide metadata for the main job: title and position in the summary. */
export const meta = { title: "Transfer folders and many files", order: 23 };

const MiB = 1024 * 1024;

// #region upload-folder
/** A built web site to a container, under `site/`, without its source maps. */
export async function publishSite(container: ContainerClient, folder: string) {
  const result = await uploadDirectory(container, folder, {
    prefix: "site",
    exclude: ["**/*.map", "node_modules/**"],
  });
  console.log(
    `${result.transferred.length} uploaded, ${result.skipped.length} unchanged, ` +
      `${result.bytesTransferred} bytes in ${result.elapsedMs} ms`,
  );
  return result;
}
// #endregion upload-folder

// #region download-folder
/** Only the pages and style sheets under `site/`, into a local folder (created if missing). */
export async function downloadPages(container: ContainerClient, folder: string) {
  return downloadDirectory(container, folder, {
    prefix: "site",
    include: ["**/*.html", "**/*.css"],
  });
}
// #endregion download-folder

// #region copy-folder
/** A dated copy of `site/` in another container, made by the service: no byte passes through here. */
export async function backUpSite(source: ContainerClient, backups: ContainerClient, day: string) {
  return copyDirectory(source, backups, {
    sourcePrefix: "site",
    destinationPrefix: `site-${day}`,
  });
}
// #endregion copy-folder

// #region budget
/** Two folders at once, within one limit: 8 requests in flight and 64 MiB of buffers in all. */
export async function uploadBoth(container: ContainerClient, logs: string, exports: string) {
  const budget = createTransferBudget({ concurrency: 8, memoryBytes: 64 * MiB });
  const [logResult, exportResult] = await Promise.all([
    uploadDirectory(container, logs, { prefix: "logs", budget }),
    uploadDirectory(container, exports, { prefix: "exports", budget }),
  ]);
  return { logs: logResult, exports: exportResult };
}
// #endregion budget

// #region progress
/** One line: a bar, files, bytes, the rate and the time left. */
export function formatProgress(progress: TransferProgress, width = 24): string {
  const { filesDone, filesTotal, bytesDone, bytesTotal, bytesPerSecond, etaSeconds } = progress;
  const fraction = bytesTotal > 0 ? Math.min(1, bytesDone / bytesTotal) : 1;
  const filled = Math.round(fraction * width);
  const mib = (bytes: number) => (bytes / MiB).toFixed(1);
  // While folders are still being compared the totals can grow: mark them, and show no ETA yet.
  const more = progress.scanning ? "+" : "";
  const eta =
    etaSeconds !== undefined && progress.phase === "transferring" && !progress.scanning
      ? `, ${etaSeconds} s left`
      : "";
  return (
    `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.floor(fraction * 100)}% ` +
    `${filesDone}/${filesTotal}${more} files, ${mib(bytesDone)}/${mib(bytesTotal)}${more} MiB, ` +
    `${mib(bytesPerSecond)} MiB/s${eta}`
  );
}

/**
 * An `onProgress` for a terminal or a log: in a terminal, one line redrawn in place; in a log
 * (CI, a file), a plain line when the transfer starts, every `everyMs`, and when it is done.
 */
export function progressPrinter(
  out: { isTTY?: boolean; write(text: string): unknown } = process.stdout,
  everyMs = 5_000,
) {
  let printedAt = Number.NEGATIVE_INFINITY;
  let lastPhase = "";
  return (progress: TransferProgress) => {
    if (out.isTTY) {
      // \r goes back to the start of the line, \x1b[K clears what a longer line left behind.
      out.write(`\r${formatProgress(progress)}\x1b[K${progress.phase === "done" ? "\n" : ""}`);
      return;
    }
    if (progress.phase === "scanning") return;
    if (progress.phase !== lastPhase || progress.elapsedMs - printedAt >= everyMs) {
      lastPhase = progress.phase;
      printedAt = progress.elapsedMs;
      out.write(`${progress.phase}: ${formatProgress(progress)}\n`);
    }
  };
}

/** A folder upload that shows its progress. */
export async function uploadWithProgress(
  container: ContainerClient,
  folder: string,
  out?: { isTTY?: boolean; write(text: string): unknown },
) {
  return uploadDirectory(container, folder, {
    prefix: "datasets",
    onProgress: progressPrinter(out),
    progressIntervalMs: 100, // redraw 10 times a second (200 ms by default)
  });
}
// #endregion progress

// #region large-tree
/**
 * A tree of millions of files: keep no per-file lists in memory (only counts, failures and
 * deletions), and write one line per file to a manifest as it happens instead.
 */
export async function archiveLargeTree(
  container: ContainerClient,
  folder: string,
  manifest: { write(line: string): unknown },
) {
  const result = await uploadDirectory(container, folder, {
    prefix: "archive",
    keepItems: false,
    onItem: ({ outcome, item }) => manifest.write(`${outcome}\t${item.name}\t${item.size}\n`),
  });
  const { transferred, skipped, failed } = result.counts;
  console.log(`${transferred} uploaded, ${skipped} unchanged, ${failed} failed`);
  return result;
}
// #endregion large-tree

// #region continue-on-failure
/** Upload what can be uploaded, then say exactly which files failed and why. */
export async function uploadInbox(container: ContainerClient, folder: string) {
  const result = await uploadDirectory(container, folder, {
    prefix: "inbox",
    failurePolicy: "continue",
  });
  for (const failure of result.failed) {
    console.error(`not uploaded: ${failure.path} (${failure.code}): ${failure.message}`);
  }
  return result;
}
// #endregion continue-on-failure

// #region decide-per-failure
/**
 * Skip files Azure refuses by name, stop at anything else: a revoked credential or a full
 * account would fail every file, so there is no point going on.
 */
export async function uploadInboxStrictly(container: ContainerClient, folder: string) {
  return uploadDirectory(container, folder, {
    prefix: "inbox",
    failurePolicy: (failure) => (failure.code === "InvalidArgument" ? "continue" : "stop"),
  });
}
// #endregion decide-per-failure

/** Writes files (path below `root` -> text or a size of random bytes). */
async function writeTree(root: string, files: Record<string, string | number>) {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, ...relative.split("/"));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, typeof content === "number" ? randomBytes(content) : content);
  }
}

/** Runs the guide's code against the emulator that `pnpm start` (or the test) provides. */
export async function main(env: { azurite: AzuriteConnection }) {
  const service = await connect({ method: "emulator", emulator: env.azurite });
  const name = uniqueContainerName("guide-folders");
  const backupName = uniqueContainerName("guide-backups");
  await createContainer(service, name);
  await createContainer(service, backupName);
  const container = service.getContainerClient(name);
  const backups = service.getContainerClient(backupName);
  const root = await mkdtemp(join(tmpdir(), "blobkit-folders-"));
  try {
    const site = join(root, "site");
    await writeTree(site, {
      "index.html": "<h1>Home</h1>",
      "about/index.html": "<h1>About</h1>",
      "css/site.css": "body { margin: 0 }",
      "js/app.js": "console.log('hi')",
      "js/app.js.map": "{}",
      "img/hero.jpg": 300 * 1024,
      "node_modules/left-pad/index.js": "module.exports = 1",
    });
    const published = await publishSite(container, site);
    const pages = await downloadPages(container, join(root, "pages"));
    const pagesIdentical = await Promise.all(
      ["index.html", "about/index.html", "css/site.css"].map(async (page) =>
        (await readFile(join(root, "pages", page))).equals(await readFile(join(site, page))),
      ),
    );
    const backup = await backUpSite(container, backups, "2024-06-01");
    const backupIdentical = (
      await backups.getBlobClient("site-2024-06-01/img/hero.jpg").downloadToBuffer()
    ).equals(await readFile(join(site, "img/hero.jpg")));

    const logs = join(root, "logs");
    const exports = join(root, "exports");
    const logFiles: Record<string, number> = {};
    for (let i = 0; i < 20; i++) logFiles[`app-${i}.log`] = 16 * 1024;
    await writeTree(logs, logFiles);
    await writeTree(exports, { "q1.csv": 2 * MiB, "q2.csv": 2 * MiB });
    const both = await uploadBoth(container, logs, exports);

    const datasets = join(root, "datasets");
    const dataFiles: Record<string, number> = {};
    for (let i = 0; i < 16; i++) dataFiles[`part-${String(i).padStart(2, "0")}.bin`] = MiB;
    await writeTree(datasets, dataFiles);
    const withProgress = await uploadWithProgress(container, datasets);

    const inbox = join(root, "inbox");
    // "draft." ends with a dot, which Azure would drop from the name: BlobKit refuses it.
    await writeTree(inbox, { "a.txt": "a", "b.txt": "b", "draft.": "unfinished" });
    const inboxResult = await uploadInbox(container, inbox);
    const strict = await uploadInboxStrictly(container, inbox);

    // The large-tree settings, on a tree of 3 folders x 4 files (run twice: all sent, then none).
    const tree = join(root, "tree");
    const treeFiles: Record<string, string> = {};
    for (let f = 0; f < 12; f++) treeFiles[`part-${f % 3}/file-${f}.txt`] = `file ${f}`;
    await writeTree(tree, treeFiles);
    const manifest: string[] = [];
    const archived = await archiveLargeTree(container, tree, {
      write: (line) => manifest.push(line),
    });
    const archivedAgain = await archiveLargeTree(container, tree, { write: () => {} });
    return {
      published,
      pages,
      pagesIdentical: pagesIdentical.every(Boolean),
      backup,
      backupIdentical,
      both,
      withProgress,
      inbox: inboxResult,
      strict,
      archived,
      archivedAgain,
      manifest,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
    await deleteContainer(container);
    await deleteContainer(backups);
  }
}
