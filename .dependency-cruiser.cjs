// The layer rules of src/ (docs/architecture.md), checked by `npm run lint`. Every import counts,
// type-only and lazy `import()` ones too. Each layer lists what of src/ it may import (the core and
// the stores also which packages); a file outside the known layers is an error until it has one.
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No import runs back to where it started: break the circle by handing a function down instead.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-is-pure",
      comment: "src/core is the domain: it imports nothing of ours, no Node module (no I/O) and no package.",
      severity: "error",
      from: { path: "^src/core/" },
      to: {
        pathNot: ["^src/core/"],
      },
    },
    {
      name: "app-over-core",
      comment: "The use cases (src/app) import the core, and open stores through the store opener only.",
      severity: "error",
      from: { path: "^src/app/" },
      to: { path: "^src/", pathNot: ["^src/(app|core)/", "^src/store/open-store\\.ts$"] },
    },
    {
      name: "store-implements-the-port",
      comment: "Stores implement the core's port: they know the core, never the use cases or a face.",
      severity: "error",
      from: { path: "^src/store/" },
      to: { path: "^src/", pathNot: ["^src/(store|core|platform)/"] },
    },
    {
      name: "store-knows-no-terminal",
      comment: "Stores know nothing of a terminal or a command line.",
      severity: "error",
      from: { path: "^src/store/" },
      to: { path: "^node_modules/(chalk|cli-table3|commander|inquirer|@inquirer)/" },
    },
    {
      name: "adapters-apart",
      comment: "One adapter never imports another (memory and SQLite share src/store/sync, which knows neither); only src/store/open-store.ts knows them all.",
      severity: "error",
      from: { path: "^src/store/(memory|sqlite|postgres|sync)/" },
      to: { path: "^src/store/(memory|sqlite|postgres)/", pathNot: ["^src/store/$1/"] },
    },
    {
      name: "auth-over-core",
      comment: "Tokens (src/auth) know the core only.",
      severity: "error",
      from: { path: "^src/auth/" },
      to: { path: "^src/", pathNot: ["^src/(auth|core|platform)/"] },
    },
    {
      name: "http-face",
      comment: "The HTTP face imports the use cases, the core and auth: never the CLI, never a store.",
      severity: "error",
      from: { path: "^src/http/" },
      to: { path: "^src/", pathNot: ["^src/(http|app|core|auth)/"] },
    },
    {
      name: "cli-face",
      comment: "The CLI imports the use cases and the core; of the HTTP face only its entry (tix serve), of auth only tokens (tix token); never a store.",
      severity: "error",
      from: { path: "^src/cli/" },
      to: { path: "^src/", pathNot: ["^src/(cli|app|core|platform)/", "^src/http/run-server\\.ts$", "^src/auth/tokens\\.ts$"] },
    },
    {
      name: "platform-knows-nothing-of-ours",
      comment: "src/platform: small helpers over Node's own modules (making folders) that the stores, auth and the CLI share; they know nothing of tix.",
      severity: "error",
      from: { path: "^src/platform/" },
      to: { path: "^src/", pathNot: ["^src/platform/"] },
    },
    {
      name: "library-entry",
      comment: "src/index.ts (the library) exports the use cases and the core, nothing of a face.",
      severity: "error",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^src/", pathNot: ["^src/(app|core)/"] },
    },
    {
      name: "every-file-has-a-layer",
      comment: "A file of src/ outside the layers above has no rules: give it a layer here first.",
      severity: "error",
      from: {},
      to: { path: "^src/", pathNot: ["^src/(core|app|store|cli|http|auth|platform)/", "^src/index\\.ts$"] },
    },
    {
      name: "every-file-has-a-layer-too",
      comment: "The same, for a file outside the layers that imports something.",
      severity: "error",
      from: { path: "^src/", pathNot: ["^src/(core|app|store|cli|http|auth|platform)/", "^src/index\\.ts$"] },
      to: {},
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    // Type-only imports are dependencies too: a type from the CLI in the core is a leak all the same.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
