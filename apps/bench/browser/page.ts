// The page of the browser group of `pnpm bench` (src/browser.ts): one upload or download of a
// File of random bytes, by BlobKit or by the raw SDK, timed in the page. The clients are built
// before the clock starts, as in the Node.js scenarios.
import { ContainerClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import { downloadBlob, uploadBlob } from "@blobkit/blobs";

/** What the Node.js side asks for. */
export interface BrowserRun {
  kind: "upload" | "download";
  impl: string;
  /** The container's URL with a SAS. */
  sasUrl: string;
  size: number;
}

const MiB = 1024 * 1024;
let data: Uint8Array<ArrayBuffer> | undefined;

function bytes(size: number): Uint8Array<ArrayBuffer> {
  if (data?.length !== size) {
    data = new Uint8Array(size);
    for (let at = 0; at < size; at += 65536) {
      crypto.getRandomValues(data.subarray(at, Math.min(size, at + 65536)));
    }
  }
  return data;
}

async function blobkitContainer(sasUrl: string) {
  const url = new URL(sasUrl);
  const service = await connect({
    method: "sas",
    accountUrl: `${url.origin}${url.pathname}`,
    sasToken: url.search,
    allowHttp: true,
  });
  return service.getContainerClient(decodeURIComponent(url.pathname.split("/").at(-1) ?? ""));
}

/** Runs one measurement; returns the milliseconds it took. */
async function run(input: BrowserRun): Promise<number> {
  const file = new File([bytes(input.size)], "bench.bin", { lastModified: Date.now() });
  if (input.kind === "upload") {
    if (input.impl === "blobkit-default") {
      const container = await blobkitContainer(input.sasUrl);
      const started = performance.now();
      await uploadBlob(container, "blob.bin", file);
      return performance.now() - started;
    }
    const blob = new ContainerClient(input.sasUrl).getBlockBlobClient("blob.bin");
    // The SDK's defaults send up to 256 MiB in one request; its block settings, BlobKit's plan.
    const options =
      input.impl === "sdk-default"
        ? {}
        : { blockSize: 8 * MiB, maxSingleShotSize: 8 * MiB, concurrency: 4 };
    const started = performance.now();
    await blob.uploadData(file, options);
    return performance.now() - started;
  }
  if (input.impl === "blobkit-default") {
    const container = await blobkitContainer(input.sasUrl);
    const started = performance.now();
    const { content } = await downloadBlob(container.getBlobClient("blob.bin"), { to: "bytes" });
    if (content.length !== input.size) throw new Error(`downloaded ${content.length} bytes`);
    return performance.now() - started;
  }
  const blob = new ContainerClient(input.sasUrl).getBlobClient("blob.bin");
  const started = performance.now();
  const response = await blob.download();
  const body = await (await response.blobBody)?.arrayBuffer();
  if (body?.byteLength !== input.size) throw new Error(`downloaded ${body?.byteLength} bytes`);
  return performance.now() - started;
}

Object.assign(globalThis, { benchRun: run });
const status = document.getElementById("status");
if (status) status.textContent = "ready";
