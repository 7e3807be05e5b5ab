// Lets a plain Node process (a child of a test) run the workspace's TypeScript sources: Node strips
// the types itself, `--conditions=@blobkit/source` picks each package's `src/index.ts`, and this
// hook maps the sources' `./x.js` imports (written for the compiler) to the `./x.ts` files.
// Usage: node --conditions=@blobkit/source --import ./source-hooks.ts script.ts
import { registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (
        code === "ERR_MODULE_NOT_FOUND" &&
        specifier.startsWith(".") &&
        specifier.endsWith(".js")
      ) {
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});
