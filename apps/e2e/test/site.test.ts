// The docs site in a real browser: headless Chromium (Debian's package) driven by
// playwright-core, against the built site served on loopback. Every guide renders and shows
// its included sample code, every internal link resolves, search finds a known function, and
// screenshots of the landing page and one guide go to artifacts/screenshots.
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  CHROMIUM,
  chromiumRequired,
  haveChromium,
  launchChromium,
  serveFolder,
} from "./chromium.ts";
import { repoRoot, run } from "./support.ts";

const docsDir = join(repoRoot, "apps", "docs");
const siteDir = join(docsDir, "site");

interface Guide {
  slug: string;
  title: string;
  regions: Array<{ sample: string; region: string; code: string }>;
}

/** Reads guides/*.md: title from the front matter, and the sample regions they include. */
function guides(): Guide[] {
  const dir = join(docsDir, "guides");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md") && f !== "index.md")
    .map((file) => {
      const text = readFileSync(join(dir, file), "utf8");
      const title = /^title:\s*(.+)$/m.exec(text)?.[1]?.trim() ?? file;
      const regions = [
        ...text.matchAll(/\{@includeCode \.\.\/samples\/([\w-]+\.ts)#([\w-]+)\}/g),
      ].map(([, sample, region]) => {
        const source = readFileSync(join(docsDir, "samples", sample!), "utf8");
        const match = new RegExp(`// #region ${region}\\n([\\s\\S]*?)// #endregion ${region}`).exec(
          source,
        );
        return { sample: sample!, region: region!, code: match?.[1] ?? "" };
      });
      return { slug: file.replace(/\.md$/, ""), title, regions };
    });
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) =>
      String.fromCharCode(Number.parseInt(code, 16)),
    )
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The document pages TypeDoc generated, by their <title>. */
function documentPages(): Map<string, string> {
  const pages = new Map<string, string>();
  for (const file of readdirSync(join(siteDir, "documents"))) {
    const html = readFileSync(join(siteDir, "documents", file), "utf8");
    const title = decodeEntities(/<title>([^<|]+)/.exec(html)?.[1]?.trim() ?? "");
    if (title) pages.set(title, `documents/${file}`);
  }
  return pages;
}

let closeServer: (() => Promise<void>) | undefined;
let base = "";
let browser: Browser;

beforeAll(async () => {
  if (!haveChromium) return;
  if (!existsSync(join(siteDir, "index.html"))) {
    const typedoc = join(docsDir, "node_modules", ".bin", "typedoc");
    const built = await run(typedoc, ["--options", "typedoc.json"], {
      cwd: docsDir,
      timeoutMs: 180_000,
    });
    expect(built.code, built.stdout + built.stderr).toBe(0);
  }
  const served = await serveFolder(siteDir);
  base = served.base;
  closeServer = served.close;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await closeServer?.();
});

describe.skipIf(!haveChromium && !chromiumRequired)("docs site in Chromium", () => {
  test("Chromium is installed", () => {
    expect(haveChromium, `${CHROMIUM} (apt-get install -y chromium)`).toBe(true);
  });

  test("the landing page maps the developer guide's tasks to guides", async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await expect(page.locator("h1").first().textContent()).resolves.toContain("BlobKit");
    const text = (await page.locator("body").textContent()) ?? "";
    expect(text).toContain("Configure a retry policy");
    mkdirSync(join(repoRoot, "artifacts", "screenshots"), { recursive: true });
    await page.screenshot({
      path: join(repoRoot, "artifacts", "screenshots", "landing.png"),
      fullPage: true,
    });
    await page.close();
  });

  test.each(guides().map((g) => [g.slug, g] as const))(
    "guide %s renders with its sample code and working links",
    async (slug, guide) => {
      const path = documentPages().get(guide.title);
      expect(path, `a page titled "${guide.title}"`).toBeDefined();
      const page = await browser.newPage();
      const failed: string[] = [];
      page.on("pageerror", (error) => failed.push(error.message));
      const response = await page.goto(base + path);
      expect(response?.status()).toBe(200);
      await expect(page.locator("h1").first().textContent()).resolves.toBeTruthy();
      const code = (await page.locator("pre code").allTextContents()).join("\n");
      for (const region of guide.regions) {
        const firstLine =
          region.code
            .split("\n")
            .find((l) => l.trim() !== "")
            ?.trim() ?? "";
        expect(firstLine, `${region.sample}#${region.region} is not empty`).not.toBe("");
        expect(code, `${region.sample}#${region.region} appears in the page`).toContain(firstLine);
      }
      const hrefs = (
        await page
          .locator("a[href]")
          .evaluateAll((links) => links.map((a) => (a as unknown as { href: string }).href))
      ).filter((h) => h.startsWith(base));
      for (const href of new Set(hrefs.map((h) => h.split("#")[0]!))) {
        const status = (await fetch(href)).status;
        expect(status, `link ${href} on ${slug}`).toBe(200);
      }
      if (slug === "get-started") {
        await page.screenshot({
          path: join(repoRoot, "artifacts", "screenshots", "get-started.png"),
          fullPage: true,
        });
      }
      expect(failed).toEqual([]);
      await page.close();
    },
  );

  /** Types `query` into the site's search box and waits for a result containing `expected`. */
  async function expectSearchHit(query: string, expected: string): Promise<void> {
    const page = await browser.newPage();
    await page.goto(base);
    await page
      .locator("#tsd-search-trigger, #tsd-search input, [id*=search] input")
      .first()
      .click();
    await page.keyboard.type(query);
    const result = page
      .locator("#tsd-search-results li, .results li")
      .filter({ hasText: expected });
    await expect(result.first().waitFor({ timeout: 10_000 })).resolves.toBeUndefined();
    await page.close();
  }

  test("search finds a known function", () =>
    expectSearchHit("diagnoseConnection", "diagnoseConnection"));

  test("search finds a guide by its title", () =>
    expectSearchHit("distributed", "distributed lock"));
});
