// Cancellation of downloadBlob, in its own process: a 16 MiB blob served through a proxy that
// throttles every GET to 1 MiB/s, downloaded (a) to a file with parallel ranges and (b) as a
// stream. Each must reject with "Aborted" within 1 s and leave nothing under the final name: a
// file download keeps only its partial file and journal for a re-run (resume), and with
// `resume: false` nothing at all; the process must then exit by itself (checked by the parent).
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@blobkit/auth";
import { downloadBlob, uploadBlob } from "@blobkit/blobs";
import { createContainer } from "@blobkit/containers";
import { startAzurite, startFaultProxy } from "@blobkit/testing";
import { abortAndMeasure, check, report, waitUntil } from "./support.ts";

const MiB = 1024 * 1024;

const azurite = await startAzurite();
const proxy = await startFaultProxy(azurite.blobEndpoint, {
  rules: [{ fault: "throttle", method: "GET", bytesPerSecond: MiB }],
});
const folder = await mkdtemp(join(tmpdir(), "blobkit-cancel-download-"));
let result: Record<string, unknown>;
try {
  const service = await connect({ method: "emulator", emulator: azurite });
  await createContainer(service, "downloads");
  await uploadBlob(service.getContainerClient("downloads"), "big.bin", Buffer.alloc(16 * MiB, 5));
  const viaProxy = await connect({
    method: "emulator",
    emulator: { ...azurite.toJSON(), blobEndpoint: proxy.url },
  });
  const blob = viaProxy.getContainerClient("downloads").getBlobClient("big.bin");

  // (a) To a file, 4 ranges of 4 MiB at a time, each throttled.
  let received = 0;
  const controllerA = new AbortController();
  const path = join(folder, "big.bin");
  const runningA = downloadBlob(
    blob,
    { path },
    {
      rangeSize: 4 * MiB,
      concurrency: 4,
      signal: controllerA.signal,
      onProgress: ({ loaded }) => {
        received = loaded;
      },
    },
  );
  await waitUntil("bytes written", () => received >= 256 * 1024);
  const toFile = await abortAndMeasure("download to a file", controllerA, runningA);
  const left = (await readdir(folder)).sort();
  check(
    left.join() === ".big.bin.blobkit-journal,.big.bin.blobkit-partial",
    `expected only the partial file and its journal, found: ${left.join(", ")}`,
  );

  // (a2) The same with resume: false: the abort leaves nothing at all.
  received = 0;
  const controllerA2 = new AbortController();
  const runningA2 = downloadBlob(
    blob,
    { path, resume: false },
    {
      rangeSize: 4 * MiB,
      concurrency: 4,
      signal: controllerA2.signal,
      onProgress: ({ loaded }) => {
        received = loaded;
      },
    },
  );
  await waitUntil("bytes written", () => received >= 256 * 1024);
  const noResume = await abortAndMeasure(
    "download to a file, resume: false",
    controllerA2,
    runningA2,
  );
  const leftNoResume = await readdir(folder);
  check(leftNoResume.length === 0, `files left behind: ${leftNoResume.join(", ")}`);

  // (b) As a stream: the promise resolves with the stream; the abort ends the stream.
  const controllerB = new AbortController();
  const { stream } = await downloadBlob(blob, { to: "stream" }, { signal: controllerB.signal });
  let streamed = 0;
  const consuming = (async () => {
    for await (const chunk of stream) streamed += (chunk as Buffer).length;
  })();
  await waitUntil("bytes streamed", () => streamed >= 256 * 1024);
  const asStream = await abortAndMeasure("download as a stream", controllerB, consuming);
  check(stream.destroyed, "the stream was not destroyed");

  result = {
    operation: "downloadBlob",
    toFile: { ...toFile, filesLeft: left },
    toFileNoResume: { ...noResume, filesLeft: leftNoResume.length },
    asStream: { ...asStream, bytesBeforeAbort: streamed },
  };
} finally {
  await proxy.stop();
  await azurite.stop();
  await rm(folder, { recursive: true, force: true });
}
report(result);
