/**
 * Loads the demo district into a running deployment (our embedded backend, a self-hosted Convex
 * backend or Convex Cloud) through the internal functions of convex/seed.ts, with the
 * deployment's admin key — the same way `npx convex run` calls internal functions
 * (ConvexHttpClient.setAdminAuth + function(), which are internal to the convex package and
 * therefore not in its public type declarations).
 *
 *   node scripts/demo/run.mjs load --students 60 [--seed N] [--today YYYY-MM-DD]
 *        [--url http://127.0.0.1:3210] [--admin-key KEY] [--batch-size 300] [--if-empty]
 *        [--sign-up-url http://127.0.0.1:3211]
 *
 * URL and key default to CONVEX_SELF_HOSTED_URL / CONVEX_SELF_HOSTED_ADMIN_KEY (what the Convex
 * CLI reads), then CONVEX_URL / CONVEX_ADMIN_KEY. The deployment needs SEMS_ENCRYPTION_KEYS set
 * (D14), or loading students fails with a message saying so.
 */
import { ConvexHttpClient } from "convex/browser";
import { DEMO_DOMAIN, generateDemoDistrict, type DemoDistrict } from "./generate";
import { DEFAULT_BATCH_SIZE, loadDistrict, type SeedCalls } from "./loadDistrict";

interface AdminHttpClient {
  setAdminAuth(token: string): void;
  function(name: string, componentPath: string | undefined, args: Record<string, unknown>): Promise<unknown>;
}

export interface LoadOptions {
  students: number;
  seed?: number;
  today: string;
  url: string;
  adminKey: string;
  batchSize: number;
  ifEmpty: boolean;
  signUpUrl?: string;
}

export function parseLoadArgs(argv: string[], env: Record<string, string | undefined>): LoadOptions {
  const value = (name: string): string | undefined => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const number = (name: string, fallback: number): number => {
    const text = value(name);
    if (text === undefined) return fallback;
    const parsed = Number(text);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive whole number (got "${text}")`);
    return parsed;
  };
  const adminKey = value("admin-key") ?? env.CONVEX_SELF_HOSTED_ADMIN_KEY ?? env.CONVEX_ADMIN_KEY;
  if (!adminKey) throw new Error("An admin key is required: --admin-key, or CONVEX_SELF_HOSTED_ADMIN_KEY in the environment.");
  const seedText = value("seed");
  return {
    students: number("students", 60),
    seed: seedText === undefined ? undefined : number("seed", 1),
    today: value("today") ?? new Date().toISOString().slice(0, 10),
    url: value("url") ?? env.CONVEX_SELF_HOSTED_URL ?? env.CONVEX_URL ?? "http://127.0.0.1:3210",
    adminKey,
    batchSize: number("batch-size", DEFAULT_BATCH_SIZE),
    ifEmpty: argv.includes("--if-empty"),
    signUpUrl: value("sign-up-url"),
  };
}

function seedCalls(client: AdminHttpClient): SeedCalls {
  return {
    storeFiles: async (files) => (await client.function("seed:storeFiles", undefined, { files })) as string[],
    loadBatch: async (args) => (await client.function("seed:loadBatch", undefined, args)) as Record<string, string>,
    signPendingApprovals: async (iepIds) => (await client.function("seed:signPendingApprovals", undefined, { iepIds })) as number,
  };
}

/**
 * Creates each demo sign-in's password credential through better-auth's email sign-up endpoint
 * on the deployment's HTTP actions URL. SEMS users are matched to auth identities by email
 * (convex/model/currentUser.ts). An account that already exists is reported, not an error.
 */
async function signUpDemoUsers(district: DemoDistrict, siteUrl: string): Promise<void> {
  for (const signIn of district.signIns) {
    // Sign-up is rate-limited per address (convex/auth.ts): wait as told and try again.
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${siteUrl.replace(/\/$/, "")}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: siteUrl },
        body: JSON.stringify({ email: signIn.email, password: district.password, name: signIn.name }),
      });
      if (response.status === 429 && attempt < 8) {
        const seconds = Number(response.headers.get("x-retry-after") ?? response.headers.get("retry-after") ?? 10);
        await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(seconds) ? seconds : 10) * 1000 + 250));
        continue;
      }
      const text = response.ok ? "" : await response.text();
      if (response.status === 403 && /deactivated/i.test(text)) {
        // The demo's deactivated account gets no password, by design: every request of it is refused.
        console.log(`  ${signIn.email}: deactivated, so no password (as intended)`);
      } else if (!response.ok) {
        console.warn(`  sign-up for ${signIn.email}: HTTP ${response.status} ${text}`);
      }
      break;
    }
  }
}

export function printSignIns(district: DemoDistrict): void {
  console.log(`\nDemo sign-ins (password for all: ${district.password})`);
  for (const s of district.signIns) console.log(`  ${s.role.padEnd(10)} ${s.email.padEnd(28)} ${s.name} — ${s.note}`);
  console.log(`Every address ends in .test: no real mail is ever sent (${DEMO_DOMAIN}).\n`);
}

export async function runLoad(options: LoadOptions): Promise<void> {
  const client = new ConvexHttpClient(options.url) as unknown as AdminHttpClient;
  client.setAdminAuth(options.adminKey);
  const district = generateDemoDistrict({ students: options.students, today: options.today, seed: options.seed });
  if (options.ifEmpty && !((await client.function("seed:isEmpty", undefined, {})) as boolean)) {
    console.log("The deployment already holds data; the demo district was not loaded.");
    return;
  }
  const started = Date.now();
  const result = await loadDistrict(district.records(), seedCalls(client), {
    batchSize: options.batchSize,
    onBatch: (loaded) => process.stdout.write(`\r  ${loaded} documents loaded`),
  });
  console.log(`\nLoaded ${result.documents} documents in ${result.batches} batches (${((Date.now() - started) / 1000).toFixed(1)} s); ${result.signedIeps} IEPs signed.`);
  if (options.signUpUrl) await signUpDemoUsers(district, options.signUpUrl);
  printSignIns(district);
}
