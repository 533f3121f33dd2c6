// Prints the gzipped size of the diners' widget (dist-widget/widget.js) and fails above
// its budget: it loads on restaurants' own websites, often over phones' data plans.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const BUDGET = 15 * 1024;
const file = resolve(dirname(fileURLToPath(import.meta.url)), "../dist-widget/widget.js");
const raw = readFileSync(file);
const gz = gzipSync(raw, { level: 9 }).length;
console.log(`widget.js\t${(raw.length / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped (budget < ${BUDGET / 1024} KB)`);
if (gz > BUDGET) {
  console.error("widget.js is over its size budget");
  process.exit(1);
}
