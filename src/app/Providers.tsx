// Everything a page needs around it: Convex (authenticated by Better Auth), the language, toasts.
import { ConvexBetterAuthProvider, type AuthClient } from "@convex-dev/better-auth/react";
import type { ReactNode } from "react";
import { ToastProvider } from "../components/Toasts";
import { I18nProvider } from "../i18n/I18nProvider";
import { authClient } from "../lib/auth/authClient";
import { convex } from "../lib/convex";

// @convex-dev/better-auth 0.12.5 types its AuthClient against an older better-auth session shape
// than better-auth 1.6 infers (useSession().data: never); the runtime contract is the same.
const providerAuthClient = authClient as unknown as AuthClient;

export function Providers({ children }: { children: ReactNode }) {
  return (
    <ConvexBetterAuthProvider client={convex} authClient={providerAuthClient}>
      <I18nProvider>
        <ToastProvider>{children}</ToastProvider>
      </I18nProvider>
    </ConvexBetterAuthProvider>
  );
}
