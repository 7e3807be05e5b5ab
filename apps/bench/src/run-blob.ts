// The single-blob and small-blob scenarios: BlobKit and the raw SDK, each through its own client.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import {
  BlobServiceClient,
  type ContainerClient,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { downloadBlob, uploadBlob } from "@blobkit/blobs";
import { blobkitContainer } from "./blobkit-client.ts";
import { pool, rangedDownload, stageBlocks } from "./raw-sdk.ts";
import type { Done, Runner, ScenarioSpec } from "./spec.ts";

const MiB = 1024 * 1024;

/** The same container through the raw SDK's client and through BlobKit's. */
interface Clients {
  raw: ContainerClient;
  kit: ContainerClient;
}

/** One transfer of `spec.size` bytes. */
type Scenario = (c: Clients, spec: ScenarioSpec) => Promise<unknown>;

const SCENARIOS: Record<string, Scenario> = {
  "upload:sdk-default": async ({ raw }, s) => {
    await raw.getBlockBlobClient(s.blob).uploadFile(s.file);
  },
  "upload:sdk-md5": async ({ raw }, s) => {
    // The SDK's single request with the same integrity check BlobKit sends.
    const body = await readFile(s.file);
    await raw.getBlockBlobClient(s.blob).upload(body, body.length, {
      transactionalContentMD5: createHash("md5").update(body).digest(),
    });
  },
  "upload:sdk-tuned": async ({ raw }, s) => {
    await raw.getBlockBlobClient(s.blob).uploadFile(s.file, {
      blockSize: 16 * MiB,
      concurrency: 8,
      maxSingleShotSize: 256 * MiB,
    });
  },
  "upload:sdk-staged-md5": ({ raw }, s) => stageBlocks(raw, s, 8 * MiB, 4),
  "upload:sdk-staged-whole-md5": ({ raw }, s) =>
    stageBlocks(raw, s, 8 * MiB, 4, { wholeMd5: true }),
  "upload:blobkit-default": async ({ kit }, s) => {
    await uploadBlob(kit, s.blob, { path: s.file });
  },
  "upload:blobkit-no-checksum": async ({ kit }, s) => {
    await uploadBlob(kit, s.blob, { path: s.file }, { checksum: "none" });
  },
  "upload:blobkit-crc64": async ({ kit }, s) => {
    await uploadBlob(kit, s.blob, { path: s.file }, { checksum: "crc64" });
  },
  "upload:blobkit-no-whole-md5": async ({ kit }, s) => {
    await uploadBlob(kit, s.blob, { path: s.file }, { contentMD5: "none" });
  },
  "upload:blobkit-stream": async ({ kit }, s) => {
    // A stream of unknown length: the case where the SDK's uploadStream needs a buffer plan.
    await uploadBlob(kit, s.blob, createReadStream(s.file));
  },
  "upload:blobkit-tuned": async ({ kit }, s) => {
    await uploadBlob(kit, s.blob, { path: s.file }, { blockSize: 16 * MiB, concurrency: 8 });
  },
  "download:sdk-default": async ({ raw }, s) => {
    await raw.getBlobClient(s.blob).downloadToFile(s.file);
  },
  "download:sdk-buffer-tuned": async ({ raw }, s) => {
    // The SDK's fastest download, at the price of holding the whole blob in memory.
    const buffer = await raw
      .getBlobClient(s.blob)
      .downloadToBuffer(0, undefined, { blockSize: 16 * MiB, concurrency: 8 });
    await writeFile(s.file, buffer);
  },
  "download:sdk-ranged-parallel": ({ raw }, s) => rangedDownload(raw, s, 16 * MiB, 8),
  "download:blobkit-default": async ({ kit }, s) => {
    await downloadBlob(kit.getBlobClient(s.blob), { path: s.file });
  },
  "download:blobkit-no-verify": async ({ kit }, s) => {
    await downloadBlob(kit.getBlobClient(s.blob), { path: s.file }, { verify: false });
  },
  "download:blobkit-not-durable": async ({ kit }, s) => {
    await downloadBlob(kit.getBlobClient(s.blob), { path: s.file, durable: false });
  },
  "download:blobkit-unverified-not-durable": async ({ kit }, s) => {
    await downloadBlob(
      kit.getBlobClient(s.blob),
      { path: s.file, durable: false },
      { verify: false },
    );
  },
  "download:blobkit-tuned": async ({ kit }, s) => {
    await downloadBlob(kit.getBlobClient(s.blob), { path: s.file }, { concurrency: 4 });
  },
};

/** Many small uploads: how each implementation sends one blob. */
const SMALL: Record<string, (c: Clients) => (name: string, body: Buffer) => Promise<unknown>> = {
  "small-upload:sdk": (c) => (name, body) =>
    c.raw.getBlockBlobClient(name).upload(body, body.length),
  "small-upload:blobkit": (c) => (name, body) => uploadBlob(c.kit, name, body),
};

/** `count` blobs of `size` bytes, `concurrency` at a time, each under a unique name. */
async function smallUploads(
  spec: ScenarioSpec,
  upload: (name: string, body: Buffer) => Promise<unknown>,
): Promise<Done> {
  const body = Buffer.alloc(spec.size, 97);
  const names = Array.from(
    { length: spec.count ?? 1 },
    (_, i) => `${spec.blob}/${i}-${randomUUID()}`,
  );
  await pool(names, spec.concurrency ?? 1, async (name) => {
    await upload(name, body);
  });
  return { bytes: spec.size * names.length, ops: names.length };
}

/** Builds both clients (before the clock: an application connects once), then the scenario. */
export const prepare: Runner = async (spec) => {
  const key = `${spec.kind}:${spec.impl}`;
  const scenario = SCENARIOS[key];
  const small = SMALL[key];
  if (!scenario && !small) throw new Error(`unknown scenario ${key}`);
  const raw = new BlobServiceClient(
    spec.endpoint,
    new StorageSharedKeyCredential(spec.accountName, spec.accountKey),
  );
  const clients = {
    raw: raw.getContainerClient(spec.container),
    kit: await blobkitContainer(spec),
  };
  if (small) {
    const upload = small(clients);
    return () => smallUploads(spec, upload);
  }
  return async () => {
    await scenario?.(clients, spec);
    return { bytes: spec.size, ops: 1 };
  };
};
