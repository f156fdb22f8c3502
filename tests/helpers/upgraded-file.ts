import Database from "better-sqlite3";
import { expect } from "vitest";
import { SCHEMA_VERSION } from "../../src/store/sqlite/schema.js";

/** After an upgrade: the file, opened read-only, is at this tix's schema version and intact. */
export function expectUpgradedFile(path: string): void {
  const upgraded = new Database(path, { readonly: true });
  try {
    expect(upgraded.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(upgraded.pragma("integrity_check", { simple: true })).toBe("ok");
  } finally {
    upgraded.close();
  }
}
