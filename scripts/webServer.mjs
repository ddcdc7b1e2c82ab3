// A tiny static server for the built web app (dist/): SPA fallback to index.html, precompressed
// .br/.gz files when the browser accepts them, long caching for hashed assets, and the stack's
// URLs injected into index.html as window.__SEMS_CONFIG__. Node's http only, no dependencies.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};
const COMPRESSIBLE = new Set([".js", ".css", ".html", ".svg", ".json", ".txt"]);

/** Writes .br and .gz beside every compressible file of dist/ (once, at start). */
export function precompress(distDir) {
  for (const entry of fs.readdirSync(distDir, { recursive: true })) {
    const file = path.join(distDir, String(entry));
    const ext = path.extname(file);
    if (!COMPRESSIBLE.has(ext) || !fs.statSync(file).isFile()) continue;
    const body = fs.readFileSync(file);
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
  }
}

/** Starts the server; resolves with { url, close } once it listens. */
export function startWebServer({ distDir, host = "127.0.0.1", port = 5173, config }) {
  const root = path.resolve(distDir);
  const configScript = `<script>window.__SEMS_CONFIG__=${JSON.stringify(config).replace(/</g, "\\u003c")}</script>`;
  // Read per request: a rebuild (vite build) changes the hashed asset names index.html points at.
  const indexHtml = () => fs.readFileSync(path.join(root, "index.html"), "utf8").replace("<head>", `<head>${configScript}`);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = path.join(root, path.normalize(pathname));
    const inside = file.startsWith(root + path.sep);
    const isFile = inside && !pathname.endsWith("/") && fs.existsSync(file) && fs.statSync(file).isFile();
    if (!isFile || pathname === "/index.html") {
      // Client-side routes (and unknown paths) get the app; missing assets get a real 404.
      if (pathname.startsWith("/assets/")) {
        res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
        return;
      }
      res.writeHead(200, { "content-type": TYPES[".html"], "cache-control": "no-cache" });
      res.end(req.method === "HEAD" ? undefined : indexHtml());
      return;
    }
    const ext = path.extname(file);
    const headers = {
      "content-type": TYPES[ext] ?? "application/octet-stream",
      "cache-control": pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      vary: "accept-encoding",
    };
    const accepts = String(req.headers["accept-encoding"] ?? "");
    let served = file;
    if (COMPRESSIBLE.has(ext)) {
      if (/\bbr\b/.test(accepts) && fs.existsSync(`${file}.br`)) {
        served = `${file}.br`;
        headers["content-encoding"] = "br";
      } else if (/\bgzip\b/.test(accepts) && fs.existsSync(`${file}.gz`)) {
        served = `${file}.gz`;
        headers["content-encoding"] = "gzip";
      }
    }
    headers["content-length"] = fs.statSync(served).size;
    res.writeHead(200, headers);
    if (req.method === "HEAD") res.end();
    else fs.createReadStream(served).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve({ url: `http://${host}:${port}`, close: () => new Promise((r) => server.close(() => r())) }));
  });
}
