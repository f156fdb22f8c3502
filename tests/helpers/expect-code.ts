import { expect } from "vitest";
import type { TixError } from "../../src/core/index.js";

/** Expects `promise` to reject with a TixError carrying `code`. */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<TixError> {
  const error = (await promise.then(
    () => expect.fail(`expected ${code}, but it succeeded`),
    (caught: unknown) => caught,
  )) as TixError;
  expect(error.code, (error as Error).message).toBe(code);
  return error;
}
