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

// ---- Import rules (packages/engine/ARCHITECTURE.md, DESIGN.md section 2): the "never" list. ----
const packagePatterns = (...names) => names.flatMap((name) => [name, `${name}/*`]);
/** `no-restricted-imports` for these packages, by name and by relative path into their folders. */
const forbid = (message, names, folders = []) => [
  "error",
  {
    patterns: [
      { group: packagePatterns(...names), message },
      ...(folders.length ? [{ group: folders.map((f) => `**/${f}/**`), message }] : []),
    ],
  },
];

/** Client components (`"use client"`) of apps/web must not import the server packages. */
const clientImportRule = {
  meta: {
    type: "problem",
    docs: { description: 'forbid server-only packages in "use client" files' },
    schema: [{ type: "object", properties: { packages: { type: "array", items: { type: "string" } } }, additionalProperties: false }],
  },
  create(context) {
    const packages = context.options[0]?.packages ?? [];
    const body = context.sourceCode.ast.body;
    const isClient = body.some((node) => node.type === "ExpressionStatement" && node.directive === "use client");
    if (!isClient) return {};
    const check = (node, source) => {
      const name = typeof source?.value === "string" ? source.value : null;
      const hit = name && packages.find((p) => name === p || name.startsWith(`${p}/`));
      if (hit) context.report({ node, message: `"use client" files must not import ${hit} (server-only: it would ship to the browser). Call the API instead.` });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
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
          allowDefaultProject: ["*.js", "*.mjs", "apps/web/*.mjs", "packages/cli/bin/*.mjs", "apps/runner/bin/*.mjs", "apps/runner/test/fake-cli/*.mjs"],
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
    files: ["**/*.test.ts", "**/test/**/*.ts", "**/test/**/*.mjs", "apps/web/e2e/**/*.ts"],
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
  {
    // The engine's pure core: no database (types included), no I/O.
    files: ["packages/engine/src/core/**/*.ts"],
    rules: { "no-restricted-imports": forbid("engine/core is pure: no @weft/db (its types come from @weft/flow)", ["@weft/db"], ["db"]) },
  },
  {
    // The flow format is isomorphic and below everything: no database, no engine.
    files: ["packages/flow/**/*.ts"],
    rules: { "no-restricted-imports": forbid("@weft/flow is the bottom layer: it must not import @weft/db or @weft/engine", ["@weft/db", "@weft/engine"], ["db", "engine"]) },
  },
  {
    // The API is framework-free: no Next.js, no web app, no Clerk's Next.js SDK.
    files: ["packages/api/**/*.ts"],
    rules: { "no-restricted-imports": forbid("@weft/api must not import Next.js, the web app or @clerk/nextjs", ["next", "@weft/web", "@clerk/nextjs"], ["apps/web"]) },
  },
  {
    files: ["packages/db/**/*.ts"],
    rules: { "no-restricted-imports": forbid("@weft/db must not import @weft/engine", ["@weft/engine"], ["engine"]) },
  },
  {
    files: ["apps/web/**/*.{ts,tsx}"],
    plugins: { weft: { rules: { "no-server-imports-in-client": clientImportRule } } },
    rules: { "weft/no-server-imports-in-client": ["error", { packages: ["@weft/db", "@weft/engine"] }] },
  },
  // This file itself: plain JS without types; the custom rule above handles ESLint's untyped AST.
  { files: ["eslint.config.js"], ...tseslint.configs.disableTypeChecked },
);
