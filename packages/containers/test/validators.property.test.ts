// Property-based tests of validateContainerName and validateMetadata with fast-check: what the
// grammar allows is accepted by us AND by Azurite (created for real, ~100 round trips in all);
// what it forbids is rejected by us with a message naming the field and the rule, before any
// request.
import { connect, isStorageError } from "@blobkit/auth";
import { describe, expect, test } from "@blobkit/testing/vitest";
import fc from "fast-check";
import {
  createContainer,
  createContainerIfNotExists,
  deleteContainerIfExists,
  getContainerProperties,
  MAX_METADATA_BYTES,
  setContainerMetadata,
  validateContainerName,
  validateMetadata,
} from "../src/index.js";
import { startRecordingServer } from "./recordingServer.js";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const alnum = fc.constantFrom(...(LOWER + DIGITS));
const segment = (max: number) => fc.string({ unit: alnum, minLength: 1, maxLength: max });

/** Names from the valid grammar: alphanumeric segments joined by single hyphens, 3-63 long. */
const validName = fc.oneof(
  fc
    .array(segment(12), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join("-"))
    .filter((name) => name.length >= 3 && name.length <= 63),
  // Lengths at the edges: exactly 3 and exactly 63.
  fc
    .tuple(alnum, fc.constantFrom("", "-"), alnum, alnum)
    .map(([a, h, b, c]) => (h ? `${a}-${b}` : `${a}${b}${c}`)),
  fc
    .array(segment(10), { minLength: 1, maxLength: 10 })
    .map((parts) => parts.join("-").padEnd(63, "x").slice(0, 63))
    .filter((name) => !name.endsWith("-") && !name.includes("--")),
);

/** Inserts `piece` into a valid name at a position chosen by `at` (0..1). */
const insert = (name: string, piece: string, at: number) => {
  const i = Math.min(name.length, Math.floor(at * (name.length + 1)));
  return `${name.slice(0, i)}${piece}${name.slice(i)}`;
};
const position = fc.double({ min: 0, max: 1, noNaN: true });
const shortValid = validName.filter((n) => n.length <= 60);

/** Invalid names, each with the rule its message must name. */
const invalidName: fc.Arbitrary<[string, RegExp]> = fc.oneof(
  fc.string({ unit: alnum, maxLength: 2 }).map((n): [string, RegExp] => [n, /3-63 characters/]),
  fc
    .string({ unit: alnum, minLength: 64, maxLength: 200 })
    .map((n): [string, RegExp] => [n, /3-63 characters/]),
  fc
    .tuple(shortValid, fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"), position)
    .map(([n, c, at]): [string, RegExp] => [insert(n, c, at), /must be lowercase/]),
  fc
    .tuple(shortValid, fc.constantFrom(..."_. /\\@:é$%+=~ü\u00a0"), position)
    .map(([n, c, at]): [string, RegExp] => [
      insert(n, c, at),
      /only lowercase letters, digits and hyphens/,
    ]),
  shortValid.map((n): [string, RegExp] => [`-${n}`, /start and end with a letter or digit/]),
  shortValid.map((n): [string, RegExp] => [`${n}-`, /start and end with a letter or digit/]),
  fc
    .tuple(segment(20), segment(20))
    .map(([a, b]): [string, RegExp] => [`${a}--${b}`, /consecutive hyphens/]),
);

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

describe("validateContainerName (property-based)", () => {
  test("names from the valid grammar are accepted by us and by Azurite", async ({ azurite }) => {
    const service = await connect({ method: "emulator", emulator: azurite });
    await fc.assert(
      fc.asyncProperty(validName, async (name) => {
        expect(validateContainerName(name)).toBe(name);
        // Azurite creates it (or says it exists: a name it also judged valid).
        const { created } = await createContainerIfNotExists(service, name);
        if (created) await deleteContainerIfExists(service.getContainerClient(name));
      }),
      { numRuns: 35 },
    );
  });

  test("invalid names are rejected before any request, naming the field and the rule", async () => {
    await using server = await startRecordingServer();
    const service = await server.connect();
    await fc.assert(
      fc.asyncProperty(invalidName, async ([name, rule]) => {
        expect(() => validateContainerName(name)).toThrow(rule);
        const error = await createContainer(service, name).catch((e: unknown) => e);
        expect(isStorageError(error, "InvalidArgument")).toBe(true);
        expect(error).toMatchObject({ field: "container name" });
        expect((error as Error).message).toMatch(/^Invalid container name: /);
        expect((error as Error).message).toMatch(rule);
      }),
      { numRuns: 300 },
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe("validateMetadata (property-based)", () => {
  test("valid metadata is accepted by us and stored unchanged by Azurite", async ({
    container,
  }) => {
    await fc.assert(
      fc.asyncProperty(validMetadata, async (metadata) => {
        expect(validateMetadata(metadata)).toEqual(metadata);
        await setContainerMetadata(container.client, metadata);
        const stored = (await getContainerProperties(container.client)).metadata;
        // Names come back lowercase from Get Container Properties in Node; values unchanged.
        const expected = Object.fromEntries(
          Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v]),
        );
        expect(stored).toEqual(expected);
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
      .map((n) => {
        const other = n === n.toLowerCase() ? n.toUpperCase() : n.toLowerCase();
        return bad({ [n]: "a", [other]: "b" }, other, /case-insensitive/);
      }),
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
    await using server = await startRecordingServer();
    const client = (await server.connect()).getContainerClient("reports");
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
