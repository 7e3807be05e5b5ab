import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/container-properties-metadata.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the container-properties-metadata sample reads, writes and updates safely", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const { before, owner, reviewed, invalid, policy, after } = await main(env);
  expect(before).toMatchObject({
    leaseState: "available",
    publicAccess: "none",
    hasLegalHold: false,
    hasImmutabilityPolicy: false,
    metadata: { project: "apollo" },
  });
  expect(owner.etag).not.toBe(before.etag);
  expect(reviewed).toMatchObject({
    changed: true,
    tries: 1,
    metadata: { project: "apollo", owner: "finance", reviewed: "2024-05-01" },
  });
  expect(invalid).toEqual({
    field: "metadata.content-type",
    message: expect.stringMatching(/not a C# identifier/),
  });
  expect(policy.policies).toEqual([
    { id: "readers", permissions: "rl", expiresOn: new Date(Date.UTC(2030, 0, 1)) },
  ]);
  expect(after.metadata).toEqual(reviewed.metadata);
});
