// parseSas and explainSas, property-based (fast-check): round-trips of every SAS this package
// creates, agreement with the SDK's own SASQueryParameters on SDK-made tokens, and never a
// signature in the output. No network: the delegation key here is a fixed test key.
import {
  AccountSASPermissions,
  BlobSASPermissions,
  type BlobSASSignatureValues,
  ContainerSASPermissions,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  SASProtocol,
  type SASQueryParameters,
  StorageSharedKeyCredential,
  type UserDelegationKey,
} from "@azure/storage-blob";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  createAccountSas,
  createServiceSas,
  createUserDelegationSas,
  explainSas,
  parseSas,
  type SasDescription,
  type SasTarget,
} from "../src/index.js";
import { ACCOUNT, delegationKey, fixedSigner, KEY, keyed } from "./fixedKeys.js";
import { signatureOf } from "./helpers.js";

const BASE = Date.parse("2030-01-01T00:00:00Z");

const segment = fc
  .string({ unit: fc.constantFrom(..."abcXYZ019 -_.%?#+&=~'é日"), minLength: 1, maxLength: 8 })
  .filter((s) => s !== "." && s !== "..");
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));
const target: fc.Arbitrary<SasTarget> = fc.oneof(
  fc.constant({ container: "reports" }),
  path.map((blob) => ({ container: "reports", blob })),
  path.map((directory) => ({ container: "data-2024", directory })),
);
const letters = (allowed: string) =>
  fc
    .subarray([...allowed], { minLength: 1 })
    .chain((chosen) =>
      fc.shuffledSubarray(chosen, {
        minLength: chosen.length,
        maxLength: chosen.length,
      }),
    )
    .map((chosen) => chosen.join(""));
const ip = fc.ipV4();
const ipRange = fc.option(
  fc.tuple(ip, fc.option(ip, { nil: undefined })).map(([start, end]) => {
    if (end === undefined) return { start };
    const number = (a: string) => a.split(".").reduce((n, part) => n * 256 + Number(part), 0);
    return number(start) <= number(end) ? { start, end } : { start: end, end: start };
  }),
  { nil: undefined },
);
const headerValue = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
const responseHeaders = fc.option(
  fc.record(
    {
      cacheControl: headerValue,
      contentDisposition: headerValue,
      contentEncoding: headerValue,
      contentLanguage: headerValue,
      contentType: headerValue,
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);
/** Seconds after BASE of the clock, the start (relative to the clock) and the lifetime. */
const times = fc.record({
  clock: fc.integer({ min: 0, max: 10 * 365 * 86_400 }),
  startOffset: fc.option(fc.integer({ min: -86_400, max: 3_600 }), { nil: undefined }),
  lifetime: fc.option(fc.integer({ min: 3_601, max: 6 * 86_400 }), { nil: undefined }),
});

function scopeOf(t: SasTarget): "blob" | "directory" | "container" {
  return t.blob !== undefined ? "blob" : t.directory !== undefined ? "directory" : "container";
}
const allowedFor = { blob: "racwdxtmeiy", directory: "racwdxtmeiy", container: "racwdxltmeiyf" };

function expectRoundTrip(
  description: SasDescription,
  created: { permissions: string; startsOn: Date | undefined; expiresOn: Date | undefined },
  t: SasTarget,
): void {
  expect(description.permissions.letters).toBe(created.permissions);
  expect(description.permissions.unknown).toEqual([]);
  expect(description.startsOn).toEqual(created.startsOn);
  expect(description.expiresOn).toEqual(created.expiresOn);
  expect(description.location?.accountName).toBe(ACCOUNT);
  expect(description.location?.container).toBe(t.container);
  const scope = scopeOf(t);
  expect(description.resource).toBe(scope);
  if (scope === "blob") expect(description.location?.blob).toBe(t.blob);
  if (scope === "directory") {
    const trimmed = (t.directory ?? "").replace(/^\/+|\/+$/g, "");
    expect(description.location?.blob).toBe(trimmed);
    expect(description.directoryDepth).toBe(trimmed.split("/").length);
  }
}

function expectNoSignature(token: string, description: SasDescription, text: string): void {
  const sig = signatureOf(token);
  expect(sig.length).toBeGreaterThan(20);
  for (const shown of [JSON.stringify(description), text]) {
    expect(shown).not.toContain(sig);
    expect(shown).not.toContain(encodeURIComponent(sig));
    expect(shown).not.toMatch(/sig=/);
  }
}

describe("parseSas round-trips every SAS this package creates", () => {
  test("user delegation SAS", async () => {
    await fc.assert(
      fc.asyncProperty(
        target,
        times,
        fc.boolean(),
        ipRange,
        responseHeaders,
        fc.nat(),
        async (t, when, allowHttp, range, headers, pick) => {
          const now = new Date(BASE + when.clock * 1000);
          const permissions = [...allowedFor[scopeOf(t)]].filter((_, i) => (pick >> i) & 1);
          if (permissions.length === 0) permissions.push("r");
          const sas = await createUserDelegationSas(fixedSigner(now), t, {
            permissions: permissions.join(""),
            ...(when.startOffset !== undefined
              ? { startsOn: new Date(now.getTime() + when.startOffset * 1000) }
              : {}),
            ...(when.lifetime !== undefined
              ? { expiresOn: new Date(now.getTime() + when.lifetime * 1000) }
              : {}),
            allowHttp,
            ...(range ? { ipRange: range } : {}),
            ...(headers ? { responseHeaders: headers } : {}),
          });
          const description = parseSas(sas.url, { now: () => now });
          expect(description.kind).toBe("user-delegation");
          expectRoundTrip(description, sas, t);
          expect(description.protocol).toBe(allowHttp ? "https,http" : "https");
          expect(description.httpsOnly).toBe(!allowHttp);
          expect(description.ipRange).toEqual(range);
          expect(description.responseHeaders).toEqual(
            headers && Object.keys(headers).length > 0 ? headers : undefined,
          );
          expect(description.signedIdentity).toMatchObject({
            objectId: "11111111-1111-1111-1111-111111111111",
            tenantId: "22222222-2222-2222-2222-222222222222",
            keyService: "b",
          });
          expect(description.expired).toBe(false);
          expect(description.expiresInMs).toBe((sas.expiresOn?.getTime() ?? 0) - now.getTime());
          expectNoSignature(sas.token, description, explainSas(description));
        },
      ),
    );
  });

  test("service SAS, with and without a stored access policy", () => {
    fc.assert(
      fc.property(
        target,
        times,
        ipRange,
        fc.option(fc.string({ minLength: 1, maxLength: 64 }), { nil: undefined }),
        fc.nat(),
        (t, when, range, policy, pick) => {
          const now = new Date(BASE + when.clock * 1000);
          const permissions = [...allowedFor[scopeOf(t)]].filter((_, i) => (pick >> i) & 1);
          const sas = createServiceSas(keyed, t, {
            now: () => now,
            ...(permissions.length > 0 || policy === undefined
              ? { permissions: permissions.join("") || "r" }
              : {}),
            ...(policy !== undefined ? { storedPolicyId: policy } : {}),
            ...(when.lifetime !== undefined
              ? { expiresOn: new Date(now.getTime() + when.lifetime * 1000) }
              : {}),
            ...(range ? { ipRange: range } : {}),
          });
          const description = parseSas(sas.url, { now: () => now });
          expect(description.kind).toBe("service");
          expect(description.storedPolicyId).toBe(policy);
          expectRoundTrip(description, sas, t);
          expect(description.ipRange).toEqual(range);
          expect(description.signedIdentity).toBeUndefined();
          expect(description.warnings.map((w) => w.code)).toContain("account-key-signed");
          expectNoSignature(sas.token, description, explainSas(description));
        },
      ),
    );
  });

  test("account SAS", () => {
    fc.assert(
      fc.property(
        letters("rwdxftlaciy"),
        letters("sco"),
        times,
        (permissions, resourceTypes, when) => {
          const now = new Date(BASE + when.clock * 1000);
          const sas = createAccountSas(keyed, {
            now: () => now,
            permissions,
            resourceTypes,
            ...(when.lifetime !== undefined
              ? { expiresOn: new Date(now.getTime() + when.lifetime * 1000) }
              : {}),
          });
          const description = parseSas(sas.token, { now: () => now });
          expect(description).toMatchObject({
            kind: "account",
            resource: "account",
            services: ["blob"],
            startsOn: sas.startsOn,
            expiresOn: sas.expiresOn,
            protocol: "https",
          });
          expect(description.permissions.letters).toBe(sas.permissions);
          expect([...sas.permissions].sort()).toEqual([...new Set(permissions)].sort());
          expect([...(description.resourceTypes ?? [])].sort()).toEqual(
            [...new Set(resourceTypes)]
              .map((l) => ({ s: "service", c: "container", o: "object" })[l])
              .sort(),
          );
          expect(description.location).toBeUndefined();
          expectNoSignature(sas.token, description, explainSas(description));
        },
      ),
    );
  });
});

const RESOURCE_OF: Record<string, string> = {
  c: "container",
  b: "blob",
  bs: "blob-snapshot",
  bv: "blob-version",
  d: "directory",
};
const seconds = (date: Date | undefined) =>
  date ? new Date(Math.floor(date.getTime() / 1000) * 1000) : undefined;
const sdkDate = fc.date({
  min: new Date("2020-01-01T00:00:00Z"),
  max: new Date("2040-01-01T00:00:00Z"),
  noInvalidDate: true,
});
const text = fc.string({ minLength: 1, maxLength: 16 });

function expectAgreement(query: SASQueryParameters, key: UserDelegationKey | undefined): void {
  const token = query.toString();
  const description = parseSas(token);
  expect(description.version).toBe(query.version);
  expect(description.permissions.letters).toBe(query.permissions ?? "");
  expect(description.startsOn).toEqual(seconds(query.startsOn));
  expect(description.expiresOn).toEqual(seconds(query.expiresOn));
  expect(description.protocol).toBe(query.protocol);
  expect(description.ipRange).toEqual(
    query.ipRange
      ? query.ipRange.end
        ? { start: query.ipRange.start, end: query.ipRange.end }
        : { start: query.ipRange.start }
      : undefined,
  );
  expect(description.storedPolicyId).toBe(query.identifier || undefined);
  expect(description.encryptionScope).toBe(query.encryptionScope || undefined);
  expect(description.directoryDepth).toBe(query.directoryDepth);
  expect(description.responseHeaders?.cacheControl).toBe(query.cacheControl || undefined);
  expect(description.responseHeaders?.contentDisposition).toBe(
    query.contentDisposition || undefined,
  );
  expect(description.responseHeaders?.contentType).toBe(query.contentType || undefined);
  if (query.services || query.resourceTypes) {
    expect(description.kind).toBe("account");
    expect(description.services?.map((s) => s[0]).join("")).toBe(query.services);
    expect(description.resourceTypes?.map((s) => s[0]).join("")).toBe(query.resourceTypes);
  } else {
    expect(description.resource).toBe(RESOURCE_OF[query.resource ?? ""]);
    expect(description.kind).toBe(key ? "user-delegation" : "service");
  }
  if (key) {
    expect(description.signedIdentity).toMatchObject({
      objectId: key.signedObjectId,
      tenantId: key.signedTenantId,
      keyStartsOn: seconds(key.signedStartsOn),
      keyExpiresOn: seconds(key.signedExpiresOn),
      keyService: key.signedService,
      keyVersion: key.signedVersion,
      delegatedUserObjectId: query.delegatedUserObjectId || undefined,
      preauthorizedAgentObjectId: query.preauthorizedAgentObjectId || undefined,
      correlationId: query.correlationId || undefined,
    });
  } else {
    expect(description.signedIdentity).toBeUndefined();
  }
  expect(description.unrecognizedParameters).toEqual([]);
  expectNoSignature(token, description, explainSas(description));
}

describe("parseSas agrees with the SDK's SASQueryParameters on SDK-made tokens", () => {
  const blobValues = fc.record(
    {
      resource: fc.constantFrom("container", "blob", "snapshot", "version", "directory"),
      letters: fc.subarray([..."racwdxltmeiyf"]),
      startsOn: sdkDate,
      expiresOn: sdkDate,
      protocol: fc.constantFrom(SASProtocol.Https, SASProtocol.HttpsAndHttp),
      ipRange: ipRange,
      identifier: text,
      cacheControl: text,
      contentDisposition: text,
      contentType: text,
      encryptionScope: text,
      correlationId: fc.uuid(),
      preauthorizedAgentObjectId: fc.uuid(),
      delegatedUserObjectId: fc.uuid(),
      version: fc.constantFrom("2021-04-10", "2021-08-06", "2025-07-05", "2026-10-06"),
      path: path,
    },
    {
      requiredKeys: ["resource", "letters", "expiresOn", "path", "version"],
    },
  );

  type BlobValues = typeof blobValues extends fc.Arbitrary<infer T> ? T : never;

  function sdkValues(v: BlobValues, delegated: boolean) {
    const onBlob = v.resource !== "container";
    const allowed = onBlob ? "racwdxtmeiy" : "racwdxltmeiyf";
    const chosen = v.letters.filter((l) => allowed.includes(l)).join("") || "r";
    const values: BlobSASSignatureValues = {
      containerName: "reports",
      version: v.version,
      expiresOn: v.expiresOn,
      permissions: onBlob
        ? BlobSASPermissions.parse(chosen)
        : ContainerSASPermissions.parse(chosen),
    };
    if (onBlob) values.blobName = v.path;
    if (v.resource === "directory") values.isDirectory = true;
    if (v.resource === "snapshot") values.snapshotTime = "2024-05-01T12:00:00.0000000Z";
    if (v.resource === "version") values.versionId = "2024-05-01T12:00:00.0000000Z";
    if (v.startsOn) values.startsOn = v.startsOn;
    if (v.protocol) values.protocol = v.protocol;
    if (v.ipRange) values.ipRange = v.ipRange;
    if (v.identifier && !delegated) values.identifier = v.identifier;
    if (v.cacheControl) values.cacheControl = v.cacheControl;
    if (v.contentDisposition) values.contentDisposition = v.contentDisposition;
    if (v.contentType) values.contentType = v.contentType;
    if (v.encryptionScope) values.encryptionScope = v.encryptionScope;
    if (delegated) {
      if (v.correlationId) values.correlationId = v.correlationId;
      if (v.preauthorizedAgentObjectId)
        values.preauthorizedAgentObjectId = v.preauthorizedAgentObjectId;
      if (v.delegatedUserObjectId && v.version >= "2025-07-05") {
        values.delegatedUserObjectId = v.delegatedUserObjectId;
      }
    }
    return values;
  }

  test("service SAS signed with a shared key", () => {
    fc.assert(
      fc.property(blobValues, (v) => {
        const query = generateBlobSASQueryParameters(
          sdkValues(v, false),
          new StorageSharedKeyCredential(ACCOUNT, KEY),
        );
        expectAgreement(query, undefined);
      }),
    );
  });

  test("user delegation SAS signed with a delegation key", () => {
    fc.assert(
      fc.property(blobValues, sdkDate, (v, keyStart) => {
        const key = {
          ...delegationKey(keyStart),
          signedStartsOn: keyStart,
          signedExpiresOn: new Date(keyStart.getTime() + 86_400_000),
        };
        const query = generateBlobSASQueryParameters(sdkValues(v, true), key, ACCOUNT);
        expectAgreement(query, key);
      }),
    );
  });

  test("account SAS", () => {
    fc.assert(
      fc.property(
        letters("rwdxylacuptfi"),
        letters("bfqt"),
        letters("sco"),
        sdkDate,
        fc.option(sdkDate, { nil: undefined }),
        fc.option(fc.constantFrom(SASProtocol.Https, SASProtocol.HttpsAndHttp), { nil: undefined }),
        ipRange,
        (permissions, services, resourceTypes, expiresOn, startsOn, protocol, range) => {
          const query = generateAccountSASQueryParameters(
            {
              permissions: AccountSASPermissions.parse(permissions),
              services,
              resourceTypes,
              expiresOn,
              ...(startsOn ? { startsOn } : {}),
              ...(protocol ? { protocol } : {}),
              ...(range ? { ipRange: range } : {}),
            },
            new StorageSharedKeyCredential(ACCOUNT, KEY),
          );
          expectAgreement(query, undefined);
        },
      ),
    );
  });
});
