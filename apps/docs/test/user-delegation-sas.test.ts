import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/user-delegation-sas.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the user-delegation-sas sample signs with Entra ID and its SAS work as shown", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.downloaded).toBe("Q1 report");
  expect(result.contentDisposition).toBe('attachment; filename="q1.txt"');
  expect(result.listed).toEqual(["reports/q1.txt", "reports/q2.txt"]);
  expect(result.directory).toMatchObject({
    kind: "user-delegation",
    resource: "directory",
    directoryDepth: 1,
    httpsOnly: true,
  });
  expect(result.directory.permissions.names).toEqual(["read", "add", "create", "write"]);
  expect(result.links).toHaveLength(2);
  for (const link of result.links) {
    expect(link).toMatchObject({ kind: "user-delegation", resource: "blob", expired: false });
    expect(link.permissions.letters).toBe("r");
    expect(link.expiresInMs).toBeLessThanOrEqual(15 * 60_000);
    // both links come from the one cached delegation key
    expect(link.signedIdentity?.keyExpiresOn).toEqual(
      result.links[0]?.signedIdentity?.keyExpiresOn,
    );
  }
  expect(result.refused).toMatch(/Invalid expiresOn: .*cannot outlive its delegation key/);
});
