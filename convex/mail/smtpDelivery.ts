"use node";
// Delivery to the SMTP relay named by SMTP_URL, scheduled by mail/outbox.ts. Runs in Node.js
// because the Convex runtime has no TCP sockets (fetch cannot speak SMTP).
import { env, internalAction } from "../_generated/server";
import { mailMessage } from "./message";
import { parseSmtpUrl, sendSmtp } from "./smtpClient";

export const deliver = internalAction({
  args: { message: mailMessage },
  handler: async (_ctx, { message }) => {
    const url = env.SMTP_URL;
    if (!url) throw new Error("SMTP_URL was unset after the message was queued; it was not sent.");
    const config = parseSmtpUrl(url, env.MAIL_FROM?.trim() || "sems@localhost");
    const reply = await sendSmtp(config, message);
    console.log(`[mail] sent to ${message.to}, "${message.subject}": ${reply}`);
    return null;
  },
});
