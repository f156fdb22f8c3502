import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type Harness } from "../helpers/server-harness.js";

/** Request bodies as real clients send their bytes: byte order marks, charsets, content types. */
let api: Harness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** POSTs these exact bytes to /events as the admin, with `headers` (fetch, as a real client). */
async function postEvent(bytes: Uint8Array, headers: Record<string, string> = { "Content-Type": "application/json" }) {
  const response = await fetch(`${api!.url}/events`, { method: "POST", headers: { Authorization: `Bearer ${api!.token("admin")}`, ...headers }, body: bytes });
  return { status: response.status, body: (await response.json()) as { Message?: string; Event?: { Name: string } } };
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

describe("request bodies", () => {
  // A file saved by Notepad or PowerShell (curl --data-binary @event.json) starts with EF BB BF;
  // ASP.NET's System.Text.Json skips it. It was 400 "body: is not valid JSON".
  it("a UTF-8 byte order mark before the JSON is skipped", async () => {
    api = await startServer("memory");
    const made = await postEvent(utf8('\uFEFF{"Name":"Café Bom","Capacity":5}'));
    expect(made.status, made.body.Message).toBe(201);
    expect(made.body.Event?.Name).toBe("Café Bom");
  });

  // Latin-1 "Café" (é = E9) was decoded as U+FFFD and the event stored as "Caf\uFFFD": the name lost in silence.
  it("bytes that are not UTF-8 are 400 and create nothing", async () => {
    api = await startServer("memory");
    const latin1 = new Uint8Array(Buffer.from('{"Name":"Café","Capacity":5}', "latin1"));
    const refused = await postEvent(latin1);
    expect(refused.status).toBe(400);
    expect(refused.body.Message).toBe("body: is not valid UTF-8; send JSON in UTF-8");
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);
  });

  // ASP.NET answers 415 when a JSON body is not declared JSON, so a seed client always declares it.
  // tix took any type (or none): a web page could post an event from a browser as a "simple"
  // request, with no CORS preflight, acting as the anonymous user on loopback.
  it("a body not declared as JSON is 415 and creates nothing; application/json, text/json and …+json in UTF-8 are read", async () => {
    api = await startServer("memory");
    const body = (name: string) => utf8(JSON.stringify({ Name: name, Capacity: 5 }));
    for (const [type, message] of [
      ["text/plain;charset=UTF-8", 'Content-Type: "text/plain;charset=UTF-8" is not JSON; send the body as JSON with Content-Type: application/json'],
      ["application/x-www-form-urlencoded", 'Content-Type: "application/x-www-form-urlencoded" is not JSON; send the body as JSON with Content-Type: application/json'],
      ["application/json; charset=iso-8859-1", 'Content-Type: charset "iso-8859-1" is not supported; send JSON in UTF-8 (charset=utf-8, or none)'],
    ]) {
      const refused = await postEvent(body("Refused"), { "Content-Type": type! });
      expect(refused.status, type).toBe(415);
      expect(refused.body).toMatchObject({ Status: "Error", Message: message, Error: { Code: "UNSUPPORTED_MEDIA_TYPE" } });
    }
    // No Content-Type at all (fetch sends none for a Blob without a type).
    const none = await fetch(`${api.url}/events`, { method: "POST", headers: { Authorization: `Bearer ${api.token("admin")}` }, body: new Blob([body("None")]) });
    expect(none.status).toBe(415);
    expect(((await none.json()) as { Message: string }).Message).toBe("Content-Type: missing; send the body as JSON with Content-Type: application/json");
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);

    for (const type of ["application/json", "Application/JSON; charset=utf-8", 'application/json; charset="UTF-8"', "text/json", "application/merge-patch+json"]) {
      const made = await postEvent(body(type), { "Content-Type": type });
      expect(made.status, `${type}: ${made.body.Message}`).toBe(201);
    }
    // A request without a body needs no type (a reserve with nothing to say).
    const reserved = await fetch(`${api.url}/tickets/${(await api.call("GET", "/events")).body.Events[0].Id}/reserve`, {
      method: "POST", headers: { Authorization: `Bearer ${api.token("alice")}`, "Idempotency-Key": "k1", "Content-Type": "text/plain" }, body: "",
    });
    expect(reserved.status).toBe(200);
  });

  // A JSON Patch (RFC 6902) passed the type check as application/…+json and was a generic 400
  // "body: must be a JSON object". RFC 5789 §2.2: 415, with Accept-Patch naming what PATCH takes.
  it("a PATCH sent as a JSON Patch (application/json-patch+json) is 415 with Accept-Patch, naming application/json and merge-patch; nothing changes", async () => {
    api = await startServer("memory");
    expect((await api.call("POST", "/events", { as: "admin", body: { Id: "evt_jazz", Name: "Jazz", Capacity: 100 } })).status).toBe(201);
    const operations = [{ op: "replace", path: "/Capacity", value: 1600 }];
    for (const method of ["PATCH", "PUT"]) {
      const refused = await api.call(method, "/events/evt_jazz", { as: "admin", body: operations, headers: { "Content-Type": "application/json-patch+json" } });
      expect(refused.status, method).toBe(415);
      expect(refused.body).toMatchObject({ Status: "Error", Error: { Code: "UNSUPPORTED_MEDIA_TYPE" } });
      expect(refused.body.Message).toBe(method === "PATCH"
        ? 'Content-Type: "application/json-patch+json" (a JSON Patch, a list of operations) is not supported; send the fields to change as one JSON object, e.g. {"Capacity":1600}, with Content-Type: application/json or application/merge-patch+json'
        : 'Content-Type: "application/json-patch+json" (a JSON Patch, a list of operations) is not supported; send the body as a JSON object with Content-Type: application/json');
      expect(refused.headers.get("accept-patch"), method).toBe(method === "PATCH" ? "application/json, application/merge-patch+json" : null);
    }
    expect((await api.call("GET", "/events/evt_jazz")).body.Event.Capacity).toBe(100);
    // The types it names are taken.
    for (const [type, capacity] of [["application/merge-patch+json", 1600], ["application/json", 1700]] as const) {
      const patched = await api.call("PATCH", "/events/evt_jazz", { as: "admin", body: { Capacity: capacity }, headers: { "Content-Type": type } });
      expect([patched.status, patched.body.Event?.Capacity], type).toEqual([200, capacity]);
    }
  });

  it("with Expect: 100-continue, a body not declared as JSON is refused before it is sent", async () => {
    api = await startServer("memory");
    const { hostname, port } = new URL(api.url);
    const socket = connect(Number(port), hostname);
    let received = "";
    socket.on("data", (chunk) => (received += chunk.toString()));
    const closed = new Promise((resolve) => socket.on("close", resolve));
    socket.write(`POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api.token("admin")}\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n`);
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 415 /);
    expect(received).not.toMatch(/100 Continue/);
  });

  // Node's http.request sends a POST whose headers went out before its (empty) end as chunked, and
  // so do clients that stream a body; with nothing to say they send no Content-Type. Content-Length: 0
  // was read as no body, but a chunked empty one was 415 "Content-Type: missing" (docs: an empty
  // body needs no Content-Type). A chunked body that has bytes is still refused, and reserves nothing.
  it("an empty chunked body needs no Content-Type (Node's http.request after flushHeaders); a chunked body with bytes and no type is 415", async () => {
    api = await startServer("memory");
    expect((await api.call("POST", "/events", { as: "admin", body: { Id: "evt_chunk", Name: "Chunked", Capacity: 5 } })).status).toBe(201);
    const { hostname, port } = new URL(api.url);
    const token = api.token("alice");
    const streamed = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = httpRequest({ host: hostname, port: Number(port), method: "POST", path: "/tickets/evt_chunk/reserve", headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": "chunk-1" } }, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode!, text }));
      });
      request.on("error", reject);
      request.flushHeaders();
      setTimeout(() => request.end(), 20);
    });
    expect(streamed.status, streamed.text).toBe(200);
    expect(JSON.parse(streamed.text)).toMatchObject({ Status: "Success", Ticket: { EventId: "evt_chunk", UserId: "alice" }, Key: "chunk-1" });

    const raw = (body: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(port), hostname);
        let received = "";
        socket.on("data", (chunk) => (received += chunk.toString()));
        socket.on("close", () => resolve(received));
        socket.write(`POST /tickets/evt_chunk/reserve HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api!.token("bob")}\r\nIdempotency-Key: chunk-2\r\nTransfer-Encoding: chunked\r\n\r\n`);
        socket.end(body.length === 0 ? "0\r\n\r\n" : `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`);
      });
    const refused = await raw('{"Quantity":2}');
    expect(refused).toMatch(/^HTTP\/1\.1 415 /);
    expect(refused).toContain('"Message":"Content-Type: missing; send the body as JSON with Content-Type: application/json"');
    expect(refused).toMatch(/\r\nConnection: close\r\n/i);
    expect((await api.call("GET", "/events/evt_chunk/availability")).body).toMatchObject({ Held: 1 });
    expect(await raw("")).toMatch(/^HTTP\/1\.1 200 /);
    expect((await api.call("GET", "/events/evt_chunk/availability")).body).toMatchObject({ Held: 2 });
  });

  // A ticket type's fields were once joined into NAME:CAPACITY:PRICE text and read back: a ':' in a
  // name broke them apart, and errors quoted that text, which no client wrote.
  it("a bad ticket type is 400 naming the type and its field as sent, and creates nothing", async () => {
    api = await startServer("memory");
    const body = (type: object) => utf8(JSON.stringify({ Name: "Types", Capacity: 10, TicketTypes: [type] }));
    const negative = await postEvent(body({ Name: "General", Price: 5, Capacity: -1 }));
    expect(negative.status).toBe(400);
    expect(negative.body.Message).toBe('tier "General": its capacity must be a whole number from 1 to 10000000, got -1');
    const colon = await postEvent(body({ Name: "Gen:eral", Price: 5 }));
    expect(colon.status).toBe(400);
    // Named where the body has it (it said `Tier:`, a name an event body never has).
    expect(colon.body.Message).toBe(`TicketTypes[0].Name: "Gen:eral" must be 1 to 40 printable characters without ':'`);
    const price = await postEvent(body({ Name: "General", Price: "5:00" }));
    expect(price.status).toBe(400);
    expect(price.body.Message).toMatch(/^tier "General": its price "5:00" is not an amount/);
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);
  });

  // JSON.parse keeps the last of two in silence ({"Capacity":5,"Capacity":7} made an event of 7):
  // a proxy or log that read the first and tix disagreed on what was asked.
  it("a name given twice in one object is 400 naming it as sent, at any depth, and creates nothing", async () => {
    api = await startServer("memory");
    for (const [text, message] of [
      ['{"Name":"Twice","Capacity":5,"Capacity":7}', "Capacity: given more than once in the body; send it once"],
      ['{"Name":"Twice","Capacity":5,"capacity":1,"capacity":7}', "capacity: given more than once in the body; send it once"],
      ['{"Name":"Twice","Capacity":9,"TicketTypes":[{"Name":"A","Price":1,"Capacity":4},{"Name":"B","Price":2,"Price":0,"Capacity":5}]}', "TicketTypes[1].Price: given more than once in the body; send it once"],
      ['{"Name":"Twice","Capacity":5,"Capacit\\u0079":7}', "Capacity: given more than once in the body; send it once"],
    ]) {
      const refused = await postEvent(utf8(text!));
      expect(refused.status, text).toBe(400);
      expect(refused.body.Message).toBe(message);
    }
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);
    // The same name in two objects, or as a value, is no repeat.
    const made = await postEvent(utf8('{"Name":"Name","Capacity":9,"TicketTypes":[{"Name":"A","Price":1,"Capacity":4},{"Name":"B","Price":2,"Capacity":5}]}'));
    expect(made.status, made.body.Message).toBe(201);
  });

  // JSON.parse reads 1e400 as Infinity: the message said "got Infinity", a value never sent.
  it("a number too large for JSON.parse (1e400) is 400 naming it as sent, where it is", async () => {
    api = await startServer("memory");
    for (const [text, message] of [
      ['{"Name":"Huge","Capacity":1e400}', "Capacity: 1e400 is a number too large; send one of ordinary size"],
      ['{"Name":"Huge","Capacity":9,"TicketTypes":[{"Name":"A","Price":1},{"Name":"B","Price":-2.5E+0400}]}', "TicketTypes[1].Price: -2.5E+0400 is a number too large; send one of ordinary size"],
      [`{"Name":"Huge","Capacity":${"9".repeat(400)}}`, `Capacity: ${"9".repeat(400)} is a number too large; send one of ordinary size`],
    ]) {
      const refused = await postEvent(utf8(text!));
      expect(refused.status, text).toBe(400);
      expect(refused.body.Message).toBe(message);
    }
    // In a string, it is text; 1.5e3 is a number of ordinary size.
    const made = await postEvent(utf8('{"Id":"evt_big","Name":"1e400 \\"x\\": 1e400","Capacity":1.5e3}'));
    expect(made.status, made.body.Message).toBe(201);
    const reserve = await api.call("POST", "/tickets/evt_big/reserve", { as: "alice", key: "k1", body: { Quantity: 2 } });
    expect(reserve.status, JSON.stringify(reserve.body)).toBe(200);
    const huge = await fetch(`${api.url}/tickets/evt_big/reserve`, {
      method: "POST",
      headers: { Authorization: `Bearer ${api.token("alice")}`, "Idempotency-Key": "k2", "Content-Type": "application/json" },
      body: '{"Quantity":1e400}',
    });
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { Message: string }).Message).toBe("Quantity: 1e400 is a number too large; send one of ordinary size");
  });

  // It was read as text: 400 "body: is not valid UTF-8", which sent the client looking at its charset.
  it("a compressed body (Content-Encoding: gzip) is 415 naming the coding (RFC 7694)", async () => {
    api = await startServer("memory");
    const refused = await postEvent(new Uint8Array(gzipSync('{"Name":"Zipped","Capacity":5}')), { "Content-Type": "application/json", "Content-Encoding": "gzip" });
    expect(refused.status).toBe(415);
    expect(refused.body.Message).toBe('Content-Encoding: "gzip" is not supported; send the body uncompressed');
    expect((await postEvent(utf8('{"Name":"Plain","Capacity":5}'), { "Content-Type": "application/json", "Content-Encoding": "identity" })).status).toBe(201);
  });

  // Node's parser takes a transfer coding before chunked and hands over the coded bytes, which
  // were then refused as "body: is not valid UTF-8". RFC 9112 §6.1: a coding not understood is 501.
  it("a transfer coding other than chunked (gzip, chunked) is 501 naming it, and creates nothing; chunked alone is read", async () => {
    api = await startServer("memory");
    const { hostname, port } = new URL(api.url);
    const zipped = gzipSync('{"Name":"Zipped","Capacity":5}');
    const exchange = (coding: string, body: Buffer) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(port), hostname);
        let received = "";
        socket.on("data", (chunk) => (received += chunk.toString()));
        socket.on("close", () => resolve(received));
        socket.write(`POST /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${api!.token("admin")}\r\nContent-Type: application/json\r\nTransfer-Encoding: ${coding}\r\n\r\n`);
        socket.write(Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n0\r\n\r\n")]));
      });
    const refused = await exchange("gzip, chunked", zipped);
    expect(refused).toMatch(/^HTTP\/1\.1 501 /);
    expect(refused).toContain('"Message":"Transfer-Encoding: \\"gzip, chunked\\" is not supported; send the body with Content-Length, or chunked alone"');
    expect(refused).toContain('"Code":"NOT_IMPLEMENTED"');
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);
    const read = await exchange("chunked", Buffer.from('{"Name":"Chunked","Capacity":5}'));
    expect(read).toMatch(/^HTTP\/1\.1 201 /);
  });
});
