import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { errorBody, type HttpErrorCode } from "./errors.js";
import { closeWhenDrained, lingerOnClose } from "./linger.js";

/** Sockets already answered: the parser reports every later chunk as the same error again. */
const answered = new WeakSet<Duplex>();

/**
 * Node's own answers to requests its parser refuses have empty bodies; these carry the same JSON
 * error body as every other failure (`{"Status":"Error","Message",…}`), then close the connection.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex, log: (line: string) => void): void {
  if (answered.has(socket)) return;
  answered.add(socket);
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
  // The client closed its side mid-request (EOF) or reset: nobody is left to answer.
  if (error.code === "ECONNRESET" || error.code === "HPE_INVALID_EOF_STATE" || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  // Bytes after the last request of a connection (`Connection: close`, or HTTP/1.0): that request
  // was whole and is being answered; what follows it is not processed (RFC 9112 §9.6) and is
  // dropped, and the connection closes after that answer. Answering 400 here instead told the
  // client its request was refused while it was carried out (the event created, the seat held).
  if (error.code === "HPE_CLOSED_CONNECTION") {
    if (inFlight === undefined) closeWhenDrained(socket);
    return;
  }
  const { status, code, message } = describe(error);
  log(`${new Date().toISOString()} - - ${status} - user=- refused by the HTTP parser: ${error.code ?? error.message}`);
  const text = JSON.stringify(errorBody(code, message));
  if (inFlight) {
    // A request is being handled (its body was too slow): answer through its response.
    lingerOnClose(inFlight.req, socket);
    inFlight.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), Connection: "close" });
    inFlight.end(text);
  } else {
    // The client may still be sending: what arrives is dropped (the parser reports it as the same
    // error again) until it closes its side, so it gets the answer rather than a reset.
    answerOnSocket(socket, status, text);
  }
}

/**
 * A CONNECT request (a client that takes tix for a proxy): Node, with no listener for it, closed the
 * connection without a word; it gets a 405 with the JSON error body, as any method tix does not answer.
 */
export function answerConnect(request: IncomingMessage, socket: Duplex, log: (line: string) => void): void {
  const allowed = "GET, HEAD, POST, PUT, PATCH, DELETE";
  const message = `tix is not a proxy: it answers ${allowed} on its own paths (see docs/http.md), not CONNECT ${request.url}`;
  log(`${new Date().toISOString()} CONNECT ${request.url} 405 - user=-`);
  answerOnSocket(socket, 405, JSON.stringify(errorBody("METHOD_NOT_ALLOWED", message)), [`Allow: ${allowed}`]);
}

/** Writes a whole answer on a socket no response owns, then closes it once the client has closed its side. */
function answerOnSocket(socket: Duplex, status: number, text: string, headers: readonly string[] = []): void {
  socket.end([
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    "Content-Type: application/json; charset=utf-8",
    `Content-Length: ${Buffer.byteLength(text)}`,
    "Cache-Control: no-store",
    ...headers,
    "Connection: close",
    "",
    text,
  ].join("\r\n"));
  closeWhenDrained(socket);
}

function describe(error: Error & { code?: string }): { status: number; code: HttpErrorCode; message: string } {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return { status: 431, code: "HEADERS_TOO_LARGE", message: "the request's headers are too large" };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return { status: 413, code: "PAYLOAD_TOO_LARGE", message: "the request's chunk extensions are too large" };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, code: "REQUEST_TIMEOUT", message: "the request did not arrive in time; send it again" };
    default:
      return { status: 400, code: "INVALID_ARGUMENT", message: `the request is not valid HTTP/1.1 (${error.code ?? error.message})` };
  }
}
