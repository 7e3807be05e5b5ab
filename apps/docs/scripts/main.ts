// The main job: start an embedded Azurite, run every guide's sample against it with live
// progress and a summary table, build the docs site, and say where to open it.
// No account and no network beyond loopback are needed. Samples print to this process's stdout
// as they run: the transfer-folders sample draws its progress bar there (one line redrawn in
// place on a terminal, a few plain lines when stdout is a pipe, as in CI logs).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startAzurite } from "@blobkit/testing";
import { createSampleEnvironment } from "./environment.ts";

const here = dirname(fileURLToPath(import.meta.url));
const docsRoot = join(here, "..");
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

interface Row {
  guide: string;
  status: "passed" | "failed";
  ms: number;
  error?: string;
}

interface SampleModule {
  meta: { title: string; order: number };
  main(env: unknown): Promise<unknown>;
}

/** Every samples/*.ts with a `meta` and a `main`, in guide order. */
async function loadSamples(): Promise<SampleModule[]> {
  const files = readdirSync(join(docsRoot, "samples")).filter((f) => f.endsWith(".ts"));
  const modules: SampleModule[] = [];
  for (const file of files) {
    const module = (await import(
      pathToFileURL(join(docsRoot, "samples", file)).href
    )) as Partial<SampleModule>;
    if (module.meta && typeof module.main === "function") modules.push(module as SampleModule);
  }
  return modules.sort(
    (a, b) => a.meta.order - b.meta.order || a.meta.title.localeCompare(b.meta.title),
  );
}

async function runSamples(): Promise<Row[]> {
  const started = performance.now();
  process.stdout.write("Starting embedded Azurite (in-process, in-memory, loopback only)... ");
  await using azurite = await startAzurite();
  await using azuriteHttps = await startAzurite({ https: true });
  console.log(`ready in ${Math.round(performance.now() - started)} ms`);
  console.log(`  blob endpoint: ${azurite.blobEndpoint}`);
  console.log(`  HTTPS + Entra ID endpoint: ${azuriteHttps.blobEndpoint}\n`);
  await using env = await createSampleEnvironment(azurite.toJSON(), azuriteHttps.toJSON());
  const samples = await loadSamples();
  const rows: Row[] = [];
  for (const [index, sample] of samples.entries()) {
    const guide = sample.meta;
    const label = `[${index + 1}/${samples.length}] ${guide.title}`;
    console.log(`${paint(36, "▶")} ${label}`);
    const t0 = performance.now();
    try {
      await sample.main(env);
      const ms = Math.round(performance.now() - t0);
      rows.push({ guide: guide.title, status: "passed", ms });
      console.log(`${paint(32, "✓")} ${label} (${ms} ms)\n`);
    } catch (error) {
      const ms = Math.round(performance.now() - t0);
      const message = error instanceof Error ? error.message : String(error);
      rows.push({ guide: guide.title, status: "failed", ms, error: message });
      console.log(`${paint(31, "✗")} ${label} (${ms} ms): ${message}\n`);
    }
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const width = Math.max(5, ...rows.map((r) => r.guide.length));
  console.log(`${"guide".padEnd(width)}  status  time`);
  console.log(`${"-".repeat(width)}  ------  ------`);
  for (const row of rows) {
    const status = row.status === "passed" ? paint(32, "passed") : paint(31, "failed");
    console.log(`${row.guide.padEnd(width)}  ${status}  ${`${row.ms} ms`.padStart(6)}`);
  }
}

function buildSite(): boolean {
  console.log("\nBuilding the docs site with TypeDoc...");
  const typedoc = join(
    docsRoot,
    "node_modules",
    ".bin",
    process.platform === "win32" ? "typedoc.cmd" : "typedoc",
  );
  const result = spawnSync(typedoc, ["--options", "typedoc.json"], {
    cwd: docsRoot,
    stdio: "inherit",
    shell: process.platform === "win32",
  });
  return result.status === 0;
}

const rows = await runSamples();
console.log("");
printTable(rows);
const failed = rows.filter((r) => r.status === "failed").length;
const siteOk = buildSite();
const index = join(docsRoot, "site", "index.html");
console.log("");
console.log(`${rows.length - failed} of ${rows.length} guides' samples passed.`);
if (siteOk && existsSync(index)) {
  console.log(`Docs site: open ${relative(process.cwd(), index) || index} in a browser.`);
} else {
  console.log("The docs site did not build; see the messages above.");
}
process.exitCode = failed > 0 || !siteOk ? 1 : 0;
