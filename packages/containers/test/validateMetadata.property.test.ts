// Property-based tests of validateMetadata with fast-check: metadata the rules allow is accepted
// by us AND stored unchanged by Azurite; what they forbid is rejected by us with a message naming
// the entry and the rule, before any request.
import { isStorageError } from "@blobkit/auth";
import { startStubServer } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import fc from "fast-check";
import {
  getContainerProperties,
  MAX_METADATA_BYTES,
  setContainerMetadata,
  validateMetadata,
} from "../src/index.js";
import { connectTo, replyWith } from "./azureResponses.js";

const KEYWORDS = new Set(["as", "do", "if", "in", "is", "for", "int", "new", "out", "ref", "try"]);
const identifierStart = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_");
const identifierPart = fc.constantFrom(
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789",
);
const metadataName = fc
  .tuple(identifierStart, fc.string({ unit: identifierPart, maxLength: 30 }))
  .map(([a, b]) => a + b)
  .filter((name) => !KEYWORDS.has(name) && validatesAsName(name));
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const metadataValue = fc
  .string({ unit: printable, minLength: 1, maxLength: 120 })
  .filter((v) => v === v.trim());

function validatesAsName(name: string): boolean {
  try {
    validateMetadata({ [name]: "x" });
    return true;
  } catch {
    return false; // a C# keyword such as "class"; checked by the invalid cases below
  }
}

/** Valid metadata: unique names ignoring case, printable values without edge spaces. */
const validMetadata = fc
  .uniqueArray(fc.tuple(metadataName, metadataValue), {
    maxLength: 8,
    selector: ([name]) => name.toLowerCase(),
  })
  .map((entries) => Object.fromEntries(entries));

describe("validateMetadata (property-based)", () => {
  test("valid metadata is accepted by us and stored unchanged by Azurite", async ({
    container,
  }) => {
    await fc.assert(
      fc.asyncProperty(validMetadata, async (metadata) => {
        expect(validateMetadata(metadata)).toEqual(metadata);
        await setContainerMetadata(container.client, metadata);
        const stored = (await getContainerProperties(container.client)).metadata;
        // Names and values come back exactly as written (names keep their case).
        expect(stored).toEqual(metadata);
      }),
      { numRuns: 20 },
    );
  });

  test("8 KiB of names and values is accepted by Azurite; one byte more is rejected by us", async ({
    container,
  }) => {
    const exact = { big: "x".repeat(MAX_METADATA_BYTES - 3) };
    await setContainerMetadata(container.client, exact);
    expect((await getContainerProperties(container.client)).metadata).toEqual(exact);
    expect(() => validateMetadata({ big: "x".repeat(MAX_METADATA_BYTES - 2) })).toThrow(
      /total 8193 bytes; the limit is 8192/,
    );
  });

  const rejects = (run: () => unknown): boolean => {
    try {
      run();
      return false;
    } catch {
      return true;
    }
  };

  /** Invalid metadata, the field its error must name ("" for the whole), and the rule. */
  type Bad = [Record<string, string>, string, RegExp];
  const bad = (metadata: Record<string, string>, name: string, rule: RegExp): Bad => [
    metadata,
    name,
    rule,
  ];
  const invalidMetadata: fc.Arbitrary<Bad> = fc.oneof(
    fc
      .tuple(fc.constantFrom(..."0123456789"), fc.string({ unit: identifierPart, maxLength: 10 }))
      .map(([d, rest]) => bad({ [d + rest]: "v" }, d + rest, /not a C# identifier/)),
    fc
      .tuple(metadataName, fc.constantFrom(..."-. $@:/é"), metadataName)
      .map(([a, c, b]) => bad({ [a + c + b]: "v" }, a + c + b, /not a C# identifier/)),
    fc
      .constantFrom("class", "namespace", "void", "int", "return")
      .map((k) => bad({ [k]: "v" }, k, /C# keyword/)),
    metadataName
      .filter((n) => n.toUpperCase() !== n.toLowerCase())
      .map((n) => [n, n === n.toLowerCase() ? n.toUpperCase() : n.toLowerCase()] as const)
      // "DO" is a name, its other case "do" a C# keyword: that is reported first, so skip it.
      .filter(([, other]) => !rejects(() => validateMetadata({ [other]: "b" })))
      .map(([n, other]) => bad({ [n]: "a", [other]: "b" }, other, /case-insensitive/)),
    fc
      .tuple(metadataName, metadataValue, fc.constantFrom("\n", "\t", "\u00e9", "\u20ac", "\x00"))
      .map(([n, v, c]) => bad({ [n]: v + c }, n, /printable ASCII/)),
    fc
      .tuple(metadataName, metadataValue)
      .map(([n, v]) => bad({ [n]: ` ${v}` }, n, /start or end with spaces/)),
    metadataName.map((n) => bad({ [n]: "" }, n, /must not be empty/)),
    fc
      .tuple(metadataName, fc.integer({ min: 1, max: 500 }))
      .map(([n, extra]) =>
        bad({ [n]: "x".repeat(MAX_METADATA_BYTES - n.length + extra) }, "", /the limit is 8192/),
      ),
  );

  test("invalid metadata is rejected before any request, naming the entry and the rule", async () => {
    await using server = await startStubServer(replyWith());
    const client = (await connectTo(server)).getContainerClient("reports");
    await fc.assert(
      fc.asyncProperty(invalidMetadata, async ([metadata, name, rule]) => {
        const error = await setContainerMetadata(client, metadata).catch((e: unknown) => e);
        expect(isStorageError(error, "InvalidArgument")).toBe(true);
        expect(error).toMatchObject({ field: name ? `metadata.${name}` : "metadata" });
        expect((error as Error).message).toMatch(rule);
      }),
      { numRuns: 300 },
    );
    expect(server.requests).toHaveLength(0);
  });
});
