// The demo loader over HTTP (scripts/demo/run.mjs load, internal seed functions with the admin
// key): globalSetup ran it twice with --if-empty before anything else wrote; the first run loaded
// the district, the second left it alone. The demo sign-ins then see their data.
import { expect, inject, test } from "vitest";
import { api } from "../../convex/_generated/api";
import { httpClientActingAs } from "./semsBackend";

const backend = inject("semsBackend");
const [first, second] = inject("demoLoads");

const demoClient = (email: string) => httpClientActingAs(backend, { subject: email, issuer: "https://auth.sems.test", email });

test("the first load wrote the district; --if-empty made the second a no-op", () => {
  const loaded = /Loaded (\d+) documents in (\d+) batches .*; (\d+) IEPs signed/.exec(first);
  expect(loaded, first).not.toBeNull();
  expect(Number(loaded![1])).toBeGreaterThan(500);
  expect(Number(loaded![3])).toBeGreaterThan(0);
  expect(second).toContain("already holds data; the demo district was not loaded");
  expect(second).not.toContain("Loaded ");
});

test("the demo teacher's caseload and the demo student's goals are there", async () => {
  const teacher = demoClient("teacher@demo.sems.test");
  const me = await teacher.query(api.users.getCurrentUser, {});
  expect(me?.role).toBe("teacher");
  const caseload = await teacher.query(api.compliance.caseloadDashboard, { paginationOpts: { numItems: 50, cursor: null } });
  expect(caseload.page.length).toBeGreaterThan(0);

  const student = demoClient("student@demo.sems.test");
  const account = await student.query(api.users.getCurrentUser, {});
  expect(account?.role).toBe("student");
  const goals = await student.query(api.goals.listForStudent, { studentId: account!.studentId! });
  expect(goals.length).toBeGreaterThan(0);
  const progress = await student.query(api.progress.getGoalProgress, { goalId: goals[0]._id });
  expect(progress?.summary.totalDataPoints).toBeGreaterThan(0);
});
