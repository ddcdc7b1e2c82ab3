// The one shape of a message SEMS sends (invitations, password resets), and the checks every
// sender applies: one recipient, no line breaks in headers (no header injection).
import { v, type Infer } from "convex/values";

export const mailMessage = v.object({
  to: v.string(),
  subject: v.string(),
  text: v.string(),
  html: v.optional(v.string()),
});
export type MailMessage = Infer<typeof mailMessage>;

const ADDRESS = /^[^@\s<>()",;:]+@[^@\s<>()",;:]+\.[^@\s<>()",;:]+$/;

/** Refuses what would corrupt an SMTP envelope or a header; returns the message trimmed. */
export function checkedMessage(message: MailMessage): MailMessage {
  const to = message.to.trim();
  if (!ADDRESS.test(to)) throw new Error(`Cannot send mail to "${message.to}": not a single email address.`);
  if (/[\r\n]/.test(message.subject)) throw new Error("A mail subject cannot contain line breaks.");
  return { ...message, to };
}
