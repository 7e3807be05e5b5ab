// Cancellation of the folder transfers of @blobkit/transfer, in its own process. Each runs with
// requests in flight through a fault proxy and is aborted mid-way:
// (a) uploadDirectory of 40 small files, four 4 MiB files and one of 72 MiB, whose later Put requests the proxy
//     holds for seconds: every blob in the container afterwards is whole (size and MD5 of its
//     file), none half-written; running the call again completes the tree;
// (b) downloadDirectory of the same tree through a proxy that throttles every GET to 1 MiB/s:
//     every file under its final name is whole; what else is left are partial files with their
//     journals, which the next run resumes from; running it again completes the tree and leaves
//     nothing else;
// (c) copyDirectory to another container, its copies held by the proxy.
// Each must reject with "Aborted" within 1 s; the process must then exit by itself.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContainerClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import { createContainer } from "@blobkit/containers";
import { type FaultRule, startAzurite, startFaultProxy } from "@blobkit/testing";
import { copyDirectory, downloadDirectory, uploadDirectory } from "@blobkit/transfer";
import { abortAndMeasure, check, report, waitUntil } from "./support.ts";

const MiB = 1024 * 1024;

/** The tree: name -> bytes. */
const tree = new Map<string, Buffer>();
for (let i = 0; i < 40; i++) tree.set(`small/${i}.txt`, Buffer.alloc(1000 + i, i));
for (let i = 0; i < 4; i++) tree.set(`large/${i}.bin`, Buffer.alloc(4 * MiB, 100 + i));
// Over 64 MiB: downloaded in ranges, with a journal that lets the next run resume.
tree.set("large/huge.bin", Buffer.alloc(72 * MiB, 7));

const md5 = (data: Uint8Array) => createHash("md5").update(data).digest("base64");
/** The MD5 of each file of the tree, worked out once for all the checks. */
const digests = new Map([...tree].map(([name, data]) => [name, md5(data)]));

/** Files under `folder` (relative, `/`-separated), directories left out. */
async function filesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(folder.length + 1))
    .sort();
}

/** Every blob of `container` is a whole file of the tree (checked by size and stored MD5). */
async function blobsAreWhole(label: string, container: ContainerClient): Promise<number> {
  let count = 0;
  for await (const blob of container.listBlobsFlat()) {
    const data = tree.get(blob.name);
    check(data !== undefined, `${label}: unexpected blob ${blob.name}`);
    check(
      blob.properties.contentLength === data.length,
      `${label}: ${blob.name} has ${blob.properties.contentLength} bytes, not ${data.length}`,
    );
    const stored = blob.properties.contentMD5;
    check(
      stored !== undefined && Buffer.from(stored).toString("base64") === digests.get(blob.name),
      `${label}: ${blob.name} has another MD5`,
    );
    count++;
  }
  return count;
}

/** Checks a downloaded folder: whole files of the tree, and partial files with their journals. */
async function folderIsWhole(label: string, folder: string) {
  const whole: string[] = [];
  const partial: string[] = [];
  for (const path of await filesIn(folder)) {
    const name = path.split("/").pop() ?? "";
    const kept = /^\.(.+)\.blobkit-(partial|journal)$/.exec(name);
    if (kept) {
      partial.push(path);
      continue;
    }
    const data = tree.get(path);
    check(data !== undefined, `${label}: unexpected file ${path}`);
    check(
      md5(await readFile(join(folder, path))) === digests.get(path),
      `${label}: ${path} is not whole`,
    );
    whole.push(path);
  }
  // A partial file is kept only with the journal that lets the next run resume it.
  for (const path of partial) {
    const other = path.endsWith("-partial")
      ? path.replace(/-partial$/, "-journal")
      : path.replace(/-journal$/, "-partial");
    check(partial.includes(other), `${label}: ${path} without ${other}`);
  }
  return { whole: whole.length, partial };
}

const azurite = await startAzurite();
const proxies: { stop(): Promise<void> }[] = [];
const proxied = async (rules: FaultRule[]) => {
  const proxy = await startFaultProxy(azurite.blobEndpoint, { rules });
  proxies.push(proxy);
  return connect({
    method: "emulator",
    emulator: { ...azurite.toJSON(), blobEndpoint: proxy.url },
  });
};
const work = await mkdtemp(join(tmpdir(), "blobkit-cancel-transfer-"));
let result: Record<string, unknown>;
try {
  const source = join(work, "source");
  for (const [name, data] of tree) {
    await mkdir(join(source, name, ".."), { recursive: true });
    await writeFile(join(source, name), data);
  }
  const service = await connect({ method: "emulator", emulator: azurite });
  await createContainer(service, "tree");
  await createContainer(service, "copy");

  // (a) Upload: the first 20 Put requests pass, later ones are held for 5 s each.
  const slowPuts = await proxied([{ fault: "delay", method: "PUT", after: 20, delayMs: 5_000 }]);
  let uploaded = 0;
  const controllerA = new AbortController();
  const runningA = uploadDirectory(slowPuts.getContainerClient("tree"), source, {
    signal: controllerA.signal,
    onItem: (event) => {
      if (event.outcome === "transferred") uploaded++;
    },
  });
  await waitUntil("files uploaded", () => uploaded >= 5);
  const upload = await abortAndMeasure("uploadDirectory", controllerA, runningA);
  const container = service.getContainerClient("tree");
  const blobsAfterAbort = await blobsAreWhole("after the aborted upload", container);
  check(blobsAfterAbort < tree.size, "the upload finished before the abort");
  const rerun = await uploadDirectory(container, source);
  check(
    rerun.counts.failed === 0 && (await blobsAreWhole("after the re-run", container)) === tree.size,
    "the re-run did not complete the tree",
  );

  // (b) Download: every GET throttled to 1 MiB/s.
  const throttled = await proxied([{ fault: "throttle", method: "GET", bytesPerSecond: MiB }]);
  const target = join(work, "target");
  let received = 0;
  const controllerB = new AbortController();
  const runningB = downloadDirectory(throttled.getContainerClient("tree"), target, {
    signal: controllerB.signal,
    onProgress: (progress) => {
      received = progress.bytesDone;
    },
    progressIntervalMs: 10,
  });
  await waitUntil("bytes downloaded", () => received >= 512 * 1024);
  const download = await abortAndMeasure("downloadDirectory", controllerB, runningB);
  const left = await folderIsWhole("after the aborted download", target);
  check(left.whole < tree.size, "the download finished before the abort");
  const again = await downloadDirectory(container, target);
  const resumed = again.transferred.filter((item) => item.size > 0).length;
  const final = await folderIsWhole("after the re-run", target);
  check(
    again.counts.failed === 0 && final.whole === tree.size && final.partial.length === 0,
    `the re-run left ${final.whole} whole files and ${final.partial.join(", ")}`,
  );

  // (c) Copy: copies past the first 10 held for 5 s each.
  const slowCopies = await proxied([{ fault: "delay", method: "PUT", after: 10, delayMs: 5_000 }]);
  let copied = 0;
  const controllerC = new AbortController();
  // The source is read by the service itself, straight from the emulator.
  const runningC = copyDirectory(
    service.getContainerClient("tree"),
    slowCopies.getContainerClient("copy"),
    {
      signal: controllerC.signal,
      onItem: (event) => {
        if (event.outcome === "transferred") copied++;
      },
    },
  );
  await waitUntil("blobs copied", () => copied >= 3);
  const copy = await abortAndMeasure("copyDirectory", controllerC, runningC);
  const copiedAfterAbort = await blobsAreWhole(
    "after the aborted copy",
    service.getContainerClient("copy"),
  );

  result = {
    operation: "transfer",
    uploadDirectory: { ...upload, filesBefore: uploaded, blobsAfterAbort },
    downloadDirectory: {
      ...download,
      wholeFilesAfterAbort: left.whole,
      partialFilesAfterAbort: left.partial.length,
      reRunTransferred: resumed,
    },
    copyDirectory: { ...copy, copiedBefore: copied, blobsAfterAbort: copiedAfterAbort },
  };
} finally {
  for (const proxy of proxies) await proxy.stop();
  await azurite.stop();
  await rm(work, { recursive: true, force: true });
}
report(result);
