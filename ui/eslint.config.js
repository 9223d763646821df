// Lint rules for the UI: typescript-eslint's type-aware recommended set plus React hooks.
import js from "@eslint/js";
import globals from "globals";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "dist-e2e", "node_modules", "src/api/bindings"] },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // JSX text and attribute strings take no escapes: "\u2026" there shows as typed.
      "no-restricted-syntax": [
        "error",
        ...["JSXText", "JSXAttribute > Literal"].map((node) => ({
          selector: `${node}[value=/\\\\u[0-9a-fA-F]{4}/]`,
          message: "JSX shows this escape as typed: write the character itself.",
        })),
      ],
    },
  },
);
