// BlobKit in a web page: the page in browser/ is built with Vite (the packages' "browser" fields
// and export conditions, from their dist, as a web app's bundler sees them), served on loopback
// and opened in headless Chromium. It runs the browser guide's sample and more against Azurite
// emulators of its own (HTTP with a SAS, HTTPS with a bearer token) through CORS, as set up by
// the guide's server-side sample. The build fails if a module reaches for a Node.js built-in.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@blobkit/auth";
import { uploadBlob } from "@blobkit/blobs";
import { createContainer } from "@blobkit/containers";
import {
  type AzuriteInstance,
  createEmulatorTokenCredential,
  startAzurite,
  startFaultProxy,
} from "@blobkit/testing";
import type { Browser, Page } from "playwright-core";
import { build, type Plugin } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { allowOrigin, uploadGrant } from "../../docs/samples/browser.ts";
import type { UploadGrant } from "../../docs/samples/browser-page.ts";
import type {
  FaultyDownloadReport,
  ScenarioInput,
  ScenarioReport,
  SlowUploadReport,
} from "../browser/report.ts";
import {
  CHROMIUM,
  chromiumRequired,
  haveChromium,
  launchChromium,
  serveFolder,
} from "./chromium.ts";
import { repoRoot } from "./support.ts";

const pageDir = join(repoRoot, "apps", "e2e", "browser");

/**
 * Fails the build when a module imports a `node:` built-in, or when a BlobKit package imports a
 * built-in by its bare name. (The SDK's browser build imports `events`, which bundlers take from
 * the npm package of that name.)
 */
function noNodeBuiltins(): Plugin {
  const builtins = new Set(builtinModules);
  const packagesDir = join(repoRoot, "packages");
  return {
    name: "blobkit-no-node-builtins",
    enforce: "pre",
    resolveId(id, importer) {
      if (id.startsWith("node:") || (builtins.has(id) && importer?.startsWith(packagesDir))) {
        this.error(`${importer ?? "the entry"} imports the Node.js module '${id}'`);
      }
      return null;
    },
  };
}

/** The page's functions, as main.ts puts them on globalThis. */
interface PageApi {
  runScenario(input: ScenarioInput): Promise<ScenarioReport>;
  faultyDownload(
    grant: UploadGrant,
    name: string,
    to: "bytes" | "web-stream",
  ): Promise<FaultyDownloadReport>;
  slowUpload(
    grant: UploadGrant,
    name: string,
    retry: { tryTimeoutMs: number; minUploadBytesPerSecond: number },
  ): Promise<SlowUploadReport>;
}

let outDir = "";
let closeServer: (() => Promise<void>) | undefined;
let base = "";
let browser: Browser | undefined;
let azurite: AzuriteInstance | undefined;
let azuriteHttps: AzuriteInstance | undefined;

beforeAll(async () => {
  if (!haveChromium) return;
  // Emulators of this file's own: their CORS rules are set here, and no other test changes them.
  azurite = await startAzurite();
  azuriteHttps = await startAzurite({ https: true });
  outDir = await mkdtemp(join(tmpdir(), "blobkit-browser-"));
  await build({
    configFile: false,
    root: pageDir,
    logLevel: "warn",
    plugins: [noNodeBuiltins()],
    build: { outDir, emptyOutDir: true, minify: false, target: "es2024" },
  });
  const served = await serveFolder(outDir);
  base = served.base;
  closeServer = served.close;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await closeServer?.();
  if (outDir) await rm(outDir, { recursive: true, force: true });
  await azurite?.[Symbol.asyncDispose]();
  await azuriteHttps?.[Symbol.asyncDispose]();
});

/** Connects to an emulator with its key, as the server does, and lets the page's origin in. */
async function serverSide(instance: AzuriteInstance, container: string) {
  const service = await connect({
    method: "emulator",
    emulator: instance.toJSON(),
    allowHttp: true,
  });
  await allowOrigin(service, base.replace(/\/$/, ""));
  await createContainer(service, container);
  return service;
}

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser!.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(base);
  await page.locator("#status", { hasText: "ready" }).waitFor();
  return { page, errors };
}

describe.skipIf(!haveChromium && !chromiumRequired)("BlobKit in Chromium", () => {
  test("Chromium is installed", () => {
    expect(haveChromium, `${CHROMIUM} (apt-get install -y chromium)`).toBe(true);
  });

  test("the guide's page uploads a File in blocks and reads it back verified; ranges, a corrupted blob, leases, Entra ID; what a browser cannot do is refused before any request", async () => {
    const name = `browser-${Date.now()}`;
    const service = await serverSide(azurite!, name);
    await serverSide(azuriteHttps!, `${name}-seed`);
    const { token } = (await createEmulatorTokenCredential().getToken(
      "https://storage.azure.com/.default",
    )) ?? { token: "" };
    const input: ScenarioInput = {
      grant: uploadGrant(service, name),
      blobEndpoint: azurite!.blobEndpoint,
      entra: { accountUrl: azuriteHttps!.blobEndpoint, token, container: `${name}-entra` },
    };
    const { page, errors } = await openPage();
    const report = await page.evaluate(
      (args) => (globalThis as unknown as PageApi).runScenario(args),
      input,
    );
    await page.close();
    expect(errors).toEqual([]);

    expect(report.upload).toMatchObject({
      blockCount: 3,
      contentLength: 9 * 1024 * 1024,
      md5: true,
    });
    expect(report.upload.percents.at(-1)).toBe(100);
    // 17 MiB in 4 MiB blocks is 5 blocks, sent one at a time and cancelled after the first:
    // the guide's upload of the same file then reuses what was sent (the block in flight at the
    // cancel may have arrived too) and sends the rest.
    expect(report.resumed).toMatchObject({ cancelled: "Aborted", blockCount: 5, same: true });
    expect(report.resumed.resumedBlocks).toBeGreaterThanOrEqual(1);
    expect(report.resumed.resumedBlocks).toBeLessThanOrEqual(2);
    expect(report.readBack).toEqual({
      same: true,
      verification: "verified",
      contentType: "image/jpeg",
    });
    expect(report.overwrite.code).toBe("AlreadyExists");
    expect(report.ranged).toEqual({ same: true, verification: "range", blobSize: 9 * 1024 * 1024 });
    expect(report.corrupt.code).toBe("ChecksumMismatch");
    expect(report.corruptStream.code).toBe("ChecksumMismatch");
    // Streamed to disk: every byte; a corrupted blob aborts the file's writable, which keeps
    // what it held.
    expect(report.toDisk).toMatchObject({
      contentLength: 9 * 1024 * 1024,
      verification: "verified",
      same: true,
      corrupt: { code: "ChecksumMismatch" },
      keptText: "previous",
    });
    expect(report.leased).toBe("leased");
    expect(report.entra).toEqual({
      text: "héllo from a browser",
      verification: "verified",
      names: ["notes/hello.txt"],
    });

    const { accountKey, connectionString, uploadFromPath, downloadToFile, aborted } =
      report.refused;
    for (const refusal of [accountKey, connectionString, uploadFromPath, downloadToFile]) {
      expect(refusal.code).toBe("InvalidArgument");
      expect(refusal.requests).toBe(0);
    }
    expect(accountKey.message).toMatch(/account key cannot be used in a browser.*SAS/);
    expect(connectionString.message).toMatch(/account key cannot be used in a browser/);
    expect(uploadFromPath.message).toMatch(/upload the File itself/);
    expect(downloadToFile.message).toMatch(
      /\{ to: "bytes" \}, \{ to: "string" \} or \{ to: "web-stream" \} in a browser/,
    );
    expect(aborted).toMatchObject({ code: "Aborted", requests: 0 });
    // Only the SAS and the token reached the page, never the key.
    expect(JSON.stringify(report)).not.toContain(azurite!.accountKey);
  });

  test("a download whose bodies are cut off mid-range (a dropped connection) asks for those ranges again and returns every byte, verified, into bytes or through a web stream", async () => {
    const name = `browser-cut-${Date.now()}`;
    const service = await serverSide(azurite!, name);
    const data = randomBytes(9 * 1024 * 1024);
    await uploadBlob(service.getContainerClient(name), "scan.bin", data);
    const grant = uploadGrant(service, name);
    for (const to of ["bytes", "web-stream"] as const) {
      // Cuts the bodies of three ranged GETs half-way, after the first one.
      await using proxy = await startFaultProxy(azurite!.blobEndpoint, {
        rules: [{ fault: "cut-body", method: "GET", ranged: true, after: 1, times: 3 }],
      });
      const throughProxy = {
        ...grant,
        containerUrl: grant.containerUrl.replace(azurite!.blobEndpoint, proxy.url),
      };
      const { page, errors } = await openPage();
      const report = await page.evaluate(
        ([g, blob, kind]) => (globalThis as unknown as PageApi).faultyDownload(g, blob, kind),
        [throughProxy, "scan.bin", to] as const,
      );
      await page.close();
      expect(errors).toEqual([]);
      expect(proxy.stats.faults["cut-body"], to).toBe(3);
      expect(report, to).toEqual({
        sha256: createHash("sha256").update(data).digest("hex"),
        verification: "verified",
        contentLength: data.length,
        lastProgress: data.length,
      });
    }
  });

  test("over a link throttled to 160 KiB/s, each 512 KiB block takes longer than tryTimeoutMs: the try is given its body's size at minUploadBytesPerSecond, and still times out when that is too short", async () => {
    const name = `browser-slow-${Date.now()}`;
    const grant = uploadGrant(await serverSide(azurite!, name), name);
    const { page, errors } = await openPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 160 * 1024,
    });
    const upload = (blob: string, minUploadBytesPerSecond: number) =>
      page.evaluate(
        ([g, b, rate]) =>
          (globalThis as unknown as PageApi).slowUpload(g, b, {
            tryTimeoutMs: 1_000,
            minUploadBytesPerSecond: rate,
          }),
        [grant, blob, minUploadBytesPerSecond] as const,
      );
    // 1 s + 512 KiB at 128 KiB/s = 5 s a try: enough for a block that takes about 3.2 s.
    const allowed = await upload("slow-ok.bin", 128 * 1024);
    // 1 s + 512 KiB at 1 MiB/s = 1.5 s a try: too short, so the first block times out.
    const tooShort = await upload("slow-timeout.bin", 1024 * 1024);
    await page.close();
    expect(errors).toEqual([]);
    expect(allowed.error).toBeUndefined();
    expect(allowed.blockCount).toBe(2);
    expect(allowed.ms).toBeGreaterThan(5_000); // the throttle is real: 2 blocks of about 3.2 s
    expect(tooShort.error?.code).toBe("Timeout");
    expect(tooShort.error?.message).toMatch(/plus 500 ms for the 512 KiB body at 1 MiB\/s/);
  });
});
