import type { TixStore } from "../core/index.js";

/**
 * Makes each method of a use-case namespace (tix.events, tix.tickets, …) a property of its own,
 * bound to it, that first asks the store whether it is open:
 * - a method taken from its namespace (`const { reserve } = tix.tickets`, `ids.map(tix.events.get)`)
 *   works as called on it, where it threw a TypeError (its store is a private field of `this`);
 * - after `close()` every call rejects with the store's STORE_CLOSED, whatever it was passed (a bad
 *   argument was INVALID_ARGUMENT first): "it is closed" is the answer a user expects of a closed handle.
 * A store without `checkOpen` (a program's own adapter) answers closed as its methods do.
 * The properties are not enumerable (a namespace still shows only its methods); a program may
 * replace one on its own handle, as it could when they were the prototype's alone.
 */
export function boundMethods<T extends object>(namespace: T, store: TixStore): T {
  const prototype = Object.getPrototypeOf(namespace) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const method = prototype[name];
    if (name === "constructor" || typeof method !== "function") continue;
    const bound = (...args: unknown[]): unknown => {
      if (store.checkOpen) {
        try {
          store.checkOpen();
        } catch (error) {
          return Promise.reject(error);
        }
      }
      return (method as (...args: unknown[]) => unknown).apply(namespace, args);
    };
    Object.defineProperty(bound, "name", { value: name });
    Object.defineProperty(namespace, name, { value: bound, enumerable: false, writable: true, configurable: true });
  }
  return namespace;
}
