import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/sync-folder.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

const names = (items: ReadonlyArray<{ name: string }>) => items.map((item) => item.name).sort();

test("the sync-folder sample skips what is unchanged, sends what changed, and deletes only after a dry run", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const results = await main(env);
  expect(results.first.transferred).toHaveLength(4);
  // The second run sends nothing: every file is skipped as unchanged.
  expect(results.second.transferred).toEqual([]);
  expect(results.second.bytesTransferred).toBe(0);
  expect(results.second.skipped.map((s) => s.reason)).toEqual(Array(4).fill("unchanged"));
  // One changed file: only it is sent.
  expect(names(results.changed.transferred)).toEqual(["www/news.html"]);
  expect(results.changed.bytesTransferred).toBe("<p>Version 2 is out</p>".length);
  // The dry run lists the deletion and changes nothing.
  expect(results.preview.dryRun).toBe(true);
  expect(names(results.preview.deleted)).toEqual(["www/old.html"]);
  expect(results.preview.transferred).toEqual([]);
  expect(results.afterPreview).toContain("www/old.html");
  expect(String(results.refused)).toMatch(/refusing to delete 1 blobs/);
  // The sync deletes exactly what the dry run listed.
  expect(names(results.synced.deleted)).toEqual(names(results.preview.deleted));
  expect(results.afterSync).toEqual(["www/css/site.css", "www/index.html", "www/news.html"]);
  // New modification times, same bytes: by time all three would go, by content none does.
  expect(results.byTime.transferred).toHaveLength(3);
  expect(results.byContent.transferred).toEqual([]);
  expect(results.byContent.skipped).toHaveLength(3);
  // The mirror matches the site, and the stray local file is gone.
  expect(results.mirrored.transferred).toHaveLength(3);
  expect(results.mirrored.deleted.map((d) => d.name)).toEqual(["www/stray.txt"]);
  expect(results.copyFiles).toEqual(["css/site.css", "index.html", "news.html"]);
  expect(results.copyIdentical).toBe(true);
});
