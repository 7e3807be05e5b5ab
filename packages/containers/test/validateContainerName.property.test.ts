// Property-based tests of validateContainerName with fast-check: names the grammar allows are
// accepted by us AND by Azurite (created for real); names it forbids are rejected by us with a
// message naming the field and the rule, before any request.
import { connect, isStorageError } from "@blobkit/auth";
import { startStubServer } from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import fc from "fast-check";
import {
  createContainer,
  createContainerIfNotExists,
  deleteContainerIfExists,
  validateContainerName,
} from "../src/index.js";
import { connectTo, replyWith } from "./azureResponses.js";

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
    await using server = await startStubServer(replyWith());
    const service = await connectTo(server);
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
