// Odd values and odd names in SAS options and targets get an InvalidArgument naming the field,
// never a TypeError or the SDK's URIError (found by the reliability suite's property tests).
import { connect } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { createAccountSas, createServiceSas } from "../src/index.js";

const invalid = (field: string) => expect.objectContaining({ code: "InvalidArgument", field });

async function keyService() {
  return connect({
    method: "emulator",
    emulator: {
      blobEndpoint: "http://127.0.0.1:9/devstoreaccount1",
      accountName: "devstoreaccount1",
      accountKey: Buffer.alloc(64).toString("base64"),
    },
  });
}

describe("SAS input that used to throw something else", () => {
  test("BigInt permission words, resource types and IP addresses", async () => {
    const service = await keyService();
    expect(() =>
      createServiceSas(service, { container: "ccc" }, { permissions: [10n] } as never),
    ).toThrow(invalid("permissions"));
    expect(() =>
      createAccountSas(service, { permissions: "r", resourceTypes: [10n] } as never),
    ).toThrow(invalid("resourceTypes"));
    expect(() =>
      createServiceSas(service, { container: "ccc" }, {
        permissions: "r",
        ipRange: { start: 10n },
      } as never),
    ).toThrow(invalid("ipRange.start"));
  });

  test("blob and directory names with unpaired surrogates or dot segments", async () => {
    const service = await keyService();
    const loneSurrogate = `a${String.fromCharCode(0xd800)}b`;
    for (const blob of [loneSurrogate, "..", ".", "a/../b", "a/./b"]) {
      expect(() =>
        createServiceSas(service, { container: "ccc", blob }, { permissions: "r" }),
      ).toThrow(invalid("target.blob"));
    }
    for (const directory of [loneSurrogate, "..", "a/..", "./a"]) {
      expect(() =>
        createServiceSas(service, { container: "ccc", directory }, { permissions: "r" }),
      ).toThrow(invalid("target.directory"));
    }
    expect(() =>
      createServiceSas(service, { container: "ccc" }, { storedPolicyId: loneSurrogate }),
    ).toThrow(invalid("storedPolicyId"));
    expect(() =>
      createServiceSas(
        service,
        { container: "ccc" },
        { permissions: "r", responseHeaders: { contentType: loneSurrogate } },
      ),
    ).toThrow(invalid("responseHeaders.contentType"));
    // Dots inside names are fine.
    expect(
      createServiceSas(service, { container: "ccc", blob: "a..b/.c" }, { permissions: "r" }).url,
    ).toContain("/ccc/a..b/.c?");
  });
});
