// validateAccessPolicy: permissions come back in Azure's order; ids, repeats and dates are checked.
import { describe, expect, test } from "vitest";
import { validateAccessPolicy } from "../src/index.js";

describe("validators", () => {
  test("validateAccessPolicy orders permissions and checks ids", () => {
    expect(
      validateAccessPolicy({ publicAccess: "blob", policies: [{ id: "p", permissions: "lr" }] }),
    ).toEqual({ publicAccess: "blob", policies: [{ id: "p", permissions: "rl" }] });
    expect(
      validateAccessPolicy({
        publicAccess: "none",
        policies: [{ id: "all", permissions: "iemftlyxdwcar" }],
      }).policies[0]?.permissions,
    ).toBe("racwdxyltfmei");
    expect(() =>
      validateAccessPolicy({ publicAccess: "none", policies: [{ id: "x".repeat(65) }] }),
    ).toThrow(/1-64 characters, got 65/);
    expect(() =>
      validateAccessPolicy({ publicAccess: "none", policies: [{ id: "a" }, { id: "a" }] }),
    ).toThrow(/policies\[1\]\.id.*used by another policy/);
    expect(() =>
      validateAccessPolicy({ publicAccess: "none", policies: [{ id: "a", permissions: "rr" }] }),
    ).toThrow(/appears twice/);
    expect(() =>
      validateAccessPolicy({
        publicAccess: "none",
        policies: [{ id: "a", expiresOn: new Date("x") }],
      }),
    ).toThrow(/expiresOn: must be a valid Date/);
  });
});
