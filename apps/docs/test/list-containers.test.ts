import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/list-containers.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the list-containers sample lists by prefix, by metadata and page by page", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const { prefix, all, finance, firstPage, secondPage, restorable } = await main(env);
  expect(all).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}c`]);
  expect(finance).toEqual([`${prefix}a`, `${prefix}c`]);
  expect(firstPage).toEqual({ names: [`${prefix}a`, `${prefix}b`], next: expect.any(String) });
  expect(secondPage).toEqual({ names: [`${prefix}c`], next: undefined });
  expect(restorable).toEqual([]);
});
