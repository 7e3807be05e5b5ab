import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/get-started.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the get-started sample connects in every way and each connection works", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const results = await main(env);
  expect(results.entra).toMatchObject({ ok: true, credential: "entra" });
  expect(results.sas).toMatchObject({ ok: true, credential: "sas" });
  expect(results.accountKey).toMatchObject({ ok: true, credential: "accountKey" });
  expect(results.connectionString).toMatchObject({ ok: true, credential: "accountKey" });
  expect(results.environment).toMatchObject({ ok: true });
});
