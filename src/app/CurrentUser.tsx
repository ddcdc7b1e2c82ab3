// The signed-in SEMS user (users.getCurrentUser), resolved once for the signed-in area and read
// by every page through useCurrentUser(). Access is still enforced by each server function.
import { createContext, useContext } from "react";
import type { Doc } from "../../convex/_generated/dataModel";

export type CurrentUser = Doc<"users">;

export const CurrentUserContext = createContext<CurrentUser | null>(null);

export function useCurrentUser(): CurrentUser {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error("useCurrentUser() outside the signed-in area");
  return user;
}

export function isStaff(user: CurrentUser): boolean {
  return user.role === "admin" || user.role === "teacher" || user.role === "specialist";
}
