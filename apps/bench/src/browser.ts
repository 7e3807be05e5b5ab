// The browser group of `pnpm bench`: BlobKit's uploadBlob and downloadBlob in headless Chromium
// (Debian's package, driven by playwright-core) side by side with the raw SDK's uploadData and
// download, against a separate Azurite process through CORS. The page (browser/page.ts) is built
// with Vite from the packages' dist, as a web app gets them, and times each transfer itself.
// Client CPU and peak RSS are those of every Chromium process (read from /proc while a transfer
// runs), so the rows compare the same thing. Rounds are interleaved as in the other groups.
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { build } from "vite";
import { type Azurite, MiB, rotated, sasUrl, startAzurite } from "./harness.ts";
import type { Impl } from "./impls.ts";
import { type Group, record } from "./results.ts";

export const CHROMIUM = process.env.BLOBKIT_CHROMIUM ?? "/usr/bin/chromium";
const pageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "browser");

/** The page's implementations; `scenario` is the name the page knows them by. */
export const BROWSER_UPLOADS: Impl[] = [
  {
    id: "browser-blobkit-default",
    scenario: "blobkit-default",
    label: "BlobKit uploadBlob(File), defaults",
    role: "blobkit-default",
    md5: true,
  },
  {
    id: "browser-sdk-default",
    scenario: "sdk-default",
    label: "SDK uploadData(File), defaults (one request up to 256 MiB)",
    role: "sdk-default",
  },
  {
    id: "browser-sdk-blocks",
    scenario: "sdk-blocks",
    label: "SDK uploadData(File), 8 MiB blocks, 4 at a time",
    role: "raw",
  },
];
export const BROWSER_DOWNLOADS: Impl[] = [
  {
    id: "browser-blobkit-default",
    scenario: "blobkit-default",
    label: "BlobKit downloadBlob to bytes, defaults (MD5 checked)",
    role: "blobkit-default",
  },
  {
    id: "browser-sdk-default",
    scenario: "sdk-default",
    label: "SDK download() to an ArrayBuffer, one request",
    role: "sdk-default",
  },
];

/** CPU time (ms) and resident memory (MiB) of this process's descendants: the browser's. */
async function browserUsage(): Promise<{ cpuMs: number; rssMiB: number }> {
  if (process.platform !== "linux") return { cpuMs: 0, rssMiB: 0 };
  const parents = new Map<number, number>();
  const usage = new Map<number, { cpuMs: number; rssMiB: number }>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    // Fields after the command (which may hold spaces), from field 3 on.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields.length < 22) continue;
    parents.set(Number(name), Number(fields[1]));
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime, at 100 Hz
    usage.set(Number(name), { cpuMs: ticks * 10, rssMiB: (Number(fields[21]) * 4096) / MiB });
  }
  const total = { cpuMs: 0, rssMiB: 0 };
  for (const [pid, use] of usage) {
    let parent = parents.get(pid);
    while (parent !== undefined && parent !== process.pid && parent > 1)
      parent = parents.get(parent);
    if (parent !== process.pid) continue;
    total.cpuMs += use.cpuMs;
    total.rssMiB += use.rssMiB;
  }
  return total;
}

/** One transfer in the page, with the browser's CPU and its peak memory while it ran. */
async function measure(
  page: Page,
  input: { kind: "upload" | "download"; impl: string; sasUrl: string; size: number },
) {
  const before = await browserUsage();
  let peak = before.rssMiB;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, (await browserUsage()).rssMiB);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    const ms = await page.evaluate(
      (run) =>
        (globalThis as unknown as { benchRun(r: typeof run): Promise<number> }).benchRun(run),
      input,
    );
    const after = await browserUsage();
    return {
      ms,
      bytes: input.size,
      ops: 1,
      cpuMs: after.cpuMs - before.cpuMs,
      maxRssMiB: Math.max(peak, after.rssMiB),
    };
  } finally {
    sampling = false;
    await sampler;
  }
}

function serve(dir: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    const file = normalize(join(dir, path === "/" ? "index.html" : path));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = { ".html": "text/html", ".js": "text/javascript" }[extname(file)];
    void readFile(file).then((body) => {
      res.writeHead(200, { "content-type": type ?? "application/octet-stream" }).end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}/` }),
    ),
  );
}

async function allowPage(azurite: Azurite): Promise<void> {
  await azurite.service.setProperties({
    cors: [
      {
        allowedOrigins: "*",
        allowedMethods: "DELETE,GET,HEAD,OPTIONS,PUT",
        allowedHeaders: "*",
        exposedHeaders: "*",
        maxAgeInSeconds: 3600,
      },
    ],
  });
}

/**
 * Runs the browser group for each size, `rounds` rounds each; returns why it was skipped, if it
 * was (no Chromium).
 */
export async function runBrowserRounds(
  sizesMiB: number[],
  rounds: number,
  which: { upload: boolean; download: boolean },
): Promise<string | undefined> {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} not found (apt-get install -y chromium)`;
  const out = await mkdtemp(join(tmpdir(), "blobkit-bench-page-"));
  let browser: Browser | undefined;
  let server: Server | undefined;
  try {
    await build({
      configFile: false,
      root: pageDir,
      logLevel: "warn",
      build: { outDir: out, emptyOutDir: true, target: "es2024" },
    });
    const served = await serve(out);
    server = served.server;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
    });
    for (const sizeMiB of sizesMiB) {
      const size = sizeMiB * MiB;
      const upload: Group = {
        name: `browser upload ${sizeMiB} MiB`,
        family: "upload",
        unit: "MiB/s",
        sizeMiB,
      };
      const download: Group = {
        ...upload,
        name: `browser download ${sizeMiB} MiB`,
        family: "download",
      };
      for (let round = 0; round < rounds; round++) {
        const azurite = await startAzurite();
        const page = await browser.newPage();
        try {
          await allowPage(azurite);
          await page.goto(served.base);
          await page.locator("#status", { hasText: "ready" }).waitFor();
          if (which.upload) {
            for (const impl of rotated(BROWSER_UPLOADS, round)) {
              const container = `up-${impl.id}`;
              await azurite.service.getContainerClient(container).create();
              const sas = await sasUrl(azurite, container);
              const scenario = impl.scenario ?? impl.id;
              record(
                upload,
                impl,
                await measure(page, { kind: "upload", impl: scenario, sasUrl: sas, size }),
              );
              await azurite.service.getContainerClient(container).delete();
            }
          }
          if (which.download) {
            // The blob is uploaded by BlobKit, so that it carries a whole-blob MD5 to check, then
            // read once unrecorded (the first read after an upload is slower, whoever makes it).
            await azurite.service.getContainerClient("download").create();
            const sas = await sasUrl(azurite, "download");
            const base = { sasUrl: sas, size };
            await measure(page, { ...base, kind: "upload", impl: "blobkit-default" });
            await measure(page, { ...base, kind: "download", impl: "sdk-default" });
            for (const impl of rotated(BROWSER_DOWNLOADS, round)) {
              const scenario = impl.scenario ?? impl.id;
              record(
                download,
                impl,
                await measure(page, { ...base, kind: "download", impl: scenario }),
              );
            }
          }
        } finally {
          await page.close();
          await azurite.stop();
        }
      }
    }
    return undefined;
  } finally {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await rm(out, { recursive: true, force: true });
  }
}
