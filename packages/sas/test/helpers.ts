// Test helpers: an HTTPS loopback proxy that counts requests in front of the HTTPS emulator, an
// HTTPS loopback stub for contract tests, and a secret check.
import type { IncomingMessage, ServerResponse } from "node:http";
import { request } from "node:https";
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect, type EntraIdConnectOptions } from "@blobkit/auth";
import { type AzuriteConnection, type StubRequest, startStubServer } from "@blobkit/testing";

/** A BlobKit client of the HTTPS emulator signed in with Microsoft Entra ID. */
export function connectEntra(
  azuriteHttps: AzuriteConnection,
  credential: NonNullable<EntraIdConnectOptions["credential"]>,
): Promise<BlobServiceClient> {
  return connect({ method: "entra", accountUrl: azuriteHttps.blobEndpoint, credential });
}

/** A request as a loopback server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A running loopback HTTPS server. */
export interface LoopbackServer extends AsyncDisposable {
  /** Blob endpoint through this server, e.g. `https://127.0.0.1:5123/devstoreaccount1`. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

function certificateOf(azuriteHttps: AzuriteConnection): {
  certificate: string;
  privateKey: string;
} {
  if (!azuriteHttps.certificate || !azuriteHttps.certificateKey) {
    throw new Error("the HTTPS emulator did not share its certificate");
  }
  return { certificate: azuriteHttps.certificate, privateKey: azuriteHttps.certificateKey };
}

async function listen(
  azuriteHttps: AzuriteConnection,
  handle: (received: StubRequest, recorded: RecordedRequest, res: ServerResponse) => void,
): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const stub = await startStubServer(
    (received, res) => {
      const recorded: RecordedRequest = {
        method: received.method,
        url: received.url,
        headers: received.headers,
        body: received.body.toString("utf8"),
      };
      requests.push(recorded);
      handle(received, recorded, res);
    },
    { https: certificateOf(azuriteHttps) },
  );
  return {
    url: stub.blobEndpoint,
    requests,
    close: stub.stop,
    [Symbol.asyncDispose]: stub.stop,
  };
}

/**
 * Starts an HTTPS proxy on a free loopback port, with the emulator's own certificate, that
 * forwards every request to the HTTPS emulator and records it: counting at the HTTP level,
 * independent of the SDK's pipeline.
 */
export function startCountingProxy(azuriteHttps: AzuriteConnection): Promise<LoopbackServer> {
  const target = new URL(azuriteHttps.blobEndpoint);
  return listen(azuriteHttps, (req, _recorded, res) => {
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
  });
}

/** A documented answer of a stub server. */
export interface StubResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** Starts an HTTPS stub on a free loopback port that answers each request with `answer(request)`. */
export function startStub(
  azuriteHttps: AzuriteConnection,
  answer: (request: RecordedRequest) => StubResponse,
): Promise<LoopbackServer> {
  return listen(azuriteHttps, (_received, recorded, res) => {
    const reply = answer(recorded);
    res.writeHead(reply.status, {
      "x-ms-request-id": "00000000-0000-0000-0000-000000000001",
      "x-ms-version": "2026-10-06",
      ...(reply.body !== undefined ? { "content-type": "application/xml" } : {}),
      ...reply.headers,
    });
    res.end(reply.body ?? "");
  });
}

/** The documented response body of Get User Delegation Key. */
export function userDelegationKeyXml(start: string, expiry: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><UserDelegationKey><SignedOid>11111111-1111-1111-1111-111111111111</SignedOid><SignedTid>22222222-2222-2222-2222-222222222222</SignedTid><SignedStart>${start}</SignedStart><SignedExpiry>${expiry}</SignedExpiry><SignedService>b</SignedService><SignedVersion>2026-10-06</SignedVersion><Value>${Buffer.alloc(32, 9).toString("base64")}</Value></UserDelegationKey>`;
}

/** The value of the `sig` field of a SAS token or URL. */
export function signatureOf(sas: string): string {
  const query = sas.includes("?") ? sas.slice(sas.indexOf("?") + 1) : sas;
  return new URLSearchParams(query).get("sig") ?? "";
}

export { expectNoSecrets } from "@blobkit/testing/vitest";

/** Resolves on the next macrotask. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
