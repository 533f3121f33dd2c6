import { defineConfig } from "vite";

// `npm run dev` proxies the API to a running appliance (default 127.0.0.1:7001;
// DYSA_API=http://127.0.0.1:7031 to use another). The Host header is kept
// (`localhost:5173`), which the appliance accepts and matches with the page's Origin.
const target = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.DYSA_API ?? "http://127.0.0.1:7001";

export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    rollupOptions: {
      input: { panel: "index.html" },
    },
  },
  server: {
    proxy: {
      "/api": { target, changeOrigin: false },
      "/health": { target, changeOrigin: false },
    },
  },
});
