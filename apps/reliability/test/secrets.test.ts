// Secrets: for each credential kind (account key, connection string with key, SAS token, Entra ID
// token), provoke every error path (refused credential, missing permission, not found, failed
// precondition, refused connection, silent server, invalid argument at connect) and check that no
// account key, SAS signature or token appears in the error (message, String(), stack, JSON,
// util.inspect, every cause) nor in anything logged meanwhile (Azure SDK logger at verbose,
// console.*). Numbers go to artifacts/reliability/secrets.json.
import { randomBytes } from "node:crypto";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect, isStorageError, type RetryOptions, type StorageErrorCode } from "@blobkit/auth";
import { getBlobProperties, getBlobTags, setBlobMetadata, uploadBlob } from "@blobkit/blobs";
import { createContainer, deleteContainer } from "@blobkit/containers";
import { createAccountSas } from "@blobkit/sas";
import {
  AZURITE_ACCOUNT_KEY,
  AZURITE_ACCOUNT_NAME,
  type AzuriteConnection,
  createEmulatorTokenCredential,
  startSilentServer,
} from "@blobkit/testing";
import { describe, expect, test } from "@blobkit/testing/vitest";
import { afterAll } from "vitest";
import { outcomes, since } from "./artifacts.ts";
import { closedPort, type RecordingServer, startRecordingServer } from "./recordingServer.ts";
import { captureLogs, causeDepth, errorTexts, leakedSecrets } from "./secretScan.ts";

const results = outcomes("secrets");
afterAll(() => results.write());

/** A well-formed account key that is not the account's: the service refuses its signatures. */
const WRONG_KEY = randomBytes(64).toString("base64");
/** Two quick tries for the unreachable and silent paths, so the retry policy's errors are checked too. */
const TIMEOUT_RETRY: RetryOptions = { maxTries: 2, tryTimeoutMs: 300, retryDelayMs: 10 };
const REFUSED_RETRY: RetryOptions = { maxTries: 2, retryDelayMs: 10 };
const NO_RETRY: RetryOptions = { maxTries: 1 };

/** Every secret a test has handed out or seen on the wire, checked after every scenario. */
const secrets = new Set<string>([AZURITE_ACCOUNT_KEY, WRONG_KEY]);
const sigOf = (token: string) => new URLSearchParams(token).get("sig") ?? "";

/** Wraps a credential to remember every token it issues. */
function recordingCredential(inner: TokenCredential): TokenCredential {
  return {
    async getToken(
      scopes: string | string[],
      options?: GetTokenOptions,
    ): Promise<AccessToken | null> {
      const token = await inner.getToken(scopes, options);
      if (token) secrets.add(token.token);
      return token;
    },
  };
}

/** Remembers the Authorization headers a recording server received (signatures, tokens). */
function rememberAuthorization(server: RecordingServer): void {
  for (const request of server.requests) {
    const value = request.headers.authorization;
    if (value) secrets.add(value.replace(/^(Bearer|SharedKey) /, ""));
  }
}

interface Scenario {
  kind: string;
  path: string;
  code: StorageErrorCode;
  logLines: number;
  causeDepth: number;
  textsScanned: number;
}
const scenarios: Scenario[] = [];
let started = 0;
afterAll(() =>
  results.set("secrets", {
    msTotal: since(started),
    scenarios: scenarios.length,
    secretsChecked: secrets.size,
    logLinesScanned: scenarios.reduce((sum, s) => sum + s.logLines, 0),
    leaks: 0,
    byScenario: scenarios,
  }),
);

/**
 * Runs `run`, which must fail with `code`, with the SDK logger at verbose and console captured;
 * then scans the error and the captured output for every secret known so far.
 */
async function provoke(
  kind: string,
  path: string,
  code: StorageErrorCode,
  run: () => Promise<unknown>,
): Promise<void> {
  started ||= performance.now();
  const logs = captureLogs();
  let error: unknown;
  try {
    await run();
  } catch (caught) {
    error = caught;
  } finally {
    logs.restore();
  }
  expect(isStorageError(error), `${kind} / ${path}: ${String(error)}`).toBe(true);
  expect((error as { code: string }).code, `${kind} / ${path}: ${String(error)}`).toBe(code);
  const texts = errorTexts(error);
  const leaked = leakedSecrets([...texts, ...logs.lines], [...secrets]);
  expect(leaked, `${kind} / ${path} leaked a secret`).toEqual([]);
  scenarios.push({
    kind,
    path,
    code,
    logLines: logs.lines.length,
    causeDepth: causeDepth(error),
    textsScanned: texts.length,
  });
}

/** How each kind of credential connects to an endpoint. */
interface CredentialKind {
  name: string;
  /** HTTPS endpoints only (bearer tokens never travel over plain HTTP). */
  https: boolean;
  connect(blobEndpoint: string, retry: RetryOptions): Promise<BlobServiceClient>;
  /** A client whose credential the service refuses. */
  refused(blobEndpoint: string): Promise<BlobServiceClient>;
}

function kinds(
  azurite: AzuriteConnection,
  sasToken: string,
  tokenCredential: TokenCredential,
): CredentialKind[] {
  const keyed = (accountKey: string) => (blobEndpoint: string, retry: RetryOptions) =>
    connect({
      method: "accountKey",
      accountName: AZURITE_ACCOUNT_NAME,
      accountKey,
      accountUrl: blobEndpoint,
      retry,
    });
  const connectionString = (accountKey: string) => (blobEndpoint: string, retry: RetryOptions) =>
    connect({
      method: "connectionString",
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${accountKey};BlobEndpoint=${blobEndpoint}`,
      retry,
    });
  // An altered signature: one character of the signature changed.
  const sig = sigOf(sasToken);
  const alteredSig = `${sig[0] === "A" ? "B" : "A"}${sig.slice(1)}`;
  secrets.add(alteredSig);
  const alteredToken = sasToken.replace(encodeURIComponent(sig), encodeURIComponent(alteredSig));
  const wrongAudience = recordingCredential(
    createEmulatorTokenCredential({ audience: "https://example.invalid" }),
  );
  return [
    {
      name: "account key",
      https: false,
      connect: keyed(azurite.accountKey),
      refused: (e) => keyed(WRONG_KEY)(e, NO_RETRY),
    },
    {
      name: "connection string with key",
      https: false,
      connect: connectionString(azurite.accountKey),
      refused: (e) => connectionString(WRONG_KEY)(e, NO_RETRY),
    },
    {
      name: "SAS token",
      https: false,
      connect: (blobEndpoint, retry) =>
        connect({ method: "sas", accountUrl: blobEndpoint, sasToken, retry }),
      refused: (blobEndpoint) =>
        connect({
          method: "sas",
          accountUrl: blobEndpoint,
          sasToken: alteredToken,
          retry: NO_RETRY,
        }),
    },
    {
      name: "Entra ID token",
      https: true,
      connect: (blobEndpoint, retry) =>
        connect({
          method: "emulator",
          emulator: {
            blobEndpoint,
            accountName: AZURITE_ACCOUNT_NAME,
            accountKey: AZURITE_ACCOUNT_KEY,
            https: true,
          },
          credential: tokenCredential,
          retry,
        }),
      refused: (blobEndpoint) =>
        connect({
          method: "emulator",
          emulator: {
            blobEndpoint,
            accountName: AZURITE_ACCOUNT_NAME,
            accountKey: AZURITE_ACCOUNT_KEY,
            https: true,
          },
          credential: wrongAudience,
          retry: NO_RETRY,
        }),
    },
  ];
}

describe("no secret in any error or log, for every credential kind and error path", () => {
  test("refused credential, missing permission, not found, precondition failed, refused connection, silent server", async ({
    azurite,
    azuriteHttps,
    tokenCredential,
  }) => {
    started = performance.now();
    const keyService = await connect({ method: "emulator", emulator: azurite });
    const entraService = await connect({
      method: "emulator",
      emulator: azuriteHttps,
      credential: tokenCredential,
    });
    // One container per emulator, with one blob, for the service-side paths.
    const name = `relb-secrets-${randomBytes(4).toString("hex")}`;
    await createContainer(keyService, name);
    await createContainer(entraService, name);
    await uploadBlob(keyService.getContainerClient(name), "present.txt", "x");
    await uploadBlob(entraService.getContainerClient(name), "present.txt", "x");
    // A SAS that may read and write but not delete, and a read-only one for PermissionDenied.
    const sas = createAccountSas(keyService, { permissions: "rwlac", resourceTypes: "sco" });
    const readOnly = createAccountSas(keyService, { permissions: "rl", resourceTypes: "sco" });
    secrets.add(sigOf(sas.token));
    secrets.add(sigOf(readOnly.token));
    const credential = recordingCredential(tokenCredential);
    const silent = await startSilentServer();
    const refusedPort = await closedPort();
    const servers: RecordingServer[] = [];
    try {
      for (const kind of kinds(azurite, sas.token, credential)) {
        const endpoint = kind.https ? azuriteHttps.blobEndpoint : azurite.blobEndpoint;
        const service = await kind.connect(endpoint, NO_RETRY);
        const present = service.getContainerClient(name).getBlobClient("present.txt");
        const scheme = kind.https ? "https" : "http";

        // A GET, not a HEAD: Azurite answers a refused signature on HEAD with a bare 403
        // AuthorizationFailure, which on Azure means network rules (Azure says AuthenticationFailed).
        await provoke(kind.name, "refused credential", "AuthenticationFailed", async () =>
          getBlobTags(
            (await kind.refused(endpoint)).getContainerClient(name).getBlobClient("present.txt"),
          ),
        );
        await provoke(
          kind.name,
          "refused credential at connect({ verify: true })",
          "AuthenticationFailed",
          async () => {
            const refused = await kind.refused(endpoint);
            // Same options, verified: diagnoseConnection's error is thrown.
            const { diagnoseConnection } = await import("@blobkit/auth");
            const diagnosis = await diagnoseConnection(refused);
            if (diagnosis.error) throw diagnosis.error;
          },
        );
        if (kind.name === "SAS token") {
          // Azurite enforces SAS permissions: writing with a read-only SAS is refused.
          const reader = await connect({
            method: "sas",
            accountUrl: endpoint,
            sasToken: readOnly.token,
            retry: NO_RETRY,
          });
          await provoke(kind.name, "missing permission", "PermissionDenied", () =>
            uploadBlob(reader.getContainerClient(name), "written.txt", "x"),
          );
        } else {
          // Azurite has no RBAC and grants the key everything: a loopback server answers the
          // documented 403 instead, and every Authorization header it saw becomes a secret too.
          const server = await startRecordingServer({
            reply: { status: 403, code: "AuthorizationPermissionMismatch" },
            ...(kind.https
              ? {
                  tls: {
                    certificate: azuriteHttps.certificate as string,
                    privateKey: azuriteHttps.certificateKey as string,
                  },
                }
              : {}),
          });
          servers.push(server);
          const denied = await kind.connect(server.blobEndpoint, NO_RETRY);
          await provoke(
            kind.name,
            "missing permission (documented 403 from a loopback server)",
            "PermissionDenied",
            async () => {
              try {
                return await uploadBlob(denied.getContainerClient(name), "written.txt", "x");
              } finally {
                rememberAuthorization(server);
              }
            },
          );
          expect(server.requests.length).toBeGreaterThan(0);
        }
        await provoke(kind.name, "not found", "NotFound", () =>
          getBlobProperties(service.getContainerClient(name).getBlobClient("missing.txt")),
        );
        await provoke(kind.name, "precondition failed", "PreconditionFailed", () =>
          setBlobMetadata(present, { touched: "yes" }, { ifMatch: '"0x8DC0000000000A1"' }),
        );
        await provoke(kind.name, "connection refused", "NetworkError", async () => {
          const unreachable = await kind.connect(
            `${scheme}://127.0.0.1:${refusedPort}/${AZURITE_ACCOUNT_NAME}`,
            REFUSED_RETRY,
          );
          return getBlobProperties(
            unreachable.getContainerClient(name).getBlobClient("present.txt"),
          );
        });
        await provoke(kind.name, "timeout (server accepts, never answers)", "Timeout", async () => {
          const hanging = await kind.connect(
            `${scheme}://127.0.0.1:${silent.port}/${AZURITE_ACCOUNT_NAME}`,
            TIMEOUT_RETRY,
          );
          return getBlobProperties(hanging.getContainerClient(name).getBlobClient("present.txt"));
        });
      }
    } finally {
      await silent.stop();
      for (const server of servers) await server.close();
      await deleteContainer(keyService.getContainerClient(name));
      await deleteContainer(entraService.getContainerClient(name));
    }
    expect(scenarios.length).toBeGreaterThanOrEqual(4 * 7);
  });

  test("invalid argument at connect never echoes a key, a signature or a token", async ({
    azurite,
    tokenCredential,
  }) => {
    const keyService = await connect({ method: "emulator", emulator: azurite });
    const sas = createAccountSas(keyService, { permissions: "r", resourceTypes: "o" });
    const sig = sigOf(sas.token);
    secrets.add(sig);
    const token = (await tokenCredential.getToken("https://storage.azure.com/.default"))
      ?.token as string;
    secrets.add(token);
    const key = AZURITE_ACCOUNT_KEY;
    const badKey = `${key.slice(0, 10)}!${key.slice(11)}`;
    secrets.add(badKey);
    const endpoint = azurite.blobEndpoint;
    const base = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};BlobEndpoint=${endpoint}`;
    const expired = sas.token.replace(
      /se=[^&]+/,
      `se=${encodeURIComponent("2020-01-01T00:00:00Z")}`,
    );
    const cases: Array<[string, string, StorageErrorCode, () => Promise<unknown>]> = [
      [
        "account key",
        "key with a character outside base64",
        "InvalidArgument",
        () =>
          connect({
            method: "accountKey",
            accountName: AZURITE_ACCOUNT_NAME,
            accountKey: badKey,
            accountUrl: endpoint,
          }),
      ],
      [
        "account key",
        // Inside the key: one at either end is what pasting adds, trimmed and accepted.
        "key with a line break",
        "InvalidArgument",
        () =>
          connect({
            method: "accountKey",
            accountName: AZURITE_ACCOUNT_NAME,
            accountKey: `${key.slice(0, 44)}\n${key.slice(44)}`,
            accountUrl: endpoint,
          }),
      ],
      [
        "account key",
        "account URL carrying a SAS",
        "InvalidArgument",
        () =>
          connect({
            method: "accountKey",
            accountName: AZURITE_ACCOUNT_NAME,
            accountKey: key,
            accountUrl: `${endpoint}?${sas.token}`,
          }),
      ],
      [
        "connection string with key",
        "key pasted without 'AccountKey='",
        "InvalidArgument",
        () => connect({ method: "connectionString", connectionString: `${base};${key}` }),
      ],
      [
        "connection string with key",
        "misspelled 'AccountKey'",
        "InvalidArgument",
        () => connect({ method: "connectionString", connectionString: `${base};AcountKey=${key}` }),
      ],
      [
        "connection string with key",
        "key outside base64",
        "InvalidArgument",
        () =>
          connect({ method: "connectionString", connectionString: `${base};AccountKey=${badKey}` }),
      ],
      [
        "connection string with key",
        "key given twice",
        "InvalidArgument",
        () =>
          connect({
            method: "connectionString",
            connectionString: `${base};AccountKey=${key};AccountKey=${key}`,
          }),
      ],
      [
        "connection string with key",
        "plain-http endpoint off loopback",
        "InvalidArgument",
        () =>
          connect({
            method: "connectionString",
            connectionString: `AccountName=x1y2z3;AccountKey=${key};BlobEndpoint=http://storage.example.invalid/x`,
          }),
      ],
      [
        "SAS token",
        "SAS in a connection string without 'sv'",
        "InvalidArgument",
        () =>
          connect({
            method: "connectionString",
            connectionString: `BlobEndpoint=${endpoint};SharedAccessSignature=${sas.token.replace(/(^|&)sv=[^&]+/, "")}`,
          }),
      ],
      [
        "SAS token",
        "token given as a full URL",
        "InvalidArgument",
        () => connect({ method: "sas", accountUrl: endpoint, sasToken: sas.url }),
      ],
      [
        "SAS token",
        "token without 'sv'",
        "InvalidArgument",
        () =>
          connect({
            method: "sas",
            accountUrl: endpoint,
            sasToken: sas.token.replace(/(^|&)sv=[^&]+/, ""),
          }),
      ],
      [
        "SAS token",
        "unreadable expiry",
        "InvalidArgument",
        () =>
          connect({
            method: "sas",
            accountUrl: endpoint,
            sasToken: sas.token.replace(/se=[^&]+/, "se=soon"),
          }),
      ],
      [
        "SAS token",
        "expired token",
        "AuthenticationFailed",
        () => connect({ method: "sas", accountUrl: endpoint, sasToken: expired }),
      ],
      [
        "SAS token",
        "account URL carrying the SAS too",
        "InvalidArgument",
        () =>
          connect({ method: "sas", accountUrl: `${endpoint}?${sas.token}`, sasToken: sas.token }),
      ],
      [
        "Entra ID token",
        "account URL over plain http",
        "InvalidArgument",
        () =>
          connect({
            method: "entra",
            accountUrl: "http://storage.example.invalid",
            credential: tokenCredential,
          }),
      ],
      [
        "Entra ID token",
        "account URL carrying a SAS",
        "InvalidArgument",
        () =>
          connect({
            method: "entra",
            accountUrl: `https://storage.example.invalid/?${sas.token}`,
            credential: tokenCredential,
          }),
      ],
      [
        "Entra ID token",
        "token credential on a plain-http emulator",
        "InvalidArgument",
        () => connect({ method: "emulator", emulator: azurite, credential: tokenCredential }),
      ],
      [
        "Entra ID token",
        "token pasted as a SAS",
        "InvalidArgument",
        () => connect({ method: "sas", accountUrl: endpoint, sasToken: token }),
      ],
    ];
    for (const [kind, path, code, run] of cases)
      await provoke(kind, `invalid argument at connect: ${path}`, code, run);
  });
});
