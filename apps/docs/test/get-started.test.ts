import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test, vi } from "vitest";
import { main } from "../samples/get-started.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the get-started sample connects in every way and each connection works", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const logged = vi.spyOn(console, "error");
  const results = await main(env);
  expect(results.entra).toMatchObject({ ok: true, credential: "entra" });
  expect(results.sas).toMatchObject({ ok: true, credential: "sas" });
  expect(results.accountKey).toMatchObject({ ok: true, credential: "accountKey" });
  expect(results.connectionString).toMatchObject({ ok: true, credential: "accountKey" });
  expect(results.environment).toMatchObject({ ok: true });
  // A SAS made for one container is checked against it, and says what it reaches.
  expect(results.containerSas).toMatchObject({
    ok: true,
    credential: "sas",
    sas: { resource: "container", permissions: "rl" },
  });
  // The abort branch runs: a cancelled check throws a StorageError with code "Aborted".
  expect(results.cancelled).toMatchObject({ name: "StorageError", code: "Aborted" });
  expect(logged).toHaveBeenCalledWith("Gave up after 200 ms");
  logged.mockRestore();
});
