import { ConvexReactClient } from "convex/react";

// scripts/webServer.mjs writes the running stack's URLs into index.html as window.__SEMS_CONFIG__,
// so one build serves any ports; a Vite build for elsewhere sets VITE_CONVEX_URL instead.
declare global {
  interface Window {
    __SEMS_CONFIG__?: { convexUrl?: string; convexSiteUrl?: string };
  }
}
const runtime = typeof window !== "undefined" ? window.__SEMS_CONFIG__ : undefined;

/** The Convex deployment (the embedded backend's API port unless configured otherwise). */
export const convexUrl: string = runtime?.convexUrl ?? import.meta.env.VITE_CONVEX_URL ?? "http://127.0.0.1:3210";

/** The deployment's HTTP actions ("site") URL: Better Auth's routes and document downloads. */
export const convexSiteUrl: string = runtime?.convexSiteUrl ?? import.meta.env.VITE_CONVEX_SITE_URL ?? "http://127.0.0.1:3211";

export const convex = new ConvexReactClient(convexUrl, {
  // Waiting for the server's confirmation keeps the UI honest about what was saved.
  unsavedChangesWarning: true,
});
