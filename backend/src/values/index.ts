// Convex values for the embedded backend: ids, index keys, validators, limits.
export * from "./ids.js";
export * from "./indexKey.js";
export * from "./validator.js";
export * from "./limits.js";
export * from "./display.js";
