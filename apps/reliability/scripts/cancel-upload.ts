// Cancellation of uploadBlob, in its own process: (a) a slow source that then stalls, after four
// blocks were staged; (b) blocks in flight to a server that holds them (a delay rule). Each must
// reject with "Aborted" within 1 s, leave no committed blob, release the source, and the process
// must then exit by itself (checked by the parent test).
import { Readable } from "node:stream";
import { connect } from "@blobkit/auth";
import { uploadBlob } from "@blobkit/blobs";
import { createContainer } from "@blobkit/containers";
import { startAzurite, startFaultProxy } from "@blobkit/testing";
import { abortAndMeasure, check, report, sleep, waitUntil } from "./support.ts";

const MiB = 1024 * 1024;

/** Pushes `chunks` chunks of 1 MiB, one every 50 ms, then stalls: never ends, never errors. */
function slowThenStalling(chunks: number): Readable {
  let pushed = 0;
  let timer: NodeJS.Timeout | undefined;
  return new Readable({
    read() {
      if (pushed >= chunks || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        pushed++;
        this.push(Buffer.alloc(MiB, pushed));
      }, 50);
    },
    destroy(error, callback) {
      clearTimeout(timer);
      callback(error);
    },
  });
}

const azurite = await startAzurite();
const proxy = await startFaultProxy(azurite.blobEndpoint);
let result: Record<string, unknown>;
try {
  const service = await connect({ method: "emulator", emulator: azurite });
  await createContainer(service, "uploads");
  const container = service.getContainerClient("uploads");

  // (a) A slow source: four blocks get staged, then the source stalls and the upload waits on it.
  const source = slowThenStalling(4);
  let staged = 0;
  const controllerA = new AbortController();
  const runningA = uploadBlob(container, "slow-source.bin", source, {
    blockSize: MiB,
    maxSingleShotSize: MiB,
    signal: controllerA.signal,
    onProgress: ({ loaded }) => {
      staged = loaded;
    },
  });
  // All four blocks staged: the upload now waits on a source that has stalled.
  await waitUntil("every available block staged", () => staged >= 4 * MiB);
  await sleep(200);
  const slowSource = await abortAndMeasure("upload from a stalled source", controllerA, runningA);
  check(source.destroyed, "the source stream was not destroyed");
  check(
    !(await container.getBlobClient("slow-source.bin").exists()),
    "a partial blob was committed",
  );

  // (b) Blocks in flight: the proxy holds every Put Block for 30 s before forwarding it.
  proxy.setRules([{ fault: "delay", method: "PUT", path: /comp=block(&|$)/, delayMs: 30_000 }]);
  const viaProxy = await connect({
    method: "emulator",
    emulator: { ...azurite.toJSON(), blobEndpoint: proxy.url },
  });
  const controllerB = new AbortController();
  const runningB = uploadBlob(
    viaProxy.getContainerClient("uploads"),
    "in-flight.bin",
    Buffer.alloc(8 * MiB, 3),
    { blockSize: MiB, maxSingleShotSize: MiB, signal: controllerB.signal },
  );
  await waitUntil("blocks in flight", () => proxy.stats.faults.delay >= 4);
  const inFlight = await abortAndMeasure("upload with blocks in flight", controllerB, runningB);
  check(!(await container.getBlobClient("in-flight.bin").exists()), "a partial blob was committed");

  result = {
    operation: "uploadBlob",
    stalledSource: { ...slowSource, stagedBytesBeforeAbort: staged, committed: false },
    blocksInFlight: { ...inFlight, requestsHeld: proxy.stats.faults.delay, committed: false },
  };
} finally {
  await proxy.stop();
  await azurite.stop();
}
report(result);
