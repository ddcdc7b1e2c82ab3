// The backend as a library: embed it in a process (benchmarks, tools) instead
// of running the `sems-backend` command.
export { Backend, type BackendOptions, type BackendUrls } from "./application.js";
export { LocalEngine } from "./engine/localEngine.js";
export type { Engine, FunctionCall, Outcome, QueryOutcome, MutationOutcome } from "./engine/contract.js";
/** The order-preserving index-key encoding, for tools that read the store directly (benchmarks). */
export { encodeIndexKey } from "./values/indexKey.js";
