// Faults: 256 MiB up and down through a proxy that resets connections, answers 503 and cuts
// response bodies on 5% of requests. The content must come back byte-identical, and the faulted
// transfer must stay within 3x the fault-free one measured in the same test, through the same
// proxy with no rules (a ratio, not an absolute time, so the machine's speed does not matter).
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { connect, type RetryEvent } from "@blobkit/auth";
import { downloadBlob, getBlobProperties, uploadBlob } from "@blobkit/blobs";
import { createContainer } from "@blobkit/containers";
import {
  type FaultKind,
  type FaultProxyStats,
  type FaultRule,
  startAzurite,
  startFaultProxy,
} from "@blobkit/testing";
import { test as fixtures } from "@blobkit/testing/vitest";
import { afterAll, expect, test } from "vitest";
import { ms, writeArtifact } from "./artifacts.ts";
import { sha256, sha256File } from "./digests.ts";

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
/** 4 MiB blocks and ranges: 64 requests each way, so 5% means a few faults per direction. */
const PART = 4 * MiB;
/** Three kinds at an equal share, about 5% of requests in all (1 - (1 - r)^3 = 0.05). */
const RATE = 1 - (1 - 0.05) ** (1 / 3);
const FAULTS: FaultRule[] = [
  { fault: "reset", rate: RATE },
  { fault: "status", status: 503, rate: RATE },
  { fault: "cut-body", rate: RATE, cutAfter: 0.5 },
];
/** Chosen so that this run's request sequence draws every fault kind at least once. */
const SEED = 5;
/** Fault-free and faulted runs per direction, interleaved. */
const ROUNDS = 2;

const results: Record<string, unknown> = {};
afterAll(async () => {
  await writeArtifact("faults", results);
});

interface Phase {
  ms: number;
  requests: number;
  faults: Record<FaultKind, number>;
  retries: number;
  retryReasons: Record<string, number>;
}

function snapshot(stats: FaultProxyStats): FaultProxyStats {
  return { ...stats, faults: { ...stats.faults } };
}

function sum(phases: Phase[], pick: (phase: Phase) => number): number {
  return phases.reduce((total, phase) => total + pick(phase), 0);
}

test("256 MiB up and down through 5% resets, 503s and cut bodies: identical bytes within 3x the fault-free time", {
  timeout: 180_000,
}, async () => {
  // A dedicated emulator: a gigabyte of blobs must not weigh on the shared one.
  await using azurite = await startAzurite();
  await using proxy = await startFaultProxy(azurite.blobEndpoint, { seed: SEED });
  const retries: RetryEvent[] = [];
  const service = await connect({
    method: "emulator",
    emulator: { ...azurite, blobEndpoint: proxy.url },
    // Default retry settings (4 tries, 800 ms base backoff with jitter); only counted.
    retry: { onRetry: (event) => retries.push(event) },
  });
  await createContainer(service, "faults");
  const container = service.getContainerClient("faults");
  const folder = await mkdtemp(join(tmpdir(), "blobkit-faults-"));
  try {
    const data = randomBytes(SIZE);
    const digest = sha256(data);

    /** Runs one timed transfer under `rules` and says what the proxy and the retries saw. */
    const run = async (rules: FaultRule[], transfer: () => Promise<unknown>): Promise<Phase> => {
      proxy.setRules(rules);
      const before = snapshot(proxy.stats);
      const retriesBefore = retries.length;
      const started = performance.now();
      await transfer();
      const elapsed = performance.now() - started;
      proxy.setRules([]);
      const faults = { ...proxy.stats.faults };
      for (const kind of Object.keys(faults) as FaultKind[]) faults[kind] -= before.faults[kind];
      const phase: Phase = {
        ms: ms(elapsed),
        requests: proxy.stats.requests - before.requests,
        faults,
        retries: retries.length - retriesBefore,
        retryReasons: {},
      };
      for (const event of retries.slice(retriesBefore)) {
        phase.retryReasons[event.reason] = (phase.retryReasons[event.reason] ?? 0) + 1;
      }
      return phase;
    };
    const upload = (name: string) => () =>
      uploadBlob(container, name, data, { blockSize: PART }).then((result) => {
        expect(result.contentLength).toBe(SIZE);
      });
    const download = (name: string) => () =>
      downloadBlob(
        container.getBlobClient(name),
        { path: join(folder, `${name}.bin`) },
        { rangeSize: PART },
      );
    const digests: string[] = [];
    const leftovers: string[] = [];
    /** Hashes a downloaded file (outside the timed part), then deletes it. */
    const verify = async (name: string) => {
      const path = join(folder, `${name}.bin`);
      digests.push(await sha256File(path));
      // A resumed download leaves no temporary file behind.
      leftovers.push(...(await readdir(folder)).filter((f) => f.endsWith(".partial")));
      await rm(path);
    };

    // Warm up the JIT, sockets and the emulator's allocator, so the first measured run is not
    // penalized (which would flatter the ratio).
    await uploadBlob(container, "warm-up", data.subarray(0, 32 * MiB), { blockSize: PART });
    await download("warm-up")();
    await rm(join(folder, "warm-up.bin"));

    // Fault-free and faulted runs interleaved: the machine's load drifts (other test files
    // run beside this one), and interleaving spreads the drift over both sides.
    const uploadClean: Phase[] = [];
    const uploadFaulted: Phase[] = [];
    const downloadClean: Phase[] = [];
    const downloadFaulted: Phase[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      uploadClean.push(await run([], upload(`clean-${round}`)));
      // Every blob uploaded through faults is downloaded through faults below.
      uploadFaulted.push(await run(FAULTS, upload(`faulted-${round}`)));
    }
    for (let round = 1; round <= ROUNDS; round++) {
      downloadClean.push(await run([], download(`clean-${round}`)));
      await verify(`clean-${round}`);
      downloadFaulted.push(await run(FAULTS, download(`faulted-${round}`)));
      await verify(`faulted-${round}`);
    }
    const stored = await getBlobProperties(container.getBlobClient("faulted-1"));

    const uploadRatio = sum(uploadFaulted, (p) => p.ms) / sum(uploadClean, (p) => p.ms);
    const downloadRatio = sum(downloadFaulted, (p) => p.ms) / sum(downloadClean, (p) => p.ms);
    const summary = (clean: Phase[], faulted: Phase[]) => ({
      faultFreeMs: sum(clean, (p) => p.ms),
      faultedMs: sum(faulted, (p) => p.ms),
      requests: sum(faulted, (p) => p.requests),
      resets: sum(faulted, (p) => p.faults.reset),
      status503: sum(faulted, (p) => p.faults.status),
      cutBodies: sum(faulted, (p) => p.faults["cut-body"]),
      retries: sum(faulted, (p) => p.retries),
    });
    const up = summary(uploadClean, uploadFaulted);
    const down = summary(downloadClean, downloadFaulted);
    Object.assign(results, {
      sizeBytes: SIZE,
      blockAndRangeBytes: PART,
      rounds: ROUNDS,
      faultRatePerRequest: 0.05,
      seed: SEED,
      retrySettings: "BlobKit defaults (maxTries 4, retryDelayMs 800, jitter)",
      upload: { ...up, ratio: Number(uploadRatio.toFixed(2)) },
      download: {
        ...down,
        ratio: Number(downloadRatio.toFixed(2)),
        // downloadBlob does not report resumes; each cut body is resumed from its last byte
        // with one more ranged GET, so the proxy's count of cut bodies is the count.
        resumes: down.cutBodies,
      },
      sha256: { source: digest, downloads: digests },
      identical: digests.length === 2 * ROUNDS && digests.every((d) => d === digest),
      phases: { uploadClean, uploadFaulted, downloadClean, downloadFaulted },
    });

    expect(digests).toHaveLength(2 * ROUNDS);
    for (const d of digests) expect(d).toBe(digest);
    expect(stored.contentLength).toBe(SIZE);
    expect(leftovers).toEqual([]);
    // The faults did happen, every kind of them, and were absorbed.
    expect(up.resets + down.resets, "resets").toBeGreaterThan(0);
    expect(up.status503 + down.status503, "503s").toBeGreaterThan(0);
    expect(down.cutBodies, "cut bodies").toBeGreaterThan(0);
    expect(up.retries).toBeGreaterThan(0);
    expect(uploadRatio).toBeLessThanOrEqual(3);
    expect(downloadRatio).toBeLessThanOrEqual(3);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

fixtures(
  "for contrast: one body cut mid-way fails the raw SDK's downloadToBuffer; BlobKit resumes it",
  async ({ azurite, container }) => {
    const data = randomBytes(32 * MiB);
    await container.client.getBlockBlobClient("cut.bin").uploadData(data);
    await using proxy = await startFaultProxy(azurite.blobEndpoint);
    // A new rule object each time: the proxy counts `times` per rule object.
    const cutOnce = (): FaultRule[] => [
      { fault: "cut-body", method: "GET", times: 1, cutAfter: 0.5 },
    ];

    // The official SDK with its defaults (its download retries included).
    const sdk = new BlobServiceClient(
      proxy.url,
      new StorageSharedKeyCredential(azurite.accountName, azurite.accountKey),
    );
    proxy.setRules(cutOnce());
    const sdkOutcome = await sdk
      .getContainerClient(container.name)
      .getBlobClient("cut.bin")
      .downloadToBuffer()
      .then(
        (buffer) => (sha256(buffer) === sha256(data) ? "identical" : "different bytes"),
        (error: unknown) => `failed: ${(error as Error).name}: ${(error as Error).message}`,
      );

    const service = await connect({
      method: "emulator",
      emulator: { ...azurite, blobEndpoint: proxy.url },
    });
    proxy.setRules(cutOnce());
    const before = proxy.stats.requests;
    const { content } = await downloadBlob(
      service.getContainerClient(container.name).getBlobClient("cut.bin"),
      { to: "bytes" },
    );
    const blobkitRequests = proxy.stats.requests - before;
    results.contrastOneCutBody32MiB = {
      rawSdkDownloadToBuffer: sdkOutcome,
      blobkitDownloadBlob: sha256(content) === sha256(data) ? "identical" : "different bytes",
      blobkitRequests,
    };
    expect(sdkOutcome).toMatch(/^failed/);
    expect(sha256(content)).toBe(sha256(data));
    expect(proxy.stats.faults["cut-body"]).toBe(2);
  },
);
