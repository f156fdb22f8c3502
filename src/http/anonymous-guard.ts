import type { IncomingMessage } from "node:http";
import { HttpError } from "./errors.js";

/**
 * The anonymous user acts for whoever sends no token, which on loopback is meant to be a program
 * on this machine (the seed's clients). A web page open in a browser on the same machine can also
 * reach loopback: a page of another site sends its `Origin`, and a DNS-rebinding page (its own name
 * made to resolve to 127.0.0.1) is same-origin with the server but names its own host in `Host`.
 * Neither may act as the anonymous user (the answer is why not); with a token either still may,
 * and public reads stay public. A page whose origin the server names (`--cors-origin`, `trusted`)
 * is trusted as the seed's clients are; the Host check still holds for it.
 */
export function anonymousRefusal(request: IncomingMessage, anyHost: boolean, trusted?: (origin: string) => boolean): HttpError | undefined {
  const host = request.headers.host ?? "";
  const origin = request.headers.origin;
  const needToken = "send a bearer token (tix token create --user <id>)";
  if (origin !== undefined && originHost(origin) !== host.toLowerCase() && trusted?.(origin) !== true) {
    return new HttpError("FORBIDDEN", `a web page of another origin (Origin: ${origin}) cannot act as the anonymous user; ${needToken}; a page to be trusted is named with tix serve --cors-origin ${origin}`);
  }
  // No Host (HTTP/1.0 needs none) names no domain: a browser always sends one, so it is no page.
  if (!anyHost && host !== "" && !addressOrLocalhost(hostName(host))) {
    return new HttpError("FORBIDDEN", `Host: "${host}" names a domain; the anonymous user answers requests to localhost or an IP address (serve with --insecure to allow names), or ${needToken}`);
  }
  return undefined;
}

/**
 * A rebinding page can only name its own domain: an address (127.0.0.1, [::1], 0.0.0.0, the
 * machine's own) is the origin of no page but the server's, and `localhost` resolves here alone.
 */
function addressOrLocalhost(name: string): boolean {
  // `localhost.` is the same name written in full (a trailing dot: the root), and no page's either.
  const lower = name.toLowerCase().replace(/\.$/, "");
  return lower === "localhost" || lower.endsWith(".localhost") || lower.startsWith("[") || /^\d{1,3}(\.\d{1,3}){3}$/.test(lower);
}

/** `http://localhost:5000` → `localhost:5000`; `null` (a sandboxed page, a file) or junk → "". */
function originHost(origin: string): string {
  try {
    const url = new URL(origin);
    return url.protocol === "http:" ? url.host : "";
  } catch {
    return "";
  }
}

/** `localhost:5000` → `localhost`, `[::1]:5000` → `[::1]`. */
function hostName(host: string): string {
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "");
}
