/** Replaced at build time with package.json's version; tests run from source see "0.0.0-dev". */
declare const __TIX_VERSION__: string | undefined;
export const VERSION: string = typeof __TIX_VERSION__ === "string" ? __TIX_VERSION__ : "0.0.0-dev";
