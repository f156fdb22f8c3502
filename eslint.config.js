import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", ".ci/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // The domain stays pure: no I/O, no terminal, no drivers (see README, "Design").
    files: ["src/core/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["node:*", "fs", "path", "os", "child_process"], message: "src/core is pure: no I/O." },
          { group: ["better-sqlite3", "pg", "chalk", "cli-table3", "commander", "inquirer", "@inquirer/*"], message: "src/core must not depend on drivers or the terminal." },
          { group: ["../store/*", "../cli/*", "../app/*", "../http/*", "../auth/*", "../store", "../cli", "../app", "../http", "../auth"], message: "src/core depends on nothing else in tix." },
        ],
      }],
      "no-restricted-globals": ["error", "process", "console"],
    },
  },
  {
    files: ["src/store/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [{ group: ["../cli/*", "../../cli/*", "chalk", "cli-table3", "commander", "inquirer"], message: "stores know nothing of the CLI." }],
      }],
    },
  },
);
