// One keep-alive HTTP/1.1 connection of the fast client: its socket reads into one reused buffer
// (Node's `onread`), paused after each read until the reader is done with it; the response head
// is parsed here, with header names kept as the server wrote them.
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { PipelineRequest } from "@azure/core-rest-pipeline";

const READ_BUFFER = 1024 * 1024;
/** An idle connection is closed after this long (Azure's front ends keep them ~4 minutes). */
const IDLE_MS = 4_000;
const MAX_HEADER_BYTES = 256 * 1024;

/** The error of a connection that failed, in the shape the retry policy classifies (`code`). */
export function connectionError(message: string, code = "ECONNRESET"): Error {
  return Object.assign(new Error(message), { code });
}

type Phase = "idle" | "head" | "body" | "done";

/** One keep-alive connection with its read buffer and the response being read on it. */
export class Connection {
  readonly origin: string;
  readonly socket: Socket;
  phase: Phase = "idle";
  /** Whether a response has been read on it before (a reused connection may be stale). */
  used = false;
  /** Whether the current request got any byte of an answer. */
  answered = false;
  #head: Buffer[] = [];
  #headBytes = 0;
  #onHead: ((head: Buffer, rest: Buffer) => void) | undefined;
  #onBody: ((piece: Buffer) => void) | undefined;
  /** Body data that arrived while nobody was waiting (copied: the read buffer is reused). */
  #stash: Buffer[] = [];
  #failure: ((error: Error) => void) | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #ended = false;
  closed = false;

  constructor(origin: string, url: URL, request: PipelineRequest) {
    this.origin = origin;
    const onread = {
      buffer: Buffer.allocUnsafe(READ_BUFFER),
      callback: (nread: number, buffer: Uint8Array) => {
        this.#data(Buffer.from(buffer.buffer, buffer.byteOffset, nread));
        return true;
      },
    };
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const host = url.hostname.replace(/^\[|\]$/g, "");
    this.socket =
      url.protocol === "https:"
        ? tlsConnect({
            host,
            port,
            ALPNProtocols: ["http/1.1"],
            ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
            ...(request.tlsSettings ?? {}),
            // Node's tls.connect takes net's `onread` (it builds on net.Socket); the types omit it.
            ...({ onread } as object),
          })
        : netConnect({ host, port, onread });
    this.socket.setNoDelay(true);
    this.socket.on("error", (error) => this.#fail(error));
    this.socket.on("end", () => {
      this.#ended = true;
      this.#fail(connectionError("the server closed the connection"));
    });
    this.socket.on("close", () => {
      this.closed = true;
      this.#fail(connectionError("the connection closed"));
    });
  }

  /** Sends `head` (the request line and headers) and resolves with the response head. */
  send(head: string): Promise<{ head: Buffer; rest: Buffer }> {
    clearTimeout(this.#idleTimer);
    this.socket.ref();
    this.phase = "head";
    this.answered = false;
    this.#head = [];
    this.#headBytes = 0;
    return new Promise((resolve, reject) => {
      this.#onHead = (head, rest) => resolve({ head, rest });
      this.#failure = reject;
      this.socket.write(head);
      this.socket.resume();
    });
  }

  /** Waits for the next data of the body; `deliver` gets it while the socket is paused. */
  readBody(deliver: (piece: Buffer) => void, fail: (error: Error) => void): void {
    const stashed = this.#stash.shift();
    if (stashed) {
      deliver(stashed);
      return;
    }
    this.#onBody = deliver;
    this.#failure = fail;
    if (this.#ended || this.closed) {
      this.#fail(connectionError("the connection closed before the body ended"));
      return;
    }
    this.socket.resume();
  }

  /** Back to the pool's idle state, closed after `IDLE_MS` without use. */
  park(onExpire: () => void): void {
    this.phase = "idle";
    this.used = true;
    this.#onBody = undefined;
    this.#failure = undefined;
    this.#stash = [];
    this.socket.pause();
    this.socket.unref();
    this.#idleTimer = setTimeout(onExpire, IDLE_MS).unref();
  }

  destroy(error?: Error): void {
    clearTimeout(this.#idleTimer);
    this.closed = true;
    this.phase = "done";
    this.socket.destroy(error);
  }

  #data(data: Buffer): void {
    this.answered = true;
    if (this.phase === "head") {
      // A head that arrives whole in one read (the usual case) is lent like the body: the socket
      // is paused below, so the read buffer is not reused until the reader has parsed it.
      this.#head.push(data);
      this.#headBytes += data.length;
      const all = this.#head.length === 1 ? data : Buffer.concat(this.#head);
      const end = all.indexOf("\r\n\r\n");
      if (end < 0) {
        // The next read reuses the buffer: what came so far is kept as a copy (concat copies).
        this.#head = [all === data ? Buffer.from(data) : all];
        if (this.#headBytes > MAX_HEADER_BYTES) {
          this.#fail(connectionError("the response headers are larger than 256 KiB", "EPROTO"));
        }
        return;
      }
      // The body's first bytes came with the head: lend them like any other piece.
      const restStart = end + 4 - (this.#headBytes - data.length);
      const rest = restStart >= 0 ? data.subarray(restStart) : Buffer.alloc(0);
      this.socket.pause();
      this.phase = "body";
      const onHead = this.#onHead;
      this.#onHead = undefined;
      onHead?.(all.subarray(0, end), rest);
      return;
    }
    if (this.phase === "body") {
      this.socket.pause();
      const deliver = this.#onBody;
      this.#onBody = undefined;
      if (deliver) deliver(data);
      else this.#stash.push(Buffer.from(data));
      return;
    }
    // Data while idle or after the body: the server broke the protocol; never reuse this one.
    this.destroy();
  }

  #fail(error: Error): void {
    const fail = this.#failure;
    this.#failure = undefined;
    this.#onHead = undefined;
    this.#onBody = undefined;
    if (this.phase !== "idle") this.destroy();
    fail?.(error);
  }
}

/** Parses the status line and headers; header names keep their case in `rawNames`. */
export function parseHead(head: Buffer): { status: number; headers: [string, string][] } {
  const lines = head.toString("latin1").split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
  if (!status?.[1]) throw connectionError("the server did not answer with HTTP/1.1", "EPROTO");
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { status: Number(status[1]), headers };
}
