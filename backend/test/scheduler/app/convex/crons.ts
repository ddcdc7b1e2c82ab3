import { anyApi, cronJobs } from "convex/server";

const crons = cronJobs();
crons.interval("tick every second", { seconds: 1 }, anyApi.jobs.record, { label: "cron" });
export default crons;
