import { injectAzurite, injectAzuriteHttps } from "@blobkit/testing/vitest";
import { expect, test } from "vitest";
import { main } from "../samples/inspect-sas.ts";
import { createSampleEnvironment } from "../scripts/environment.ts";

test("the inspect-sas sample describes, explains and reviews SAS without their signatures", async () => {
  await using env = await createSampleEnvironment(injectAzurite(), injectAzuriteHttps());
  const result = await main(env);
  expect(result.delegation).toMatchObject({
    kind: "user-delegation",
    resource: "blob",
    httpsOnly: true,
    ipRange: { start: "203.0.113.0", end: "203.0.113.255" },
  });
  expect(result.delegation.permissions.names).toEqual(["read"]);
  expect(result.delegationText).toMatch(
    /^User delegation SAS for blob '2024\/q1\.pdf' in container 'reports' of account 'devstoreaccount1'\./,
  );
  expect(result.delegationText).toContain("Warnings: none.");
  expect(result.delegationReview).toEqual({ ok: true, problems: [] });

  expect(result.environment).toMatchObject({ kind: "account", resource: "account" });
  expect(result.environment.permissions.names).toEqual([
    "read",
    "write",
    "delete",
    "list",
    "add",
    "create",
  ]);

  expect(result.longLivedText).toMatch(/\[high\] long-lived: It is valid for 90 days/);
  expect(result.longLivedReview.ok).toBe(false);
  expect(result.longLivedReview.problems.map((p) => p.code)).toEqual(["long-lived"]);

  const shown = JSON.stringify([
    result.delegation,
    result.delegationText,
    result.environment,
    result.longLivedText,
    result.longLivedReview,
  ]);
  for (const sig of result.secrets) {
    expect(sig.length).toBeGreaterThan(20);
    expect(shown).not.toContain(sig);
    expect(shown).not.toContain(encodeURIComponent(sig));
  }
});
