import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/container-leases.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the container-leases sample: a lease guards deletion, and breaking it frees the container", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.protectedState).toEqual({
    state: "leased",
    status: "locked",
    duration: "infinite",
  });
  expect(result.refused).toBe("LeaseIdMissing");
  expect(result.archiveExists).toBe(false);
  expect(result.duringJob).toEqual({ state: "leased", status: "locked", duration: "fixed" });
  expect(result.afterJob.state).toBe("available");
  expect(result.stagingExists).toBe(false);
});
