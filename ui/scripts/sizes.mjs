// Prints the gzipped size of the JS and CSS the panel's first page loads (from dist/index.html).
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const dist = resolve(dirname(fileURLToPath(import.meta.url)), "../dist");
const html = readFileSync(resolve(dist, "index.html"), "utf8");
const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
let js = 0;
let css = 0;
for (const ref of refs) {
  const bytes = gzipSync(readFileSync(resolve(dist, ref)), { level: 9 }).length;
  if (ref.endsWith(".js")) js += bytes;
  else css += bytes;
  console.log(`${ref}\t${(bytes / 1024).toFixed(1)} KB gzipped`);
}
console.log(`first page: JS ${(js / 1024).toFixed(1)} KB + CSS ${(css / 1024).toFixed(1)} KB = ${((js + css) / 1024).toFixed(1)} KB gzipped (target < 150 KB)`);
if (js + css > 150 * 1024) process.exit(1);
