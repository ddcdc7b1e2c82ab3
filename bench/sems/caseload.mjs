// compliance.caseloadDashboard — a case manager's caseload of 40 students with every compliance
// clock (target: median ≤ 25 ms), as the demo teacher over ConvexHttpClient. The first time, the
// demo admin transfers enrolled students to the demo teacher until the caseload holds 40.
//   node bench/sems/caseload.mjs        (SEMS_BENCH_STUDENTS, default 10,000)
import { makeFunctionReference } from "convex/server";
import { clientAs, measure, openDistrict, printJson, serverMedianMs } from "./lib.mjs";

const CASELOAD = 40;
const getCurrentUser = makeFunctionReference("users:getCurrentUser");
const caseloadDashboard = makeFunctionReference("compliance:caseloadDashboard");
const organizationDashboard = makeFunctionReference("compliance:organizationDashboard");
const transferCaseManager = makeFunctionReference("students:transferCaseManager");
const firstPage = (numItems) => ({ paginationOpts: { numItems, cursor: null } });

async function fillCaseload(admin, teacherId, have) {
  const mine = new Set(have.map((row) => row.student._id));
  let cursor = null;
  let missing = CASELOAD - have.length;
  while (missing > 0) {
    const page = await admin.query(organizationDashboard, { paginationOpts: { numItems: 100, cursor } });
    for (const row of page.page) {
      const studentId = row.student._id;
      if (missing === 0 || mine.has(studentId)) continue;
      await admin.mutation(transferCaseManager, { studentId, caseManagerId: teacherId });
      missing -= 1;
    }
    if (page.isDone) break;
    cursor = page.continueCursor;
  }
}

const { backend, district } = await openDistrict();
try {
  const teacher = clientAs(backend, "teacher@demo.sems.test");
  const me = await teacher.query(getCurrentUser, {});
  let caseload = await teacher.query(caseloadDashboard, firstPage(50));
  if (caseload.page.length < CASELOAD) {
    await fillCaseload(clientAs(backend, "admin@demo.sems.test"), me._id, caseload.page);
    caseload = await teacher.query(caseloadDashboard, firstPage(50));
  }
  const result = await measure(() => teacher.query(caseloadDashboard, firstPage(50)), { warmup: 5, runs: 30 });
  printJson({ bench: "sems.caseloadDashboard", students: district.students, rows: caseload.page.length, ...result, serverMedianMs: await serverMedianMs(backend, "compliance:caseloadDashboard"), targetMedianMs: 25 });
} finally {
  await backend.stop();
}
