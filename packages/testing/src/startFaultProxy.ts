// A fault-injecting HTTP proxy for tests: sits on loopback in front of an emulator and, by rule
// or at a seeded rate, resets connections, answers 500/503, delays or stalls responses, cuts a
// response mid-body, throttles bandwidth, or changes a byte of a response or request body on the
// way. Deterministic for a given seed and request order.
import {
  type ClientRequest,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { flipByte, offsetIn, seededRandom } from "./internal/faults.js";

/** The faults the proxy can inject. */
export type FaultKind =
  /** Destroy the client connection before answering (ECONNRESET for the client). */
  | "reset"
  /** Answer with an error status (default 503 ServerBusy) without forwarding. */
  | "status"
  /** Forward after a delay. */
  | "delay"
  /** Accept the request and never answer. */
  | "stall"
  /** Forward, send the headers and part of the body, then destroy the connection. */
  | "cut-body"
  /** Forward the response body at a limited rate. */
  | "throttle"
  /**
   * Forward the response with one byte of its body changed (headers untouched): what a client
   * that checks the blob's MD5 must catch.
   */
  | "corrupt-body"
  /**
   * Forward the request with one byte of its body changed (headers untouched): a request sent
   * with a `Content-MD5` or `x-ms-content-crc64` is refused by the service, one without is stored
   * corrupted.
   */
  | "corrupt-request";

/** One fault rule. The first matching rule that fires decides a request's fate. */
export interface FaultRule {
  /** Which fault to inject. */
  fault: FaultKind;
  /** Only requests with this method (e.g. `"GET"`). */
  method?: string;
  /** Only requests whose path and query match. */
  path?: RegExp;
  /** Only requests whose header `x-ms-range`/`range` is present (ranged reads). */
  ranged?: boolean;
  /**
   * Probability of firing for a matching request, drawn from the seeded generator.
   * @defaultValue 1
   */
  rate?: number;
  /** Fire at most this many times. */
  times?: number;
  /** Skip the first N matching requests. */
  after?: number;
  /** For `status`: the status to answer. @defaultValue 503 */
  status?: number;
  /** For `delay`: milliseconds to wait before forwarding. @defaultValue 1000 */
  delayMs?: number;
  /** For `cut-body`: bytes of body to forward before cutting; a fraction of the body if below 1. @defaultValue 0.5 */
  cutAfter?: number;
  /** For `throttle`: bytes per second. @defaultValue 1048576 */
  bytesPerSecond?: number;
  /**
   * For `corrupt-body` and `corrupt-request`: the offset in the body of the byte to change; a
   * fraction of the body if below 1. @defaultValue 0.5
   */
  corruptAt?: number;
}

/** Options for {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The rules, tried in order. */
  rules?: FaultRule[];
  /**
   * Seed of the random generator that decides `rate`-based faults.
   * @defaultValue 1
   */
  seed?: number;
  /** Cancels start-up. */
  signal?: AbortSignal;
}

/** Counts of what the proxy did. */
export interface FaultProxyStats {
  /** Requests received. */
  requests: number;
  /** Faults injected, by kind. */
  faults: Record<FaultKind, number>;
  /** Bytes of request bodies received (what clients uploaded through the proxy). */
  requestBodyBytes: number;
  /** Bytes of response bodies sent to clients. */
  responseBodyBytes: number;
}

/** A running proxy. Stop it with `await using` or {@link FaultProxy.stop}. */
export interface FaultProxy extends AsyncDisposable {
  /** The proxy's URL with the target's path, e.g. `http://127.0.0.1:5123/devstoreaccount1`. */
  readonly url: string;
  /** What it has done so far. */
  readonly stats: FaultProxyStats;
  /** Replaces the rules (e.g. to turn faults off mid-test). */
  setRules(rules: FaultRule[]): void;
  /** Closes the proxy and every connection. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a fault-injecting HTTP proxy on a free loopback port in front of `target` (an emulator's
 * blob endpoint). Point a client at {@link FaultProxy.url} instead of the emulator.
 *
 * @example
 * ```ts
 * import { connect } from "@blobkit/auth";
 * import { startAzurite, startFaultProxy } from "@blobkit/testing";
 *
 * await using azurite = await startAzurite();
 * await using proxy = await startFaultProxy(azurite.blobEndpoint, {
 *   seed: 42,
 *   rules: [
 *     { fault: "status", status: 503, rate: 0.05 },
 *     { fault: "cut-body", method: "GET", rate: 0.05 },
 *   ],
 * });
 * const service = await connect({ method: "emulator", emulator: { ...azurite, blobEndpoint: proxy.url } });
 * ```
 */
export async function startFaultProxy(
  target: string,
  options: FaultProxyOptions = {},
): Promise<FaultProxy> {
  options.signal?.throwIfAborted();
  const targetUrl = new URL(target);
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(targetUrl.hostname)) {
    throw new Error(`startFaultProxy only forwards to loopback targets, not ${targetUrl.hostname}`);
  }
  const send = targetUrl.protocol === "https:" ? httpsRequest : httpRequest;
  const random = seededRandom(options.seed ?? 1);
  let rules = options.rules ?? [];
  const fired = new Map<FaultRule, number>();
  const matched = new Map<FaultRule, number>();
  const stats: FaultProxyStats = {
    requests: 0,
    faults: {
      reset: 0,
      status: 0,
      delay: 0,
      stall: 0,
      "cut-body": 0,
      throttle: 0,
      "corrupt-body": 0,
      "corrupt-request": 0,
    },
    requestBodyBytes: 0,
    responseBodyBytes: 0,
  };
  const countRequestBody = (req: IncomingMessage) =>
    req.on("data", (chunk: Buffer) => {
      stats.requestBodyBytes += chunk.length;
    });
  const sockets = new Set<Socket>();
  const upstreams = new Set<ClientRequest>();

  const choose = (req: IncomingMessage): FaultRule | undefined => {
    for (const rule of rules) {
      if (rule.method && rule.method !== req.method) continue;
      if (rule.path && !rule.path.test(req.url ?? "")) continue;
      if (
        rule.ranged !== undefined &&
        rule.ranged !== Boolean(req.headers["x-ms-range"] ?? req.headers.range)
      )
        continue;
      const seen = (matched.get(rule) ?? 0) + 1;
      matched.set(rule, seen);
      if (seen <= (rule.after ?? 0)) continue;
      if (rule.times !== undefined && (fired.get(rule) ?? 0) >= rule.times) continue;
      // Draw for every matching request, so the sequence of decisions depends only on the seed.
      if (random() >= (rule.rate ?? 1)) continue;
      fired.set(rule, (fired.get(rule) ?? 0) + 1);
      return rule;
    }
    return undefined;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, rule: FaultRule | undefined) => {
    const upstream = send(
      {
        host: targetUrl.hostname.replace(/^\[|\]$/g, ""),
        port: targetUrl.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: targetUrl.host },
        ...(targetUrl.protocol === "https:" ? { rejectUnauthorized: false } : {}),
      },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        res.flushHeaders();
        if (rule?.fault === "cut-body") {
          const length = Number(upstreamResponse.headers["content-length"] ?? 0);
          const configured = rule.cutAfter ?? 0.5;
          const limit = configured < 1 ? Math.floor(length * configured) : configured;
          if (limit <= 0) {
            upstreamResponse.destroy();
            setImmediate(() => res.socket?.destroy());
            return;
          }
          let sent = 0;
          upstreamResponse.on("data", (chunk: Buffer) => {
            if (sent >= limit) return;
            const part = chunk.subarray(0, Math.max(0, limit - sent));
            sent += part.length;
            stats.responseBodyBytes += part.length;
            const cut = sent >= limit;
            if (cut) upstreamResponse.destroy();
            // Destroy only once the part is on the wire, so the client sees exactly `limit` bytes.
            res.write(part, () => {
              if (cut) res.socket?.destroy();
            });
          });
          upstreamResponse.on("end", () => res.end());
          return;
        }
        if (rule?.fault === "throttle") {
          const rate = rule.bytesPerSecond ?? 1_048_576;
          upstreamResponse.on("data", (chunk: Buffer) => {
            upstreamResponse.pause();
            stats.responseBodyBytes += chunk.length;
            res.write(chunk);
            setTimeout(() => upstreamResponse.resume(), (chunk.length / rate) * 1000).unref();
          });
          upstreamResponse.on("end", () => res.end());
          return;
        }
        upstreamResponse.on("data", (chunk: Buffer) => {
          stats.responseBodyBytes += chunk.length;
        });
        if (rule?.fault === "corrupt-body") {
          const length = Number(upstreamResponse.headers["content-length"] ?? 0);
          upstreamResponse.pipe(flipByte(offsetIn(length, rule.corruptAt))).pipe(res);
          return;
        }
        upstreamResponse.pipe(res);
      },
    );
    upstreams.add(upstream);
    upstream.on("close", () => upstreams.delete(upstream));
    upstream.on("error", () => res.socket?.destroy());
    countRequestBody(req);
    if (rule?.fault === "corrupt-request") {
      const length = Number(req.headers["content-length"] ?? 0);
      req.pipe(flipByte(offsetIn(length, rule.corruptAt))).pipe(upstream);
      return;
    }
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    stats.requests++;
    const rule = choose(req);
    if (rule) stats.faults[rule.fault]++;
    switch (rule?.fault) {
      case "reset":
        req.socket.resetAndDestroy();
        return;
      case "status":
        countRequestBody(req);
        req.resume();
        req.on("end", () => {
          res.writeHead(rule.status ?? 503, {
            "x-ms-error-code": (rule.status ?? 503) === 503 ? "ServerBusy" : "InternalError",
            "content-length": "0",
          });
          res.end();
        });
        return;
      case "stall":
        countRequestBody(req);
        req.resume();
        return;
      case "delay":
        setTimeout(() => forward(req, res, undefined), rule.delayMs ?? 1_000).unref();
        return;
      default:
        forward(req, res, rule);
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as { port: number };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= new Promise<void>((resolve) => {
      for (const upstream of upstreams) upstream.destroy();
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
    return stopping;
  };
  return {
    url: `http://127.0.0.1:${port}${targetUrl.pathname.replace(/\/$/, "")}`,
    stats,
    setRules(next) {
      rules = next;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
