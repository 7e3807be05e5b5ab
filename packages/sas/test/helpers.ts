// Test helpers of @blobkit/sas against a server: clients of the HTTPS emulator signed in with
// Microsoft Entra ID (with a fresh container and a signer), a client that uses a SAS, and two
// loopback HTTPS servers built on startStubServer, which records every request: a proxy in front of
// the HTTPS emulator, and a stub that answers as Azure's REST documentation says.
import type { ServerResponse } from "node:http";
import { request } from "node:https";
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect, type EntraIdConnectOptions, type StorageError } from "@blobkit/auth";
import {
  type AzuriteConnection,
  createTestContainer,
  type StubRequest,
  type StubServer,
  startStubServer,
  type TestContainer,
} from "@blobkit/testing";
import { createUserDelegationSigner, type UserDelegationSigner } from "../src/index.js";

type Credential = NonNullable<EntraIdConnectOptions["credential"]>;

/**
 * A BlobKit client signed in with Microsoft Entra ID, by default to the HTTPS emulator; `maxTries`
 * 1 for a stub, whose answers are not worth retrying.
 */
export function connectEntra(
  endpoint: AzuriteConnection | StubServer,
  credential: Credential,
  options: { maxTries?: number } = {},
): Promise<BlobServiceClient> {
  return connect({
    method: "entra",
    accountUrl: endpoint.blobEndpoint,
    credential,
    ...(options.maxTries !== undefined ? { retry: { maxTries: options.maxTries } } : {}),
  });
}

/** A client that authorizes every request with `sasToken` and tries each once. */
export function connectWithSas(accountUrl: string, sasToken: string): Promise<BlobServiceClient> {
  return connect({ method: "sas", accountUrl, sasToken, retry: { maxTries: 1 } });
}

/** An Entra ID client of the HTTPS emulator, its user delegation signer, and a fresh container. */
export interface EntraContainer extends TestContainer {
  readonly service: BlobServiceClient;
  readonly signer: UserDelegationSigner;
}

/** Creates a uniquely named container on the HTTPS emulator, removed on dispose. */
export async function createEntraContainer(
  azuriteHttps: AzuriteConnection,
  credential: Credential,
  prefix: string,
): Promise<EntraContainer> {
  const service = await connectEntra(azuriteHttps, credential);
  const container = await createTestContainer(service, { prefix });
  return { ...container, service, signer: createUserDelegationSigner(service) };
}

/** The emulator's own certificate, which every test worker trusts, for a loopback HTTPS server. */
function httpsOf(azuriteHttps: AzuriteConnection): {
  https: { certificate: string; privateKey: string };
} {
  if (!azuriteHttps.certificate || !azuriteHttps.certificateKey) {
    throw new Error("the HTTPS emulator did not share its certificate");
  }
  return {
    https: { certificate: azuriteHttps.certificate, privateKey: azuriteHttps.certificateKey },
  };
}

/**
 * Starts an HTTPS proxy on a free loopback port that forwards every request to the HTTPS emulator
 * and records it: counting at the HTTP level, independent of the SDK's pipeline.
 */
export function startCountingProxy(azuriteHttps: AzuriteConnection): Promise<StubServer> {
  const target = new URL(azuriteHttps.blobEndpoint);
  return startStubServer((req, res) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        ca: azuriteHttps.certificate,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    upstream.end(req.body);
  }, httpsOf(azuriteHttps));
}

/** Whether a request is Get User Delegation Key. */
export const isKeyRequest = (request: StubRequest) =>
  request.method === "POST" && /[?&]comp=userdelegationkey/.test(request.url);

/** A documented answer of a stub server. */
export interface StubResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Writes an answer with the headers every Azure response carries. */
function reply(res: ServerResponse, answer: StubResponse): void {
  res.writeHead(answer.status, {
    "x-ms-request-id": "00000000-0000-0000-0000-000000000001",
    "x-ms-version": "2026-10-06",
    ...(answer.body !== undefined ? { "content-type": "application/xml" } : {}),
    ...answer.headers,
  });
  res.end(answer.body ?? "");
}

/** Starts an HTTPS stub on a free loopback port that answers each request with `answer(request)`. */
export function startStub(
  azuriteHttps: AzuriteConnection,
  answer: (request: StubRequest) => StubResponse,
): Promise<StubServer> {
  return startStubServer((req, res) => reply(res, answer(req)), httpsOf(azuriteHttps));
}

/** The documented response body of Get User Delegation Key. */
export function userDelegationKeyXml(start: string, expiry: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><UserDelegationKey><SignedOid>11111111-1111-1111-1111-111111111111</SignedOid><SignedTid>22222222-2222-2222-2222-222222222222</SignedTid><SignedStart>${start}</SignedStart><SignedExpiry>${expiry}</SignedExpiry><SignedService>b</SignedService><SignedVersion>2026-10-06</SignedVersion><Value>${Buffer.alloc(32, 9).toString("base64")}</Value></UserDelegationKey>`;
}

/**
 * Azure's documented answers: a delegation key for the times the request asks, a two-byte blob for
 * any read, and 400 for anything else.
 */
export function documentedAnswer(request: StubRequest): StubResponse {
  if (request.method === "POST" && request.url.includes("comp=userdelegationkey")) {
    const body = request.body.toString("utf8");
    const start = /<Start>([^<]+)<\/Start>/.exec(body)?.[1] ?? "";
    const expiry = /<Expiry>([^<]+)<\/Expiry>/.exec(body)?.[1] ?? "";
    return { status: 200, body: userDelegationKeyXml(start, expiry) };
  }
  if (request.method === "GET") {
    return {
      status: 200,
      headers: {
        "content-type": "text/plain",
        "content-length": "2",
        etag: '"0x8DC0000000000001"',
        "last-modified": "Wed, 01 May 2024 12:00:00 GMT",
        "x-ms-blob-type": "BlockBlob",
        "x-ms-server-encrypted": "true",
      },
      body: "hi",
    };
  }
  return { status: 400, headers: { "x-ms-error-code": "UnsupportedHttpVerb" } };
}

/** The body of a download, as text. */
export async function textOf(
  download: Promise<{ readableStreamBody?: NodeJS.ReadableStream }>,
): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await download).readableStreamBody ?? []) {
    chunks.push(Buffer.from(chunk as Buffer));
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The value of the `sig` field of a SAS token or URL. */
export function signatureOf(sas: string): string {
  const query = sas.includes("?") ? sas.slice(sas.indexOf("?") + 1) : sas;
  return new URLSearchParams(query).get("sig") ?? "";
}

/** What a synchronous call threw; fails the test if it returned. */
export function thrown(run: () => unknown): StorageError {
  try {
    run();
  } catch (error) {
    return error as StorageError;
  }
  throw new Error("expected a throw");
}
