// Whatever tix prints about a store names it by its URL, never with the password (the REPL's
// banner, the PostgreSQL adapter's description and error messages): written once, here.

/** Query parameters that carry secrets; their values are never printed. */
const SECRET_PARAMS = new Set(["password", "sslpassword", "sslkey"]);

/** A URL's password in its user-info part (`scheme://user:secret@host`), or a SECRET_PARAMS parameter. */
const USER_INFO_PASSWORD = /[a-z][\w+.-]*:\/\/[^\s/@:]*:[^\s/@]*@/i;
const SECRET_PARAM = new RegExp(`[?&](?:${[...SECRET_PARAMS].join("|")})=`, "i");
/** A SECRET_PARAMS parameter with its value (up to the next parameter), to hide in a URL that does not parse. */
const SECRET_PARAM_VALUE = new RegExp(`([?&](?:${[...SECRET_PARAMS].join("|")})=)[^&#]*`, "gi");

/** Whether `text` (a REPL line) holds a URL with a secret in it: what redactUrl would hide. */
export function mentionsUrlSecret(text: string): boolean {
  return USER_INFO_PASSWORD.test(text) || SECRET_PARAM.test(text);
}

/**
 * The URL as it is safe to print: the password (in the user-info part or in a `password=`
 * parameter) is removed, everything else is kept so that the user recognises the store.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Not parseable as a URL: drop anything between "user:" and "@" all the same.
    return url.replace(/^([a-z]+:\/\/[^:/@]*):[^@]*@/i, "$1@").replace(SECRET_PARAM_VALUE, "$1***");
  }
  parsed.password = "";
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.has(name.toLowerCase())) parsed.searchParams.set(name, "***");
  }
  return parsed.toString();
}

/** The secrets in a URL, to scrub from any message a driver produced. */
export function urlSecrets(url: string): string[] {
  try {
    const parsed = new URL(url);
    const secrets = [parsed.password, decodeURIComponent(parsed.password)];
    for (const [name, value] of parsed.searchParams) if (SECRET_PARAMS.has(name.toLowerCase())) secrets.push(value);
    return [...new Set(secrets.filter((secret) => secret.length > 0))];
  } catch {
    return [];
  }
}
