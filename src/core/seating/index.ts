export * from "./best-available.js";
export * from "./free-index.js";
export * from "./labels.js";
export * from "./layout.js";
export * from "./map.js";
export * from "./spec.js";
export * from "./venue.js";
export * from "./view.js";
