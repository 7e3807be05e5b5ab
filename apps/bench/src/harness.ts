// What every benchmark group shares in the parent process: an Azurite child process per round,
// one child process per measurement, source files, and the order of the implementations.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { createWriteStream } from "node:fs";
import { createRequire } from "node:module";
import { createServer, connect as netConnect } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  BlobServiceClient,
  ContainerSASPermissions,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import type { ScenarioResult, ScenarioSpec } from "./spec.ts";

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
export const ACCOUNT = "devstoreaccount1";
// Azurite's well-known development key (public, documented by Microsoft).
export const KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const here = dirname(fileURLToPath(import.meta.url));

/** The first line of `rclone version`, or undefined when rclone is not installed. */
export const rcloneVersion = (() => {
  try {
    return execFileSync("rclone", ["version"], { encoding: "utf8" }).split("\n")[0] ?? "rclone";
  } catch {
    return undefined;
  }
})();

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export interface Azurite {
  endpoint: string;
  service: BlobServiceClient;
  stop(): Promise<void>;
}

/** Azurite as its own process, in memory: a fresh one per round, so rounds don't share state. */
export async function startAzurite(): Promise<Azurite> {
  const main = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      main,
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      String(port),
      "--inMemoryPersistence",
      "--skipApiVersionCheck",
      "--disableTelemetry",
      "--silent",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await new Promise<boolean>((done) => {
      const socket = netConnect(port, "127.0.0.1", () => {
        socket.end();
        done(true);
      });
      socket.on("error", () => done(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error("Azurite did not start within 30 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  const endpoint = `http://127.0.0.1:${port}/${ACCOUNT}`;
  return {
    endpoint,
    service: new BlobServiceClient(endpoint, new StorageSharedKeyCredential(ACCOUNT, KEY)),
    stop: async () => {
      const exited = new Promise((done) => child.once("exit", done));
      child.kill();
      await exited;
    },
  };
}

/** A file of `size` random bytes (random, so that nothing on the way can compress it). */
export async function makeFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  const chunk = Buffer.allocUnsafe(Math.min(4 * MiB, Math.max(size, 1)));
  for (let written = 0; written < size; written += chunk.length) {
    randomFillSync(chunk);
    const part = chunk.subarray(0, Math.min(chunk.length, size - written));
    if (!out.write(part)) await new Promise<void>((done) => out.once("drain", () => done()));
  }
  await new Promise<void>((done, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : done())),
  );
}

/**
 * Flushes dirty pages to disk before a measurement. Each 1 GiB download leaves a GiB of them,
 * which the kernel would otherwise write back during whichever run comes next. (It did not
 * narrow the spread of the 1 GiB download rounds on the CI machine: up to 2.5x with it, 1.7x
 * without it in an earlier run; the rest of that spread has another cause.)
 */
function settleDisk(): void {
  try {
    execFileSync("sync");
  } catch {
    // No sync(1) (not Linux or macOS): measure without it.
  }
}

/** Runs one measurement in its own process (scenario.ts), so its CPU time and RSS are its own. */
export function runChild(spec: ScenarioSpec): Promise<ScenarioResult> {
  settleDisk();
  return new Promise((done, reject) => {
    const args = [...(spec.nodeFlags ?? []), join(here, "scenario.ts"), JSON.stringify(spec)];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) reject(new Error(`${spec.kind}:${spec.impl} failed (exit ${code})`));
      else done(JSON.parse(line.slice(7)) as ScenarioResult);
    });
  });
}

/** A container SAS URL for rclone, which gets no account key. */
export function sasUrl(azurite: Azurite, container: string): Promise<string> {
  return azurite.service.getContainerClient(container).generateSasUrl({
    permissions: ContainerSASPermissions.parse("racwdl"),
    expiresOn: new Date(Date.now() + 3 * 3600_000),
  });
}

/** Round r runs the implementations starting at the r-th: each leads once in a while. */
export const rotated = <T>(items: T[], round: number): T[] =>
  items.map((_, i) => items[(i + round) % items.length]!);
