import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/create-container.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the create-container sample creates, re-creates and checks names", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const results = await main(env);
  expect(results.created.etag).toMatch(/^"0x/);
  expect(results.created.url).toContain(env.azurite.blobEndpoint);
  expect(results.firstRun).toBe(true);
  expect(results.secondRun).toBe(false);
  expect(results.nameProblems).toEqual([
    { name: "reports-2024", problem: undefined },
    { name: "Reports", problem: expect.stringMatching(/must be lowercase/) },
    { name: "my_reports", problem: expect.stringMatching(/contains "_"/) },
    { name: "ab", problem: expect.stringMatching(/3-63 characters/) },
    { name: "-reports", problem: expect.stringMatching(/start and end with a letter or digit/) },
  ]);
  expect(results.recreated.name).toBe(results.created.name);
  expect(results.recreated.etag).not.toBe(results.created.etag);
});
