// Flat config for the whole monorepo (`npm run lint` = `eslint --max-warnings 0 .`).
// Type-aware typescript-eslint (projectService finds each file's nearest tsconfig.json), plus
// react-hooks and Next's rules for apps/web.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

const nodeGlobals = {
  process: "readonly",
  console: "readonly",
  Buffer: "readonly",
  URL: "readonly",
  URLSearchParams: "readonly",
  AbortController: "readonly",
  AbortSignal: "readonly",
  fetch: "readonly",
  performance: "readonly",
  setTimeout: "readonly",
  clearTimeout: "readonly",
  setInterval: "readonly",
  clearInterval: "readonly",
  structuredClone: "readonly",
};

export default defineConfig(
  globalIgnores([
    "**/node_modules/",
    "**/.next/",
    "**/.next-e2e/",
    "**/dist/",
    "**/.turbo/",
    "drizzle/",
    "**/test-results/",
    "**/playwright-report/",
    "**/next-env.d.ts",
    ".data/",
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: nodeGlobals,
      parserOptions: {
        projectService: {
          // Root-level config files that no tsconfig includes.
          allowDefaultProject: ["*.js", "*.mjs", "apps/web/*.mjs", "packages/cli/bin/*.mjs"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { prefer: "type-imports", fixStyle: "inline-type-imports" },
      ],
      "@typescript-eslint/no-floating-promises": "error",
      // React ignores handler return values, so `onClick={async () => ...}` is fine; promises in
      // conditionals, spreads and other void positions are still errors.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // Noise: template literals with numbers/booleans are fine; `async` without `await` is
      // common for interface conformance (tRPC procedures, handlers).
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // TypeScript itself reports undefined names in .ts files.
    files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
    rules: { "no-undef": "off" },
  },
  {
    files: ["apps/web/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks, "@next/next": nextPlugin },
    settings: { next: { rootDir: "apps/web/" } },
    rules: {
      ...reactHooks.configs["recommended-latest"].rules,
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      // App Router has no pages/ directory.
      "@next/next/no-html-link-for-pages": "off",
    },
  },
  {
    // Tests: assertions on `any`-typed JSON bodies are the point, not a hazard.
    files: ["**/*.test.ts", "**/test/**/*.ts", "apps/web/e2e/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
      // Tests cast loosely typed driver results (PGlite vs postgres.js) on purpose.
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
    },
  },
);
