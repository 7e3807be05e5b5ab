// A loopback "stub Azure" for contract tests: records every request the SDK sends and lets the test
// answer it with the documented status, headers and body, for what the emulator cannot show.
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { listenOnLoopback } from "./internal/loopback.js";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "./startAzurite.js";

/** A request as the stub server received it, body included. */
export interface StubRequest {
  /** The HTTP method, e.g. `"PUT"`. */
  readonly method: string;
  /** Path and query exactly as sent, e.g. `/devstoreaccount1/reports?restype=container`. */
  readonly url: string;
  /** The path part of {@link StubRequest.url}, still percent-encoded, e.g. `/devstoreaccount1/reports`. */
  readonly path: string;
  /**
   * {@link StubRequest.path} without the development account's segment: `/reports/a%20b.txt` for
   * a blob, `/reports` for a container, `/` for the service. A path that does not start with the
   * account is left as it is.
   */
  readonly resourcePath: string;
  /** The query part of {@link StubRequest.url}, parsed. */
  readonly query: URLSearchParams;
  /** The request headers; Node.js lower-cases their names. */
  readonly headers: IncomingHttpHeaders;
  /** The whole request body (empty for requests without one). */
  readonly body: Buffer;
}

/**
 * Answers one request: write the status, headers and body to `response` (Node's `ServerResponse`),
 * synchronously or in a returned promise (the return value is otherwise ignored, so
 * `response.end()` can be returned as is). Leave the response unanswered to simulate a service
 * that never replies; {@link StubServer.stop} closes it. If the handler throws or its promise
 * rejects, the stub answers 500 with the error's message.
 */
export type StubHandler = (request: StubRequest, response: ServerResponse) => unknown;

/** Options for {@link startStubServer}. */
export interface StartStubServerOptions {
  /**
   * Serve HTTPS with this PEM certificate and private key instead of plain HTTP (needed for token
   * credentials, which the SDK only sends over HTTPS). The client must trust the certificate, e.g.
   * reuse the HTTPS emulator's `certificate` and `certificateKey`, which are trusted in-process.
   */
  https?: {
    /** PEM certificate (chain) for `127.0.0.1`. */
    certificate: string;
    /** PEM private key of the certificate. */
    privateKey: string;
  };
}

/**
 * A running stub server. It has the shape `connect({ method: "emulator", emulator })` of
 * `@blobkit/auth` expects. Stop it with `await using` or {@link StubServer.stop}.
 */
export interface StubServer extends AsyncDisposable {
  /** Blob endpoint with the development account's path, e.g. `http://127.0.0.1:5123/devstoreaccount1`. */
  readonly blobEndpoint: string;
  /** The same as {@link StubServer.blobEndpoint}, for code that expects a `url`. */
  readonly url: string;
  /** Account name (always {@link AZURITE_ACCOUNT_NAME}). */
  readonly accountName: string;
  /** Account key (the public development key {@link AZURITE_ACCOUNT_KEY}); the stub checks no signature. */
  readonly accountKey: string;
  /** Whether the stub serves HTTPS. */
  readonly https: boolean;
  /** Every request received so far, in the order their bodies completed. */
  readonly requests: readonly StubRequest[];
  /**
   * Recorded requests whose client closed the connection before the response was complete: a
   * request left unanswered that the client gave up on (its timeout or `AbortSignal`). Neither a
   * handler that destroys its response nor {@link StubServer.stop} counts.
   */
  readonly cancelledByClient: number;
  /** Closes the server and every open connection, answered or not. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a loopback HTTP server on a free port that stands in for Azure Blob Storage in contract
 * tests: check the exact request the SDK sends and your handling of the documented response, for
 * what the emulator does not implement (soft delete, versions, archive rehydration, pending copies,
 * RBAC refusals...). Each request is read to its end, appended to {@link StubServer.requests}
 * and passed to `handler`, which writes the answer. The server listens on `127.0.0.1` only.
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 * import { startStubServer } from "@blobkit/testing";
 * import { expect } from "vitest";
 *
 * // Azure's documented answer to Create Container.
 * await using stub = await startStubServer((_request, response) => {
 *   response
 *     .writeHead(201, {
 *       "x-ms-request-id": "00000000-0000-0000-0000-000000000001",
 *       "x-ms-version": "2025-11-05",
 *       etag: '"0x8DC0000000000A1"',
 *       "last-modified": "Wed, 01 May 2024 10:00:00 GMT",
 *     })
 *     .end();
 * });
 * const service = await connect({ method: "emulator", emulator: stub, retry: { maxTries: 1 } });
 * await service.getContainerClient("reports").create();
 *
 * const [request] = stub.requests;
 * expect(request?.method).toBe("PUT");
 * expect(request?.url).toBe("/devstoreaccount1/reports?restype=container");
 * expect(request?.headers.authorization).toMatch(/^SharedKey devstoreaccount1:/);
 * ```
 */
export async function startStubServer(
  handler: StubHandler,
  options: StartStubServerOptions = {},
): Promise<StubServer> {
  const requests: StubRequest[] = [];
  let cancelledByClient = 0;
  let stopped = false;

  const answer = async (request: StubRequest, response: ServerResponse) => {
    try {
      await handler(request, response);
    } catch (error) {
      // A broken handler must show up in the test, not as a hang.
      if (response.headersSent) response.destroy();
      else
        response
          .writeHead(500, { "content-type": "text/plain" })
          .end(`stub handler failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  /** Counts the response if its client closes the connection before it is complete. */
  const watchCancellation = (response: ServerResponse) => {
    const socket = response.socket;
    if (!socket) return;
    // The client's FIN or reset shows on the socket before it closes; the server's own destroy()
    // (a handler's, or stop()'s) closes it without either.
    let closedByClient = false;
    const onClientClose = () => {
      closedByClient = true;
    };
    socket.once("end", onClientClose);
    socket.once("error", onClientClose);
    response.once("close", () => {
      socket.off("end", onClientClose);
      socket.off("error", onClientClose);
      if (closedByClient && !response.writableFinished && !stopped) cancelledByClient++;
    });
  };
  const onRequest = (req: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    // A client that gives up mid-body is not a request the handler can answer.
    req.on("error", () => {});
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = req.url ?? "/";
      // Prefixing (not a base URL) keeps a path such as `//a` a path rather than a host.
      const parsed = new URL(`http://127.0.0.1${url.startsWith("/") ? "" : "/"}${url}`);
      const account = `/${AZURITE_ACCOUNT_NAME}`;
      const request: StubRequest = {
        method: req.method ?? "GET",
        url,
        path: parsed.pathname,
        resourcePath:
          parsed.pathname === account
            ? "/"
            : parsed.pathname.startsWith(`${account}/`)
              ? parsed.pathname.slice(account.length)
              : parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(request);
      watchCancellation(response);
      void answer(request, response);
    });
  };

  const server: Server = options.https
    ? createHttpsServer(
        { cert: options.https.certificate, key: options.https.privateKey },
        onRequest,
      )
    : createHttpServer(onRequest);
  const { port, stop } = await listenOnLoopback(server, () => {
    stopped = true;
    server.closeAllConnections();
  });
  const blobEndpoint = `${options.https ? "https" : "http"}://127.0.0.1:${port}/${AZURITE_ACCOUNT_NAME}`;
  return {
    blobEndpoint,
    url: blobEndpoint,
    accountName: AZURITE_ACCOUNT_NAME,
    accountKey: AZURITE_ACCOUNT_KEY,
    https: options.https !== undefined,
    requests,
    get cancelledByClient() {
      return cancelledByClient;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
