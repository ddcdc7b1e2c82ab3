// The one mail interface of SEMS (issue 6): sendMail(ctx, { to, subject, text, html? }).
// From a mutation the message is recorded or queued in that mutation's transaction; from an
// action (Better Auth's callbacks) through the internal mutation mail/outbox:send.
// Where it goes — SMTP relay or development mailbox — is decided in mail/outbox.ts.
import type { GenericActionCtx, GenericMutationCtx } from "convex/server";
import { internal } from "../_generated/api";
import type { DataModel } from "../_generated/dataModel";
import { enqueueMail } from "./outbox";
import type { MailMessage } from "./message";

export type { MailMessage } from "./message";

type MailCtx = GenericMutationCtx<DataModel> | GenericActionCtx<DataModel>;

function isMutationCtx(ctx: MailCtx): ctx is GenericMutationCtx<DataModel> {
  return "db" in ctx;
}

export async function sendMail(ctx: MailCtx, message: MailMessage): Promise<void> {
  if (isMutationCtx(ctx)) await enqueueMail(ctx, message);
  else await ctx.runMutation(internal.mail.outbox.send, { message });
}
