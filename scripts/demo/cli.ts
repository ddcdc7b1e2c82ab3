/**
 * `node scripts/demo/run.mjs <command>`:
 *   load [options]        generate the demo district and load it (see load.ts for options)
 *   stats --students N    how many documents of each table the generator writes
 *   sign-ins              the demo sign-ins and their shared password
 *   keygen [keyId]        a fresh keyId:base64key entry for SEMS_ENCRYPTION_KEYS (D14)
 */
import { generateEncryptionKeySpec } from "../../convex/model/crypto";
import { generateDemoDistrict } from "./generate";
import { parseLoadArgs, printSignIns, runLoad } from "./load";

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const today = new Date().toISOString().slice(0, 10);
  switch (command) {
    case "load":
      await runLoad(parseLoadArgs(rest, process.env));
      return;
    case "stats": {
      const at = rest.indexOf("--students");
      const students = at >= 0 ? Number(rest[at + 1]) : 60;
      const counts: Record<string, number> = {};
      for (const record of generateDemoDistrict({ students, today }).records()) counts[record.table] = (counts[record.table] ?? 0) + 1;
      console.log(JSON.stringify(counts, null, 2));
      return;
    }
    case "sign-ins":
      printSignIns(generateDemoDistrict({ students: 1, today }));
      return;
    case "keygen":
      console.log(generateEncryptionKeySpec(rest[0]));
      return;
    default:
      console.error("usage: node scripts/demo/run.mjs load|stats|sign-ins|keygen [--students N] …");
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
