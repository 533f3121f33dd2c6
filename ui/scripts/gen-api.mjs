// Generates the typed API client types from a server's OpenAPI document, or with --check
// fails when the committed file differs from what the spec gives (client/spec drift).
//   node scripts/gen-api.mjs [--cloud] [--check] [--spec FILE]
// Default: the appliance's spec → src/api/schema.d.ts (the admin panel).
// --cloud: the cloud's spec → src/api/cloud-schema.ts (the owners' dashboard).
// Without --spec the document comes from `cargo run -p <server> -- openapi`.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const cloud = args.includes("--cloud");
const target = cloud
  ? { pkg: "dysa-cloud", server: "cloud", file: "src/api/cloud-schema.ts", script: "gen:api:cloud" }
  : { pkg: "dysa-appliance", server: "appliance", file: "src/api/schema.d.ts", script: "gen:api" };
const out = resolve(here, "..", target.file);
const check = args.includes("--check");
const specIndex = args.indexOf("--spec");
const specText =
  specIndex >= 0
    ? readFileSync(args[specIndex + 1], "utf8")
    : execFileSync("cargo", ["run", "-q", "-p", target.pkg, "--", "openapi"], {
        cwd: resolve(here, "../.."),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 64 * 1024 * 1024,
      });
const spec = JSON.parse(specText);
if (cloud) {
  // The cloud's handlers share names across resource files (`list`, `detail`), which
  // utoipa uses as operationIds; the client addresses operations by path and method, so
  // the ids are dropped rather than renaming every handler.
  for (const item of Object.values(spec.paths ?? {})) {
    for (const op of Object.values(item)) if (op && typeof op === "object") delete op.operationId;
  }
}
const ast = await openapiTS(spec);
const header = `// Generated from the ${target.server}'s OpenAPI document by \`npm run ${target.script}\`. Do not edit.\n`;
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
      `${target.file} is out of date with the ${target.server}'s OpenAPI spec: run \`npm run ${target.script}\` in ui/ and commit the result.`,
    );
    process.exit(1);
  }
  console.log(`API client types match the ${target.server}'s OpenAPI spec`);
} else {
  writeFileSync(out, generated);
  console.log(`wrote ${out}`);
}
