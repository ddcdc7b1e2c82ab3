// Where every message goes (issue 6): with SMTP_URL set, to the SMTP relay through a "use node"
// action scheduled in the same transaction (mail/smtpDelivery.ts); without it (the offline
// default) into the development mailbox (devMailbox table, read by admins through
// mail/devMailbox.ts) and the backend log.
import { internal } from "../_generated/api";
import { env, internalMutation, type MutationCtx } from "../_generated/server";
import { checkedMessage, mailMessage, type MailMessage } from "./message";

export function smtpConfigured(): boolean {
  return !!env.SMTP_URL?.trim();
}

/** Records or queues one message from inside a mutation (so it is sent only if the mutation commits). */
export async function enqueueMail(ctx: MutationCtx, input: MailMessage): Promise<void> {
  const message = checkedMessage(input);
  if (smtpConfigured()) {
    await ctx.scheduler.runAfter(0, internal.mail.smtpDelivery.deliver, { message });
    console.log(`[mail] queued for SMTP: to ${message.to}, "${message.subject}"`);
    return;
  }
  // The recipient's organization scopes who may read the message in the development mailbox.
  const recipient = await ctx.db
    .query("users")
    .withIndex("by_email", (q) => q.eq("email", message.to.toLowerCase()))
    .first();
  await ctx.db.insert("devMailbox", {
    ...(recipient ? { organizationId: recipient.organizationId } : {}),
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html !== undefined ? { html: message.html } : {}),
    sentAt: Date.now(),
  });
  console.log(`[mail] development mailbox (no SMTP_URL set)\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}`);
}

/** For actions (Better Auth's callbacks run in the HTTP action): the same, in its own transaction. */
export const send = internalMutation({
  args: { message: mailMessage },
  handler: async (ctx, { message }) => {
    await enqueueMail(ctx, message);
    return null;
  },
});
