import { defineConfig } from "vite";

// The owners' dashboard: a second entry of this project, served by the cloud at
// /dashboard/ from the committed dist-dashboard/. `npm run dev:dashboard` proxies the API to
// a running dysa-cloud (default 127.0.0.1:8005; DYSA_CLOUD=http://… for another).
const target = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.DYSA_CLOUD ?? "http://127.0.0.1:8005";

export default defineConfig({
  base: "/dashboard/",
  build: {
    outDir: "dist-dashboard",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    rollupOptions: {
      input: { dashboard: "dashboard.html" },
    },
  },
  server: {
    proxy: {
      "/api": { target, changeOrigin: false },
      "/health": { target, changeOrigin: false },
    },
  },
});
