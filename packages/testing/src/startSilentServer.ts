// A loopback server that accepts connections and never answers: the service that hangs, for tests
// of per-try timeouts, retries and cancellation. It works at the TCP level, so no HTTP server
// timeout (Node's `requestTimeout`, `headersTimeout`) ever answers in its place.
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { listenOnLoopback } from "./internal/loopback.js";
import { AZURITE_ACCOUNT_KEY, AZURITE_ACCOUNT_NAME } from "./startAzurite.js";

/** Options for {@link startSilentServer}. */
export interface StartSilentServerOptions {
  /**
   * Read and discard whatever clients send (request line, headers and bodies), so an upload is
   * sent in full and the client waits only for an answer. With `false` nothing is read: once the
   * socket buffers are full, a large upload stalls mid-body, like a server that stopped reading.
   * @defaultValue true
   */
  drain?: boolean;
  /**
   * Complete TLS handshakes with this PEM certificate and private key, so an HTTPS client gets as
   * far as sending its request (and its token) before the silence starts. The client must trust
   * the certificate, e.g. reuse the HTTPS emulator's `certificate` and `certificateKey`, which
   * are trusted in-process. Without it, an HTTPS client waits in its handshake instead.
   */
  https?: {
    /** PEM certificate (chain) for `127.0.0.1`. */
    certificate: string;
    /** PEM private key of the certificate. */
    privateKey: string;
  };
}

/**
 * A running silent server. It has the shape `connect({ method: "emulator", emulator })` of
 * `@blobkit/auth` expects. Stop it with `await using` or {@link SilentServer.stop}.
 */
export interface SilentServer extends AsyncDisposable {
  /** Blob endpoint with the development account's path, e.g. `http://127.0.0.1:5123/devstoreaccount1`. */
  readonly blobEndpoint: string;
  /** The same as {@link SilentServer.blobEndpoint}, for code that expects a `url`. */
  readonly url: string;
  /** The loopback port it listens on, to build other URLs (another scheme, another path). */
  readonly port: number;
  /** Account name (always {@link AZURITE_ACCOUNT_NAME}). */
  readonly accountName: string;
  /** Account key (the public development key {@link AZURITE_ACCOUNT_KEY}); nothing checks it. */
  readonly accountKey: string;
  /** Whether it completes TLS handshakes (see {@link StartSilentServerOptions.https}). */
  readonly https: boolean;
  /**
   * Connections accepted so far (with `https`: those whose TLS handshake completed). A client
   * that retries after a per-try timeout opens a new one per try.
   */
  readonly connections: number;
  /** Closes the server and destroys every open connection. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a server on a free loopback port (`127.0.0.1`) that accepts every connection and never
 * sends a byte back: the client's request goes out, and no status, header or error ever comes.
 * Use it to check that an operation fails in bounded time instead of hanging, and that a
 * caller's `AbortSignal` ends the wait.
 *
 * @example
 * ```ts
 * import { connect, diagnoseConnection } from "@blobkit/auth";
 * import { startSilentServer } from "@blobkit/testing";
 * import { expect } from "vitest";
 *
 * await using silent = await startSilentServer();
 * const service = await connect({
 *   method: "emulator",
 *   emulator: silent,
 *   retry: { maxTries: 2, tryTimeoutMs: 200, retryDelayMs: 10 },
 * });
 * const { error } = await diagnoseConnection(service);
 * expect(error?.code).toBe("Timeout");
 * expect(silent.connections).toBe(2);
 * ```
 */
export async function startSilentServer(
  options: StartSilentServerOptions = {},
): Promise<SilentServer> {
  const drain = options.drain ?? true;
  let connections = 0;

  const onAccepted = (socket: Socket) => {
    connections++;
    // A client that gives up resets the connection: that is its business, not an error here.
    socket.on("error", () => {});
    if (drain) socket.resume();
  };
  const server: Server = options.https
    ? createTlsServer(
        { cert: options.https.certificate, key: options.https.privateKey },
        onAccepted,
      )
    : createTcpServer(onAccepted);
  // A client that drops its TLS handshake (e.g. on its own timeout) is not an error either.
  server.on("tlsClientError", () => {});
  const { port, stop } = await listenOnLoopback(server);
  const blobEndpoint = `${options.https ? "https" : "http"}://127.0.0.1:${port}/${AZURITE_ACCOUNT_NAME}`;
  return {
    blobEndpoint,
    url: blobEndpoint,
    port,
    accountName: AZURITE_ACCOUNT_NAME,
    accountKey: AZURITE_ACCOUNT_KEY,
    https: options.https !== undefined,
    get connections() {
      return connections;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
