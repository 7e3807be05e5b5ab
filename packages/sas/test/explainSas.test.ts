// explainSas and the review warnings of parseSas: the text of a plain SAS, and the findings for
// a long-lived, expired, future or policy-bound one.
import { describe, expect, test } from "vitest";
import {
  createAccountSas,
  createServiceSas,
  createUserDelegationSas,
  explainSas,
  parseSas,
} from "../src/index.js";
import { ACCOUNT, fixedSigner, keyed } from "./fixedKeys.js";

describe("explainSas and the review warnings", () => {
  const now = new Date("2030-01-01T12:00:00Z");

  test("a short, read-only user delegation SAS reads plainly with one low warning", async () => {
    const sas = await createUserDelegationSas(
      fixedSigner(now),
      { container: "reports", blob: "2024/q1.pdf" },
      { permissions: "r" },
    );
    const description = parseSas(sas.url, { now: () => now });
    expect(description.warnings.map((w) => [w.code, w.severity])).toEqual([
      ["no-ip-restriction", "low"],
    ]);
    const text = explainSas(sas.url, { now: () => now });
    expect(text.split("\n")).toEqual([
      `User delegation SAS for blob '2024/q1.pdf' in container 'reports' of account '${ACCOUNT}'.`,
      "Permissions: read (r).",
      "Valid: 2030-01-01T11:45:00.000Z to 2030-01-01T13:00:00.000Z (1 hour 15 minutes); expires in 1 hour.",
      "Protocol: HTTPS only.",
      "IP addresses: any.",
      "Signed by: Microsoft Entra ID object 11111111-1111-1111-1111-111111111111 in tenant 22222222-2222-2222-2222-222222222222, with a user delegation key valid from 2030-01-01T11:45:00.000Z until 2030-01-08T12:00:00.000Z.",
      "Warnings:",
      "  - [low] no-ip-restriction: Anyone who obtains it can use it from any address. When the callers' addresses are known, restrict it with an IP range.",
    ]);
  });

  test("a long-lived account SAS over HTTP with delete is flagged on every count", () => {
    const sas = createAccountSas(keyed, {
      now: () => now,
      permissions: "rwdl",
      resourceTypes: "sco",
      allowHttp: true,
      allowLongLived: true,
      expiresOn: new Date(now.getTime() + 365 * 86_400_000),
    });
    const codes = parseSas(sas.url, { now: () => now }).warnings.map((w) => w.code);
    expect(codes).toEqual([
      "long-lived",
      "account-wide",
      "account-key-signed",
      "http-allowed",
      "broad-permissions",
      "no-ip-restriction",
    ]);
    const text = explainSas(sas.url, { now: () => now });
    expect(text).toMatch(
      /^Account SAS for the blob service of account 'blobkitdemo', resource types: service, container, object\./,
    );
    expect(text).toMatch(/Permissions: read, write, delete, list \(rwdl\)\./);
    expect(text).toMatch(/\[high\] long-lived: It is valid for 365 days 15 minutes/);
    expect(text).toMatch(/\[medium\] broad-permissions: It grants delete \(d\)/);
    expect(text).toContain("Protocol: HTTPS and HTTP.");
    expect(text).toContain("Signed by: the account key.");
  });

  test("an expired SAS, a future one, and one whose expiry a stored policy decides", () => {
    const expired = createServiceSas(
      keyed,
      { container: "reports" },
      {
        permissions: "rl",
        now: () => now,
        ipRange: { start: "203.0.113.0", end: "203.0.113.255" },
      },
    );
    const later = new Date(now.getTime() + 3 * 3_600_000);
    const description = parseSas(expired.token, { now: () => later });
    expect(description.expired).toBe(true);
    expect(description.expiresInMs).toBe(-2 * 3_600_000);
    expect(description.warnings[0]).toMatchObject({ code: "expired", severity: "high" });
    expect(explainSas(description)).toMatch(/expired 2 hours ago\./);
    expect(explainSas(description)).toContain("IP addresses: 203.0.113.0 to 203.0.113.255.");

    const future = createServiceSas(
      keyed,
      { container: "reports" },
      {
        permissions: "r",
        now: () => now,
        startsOn: new Date(now.getTime() + 600_000),
      },
    );
    expect(parseSas(future.token, { now: () => now }).warnings.map((w) => w.code)).toContain(
      "not-yet-valid",
    );

    const bound = createServiceSas(
      keyed,
      { container: "reports", blob: "a.txt" },
      {
        storedPolicyId: "readers",
        now: () => now,
      },
    );
    const policy = parseSas(bound.url, { now: () => now });
    expect(policy.warnings.map((w) => [w.code, w.severity])).toEqual([
      ["no-expiry", "medium"],
      ["account-key-signed", "low"],
      ["no-ip-restriction", "low"],
    ]);
    const text = explainSas(policy);
    expect(text).toContain("Permissions: defined by stored access policy 'readers'.");
    expect(text).toContain("the expiry comes from stored access policy 'readers'");
  });
});
