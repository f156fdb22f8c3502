import type { IncomingMessage } from "node:http";
import { TixError, invalidArgument, overflowingNumber, repeatedName } from "../core/index.js";
import { HttpError } from "./errors.js";
import type { JsonObject } from "./shapes.js";

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** The client went away before its request had arrived: there is nobody to answer. */
export class ClientGone extends Error {
  constructor(cause: unknown) {
    super("the client closed the connection before its request had arrived", { cause });
    this.name = "ClientGone";
  }
}

/**
 * Reads a JSON object body of at most `limit` bytes; an empty body (or JSON's null) is `{}`. A declared length over
 * the limit is refused before reading a byte (and before `ready`, which sends `100 Continue` to a
 * client waiting for it); a body that grows past it is refused as it arrives. A 413 closes the
 * connection: the server drains what the client still sends first (see linger.ts).
 */
export async function readJsonBody(request: IncomingMessage, limit: number, ready: () => void = () => undefined): Promise<JsonObject> {
  const tooLarge = () =>
    new HttpError("PAYLOAD_TOO_LARGE", `the request body is larger than ${limit} bytes`, { Connection: "close" });
  const declared = request.headers["content-length"];
  // No body (RFC 9112 §6.3: neither a length nor a transfer coding, or a length of 0): nothing to wait for.
  if ((declared === undefined && request.headers["transfer-encoding"] === undefined) || declared === "0") return {};
  // Node keeps the first of two Content-Types in silence: `application/json` then `text/plain` passed.
  const types = request.headersDistinct["content-type"] ?? [];
  if (types.length > 1) throw invalidArgument("Content-Type", "given more than once; send it once");
  // A chunked body may still turn out empty (Node's http.request after flushHeaders(), a client
  // that streams its body; a seed client POSTing to purchase with nothing to say): empty, it is
  // none and needs no type, as with Content-Length: 0 (it was 415 "Content-Type: missing"). Its
  // type is refused at its first byte — or at once when the client waits for 100 Continue, so a
  // refused body is never invited.
  const typeRefusal = refusal(() => checkJsonType(types[0], request.method === "PATCH"));
  if (typeRefusal !== undefined && (declared !== undefined || /100-continue/i.test(request.headers.expect ?? ""))) throw typeRefusal;
  // A compressed body (curl --compressed-request, an SDK's gzip option) was read as text: 400
  // "not valid UTF-8". RFC 7694: an unsupported content coding is 415.
  const coding = request.headers["content-encoding"]?.trim() ?? "";
  if (coding !== "" && coding.toLowerCase() !== "identity") {
    throw new HttpError("UNSUPPORTED_MEDIA_TYPE", `Content-Encoding: "${coding}" is not supported; send the body uncompressed`);
  }
  checkTransferCoding(request.headers["transfer-encoding"]);
  if (Number(declared ?? 0) > limit) throw tooLarge();
  if (typeRefusal !== undefined) {
    // Any byte refuses it; the rest is read and dropped before the connection closes (linger.ts).
    await readBytes(request, 0, () => new HttpError(typeRefusal.code, typeRefusal.message, { ...typeRefusal.headers, Connection: "close" }));
    return {};
  }
  ready();
  const bytes = await readBytes(request, limit, tooLarge);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    // Latin-1 é (E9) was read as U+FFFD, and "Caf\uFFFD" stored as the event's name.
    throw invalidArgument("body", "is not valid UTF-8; send JSON in UTF-8");
  }
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidArgument("body", "is not valid JSON");
  }
  // A client with nothing to say may still send JSON's null (.NET's PostAsJsonAsync(url, null)): no body.
  if (body === null) return {};
  if (typeof body !== "object" || Array.isArray(body)) throw invalidArgument("body", "must be a JSON object");
  // As sent (`capacity`, `TicketTypes[1].Price`): JSON.parse kept the last of two in silence.
  const repeated = repeatedName(text);
  if (repeated !== undefined) throw new TixError("INVALID_ARGUMENT", `${repeated}: given more than once in the body; send it once`);
  // JSON.parse reads a number beyond a double's range (1e400) as Infinity, and the message said
  // "got Infinity", a value the client never sent: it is named as sent.
  if (/\d[eE][+]?\d{3}|\d{309}/.test(text)) {
    const huge = overflowingNumber(text);
    if (huge !== undefined) throw new TixError("INVALID_ARGUMENT", `${huge.path}: ${huge.literal} is a number too large; send one of ordinary size`);
  }
  return body as JsonObject;
}

/** The HTTP failure `check` throws, or undefined when it passes. */
function refusal(check: () => void): HttpError | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
}

/**
 * Only `chunked` is understood. Node's parser takes `gzip, chunked` (chunked last) and hands over the
 * compressed bytes, which were then refused as "not valid UTF-8", pointing at the charset. RFC 9112
 * §6.1: a transfer coding the server does not understand is 501.
 */
function checkTransferCoding(header: string | undefined): void {
  if (header === undefined) return;
  const codings = header.split(",").map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== "");
  if (codings.every((coding) => coding === "chunked")) return;
  throw new HttpError("NOT_IMPLEMENTED", `Transfer-Encoding: "${header}" is not supported; send the body with Content-Length, or chunked alone`);
}

/**
 * A body must say it is JSON, as ASP.NET's JSON input requires (415 otherwise): `application/json`,
 * `text/json` or `application/…+json`, in UTF-8. Checked before `100 Continue`, so a refused body is
 * not sent. Taking any type let a web page post an event from a browser without a CORS preflight
 * (a `text/plain` or form body is a "simple" request), as the anonymous user on loopback.
 */
function checkJsonType(header: string | undefined, patch: boolean): void {
  const needed = "send the body as JSON with Content-Type: application/json";
  if (header === undefined || header.trim() === "") throw new HttpError("UNSUPPORTED_MEDIA_TYPE", `Content-Type: missing; ${needed}`);
  const [type = "", ...parameters] = header.split(";").map((part) => part.trim().toLowerCase());
  // A JSON Patch (RFC 6902) is a list of operations, which no route takes: it passed as
  // application/…+json and was a generic 400 "body: must be a JSON object". RFC 5789 §2.2: 415,
  // and to a PATCH, Accept-Patch names the patch types it does take (a JSON object of the fields
  // to change, a JSON merge patch, RFC 7396).
  if (type === "application/json-patch+json") {
    throw patch
      ? new HttpError("UNSUPPORTED_MEDIA_TYPE", `Content-Type: "${header}" (a JSON Patch, a list of operations) is not supported; send the fields to change as one JSON object, e.g. {"Capacity":1600}, with Content-Type: application/json or application/merge-patch+json`, { "Accept-Patch": ACCEPT_PATCH })
      : new HttpError("UNSUPPORTED_MEDIA_TYPE", `Content-Type: "${header}" (a JSON Patch, a list of operations) is not supported; send the body as a JSON object with Content-Type: application/json`);
  }
  if (type !== "application/json" && type !== "text/json" && !/^application\/[^/\s]+\+json$/.test(type)) {
    throw new HttpError("UNSUPPORTED_MEDIA_TYPE", `Content-Type: "${header}" is not JSON; ${needed}`);
  }
  const charset = parameters.find((parameter) => parameter.startsWith("charset="))?.slice("charset=".length).replace(/^"(.*)"$/, "$1");
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    throw new HttpError("UNSUPPORTED_MEDIA_TYPE", `Content-Type: charset "${charset}" is not supported; send JSON in UTF-8 (charset=utf-8, or none)`);
  }
}

/** What a PATCH takes (RFC 5789's Accept-Patch): a JSON object of the fields to change, which is a JSON merge patch (RFC 7396). */
export const ACCEPT_PATCH = "application/json, application/merge-patch+json";

/**
 * UTF-8 with a leading byte order mark dropped, as ASP.NET's System.Text.Json reads a body (Windows
 * tools write one); bytes that are not UTF-8 are refused, not stored as U+FFFD.
 */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Not `for await`: leaving that loop early destroys the socket, and the 413 could not be sent. Past
 * the limit the rest is left unread; the 413 goes out with `Connection: close`.
 */
function readBytes(request: IncomingMessage, limit: number, tooLarge: () => HttpError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off("data", onData).off("end", onEnd).off("error", onError);
      request.pause();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      reject(tooLarge());
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      stop();
      reject(new ClientGone(error));
    };
    request.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
