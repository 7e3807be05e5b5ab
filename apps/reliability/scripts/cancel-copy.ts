// Cancellation of copyBlob while it follows an asynchronous copy, in its own process. Azurite
// completes every copy at once, so the destination is a stub that answers as the Blob service
// documents for a copy still in progress: Copy Blob -> 202 with `x-ms-copy-status: pending`,
// Get Blob Properties -> `pending` with `x-ms-copy-progress`, Abort Copy Blob -> 204. The source
// is a real blob on Azurite. Aborting while polling must reject with "Aborted" within 1 s after
// sending Abort Copy Blob for the copy's id (which leaves an empty destination in Azure), also
// when the service is slow to answer that request; the process must then exit by itself.
import { randomUUID } from "node:crypto";
import type { BlobClient } from "@azure/storage-blob";
import { connect } from "@blobkit/auth";
import { copyBlob, uploadBlob } from "@blobkit/blobs";
import { createContainer } from "@blobkit/containers";
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  startAzurite,
  startStubServer,
} from "@blobkit/testing";
import { abortAndMeasure, check, report, waitUntil } from "./support.ts";

const TOTAL = 16 * 1024 * 1024;

interface Recorded {
  method: string;
  url: string;
  copyAction?: string;
  copySource?: string;
}

/**
 * The destination account: a copy that stays pending forever. With `abortDelayMs`, the service
 * is slow to answer Abort Copy Blob.
 */
async function startPendingCopyStub(abortDelayMs = 0) {
  const copyId = randomUUID();
  const requests: Recorded[] = [];
  let unexpected = 0;
  const timers = new Set<NodeJS.Timeout>();
  const common = () => ({
    "x-ms-request-id": randomUUID(),
    "x-ms-version": "2025-11-05",
    date: new Date().toUTCString(),
  });
  const stub = await startStubServer((req, res) => {
    const url = new URL(req.url, "http://stub");
    requests.push({
      method: req.method,
      url: `${url.pathname}${url.search}`,
      ...(req.headers["x-ms-copy-action"]
        ? { copyAction: String(req.headers["x-ms-copy-action"]) }
        : {}),
      ...(req.headers["x-ms-copy-source"]
        ? { copySource: String(req.headers["x-ms-copy-source"]).split("?")[0] }
        : {}),
    });
    const comp = url.searchParams.get("comp");
    if (req.method === "PUT" && comp === null && req.headers["x-ms-copy-source"]) {
      res.writeHead(202, {
        ...common(),
        etag: '"0x8DPENDING"',
        "last-modified": new Date().toUTCString(),
        "x-ms-copy-id": copyId,
        "x-ms-copy-status": "pending",
        "content-length": "0",
      });
      res.end();
    } else if (req.method === "HEAD" && comp === null) {
      res.writeHead(200, {
        ...common(),
        etag: '"0x8DPENDING"',
        "last-modified": new Date().toUTCString(),
        "content-length": "0",
        "x-ms-blob-type": "BlockBlob",
        "x-ms-copy-id": copyId,
        "x-ms-copy-status": "pending",
        "x-ms-copy-progress": `${TOTAL / 16}/${TOTAL}`,
        "x-ms-copy-source": "http://127.0.0.1/devstoreaccount1/source/data.bin",
      });
      res.end();
    } else if (
      req.method === "PUT" &&
      comp === "copy" &&
      url.searchParams.get("copyid") === copyId &&
      req.headers["x-ms-copy-action"] === "abort"
    ) {
      const answer = () => {
        res.writeHead(204, { ...common(), "content-length": "0" });
        res.end();
      };
      if (abortDelayMs === 0) answer();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, abortDelayMs);
        timers.add(timer);
      }
    } else {
      unexpected++;
      res.writeHead(400, {
        ...common(),
        "x-ms-error-code": "UnexpectedRequest",
        "content-length": "0",
      });
      res.end();
    }
  });
  return {
    copyId,
    requests,
    get unexpected() {
      return unexpected;
    },
    blobEndpoint: stub.blobEndpoint,
    // The slow stub's pending timer would keep the process alive: clear it, then close.
    stop: () => {
      for (const timer of timers) clearTimeout(timer);
      return stub.stop();
    },
  };
}

/** Starts a copy to `stub`, aborts it while it is being followed, and checks what was sent. */
async function copyAndAbort(
  label: string,
  source: BlobClient,
  stub: Awaited<ReturnType<typeof startPendingCopyStub>>,
) {
  const destinationAccount = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: stub.blobEndpoint,
      accountName: AZURITE_ACCOUNT_NAME,
      accountKey: AZURITE_ACCOUNT_KEY,
    },
    retry: { maxTries: 1 },
  });
  const destination = destinationAccount.getContainerClient("target").getBlobClient("data.bin");
  const controller = new AbortController();
  let progress = 0;
  const running = copyBlob(source, destination, {
    mode: "async",
    pollIntervalMs: 200,
    signal: controller.signal,
    onProgress: ({ loaded }) => {
      progress = loaded;
    },
  });
  // Keep the rejection for abortAndMeasure, but read its message too.
  const message = running.then(
    () => "completed",
    (error: unknown) => (error as Error).message,
  );
  const polls = () => stub.requests.filter((r) => r.method === "HEAD").length;
  await waitUntil(`${label}: two status polls`, () => polls() >= 2);
  const outcome = await abortAndMeasure(label, controller, running);
  const aborts = stub.requests.filter((r) => r.copyAction === "abort");
  check(aborts.length === 1, `${label}: expected one Abort Copy Blob, got ${aborts.length}`);
  check(
    aborts[0]?.url.includes(`copyid=${stub.copyId}`),
    `${label}: Abort Copy Blob for the wrong id: ${aborts[0]?.url}`,
  );
  check(stub.unexpected === 0, `${label}: the stub got ${stub.unexpected} unknown requests`);
  check(
    stub.requests[0]?.copySource?.endsWith("/source/data.bin"),
    `${label}: the copy did not start from the source blob's URL`,
  );
  check(progress === TOTAL / 16, `${label}: progress reported ${progress}`);
  return {
    ...outcome,
    message: await message,
    statusPollsBeforeAbort: polls(),
    abortCopyRequests: aborts.length,
    requests: stub.requests.map((r) => `${r.method} ${r.url}`),
  };
}

const azurite = await startAzurite();
const stub = await startPendingCopyStub();
// A service that takes 30 s to answer Abort Copy Blob: the caller's abort must not wait for it.
const slowStub = await startPendingCopyStub(30_000);
let result: Record<string, unknown>;
try {
  const service = await connect({ method: "emulator", emulator: azurite });
  await createContainer(service, "source");
  await uploadBlob(service.getContainerClient("source"), "data.bin", "copy me");
  const source = service.getContainerClient("source").getBlobClient("data.bin");

  const pending = await copyAndAbort("copy blob (pending)", source, stub);
  check(/destination is left empty/.test(pending.message), pending.message);
  const slowAbort = await copyAndAbort("copy blob (pending, slow abort)", source, slowStub);
  check(/may still complete/.test(slowAbort.message), slowAbort.message);

  result = { operation: "copyBlob (async, pending)", pending, slowAbort };
} finally {
  await stub.stop();
  await slowStub.stop();
  await azurite.stop();
}
report(result);
