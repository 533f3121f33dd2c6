// Generates src/api/schema.d.ts from the appliance's OpenAPI document, or with --check
// fails when the committed file differs from what the spec gives (client/spec drift).
//   node scripts/gen-api.mjs [--check] [--spec FILE]
// Without --spec the document comes from `cargo run -p dysa-appliance -- openapi`.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, "../src/api/schema.d.ts");
const args = process.argv.slice(2);
const check = args.includes("--check");
const specIndex = args.indexOf("--spec");
const specText =
  specIndex >= 0
    ? readFileSync(args[specIndex + 1], "utf8")
    : execFileSync("cargo", ["run", "-q", "-p", "dysa-appliance", "--", "openapi"], {
        cwd: resolve(here, "../.."),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 64 * 1024 * 1024,
      });
const ast = await openapiTS(JSON.parse(specText));
const header =
  "// Generated from the appliance's OpenAPI document by `npm run gen:api`. Do not edit.\n";
const generated = header + astToString(ast);
if (check) {
  let current = "";
  try {
    current = readFileSync(out, "utf8");
  } catch {
    /* missing counts as drift */
  }
  if (current !== generated) {
    console.error(
      "src/api/schema.d.ts is out of date with the appliance's OpenAPI spec: run `npm run gen:api` in ui/ and commit the result.",
    );
    process.exit(1);
  }
  console.log("API client types match the OpenAPI spec");
} else {
  writeFileSync(out, generated);
  console.log(`wrote ${out}`);
}
