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
});
