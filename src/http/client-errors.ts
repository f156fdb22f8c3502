import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { errorBody, type ErrorReply, type HttpErrorCode } from "./errors.js";
import { closeWhenDrained, lingerOnClose } from "./linger.js";

/** Sockets already answered: the parser reports every later chunk as the same error again. */
const answered = new WeakSet<Duplex>();

/**
 * Node's own answers to requests its parser refuses have empty bodies; these carry the same JSON
 * error body as every other failure (`{"Status":"Error","Message",…}`), then close the connection.
 */
export function answerClientError(
  error: ParserError,
  socket: Duplex,
  log: (line: string) => void,
  refuseMethod?: (target: string, method: string) => ErrorReply,
): void {
  if (answered.has(socket)) return;
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
  if (error.code === "HPE_INVALID_METHOD" && refuseMethod !== undefined && inFlight === undefined && socket.writable && unknownMethod(error, socket, log, refuseMethod)) return;
  answered.add(socket);
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
  // An HTTP/2 client with prior knowledge (h2c, no TLS) opens with `PRI * HTTP/2.0`: as Kestrel
  // does, it is told in its own protocol that the server speaks HTTP/1.1 (RFC 9113 §6.8, GOAWAY).
  if (error.code === "HPE_PAUSED_H2_UPGRADE" && isHttp2Preface(error, socket)) {
    log(`${new Date().toISOString()} PRI * - - user=- an HTTP/2 connection without TLS: answered GOAWAY HTTP_1_1_REQUIRED (tix speaks HTTP/1.1)`);
    socket.end(HTTP2_GOAWAY_HTTP_1_1_REQUIRED);
    closeWhenDrained(socket);
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

/** Every method some route answers, as `OPTIONS *` and a CONNECT's 405 name them. */
export const SERVER_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";

/**
 * A CONNECT request (a client that takes tix for a proxy): Node, with no listener for it, closed the
 * connection without a word; it gets a 405 with the JSON error body, as any method tix does not answer.
 */
export function answerConnect(request: IncomingMessage, socket: Duplex, log: (line: string) => void): void {
  if (request.httpVersionMajor !== 1 || request.httpVersionMinor > 1) {
    log(`${new Date().toISOString()} CONNECT ${request.url} 505 - user=-`);
    return answerOnSocket(socket, 505, JSON.stringify(errorBody("HTTP_VERSION_NOT_SUPPORTED", unsupportedVersion(request.httpVersion))));
  }
  const message = `tix is not a proxy: it answers ${SERVER_METHODS} on its own paths (see docs/http.md), not CONNECT ${request.url}`;
  log(`${new Date().toISOString()} CONNECT ${request.url} 405 - user=-`);
  answerOnSocket(socket, 405, JSON.stringify(errorBody("METHOD_NOT_ALLOWED", message)), [`Allow: ${SERVER_METHODS}`]);
}

/** The start of a request whose method Node's parser does not know, while its request line arrives. */
const requestLines = new WeakMap<Duplex, Buffer>();

/** A request line's longest wait: past it (no line end), the request is malformed, 400. */
const MOST_REQUEST_LINE = 8_192;

/** `FOO /events HTTP/1.1`: a method (RFC 9110 §9.1, a token), the target, HTTP/1.0 or 1.1. */
const REQUEST_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) HTTP\/1\.[01]\r?$/;

/**
 * A method Node's parser does not know (`FOO`, `BREW`, `get`: it knows a fixed list, and refuses
 * the rest as HPE_INVALID_METHOD, which was a 400 "not valid HTTP/1.1") is a well-formed request
 * all the same (RFC 9110 §9.1: a method is any token): answered as a method the parser knows and
 * no route has (`TRACE`), 405 with `Allow` on a path a route has, 404 on another, as Kestrel and
 * ASP.NET's routing answer it. The request line is read as it arrives (each later chunk comes
 * here as the same error); false when it is no request line, for the parser's own 400. The
 * connection closes after the answer: the parser cannot read past the request.
 */
function unknownMethod(error: ParserError, socket: Duplex, log: (line: string) => void, refuseMethod: (target: string, method: string) => ErrorReply): boolean {
  const received = requestLines.get(socket);
  const head = received === undefined ? error.rawPacket ?? Buffer.alloc(0) : Buffer.concat([received, error.rawPacket ?? Buffer.alloc(0)]);
  const lineEnd = head.indexOf(0x0a);
  if (lineEnd < 0 && head.length < MOST_REQUEST_LINE) {
    requestLines.set(socket, head);
    return true;
  }
  requestLines.delete(socket);
  const line = REQUEST_LINE.exec(head.subarray(0, lineEnd < 0 ? 0 : lineEnd).toString("latin1"));
  if (!line) return false;
  answered.add(socket);
  const [, method, target] = line as unknown as [string, string, string];
  const { status, headers, body } = refuseMethod(target, method);
  log(`${new Date().toISOString()} ${method} ${target} ${status} - user=- a method Node's HTTP parser does not know`);
  answerOnSocket(socket, status, JSON.stringify(body), Object.entries(headers).filter(([name]) => name !== "Connection").map(([name, value]) => `${name}: ${value}`));
  return true;
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

/** Why a request line's HTTP version is refused (505). */
export function unsupportedVersion(version: string | undefined): string {
  return `${version === undefined ? "the request's HTTP version" : `HTTP/${version}`} is not supported; send the request as HTTP/1.1 (or HTTP/1.0)`;
}

/** The HTTP/2 client preface's first line, `PRI * HTTP/2.0`, as the first bytes of its connection. */
function isHttp2Preface(error: ParserError, socket: Duplex): boolean {
  const raw = error.rawPacket;
  return raw !== undefined && raw.subarray(0, HTTP2_PREFACE_LINE.length).equals(HTTP2_PREFACE_LINE) && (socket as Duplex & { bytesRead?: number }).bytesRead === raw.length;
}

const HTTP2_PREFACE_LINE = Buffer.from("PRI * HTTP/2.0\r\n");

/** An HTTP/2 GOAWAY frame (RFC 9113 §6.8): length 8, type 7, no flags, stream 0; last stream 0, error HTTP_1_1_REQUIRED (0xd). */
const HTTP2_GOAWAY_HTTP_1_1_REQUIRED = Buffer.from([0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0d]);

/** The parts of Node's parser errors read here. */
type ParserError = Error & { code?: string; reason?: string; rawPacket?: Buffer };

function describe(error: ParserError): { status: number; code: HttpErrorCode; message: string } {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return { status: 431, code: "HEADERS_TOO_LARGE", message: "the request's headers are too large" };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return { status: 413, code: "PAYLOAD_TOO_LARGE", message: "the request's chunk extensions are too large" };
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, code: "REQUEST_TIMEOUT", message: "the request did not arrive in time; send it again" };
    // A well-formed version other than those Node's parser takes (HTTP/1.2, HTTP/3.0): 505, as
    // Kestrel answers any version but 1.0 and 1.1 (server.ts, versionRefusal); a malformed one
    // (HTTP/1.10, HTTP/2) is a malformed request line, 400, as Kestrel answers it too.
    case "HPE_INVALID_VERSION":
    case "HPE_PAUSED_H2_UPGRADE": {
      if (error.code === "HPE_PAUSED_H2_UPGRADE" || error.reason === "Invalid HTTP version") {
        return { status: 505, code: "HTTP_VERSION_NOT_SUPPORTED", message: unsupportedVersion(requestLineVersion(error.rawPacket)) };
      }
      return { status: 400, code: "INVALID_ARGUMENT", message: `the request is not valid HTTP/1.1 (${error.code})` };
    }
    default:
      return { status: 400, code: "INVALID_ARGUMENT", message: `the request is not valid HTTP/1.1 (${error.code ?? error.message})` };
  }
}

/** `1.2` from a request line ending in ` HTTP/1.2`, if the packet starts with one. */
function requestLineVersion(raw: Buffer | undefined): string | undefined {
  const line = raw?.subarray(0, 8_192).toString("latin1").split("\n", 1)[0];
  return line === undefined ? undefined : / HTTP\/(\d\.\d)\r?$/.exec(line)?.[1];
}
