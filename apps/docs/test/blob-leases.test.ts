import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/blob-leases.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the blob-leases sample: writes need the lease id, and every lease operation works", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.leased).toEqual({ state: "leased", status: "locked", duration: "fixed" });
  expect(result.refused).toBe("LeaseIdMissing");
  expect(result.whileLeased).toBe("held by someone else");
  expect(result.changed).toBe(true);
  expect(result.released.state).toBe("available");
  expect(result.afterUsing.state).toBe("available");
  expect(result.waited).toBe(true);
  expect(result.infinite).toEqual({ state: "leased", status: "locked", duration: "infinite" });
  expect(result.remainingSeconds).toBe(0);
  expect(result.broken).toEqual({ state: "broken", status: "unlocked", duration: undefined });
  expect(result.content).toBe("v4");
});
