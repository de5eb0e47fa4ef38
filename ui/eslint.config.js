import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "src/bindings.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.ts"],
    rules: {
      // Article text is data: never parse it as HTML.
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Render text with textContent (article text is data)." },
        { property: "outerHTML", message: "Render text with textContent (article text is data)." },
        { property: "insertAdjacentHTML", message: "Render text with textContent (article text is data)." },
      ],
    },
  },
  {
    files: ["e2e/**/*.mjs"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly", setTimeout: "readonly", URL: "readonly", window: "readonly", document: "readonly" },
    },
  },
);
