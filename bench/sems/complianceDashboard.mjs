// compliance.organizationDashboard — the first page (50 rows) of the organization-wide compliance
// dashboard with every clock (target: median ≤ 50 ms), as the demo admin over ConvexHttpClient.
//   node bench/sems/complianceDashboard.mjs        (SEMS_BENCH_STUDENTS, default 10,000)
import { makeFunctionReference } from "convex/server";
import { clientAs, measure, openDistrict, printJson, serverMedianMs } from "./lib.mjs";

const organizationDashboard = makeFunctionReference("compliance:organizationDashboard");
const args = { paginationOpts: { numItems: 50, cursor: null } };

const { backend, district } = await openDistrict();
try {
  const admin = clientAs(backend, "admin@demo.sems.test");
  const page = await admin.query(organizationDashboard, args);
  const result = await measure(() => admin.query(organizationDashboard, args), { warmup: 5, runs: 30 });
  printJson({ bench: "sems.organizationDashboard", students: district.students, rows: page.page.length, ...result, serverMedianMs: await serverMedianMs(backend, "compliance:organizationDashboard"), targetMedianMs: 50 });
} finally {
  await backend.stop();
}
