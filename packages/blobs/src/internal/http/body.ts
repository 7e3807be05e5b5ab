// The body of a response the fast client reads: framed by Content-Length, chunked encoding or the
// end of the connection, handed out as pieces lent from the connection's read buffer, and the
// connection given back for reuse only once the reader is done with the last piece.
import { abortError } from "@blobkit/auth/kit";
import { type Connection, connectionError } from "./connection.js";

/** The body of a streamed response, read piece by piece. */
export interface BorrowedBody {
  /**
   * The next piece of the body, or `undefined` at its end. The piece is lent: it is valid until
   * the next call, after which its memory holds the next piece. Copy what you keep.
   */
  next(): Promise<Buffer | undefined>;
  /** Stops reading and drops the connection (an early stop or a failure). */
  destroy(error?: Error): void;
  /**
   * The reader is done with the last piece: the connection is reused if the body was read to its
   * end, dropped otherwise. (Never before: the next response would overwrite the lent piece.)
   */
  release(): void;
}

/** Reads a chunked body's framing out of borrowed pieces, lending the data parts. */
class ChunkedDecoder {
  #left = 0;
  #line = "";
  #state: "size" | "data" | "data-crlf" | "trailer" | "done" = "size";

  get done(): boolean {
    return this.#state === "done";
  }

  /** Splits `piece` into data parts (views) and advances the framing. */
  feed(piece: Buffer): Buffer[] {
    const parts: Buffer[] = [];
    let at = 0;
    while (at < piece.length && this.#state !== "done") {
      if (this.#state === "data") {
        const take = Math.min(this.#left, piece.length - at);
        parts.push(piece.subarray(at, at + take));
        at += take;
        this.#left -= take;
        if (this.#left === 0) this.#state = "data-crlf";
        continue;
      }
      const newline = piece.indexOf(10, at);
      const end = newline < 0 ? piece.length : newline + 1;
      this.#line += piece.toString("latin1", at, end);
      at = end;
      if (newline < 0) continue;
      const line = this.#line.trim();
      this.#line = "";
      if (this.#state === "size") {
        this.#left = Number.parseInt(line.split(";")[0] ?? "", 16);
        if (!Number.isFinite(this.#left)) throw connectionError("bad chunked encoding", "EPROTO");
        this.#state = this.#left === 0 ? "trailer" : "data";
      } else if (this.#state === "data-crlf") {
        this.#state = "size";
      } else if (line === "") {
        this.#state = "done";
      }
    }
    return parts;
  }
}

export function borrowedBody(
  connection: Connection,
  headers: [string, string][],
  status: number,
  first: Buffer,
  signal: AbortSignal | undefined,
  onAbort: () => void,
  park: (connection: Connection) => void,
): BorrowedBody {
  const header = (name: string) =>
    headers.find(([key]) => key.toLowerCase() === name)?.[1]?.toLowerCase();
  const chunked = header("transfer-encoding")?.includes("chunked") === true;
  const length = Number(header("content-length") ?? Number.NaN);
  const keepAlive = header("connection") !== "close";
  const noBody = status === 204 || status === 304 || (status >= 100 && status < 200);
  let left = noBody
    ? 0
    : chunked
      ? Number.POSITIVE_INFINITY
      : Number.isFinite(length)
        ? length
        : Number.POSITIVE_INFINITY;
  const decoder = chunked ? new ChunkedDecoder() : undefined;
  const untilClose = !chunked && !Number.isFinite(length) && !noBody;
  let pending: Buffer[] = [];
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    signal?.removeEventListener("abort", onAbort);
    if (keepAlive && !untilClose) park(connection);
    else connection.destroy();
  };
  /** Turns raw data into body parts, counting the framing down. */
  const accept = (data: Buffer): Buffer[] => {
    if (decoder) {
      const parts = decoder.feed(data);
      if (decoder.done) left = 0;
      return parts;
    }
    if (untilClose) return data.length > 0 ? [data] : [];
    const take = Math.min(left, data.length);
    left -= take;
    if (data.length > take) connection.destroy(); // more than announced: never reuse it
    return take > 0 ? [data.subarray(0, take)] : [];
  };
  pending = first.length > 0 ? accept(first) : [];
  return {
    next: () => {
      const ready = pending.shift();
      if (ready) return Promise.resolve(ready);
      if (left === 0 || finished) {
        finish();
        return Promise.resolve(undefined);
      }
      return new Promise<Buffer | undefined>((resolve, reject) => {
        const read = () =>
          connection.readBody(
            (data) => {
              let parts: Buffer[];
              try {
                parts = accept(data);
              } catch (error) {
                connection.destroy();
                reject(error);
                return;
              }
              pending = parts;
              const piece = pending.shift();
              if (piece) {
                resolve(piece);
              } else if (left === 0) {
                finish();
                resolve(undefined);
              } else {
                read();
              }
            },
            (error) => {
              if (
                untilClose &&
                !signal?.aborted &&
                (error as { code?: string }).code === "ECONNRESET"
              ) {
                // A body framed by the end of the connection ends with it.
                left = 0;
                finish();
                resolve(undefined);
                return;
              }
              reject(signal?.aborted ? abortError() : error);
            },
          );
        read();
      });
    },
    destroy: (error?: Error) => {
      if (finished) return;
      finished = true;
      signal?.removeEventListener("abort", onAbort);
      connection.destroy(error);
    },
    release: () => {
      if (left === 0 && pending.length === 0) finish();
      else if (!finished) {
        finished = true;
        signal?.removeEventListener("abort", onAbort);
        connection.destroy();
      }
    },
  };
}
