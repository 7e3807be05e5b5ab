// The page browser.test.ts opens in Chromium: BlobKit's packages as a web app gets them (built by
// Vite, from the packages' dist, with their "browser" field), running the browser guide's sample
// (apps/docs/samples/browser-page.ts) and more against Azurite through CORS. Each scenario
// reports what it saw; the test asserts on the report.
import { connect, isStorageError } from "@blobkit/auth";
import { downloadBlob, listBlobs, uploadBlob } from "@blobkit/blobs";
import { createContainer } from "@blobkit/containers";
import { acquireLease, getLeaseState } from "@blobkit/leases";
import {
  connectWithGrant,
  readBack,
  saveToDisk,
  type UploadGrant,
  uploadUserFile,
} from "../../docs/samples/browser-page.ts";
import type {
  FaultyDownloadReport,
  Refusal,
  ScenarioInput,
  ScenarioReport,
  SlowUploadReport,
} from "./report.ts";

let requests = 0;
const fetchOf = globalThis.fetch.bind(globalThis);
globalThis.fetch = (...args: Parameters<typeof fetch>) => {
  requests++;
  return fetchOf(...args);
};

/** Runs a step that must fail, with the requests it sent. */
async function refusal(step: () => Promise<unknown>): Promise<Refusal> {
  const before = requests;
  try {
    await step();
  } catch (error) {
    return {
      code: isStorageError(error) ? error.code : (error as Error).name,
      message: (error as Error).message,
      requests: requests - before,
    };
  }
  throw new Error("the step succeeded but should have failed");
}

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65536) {
    crypto.getRandomValues(data.subarray(offset, Math.min(size, offset + 65536)));
  }
  return data;
}

/**
 * Reads a web stream whole with its reader: `new Response(stream).arrayBuffer()` would reject
 * with a bare TypeError where the stream errors, hiding the StorageError.
 */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    chunks.push(read.value);
  }
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function runScenario(input: ScenarioInput): Promise<ScenarioReport> {
  // The guide's path: a 9 MiB File, uploaded in 4 MiB blocks, read back verified.
  const container = await connectWithGrant(input.grant);
  const data = randomBytes(9 * 1024 * 1024);
  const file = new File([data], "holiday photo.jpg", { type: "image/jpeg" });
  const percents: number[] = [];
  const uploaded = await uploadUserFile(container, file, (percent) => percents.push(percent));
  const back = await readBack(container, "uploads/holiday photo.jpg");
  const overwrite = await refusal(() => uploadUserFile(container, file, () => {}));

  // Cancelled at 40%, then the same file picked again (as after a reload): a new File object.
  const scan = randomBytes(17 * 1024 * 1024);
  const pick = () =>
    new File([scan], "scan.tif", { type: "image/tiff", lastModified: 1_700_000_000_000 });
  // One block at a time, so that the cancel lands with blocks still to send.
  const cancel = new AbortController();
  const cancelled = await refusal(() =>
    uploadBlob(container, "uploads/scan.tif", pick(), {
      blockSize: 4 * 1024 * 1024,
      maxSingleShotSize: 4 * 1024 * 1024,
      concurrency: 1,
      signal: cancel.signal,
      onProgress: ({ loaded }) => loaded >= 4 * 1024 * 1024 && cancel.abort(),
    }),
  );
  const resumed = await uploadUserFile(container, pick(), () => {});
  const scanBack = await readBack(container, "uploads/scan.tif");

  const blob = container.getBlobClient("uploads/holiday photo.jpg");
  const ranged = await downloadBlob(blob, { to: "bytes" }, { range: { offset: 5, count: 10 } });

  // A blob stored with a wrong whole-blob MD5: the download refuses its bytes.
  await uploadBlob(container, "uploads/wrong-md5.bin", data.subarray(0, 2 * 1024 * 1024), {
    blockSize: 1024 * 1024,
    maxSingleShotSize: 1024 * 1024,
    contentMD5: new Uint8Array(16),
  });
  const corrupt = await refusal(() =>
    downloadBlob(container.getBlobClient("uploads/wrong-md5.bin"), { to: "bytes" }),
  );
  const corruptStream = await refusal(async () => {
    const { stream } = await downloadBlob(container.getBlobClient("uploads/wrong-md5.bin"), {
      to: "web-stream",
    });
    await readAll(stream);
  });

  // The guide's stream to disk, into the origin private file system: the 9 MiB blob in 4 MiB
  // ranges; then the corrupted blob into a file that holds "previous", which it keeps.
  const disk = await navigator.storage.getDirectory();
  const photo = await disk.getFileHandle("photo.jpg", { create: true });
  const saved = await saveToDisk(
    container,
    "uploads/holiday photo.jpg",
    await photo.createWritable(),
  );
  const savedBytes = new Uint8Array(await (await photo.getFile()).arrayBuffer());
  const kept = await disk.getFileHandle("kept.bin", { create: true });
  const previous = await kept.createWritable();
  await previous.write("previous");
  await previous.close();
  const corruptToDisk = await refusal(async () =>
    saveToDisk(container, "uploads/wrong-md5.bin", await kept.createWritable()),
  );
  const keptText = await (await kept.getFile()).text();

  const lease = await acquireLease(blob, { durationSeconds: 15 });
  const leased = await getLeaseState(blob);
  await lease.release();

  // Microsoft Entra ID over HTTPS, with the token a browser credential would get.
  const entraService = await connect({
    method: "entra",
    accountUrl: input.entra.accountUrl,
    credential: {
      getToken: async () => ({
        token: input.entra.token,
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    },
  });
  await createContainer(entraService, input.entra.container);
  const entraContainer = entraService.getContainerClient(input.entra.container);
  await uploadBlob(entraContainer, "notes/hello.txt", "héllo from a browser");
  const text = await downloadBlob(entraContainer.getBlobClient("notes/hello.txt"), {
    to: "string",
  });
  const names: string[] = [];
  for await (const item of listBlobs(entraContainer)) names.push(item.name);

  // What a browser cannot do is refused before any request, with a way out.
  const aborted = new AbortController();
  aborted.abort();
  const refused = {
    accountKey: await refusal(() =>
      connect({
        method: "accountKey",
        accountName: "devstoreaccount1",
        accountKey: btoa("not a real key, never sent"),
        accountUrl: input.blobEndpoint,
        allowHttp: true,
      }),
    ),
    connectionString: await refusal(() =>
      connect({ method: "connectionString", connectionString: "UseDevelopmentStorage=true" }),
    ),
    uploadFromPath: await refusal(() => uploadBlob(container, "x.bin", { path: "/etc/hosts" })),
    downloadToFile: await refusal(() => downloadBlob(blob, { path: "photo.jpg" })),
    aborted: await refusal(() => uploadUserFile(container, file, () => {}, aborted.signal)),
  };

  return {
    upload: {
      blockCount: uploaded.blockCount,
      contentLength: uploaded.contentLength,
      md5: uploaded.contentMD5 !== undefined,
      percents,
    },
    resumed: {
      cancelled: cancelled.code,
      resumedBlocks: resumed.resumedBlocks,
      blockCount: resumed.blockCount,
      same: (await sha256(scanBack.content)) === (await sha256(scan)),
    },
    readBack: {
      same: (await sha256(back.content)) === (await sha256(data)),
      verification: back.verification,
      contentType: back.contentType,
    },
    ranged: {
      same: Array.from(ranged.content).join() === Array.from(data.subarray(5, 15)).join(),
      verification: ranged.verification,
      blobSize: ranged.blobSize,
    },
    corrupt,
    corruptStream,
    toDisk: {
      ...saved,
      same: (await sha256(savedBytes)) === (await sha256(data)),
      corrupt: corruptToDisk,
      keptText,
    },
    overwrite,
    leased: leased.state,
    entra: { text: text.content, verification: text.verification, names },
    refused,
  };
}

/**
 * Uploads 1 MiB in 512 KiB blocks, one at a time, with one try each: over a link the test has
 * throttled, each block takes longer than `tryTimeoutMs`, so it succeeds only if the per-try
 * timeout allows for the body (fetch reports no upload progress).
 */
async function slowUpload(
  grant: UploadGrant,
  name: string,
  retry: { tryTimeoutMs: number; minUploadBytesPerSecond: number },
): Promise<SlowUploadReport> {
  const service = await connect({
    method: "sas",
    accountUrl: grant.containerUrl,
    sasToken: grant.sasToken,
    allowHttp: true,
    retry: { ...retry, maxTries: 1 },
  });
  const started = performance.now();
  try {
    const result = await uploadBlob(
      service.getContainerClient(grant.container),
      name,
      randomBytes(1024 * 1024),
      { blockSize: 512 * 1024, maxSingleShotSize: 512 * 1024, concurrency: 1 },
    );
    return { ms: performance.now() - started, blockCount: result.blockCount };
  } catch (error) {
    return {
      ms: performance.now() - started,
      error: {
        code: isStorageError(error) ? error.code : (error as Error).name,
        message: (error as Error).message,
      },
    };
  }
}

/**
 * Downloads `name` in 2 MiB ranges through the grant's URL (the test points it at a proxy), into
 * bytes or read from a web stream.
 */
async function faultyDownload(
  grant: UploadGrant,
  name: string,
  to: "bytes" | "web-stream",
): Promise<FaultyDownloadReport> {
  const container = await connectWithGrant(grant);
  let lastProgress: number | undefined;
  const options = {
    rangeSize: 2 * 1024 * 1024,
    concurrency: 3,
    onProgress: ({ loaded }: { loaded: number }) => (lastProgress = loaded),
  };
  const blob = container.getBlobClient(name);
  if (to === "bytes") {
    const { content, verification, contentLength } = await downloadBlob(
      blob,
      { to: "bytes" },
      options,
    );
    return { sha256: await sha256(content), verification, contentLength, lastProgress };
  }
  const { stream, verification, contentLength } = await downloadBlob(
    blob,
    { to: "web-stream" },
    options,
  );
  const content = await readAll(stream);
  return { sha256: await sha256(content), verification, contentLength, lastProgress };
}

Object.assign(globalThis, { faultyDownload, runScenario, slowUpload });
const status = document.getElementById("status");
if (status) status.textContent = "ready";
