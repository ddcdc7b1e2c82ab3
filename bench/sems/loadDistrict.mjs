// Generates and loads the benchmark district (SEMS_BENCH_STUDENTS, default 10,000) with the demo
// loader over HTTP, and prints how long it took: one JSON line.
//   node bench/sems/loadDistrict.mjs
import { openDistrict, printJson } from "./lib.mjs";

const { backend, district } = await openDistrict();
printJson({ bench: "sems.loadDistrict", ...district, seconds: Math.round(district.seconds * 10) / 10, documentsPerSecond: Math.round(district.documentsPerSecond) });
await backend.stop();
