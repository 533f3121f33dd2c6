import { defineConfig } from "vite";

// The diners' widget: one self-contained classic script (IIFE, no imports, no CSS file)
// that restaurants embed with <script src="https://CLOUD/widget.js" async>. Built to
// dist-widget/widget.js, committed, and served by dysa-cloud (widget_assets.rs).
export default defineConfig({
  publicDir: false,
  build: {
    outDir: "dist-widget",
    emptyOutDir: true,
    target: "es2022",
    minify: true,
    sourcemap: false,
    lib: {
      entry: "widget/widget.ts",
      formats: ["iife"],
      name: "DysaWidget",
      fileName: () => "widget.js",
    },
  },
});
