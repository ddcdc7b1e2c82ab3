// Sign-in (issue 6) with Better Auth through @convex-dev/better-auth: the component stores Better
// Auth's tables (user, session, account, twoFactor, rateLimit, jwks, …); this file configures it.
// Routes: ${CONVEX_SITE_URL}/api/auth/* (http.ts). What SEMS adds, in Better Auth's hooks:
//  - sign-up only with a valid invitation for that email (authLinks.checkSignUp), which also
//    marks the email verified: the invitation link proved the mailbox;
//  - D3: the new Better Auth user is linked to its `users` row (authUserId = Better Auth user id =
//    JWT `sub`), and every sign-in stamps lastLogin (authLinks.linkNewAuthUser / recordSignIn);
//  - no session for a deactivated account or organization (D7; the function wrapper refuses them
//    too, on every call);
//  - TOTP two-factor is offered to staff only (authLinks.mayUseTwoFactor);
//  - password-reset mail goes through mail/sender.ts with a link into the web app.
// Sessions last 12 hours from sign-in and are never extended (a school day; re-sign-in daily);
// the Convex JWT derived from the session lives 15 minutes and the client refreshes it.
import { createClient, type GenericCtx } from "@convex-dev/better-auth";
import { convex, crossDomain } from "@convex-dev/better-auth/plugins";
import { betterAuth, type BetterAuthOptions } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx } from "better-auth/api";
import { twoFactor } from "better-auth/plugins";
import type { GenericActionCtx, GenericMutationCtx } from "convex/server";
import { components, internal } from "./_generated/api";
import type { DataModel } from "./_generated/dataModel";
import { env } from "./_generated/server";
import authConfig from "./auth.config";
import authSchema from "./betterAuth/schema";
import { sendMail } from "./mail/sender";
import { siteUrl } from "./model/siteUrl";

export const authComponent = createClient<DataModel, typeof authSchema>(components.betterAuth, {
  local: { schema: authSchema },
});

export const SESSION_LIFETIME_SECONDS = 12 * 60 * 60;
export const MIN_PASSWORD_LENGTH = 10;
/** Paths under /api/auth and their limits per client IP (Better Auth's rateLimit, stored in the component). */
export const RATE_LIMITS = {
  "/sign-in/email": { window: 60, max: 10 },
  // Sign-up needs an invitation token (256 bits), so this limit only paces; the demo loader signs
  // up its seven demo accounts at once.
  "/sign-up/email": { window: 60, max: 20 },
  "/request-password-reset": { window: 300, max: 3 },
  "/reset-password": { window: 300, max: 5 },
  "/two-factor/verify-totp": { window: 60, max: 5 },
  "/two-factor/verify-backup-code": { window: 60, max: 5 },
  // Not limited: they answer only to a valid session token (nothing to guess), the web app asks
  // for a Convex JWT on every page load and every 15 minutes, and a school's staff share one
  // public IP — the default 100 a minute per IP signed a busy school out (429 → no token).
  "/convex/token": false,
  "/get-session": false,
} as const;

const TWO_FACTOR_STAFF_ONLY = "Two-factor sign-in is available to school staff accounts only.";

type WritingCtx = GenericMutationCtx<DataModel> | GenericActionCtx<DataModel>;

/** Hooks run only where Better Auth writes: in our HTTP actions (or mutations), never in queries. */
function writingCtx(ctx: GenericCtx<DataModel>): WritingCtx {
  if (!("runMutation" in ctx)) throw new Error("Better Auth wrote from a query context.");
  return ctx;
}

function invitationTokenOf(body: unknown): string | undefined {
  if (body && typeof body === "object" && "invitationToken" in body) {
    const token = (body as { invitationToken: unknown }).invitationToken;
    if (typeof token === "string" && token) return token;
  }
  return undefined;
}

export function authOptions(ctx: GenericCtx<DataModel>) {
  const site = siteUrl();
  return {
    baseURL: env.CONVEX_SITE_URL,
    secret: env.BETTER_AUTH_SECRET,
    database: authComponent.adapter(ctx),
    // A function, read per request: the routes' CORS check (http.ts) asks the auth instance made
    // when http.ts is loaded, and SITE_URL may be set (or changed) after that.
    trustedOrigins: () => [siteUrl()],
    emailAndPassword: {
      enabled: true,
      // Invitees prove their mailbox with the invitation link; nobody else can sign up.
      requireEmailVerification: false,
      autoSignIn: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      resetPasswordTokenExpiresIn: 60 * 60,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, token }) => {
        const link = `${site}/reset-password?token=${encodeURIComponent(token)}`;
        await sendMail(writingCtx(ctx), {
          to: user.email,
          subject: "Reset your SEMS password",
          text: [
            `Hello ${user.name},`,
            "",
            "Someone asked to reset the password of your SEMS account. To choose a new password, open:",
            "",
            link,
            "",
            "The link works once and expires in 1 hour. If you did not ask for this, ignore this message;",
            "your password stays as it is.",
          ].join("\n"),
        });
      },
    },
    session: {
      expiresIn: SESSION_LIFETIME_SECONDS,
      updateAge: 60 * 60,
      disableSessionRefresh: true,
      // Enabling two-factor or changing the password needs a sign-in of the last 15 minutes.
      freshAge: 15 * 60,
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 100,
      customRules: RATE_LIMITS,
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user, endpoint) => {
            const invitationToken = invitationTokenOf(endpoint?.body);
            const decision = await writingCtx(ctx).runQuery(internal.authLinks.checkSignUp, {
              email: user.email,
              viaHttp: !!endpoint?.request,
              ...(invitationToken ? { invitationToken } : {}),
            });
            if (!decision.allowed) throw new APIError("FORBIDDEN", { message: decision.reason });
            return { data: { ...user, emailVerified: decision.invited || user.emailVerified } };
          },
          after: async (user, endpoint) => {
            const invitationToken = invitationTokenOf(endpoint?.body);
            await writingCtx(ctx).runMutation(internal.authLinks.linkNewAuthUser, {
              authUserId: user.id,
              email: user.email,
              ...(invitationToken ? { invitationToken } : {}),
            });
          },
        },
      },
      session: {
        create: {
          before: async (session) => {
            const refusal = await writingCtx(ctx).runQuery(internal.authLinks.checkSignIn, {
              authUserId: session.userId,
            });
            if (refusal) throw new APIError("FORBIDDEN", { message: refusal });
          },
          after: async (session) => {
            await writingCtx(ctx).runMutation(internal.authLinks.recordSignIn, { authUserId: session.userId });
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (hookCtx) => {
        if (!hookCtx.path.startsWith("/two-factor/enable")) return;
        const session = await getSessionFromCtx(hookCtx);
        if (!session) return; // Better Auth's own check answers 401
        const allowed = await writingCtx(ctx).runQuery(internal.authLinks.mayUseTwoFactor, {
          authUserId: session.user.id,
        });
        if (!allowed) throw new APIError("FORBIDDEN", { message: TWO_FACTOR_STAFF_ONLY });
      }),
    },
    plugins: [
      // The web app runs on another origin (SITE_URL): the session travels in the
      // Better-Auth-Cookie / Set-Better-Auth-Cookie headers instead of a third-party cookie.
      crossDomain({ siteUrl: site }),
      convex({ authConfig }),
      twoFactor({ issuer: "SEMS" }),
    ],
  } satisfies BetterAuthOptions;
}

export const createAuth = (ctx: GenericCtx<DataModel>) => betterAuth(authOptions(ctx));
