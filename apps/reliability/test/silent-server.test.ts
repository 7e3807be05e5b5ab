// A silent server: accepts connections (and TLS handshakes) and never answers. Every public
// operation family must fail with a StorageError "Timeout" within tries x (per-try timeout + the
// body's drain allowance) + backoff, never hang. The raw SDK, for contrast, is still waiting.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type BlobServiceClient,
  type ContainerClient,
  BlobServiceClient as SdkBlobServiceClient,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import {
  connect,
  diagnoseConnection,
  isStorageError,
  type RetryOptions,
  StorageError,
} from "@blobkit/auth";
import {
  copyBlob,
  deleteBlob,
  downloadBlob,
  findBlobsByTags,
  getBlobProperties,
  getBlobTags,
  listBlobs,
  setBlobTags,
  setBlobTier,
  uploadBlob,
} from "@blobkit/blobs";
import { createContainer, getContainerProperties, listContainers } from "@blobkit/containers";
import { acquireLease, withLease } from "@blobkit/leases";
import { createUserDelegationSigner } from "@blobkit/sas";
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  createEmulatorTokenCredential,
  type SilentServer,
  startSilentServer,
  startStubServer,
} from "@blobkit/testing";
import { injectAzuriteHttps } from "@blobkit/testing/vitest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ms, writeArtifact } from "./artifacts.ts";
import { settleWithin } from "./settleWithin.ts";

const KiB = 1024;
const MiB = 1024 * KiB;
const RETRY = {
  maxTries: 2,
  tryTimeoutMs: 200,
  retryDelayMs: 10,
  // Bodies drain at 10 MiB/s at worst on loopback: a 256 KiB block gets 25 ms more per try.
  minUploadBytesPerSecond: 10 * MiB,
} satisfies RetryOptions;
/** Jitter makes each delay at most its exponential value: one retry waits <= retryDelayMs. */
const MAX_BACKOFF_MS = RETRY.retryDelayMs;
const SLACK_MS = 1_500;
/** Far beyond any bound: reaching it means the operation hung. */
const HANG_MS = 10_000;

/** Longest time an operation may take that makes `tries` tries of bodies of `bodyBytes`. */
function boundFor(bodyBytes: number, tries: number): number {
  const allowance = (bodyBytes * 1000) / RETRY.minUploadBytesPerSecond;
  return tries * (RETRY.tryTimeoutMs + allowance) + MAX_BACKOFF_MS + SLACK_MS;
}

interface Clients {
  service: BlobServiceClient;
  container: ContainerClient;
  /** Connected with a Microsoft Entra ID token to the silent TLS server. */
  entra: BlobServiceClient;
  folder: string;
}

interface Operation {
  name: string;
  /** Largest request body of one try, for the drain allowance. */
  bodyBytes?: number;
  /** Tries it makes before it fails; the client's `maxTries` when left out. */
  tries?: number;
  run(clients: Clients): Promise<unknown>;
}

const SMALL_BLOCK = 256 * KiB;

const OPERATIONS: Operation[] = [
  {
    name: "connect({ verify: true })",
    // A check of the connection, not an operation: it answers after one try, so that a wrong
    // endpoint is reported within the per-try timeout instead of after the whole retry policy.
    tries: 1,
    run: ({ service }) =>
      connect({
        method: "emulator",
        emulator: {
          blobEndpoint: service.url,
          accountName: AZURITE_ACCOUNT_NAME,
          accountKey: AZURITE_ACCOUNT_KEY,
        },
        retry: RETRY,
        verify: true,
      }),
  },
  {
    name: "diagnoseConnection",
    // One try, for the same reason: a diagnosis answers within its timeout.
    tries: 1,
    // Returns its diagnosis instead of throwing: the error it carries is what counts.
    run: async ({ service }) => {
      const diagnosis = await diagnoseConnection(service);
      expect(diagnosis.ok).toBe(false);
      throw diagnosis.error;
    },
  },
  { name: "createContainer", run: ({ service }) => createContainer(service, "silent-new") },
  {
    name: "listContainers",
    run: async ({ service }) => {
      for await (const _ of listContainers(service)) break;
    },
  },
  { name: "getContainerProperties", run: ({ container }) => getContainerProperties(container) },
  {
    name: "uploadBlob (small, one request)",
    run: ({ container }) => uploadBlob(container, "small.txt", "hello"),
  },
  {
    name: "uploadBlob (multi-block: 4 blocks of 256 KiB in parallel)",
    bodyBytes: SMALL_BLOCK,
    run: ({ container }) =>
      uploadBlob(container, "multi.bin", Buffer.alloc(4 * SMALL_BLOCK, 7), {
        blockSize: SMALL_BLOCK,
        maxSingleShotSize: SMALL_BLOCK,
      }),
  },
  {
    name: "downloadBlob (to a file)",
    run: async ({ container, folder }) => {
      try {
        await downloadBlob(container.getBlobClient("a.bin"), { path: join(folder, "a.bin") });
      } finally {
        // Neither the file nor its temporary file exists after the failure.
        expect(await readdir(folder)).toEqual([]);
      }
    },
  },
  {
    name: "listBlobs",
    run: async ({ container }) => {
      for await (const _ of listBlobs(container)) break;
    },
  },
  {
    name: "copyBlob",
    run: ({ container }) =>
      copyBlob(container.getBlobClient("source.bin"), container.getBlobClient("copy.bin")),
  },
  {
    name: "setBlobTags",
    run: ({ container }) => setBlobTags(container.getBlobClient("a.bin"), { project: "apollo" }),
  },
  { name: "getBlobTags", run: ({ container }) => getBlobTags(container.getBlobClient("a.bin")) },
  {
    name: "findBlobsByTags",
    run: async ({ service }) => {
      for await (const _ of findBlobsByTags(service, `"project" = 'apollo'`)) break;
    },
  },
  {
    name: "getBlobProperties",
    run: ({ container }) => getBlobProperties(container.getBlobClient("a.bin")),
  },
  { name: "deleteBlob", run: ({ container }) => deleteBlob(container.getBlobClient("a.bin")) },
  {
    name: "setBlobTier",
    run: ({ container }) => setBlobTier(container.getBlobClient("a.bin"), "Cool"),
  },
  {
    name: "acquireLease",
    run: ({ container }) => acquireLease(container.getBlobClient("a.bin"), { durationSeconds: 15 }),
  },
  {
    name: "acquireLease with wait (a timeout is not a held lease: no waiting)",
    run: ({ container }) =>
      acquireLease(container.getBlobClient("a.bin"), {
        durationSeconds: 15,
        wait: { timeoutMs: 30_000 },
      }),
  },
  {
    name: "withLease",
    run: ({ container }) =>
      withLease(container.getBlobClient("a.bin"), () => "never runs", {
        wait: { timeoutMs: 30_000 },
      }),
  },
  {
    name: "createUserDelegationSigner: key fetch (Entra ID over TLS)",
    run: async ({ entra }) => {
      const before = secure.connections;
      try {
        await createUserDelegationSigner(entra).getUserDelegationKey();
      } finally {
        // The request did reach the TLS server: the handshake worked and silence followed.
        expect(secure.connections).toBeGreaterThan(before);
      }
    },
  },
];

const results: Record<string, unknown> = {};
let plain: SilentServer;
let secure: SilentServer;
let clients: Clients;

beforeAll(async () => {
  plain = await startSilentServer();
  // The HTTPS emulator's certificate is trusted in this worker, so the TLS handshake succeeds
  // and the token is really sent: the silence starts at the HTTP level.
  const https = injectAzuriteHttps();
  if (!https.certificate || !https.certificateKey) throw new Error("no HTTPS emulator certificate");
  secure = await startSilentServer({
    https: { certificate: https.certificate, privateKey: https.certificateKey },
  });
  const service = await connect({
    method: "emulator",
    emulator: {
      blobEndpoint: plain.blobEndpoint,
      accountName: AZURITE_ACCOUNT_NAME,
      accountKey: AZURITE_ACCOUNT_KEY,
    },
    retry: RETRY,
  });
  // `connect({ method: "entra" })` needs https, which the silent TLS server offers.
  const entra = await connect({
    method: "entra",
    accountUrl: secure.blobEndpoint,
    credential: createEmulatorTokenCredential(),
    retry: RETRY,
  });
  clients = {
    service,
    container: service.getContainerClient("silent"),
    entra,
    folder: await mkdtemp(join(tmpdir(), "blobkit-silent-")),
  };
});

afterAll(async () => {
  await rm(clients.folder, { recursive: true, force: true });
  await plain.stop();
  await secure.stop();
  await writeArtifact("silent-server", {
    retry: RETRY,
    slackMs: SLACK_MS,
    operations: results,
  });
});

describe("a server that accepts connections and never answers", () => {
  test.for(OPERATIONS)("$name fails with Timeout, in bounded time", async (operation) => {
    const tries = operation.tries ?? RETRY.maxTries;
    const bound = boundFor(operation.bodyBytes ?? 0, tries);
    const outcome = await settleWithin(HANG_MS, () => operation.run(clients));
    const error = outcome.error as StorageError | undefined;
    results[operation.name] = {
      elapsedMs: ms(outcome.elapsedMs),
      boundMs: ms(bound),
      code: isStorageError(error) ? error.code : String(error),
      tries: isStorageError(error) ? error.tries : undefined,
    };
    expect(outcome.value, "the operation must fail").toBeUndefined();
    expect(error).toBeInstanceOf(StorageError);
    expect(error?.code, error?.message).toBe("Timeout");
    expect(error?.tries).toBe(tries);
    expect(outcome.elapsedMs).toBeLessThanOrEqual(bound);
  });

  test("for contrast: the raw SDK client is still waiting long after BlobKit's bound", async () => {
    const sdk = new SdkBlobServiceClient(
      plain.blobEndpoint,
      new StorageSharedKeyCredential(AZURITE_ACCOUNT_NAME, AZURITE_ACCOUNT_KEY),
      // Even with the SDK's own per-try timeout set: it is only sent to the server as `timeout=`.
      { retryOptions: { maxTries: 2, tryTimeoutInMs: 200 } },
    );
    const controller = new AbortController();
    // About 7x what BlobKit takes (2 x 200 ms), and more than its bound with slack.
    const waitMs = 3_000;
    const outcome = await settleWithin(waitMs, () =>
      sdk.getContainerClient("silent").getProperties({ abortSignal: controller.signal }),
    );
    controller.abort();
    results["raw SDK getProperties (for contrast)"] = {
      elapsedMs: ms(outcome.elapsedMs),
      outcome: outcome.error instanceof Error ? outcome.error.message : "settled",
    };
    expect(String(outcome.error)).toMatch(/HUNG/);
  });

  test("a server that sends the headers and then goes silent mid-body: downloadBlob resumes, then fails with NetworkError, leaving only its resumable partial file", async () => {
    const size = MiB;
    let requests = 0;
    // Answers every ranged GET with valid headers and never sends a body byte.
    await using server = await startStubServer((req, res) => {
      requests++;
      const match = /bytes=(\d+)-(\d*)/.exec(String(req.headers["x-ms-range"] ?? ""));
      const start = Number(match?.[1] ?? 0);
      const end = Math.min(size - 1, match?.[2] ? Number(match[2]) : size - 1);
      res.writeHead(match ? 206 : 200, {
        "content-length": String(end - start + 1),
        ...(match ? { "content-range": `bytes ${start}-${end}/${size}` } : {}),
        "accept-ranges": "bytes",
        etag: '"0x8DSILENT"',
        "last-modified": new Date().toUTCString(),
        "x-ms-blob-type": "BlockBlob",
        "x-ms-request-id": `silent-${requests}`,
        "x-ms-version": "2025-11-05",
      });
      res.flushHeaders();
    });
    const service = await connect({
      method: "emulator",
      emulator: server,
      retry: RETRY,
    });
    const stallTimeoutMs = 200;
    const maxResumes = 2;
    const path = join(clients.folder, "stalled.bin");
    const outcome = await settleWithin(HANG_MS, () =>
      downloadBlob(
        service.getContainerClient("silent").getBlobClient("stalled.bin"),
        { path },
        { stallTimeoutMs, maxResumes },
      ),
    );
    // The first body and each resume stall once: (maxResumes + 1) stalls, then give up.
    const bound = (maxResumes + 1) * stallTimeoutMs + SLACK_MS;
    const error = outcome.error as StorageError | undefined;
    results["downloadBlob: headers then a silent body (stall handling)"] = {
      elapsedMs: ms(outcome.elapsedMs),
      boundMs: ms(bound),
      code: isStorageError(error) ? error.code : String(error),
      requests,
    };
    expect(error).toBeInstanceOf(StorageError);
    expect(error?.code, error?.message).toBe("NetworkError");
    expect(error?.message).toMatch(/3 times in a row/);
    expect(requests).toBe(maxResumes + 1);
    expect(outcome.elapsedMs).toBeLessThanOrEqual(bound);
    // Nothing under the final name. The partial file and its journal stay beside it by design
    // (`resume` defaults to true), so that running the download again continues from there.
    const left = await readdir(clients.folder);
    expect(left).not.toContain("stalled.bin");
    expect(
      left.every((name) => /^\.stalled\.bin\.blobkit-(partial|journal)$/.test(name)),
      String(left),
    ).toBe(true);
  });
});
