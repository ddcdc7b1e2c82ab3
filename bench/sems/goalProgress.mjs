// progress.getGoalProgress on a goal with 1,000 data points (target: median ≤ 10 ms), read by the
// demo student (Maya) over ConvexHttpClient. Her first goal is topped up to 1,000 observations
// with seed:loadBatch the first time (earlier school days, a noisy upward trend).
//   node bench/sems/goalProgress.mjs        (SEMS_BENCH_STUDENTS, default 10,000)
import { makeFunctionReference } from "convex/server";
import { callInternal, clientAs, measure, openDistrict, printJson, serverMedianMs } from "./lib.mjs";

const POINTS = 1000;
const getCurrentUser = makeFunctionReference("users:getCurrentUser");
const listGoals = makeFunctionReference("goals:listForStudent");
const getGoalProgress = makeFunctionReference("progress:getGoalProgress");

function isoDaysBefore(iso, days) {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

async function topUp(backend, goal, have) {
  const first = have.length > 0 ? have[0].recordedDate : goal.baselineData.date;
  const template = have[0] ?? { measurementUnit: goal.targetCriteria.measurement, settingType: "classroom", independenceLevel: "independent" };
  const missing = POINTS - have.length;
  const records = [];
  for (let i = 1; i <= missing; i++) {
    records.push({
      table: "progressData",
      fields: {
        goalId: { ref: "goal" },
        studentId: { ref: "student" },
        organizationId: { ref: "org" },
        recordedDate: isoDaysBefore(first, i),
        recordedBy: { ref: "provider" },
        measurementValue: Math.max(0, goal.baselineData.value - i * 0.01 + ((i * 7919) % 11) - 5),
        measurementUnit: template.measurementUnit,
        masteryLevel: "developing",
        settingType: template.settingType,
        independenceLevel: template.independenceLevel,
      },
    });
  }
  const refs = { goal: goal._id, student: goal.studentId, org: goal.organizationId, provider: goal.responsibleProvider };
  for (let at = 0; at < records.length; at += 300) {
    await callInternal(backend, "seed:loadBatch", { records: records.slice(at, at + 300), refs });
  }
}

const { backend, district } = await openDistrict();
try {
  const student = clientAs(backend, "student@demo.sems.test");
  const me = await student.query(getCurrentUser, {});
  const goals = await student.query(listGoals, { studentId: me.studentId });
  const goal = goals.find((g) => g.isActive) ?? goals[0];
  let progress = await student.query(getGoalProgress, { goalId: goal._id });
  if (progress.summary.totalDataPoints < POINTS) {
    await topUp(backend, goal, progress.progressData);
    progress = await student.query(getGoalProgress, { goalId: goal._id });
  }
  const result = await measure(() => student.query(getGoalProgress, { goalId: goal._id }), { warmup: 5, runs: 30 });
  printJson({ bench: "sems.getGoalProgress", students: district.students, dataPoints: progress.summary.totalDataPoints, ...result, serverMedianMs: await serverMedianMs(backend, "progress:getGoalProgress"), targetMedianMs: 10 });
} finally {
  await backend.stop();
}
