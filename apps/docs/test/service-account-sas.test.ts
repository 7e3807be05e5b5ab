import { parseSas } from "@blobkit/sas";
import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/service-account-sas.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the service-account-sas sample: links work, a revoked policy stops its SAS", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.read).toBe("hello");
  expect(result.afterRevoke).toBe("AuthenticationFailed");
  expect(result.containers).toHaveLength(1);
  const monthLong = parseSas(result.monthLong.url);
  expect(monthLong.kind).toBe("service");
  expect(monthLong.warnings.map((w) => w.code)).toContain("long-lived");
});
