// The Convex JWT for the signed-in session (Better Auth's convex plugin, GET /api/auth/convex/token),
// for the few plain HTTP calls the app makes itself: document downloads (convex/http.ts).
import { authClient } from "./authClient";

export async function fetchConvexToken(): Promise<string | null> {
  const response = await authClient.$fetch<{ token?: string }>("/convex/token", { method: "GET" });
  return (response.data as { token?: string } | null)?.token ?? null;
}
