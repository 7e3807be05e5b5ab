// A loopback server (startStubServer of @blobkit/testing) that records every request and answers
// each with one documented error, to prove that bad input sends no request and good input does;
// and a loopback port nothing listens on, for refused connections.
import { createServer as createTcpServer } from "node:net";
import type { TokenCredential } from "@azure/core-auth";
import type { BlobServiceClient } from "@azure/storage-blob";
import { connect, type RetryOptions } from "@blobkit/auth";
import { type StubRequest, startStubServer } from "@blobkit/testing";

export interface RecordingServerOptions {
  /** Serve HTTPS with this PEM certificate and key (the emulator's loopback test certificate). */
  tls?: { certificate: string; privateKey: string };
  /**
   * Status, error code and extra headers of every answer; the body is the documented XML error.
   * @defaultValue 500 `UnexpectedRequest`
   */
  reply?: { status: number; code: string; headers?: Record<string, string> };
}

/** A loopback HTTP(S) server that records every request it receives. */
export interface RecordingServer extends AsyncDisposable {
  /** Every request received, in order, as the stub server recorded it. */
  readonly requests: readonly StubRequest[];
  /** e.g. `http://127.0.0.1:40123/devstoreaccount1`. */
  readonly blobEndpoint: string;
  /** A BlobKit client of this server: key-authorized, or token-authorized (HTTPS only). */
  connect(options?: {
    credential?: TokenCredential;
    retry?: RetryOptions;
  }): Promise<BlobServiceClient>;
  close(): Promise<void>;
}

/** Starts a recording server on a free loopback port. */
export async function startRecordingServer(
  options: RecordingServerOptions = {},
): Promise<RecordingServer> {
  const reply = options.reply ?? { status: 500, code: "UnexpectedRequest" };
  const stub = await startStubServer(
    (_request, res) => {
      const requestId = `recorded-${stub.requests.length}`;
      res.writeHead(reply.status, {
        "content-type": "application/xml",
        "x-ms-error-code": reply.code,
        "x-ms-request-id": requestId,
        ...reply.headers,
      });
      res.end(
        `<?xml version="1.0" encoding="utf-8"?><Error><Code>${reply.code}</Code><Message>${reply.code}\nRequestId:${requestId}\nTime:2024-05-01T00:00:00.0000000Z</Message></Error>`,
      );
    },
    options.tls ? { https: options.tls } : {},
  );
  return {
    requests: stub.requests,
    blobEndpoint: stub.blobEndpoint,
    connect: (connectOptions = {}) =>
      connect({
        method: "emulator",
        emulator: stub,
        ...(connectOptions.credential ? { credential: connectOptions.credential } : {}),
        retry: connectOptions.retry ?? { maxTries: 1 },
      }),
    close: stub.stop,
    [Symbol.asyncDispose]: stub.stop,
  };
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
