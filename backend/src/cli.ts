// `sems-backend`: start the embedded Convex-compatible backend, or back up a
// running one's data directory.
import path from "node:path";
import { parseArgs } from "node:util";
import { Backend } from "./application.js";
import { backupDataDirectory } from "./operations/backup.js";
import { DataDirectoryLockedError } from "./storage/dataDirectory.js";

const USAGE = `Usage:
  sems-backend start --data <dir> [--host 127.0.0.1] [--port 3210] [--site-port 3211] [--admin-key <key>]
  sems-backend backup --data <dir> --out <dir>   (a running backend's database, blobs and pushed code)

The admin key defaults to SEMS_ADMIN_KEY, else the one stored in <dir>/admin_key
(generated on first start, mode 0600).`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function portOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--${name} must be a port number (0-65535), got ${JSON.stringify(value)}.`);
  return port;
}

/** Relative to the working directory when inside it, absolute otherwise. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}

const debugLogging = process.env.SEMS_LOG_LEVEL === "debug";

function timestamp(): string {
  return new Date().toISOString().slice(11, 23);
}

async function start(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string" },
      "site-port": { type: "string" },
      "admin-key": { type: "string" },
    },
    strict: true,
  });
  if (!values.data) fail(`--data is required.\n\n${USAGE}`);
  const port = portOption(values.port, "port", 3210);
  const sitePort = portOption(values["site-port"], "site-port", port === 0 ? 0 : port + 1);
  let backend: Backend;
  try {
    backend = await Backend.start({
      dataDir: values.data,
      host: values.host,
      port,
      sitePort,
      adminKey: values["admin-key"],
      log: (line, level) => {
        if (level !== "debug" || debugLogging) console.log(`${timestamp()} ${line}`);
      },
    });
  } catch (error) {
    if (error instanceof DataDirectoryLockedError) fail(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") fail(`A port is already in use: ${(error as Error).message}. Choose others with --port and --site-port.`);
    throw error;
  }
  console.log(`SEMS backend ready.`);
  console.log(`  API (CONVEX_URL):        ${backend.urls.cloudUrl}`);
  console.log(`  HTTP actions (site URL): ${backend.urls.siteUrl}`);
  console.log(`  Data directory:          ${backend.dataDirectory.root}`);
  if (values["admin-key"] || process.env.SEMS_ADMIN_KEY) console.log(`  Admin key:               as given`);
  else console.log(`  Admin key:               in ${displayPath(backend.dataDirectory.adminKeyPath)}${backend.adminKeyGenerated ? " (generated now)" : ""}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${timestamp()} ${signal} received, shutting down.`);
    backend.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

async function backup(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { data: { type: "string" }, out: { type: "string" } }, strict: true });
  if (!values.data || !values.out) fail(`backup needs --data and --out.\n\n${USAGE}`);
  const result = await backupDataDirectory(values.data, values.out);
  console.log(`Backed up the database at ts ${result.ts} (${result.databaseBytes} bytes), ${result.blobs} blob(s) and ${result.modules} module file(s) to ${result.path}.`);
}

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (argv: string[]) => Promise<void>> = { start, backup };
if (!command || command === "--help" || command === "-h" || !commands[command]) {
  if (command && command !== "--help" && command !== "-h") console.error(`Unknown command ${JSON.stringify(command)}.\n`);
  console.log(USAGE);
  process.exit(command && !["--help", "-h"].includes(command) ? 2 : 0);
} else {
  commands[command](rest).catch((error: unknown) => {
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) fail(`${error.message}\n\n${USAGE}`);
    console.error(error);
    process.exit(1);
  });
}
