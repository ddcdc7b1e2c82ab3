// The sign-in flows the pages call, each one Better Auth endpoint (documented routes under
// /api/auth): sign-in/email, two-factor/verify-totp, request-password-reset, reset-password,
// sign-up/email (with an invitation token), sign-out.
import { authClient, toResult, type AuthResult } from "./authClient";

function failure(error: unknown): AuthResult {
  return { ok: false, code: "NETWORK", message: error instanceof Error ? error.message : String(error) };
}

export async function signInWithEmail(email: string, password: string): Promise<AuthResult> {
  try {
    return toResult(await authClient.signIn.email({ email: email.trim().toLowerCase(), password }));
  } catch (error) {
    return failure(error);
  }
}

export async function verifyTotp(code: string): Promise<AuthResult> {
  try {
    // Better Auth's two-factor route, called directly: the sign-in page shows the code step itself.
    return toResult(await authClient.$fetch("/two-factor/verify-totp", { method: "POST", body: { code: code.replace(/\s+/g, "") } }));
  } catch (error) {
    return failure(error);
  }
}

export async function requestPasswordReset(email: string): Promise<AuthResult> {
  try {
    const redirectTo = `${window.location.origin}/reset-password`;
    return toResult(await authClient.requestPasswordReset({ email: email.trim().toLowerCase(), redirectTo }));
  } catch (error) {
    return failure(error);
  }
}

export async function setNewPassword(token: string, newPassword: string): Promise<AuthResult> {
  try {
    return toResult(await authClient.resetPassword({ token, newPassword }));
  } catch (error) {
    return failure(error);
  }
}

export async function signOut(): Promise<void> {
  try {
    await authClient.signOut();
  } finally {
    window.location.assign("/sign-in");
  }
}

/** convex/auth.ts's MIN_PASSWORD_LENGTH; the server has the final word. */
export const MIN_PASSWORD_LENGTH = 10;

/**
 * Accepting an invitation is Better Auth's email sign-up carrying the invitation token
 * (convex/auth.ts checks it and links the new sign-in to the invited `users` row); the session
 * starts at once (autoSignIn).
 */
export async function acceptInvitation(input: { token: string; email: string; name: string; password: string }): Promise<AuthResult> {
  try {
    return toResult(
      await authClient.$fetch("/sign-up/email", {
        method: "POST",
        body: { email: input.email, name: input.name, password: input.password, invitationToken: input.token },
      }),
    );
  } catch (error) {
    return failure(error);
  }
}
