// What the stub and the silent test servers share: listening on a free loopback port, tracking
// every connection at the TCP level (so that stop() also closes those still in a TLS handshake),
// and a stop() that closes the server and destroys its connections, once.
import type { Server, Socket } from "node:net";

export interface Listening {
  port: number;
  /** Closes the server and destroys every open connection; the same promise on every call. */
  stop(): Promise<void>;
}

export async function listenOnLoopback(
  server: Server,
  beforeStop: () => void = () => {},
): Promise<Listening> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as { port: number };
  let stopping: Promise<void> | undefined;
  const stop = () => {
    beforeStop();
    stopping ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return stopping;
  };
  return { port, stop };
}
