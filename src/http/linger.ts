import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

/** How long a closing connection keeps reading what the client still sends (see lingerOnClose). */
export const LINGER_MS = 5_000;

/**
 * Makes the close of a connection answered before its request had fully arrived (a 413, or any
 * answer while shutting down) a clean one. Node closes such a connection as soon as the answer is
 * written; bytes the client is still sending then reach a closed socket, the kernel answers them
 * with a reset, and the client — still uploading — loses the answer (about 1 upload of 10 MB in 5
 * on loopback). As Apache's "lingering close" does: the rest of the body is read and dropped, the
 * answer goes out followed by FIN, and the socket is closed once the client has closed its side —
 * or after `lingerMs`, whichever comes first. Node's HTTP server ends a `Connection: close`
 * response with `socket.destroySoon()`; this replaces that method on this one socket.
 */
export function lingerOnClose(request: IncomingMessage, socket: Duplex & { destroySoon?: () => void }, lingerMs = LINGER_MS): void {
  request.removeAllListeners("data");
  request.resume();
  socket.destroySoon = () => closeWhenDrained(socket, lingerMs);
}

/** Ends our side (after what was written), then closes once the client has closed its side, or after `lingerMs`. */
export function closeWhenDrained(socket: Duplex, lingerMs = LINGER_MS): void {
  const close = () => (socket.writableFinished ? socket.destroy() : socket.once("finish", () => socket.destroy()));
  if (socket.writable) socket.end();
  if (socket.readableEnded) return void close();
  const timer = setTimeout(() => socket.destroy(), lingerMs);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  socket.once("end", close);
}
