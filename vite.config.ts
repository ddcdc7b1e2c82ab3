import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The web app. `npm start` builds it into dist/ and serves it on 127.0.0.1:5173
// (scripts/webServer.mjs); `npx vite` serves it with hot reload during development.
export default defineConfig({
  plugins: [react()],
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 5173 },
  build: {
    outDir: "dist",
    target: "es2022",
    sourcemap: false,
    // Each page is its own chunk through route-level lazy(); keep the shared vendor code apart so
    // the sign-in page does not pay for what the staff pages use.
    chunkSizeWarningLimit: 500,
  },
});
