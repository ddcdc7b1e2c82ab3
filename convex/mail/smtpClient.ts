"use node";
// A minimal SMTP client (RFC 5321) over node:net / node:tls, enough to hand SEMS's notices to a
// relay: EHLO, STARTTLS when offered (smtp://) or TLS from the start (smtps://), AUTH PLAIN when
// the URL carries credentials, one recipient, a MIME message with a text part and an optional
// HTML part. nodemailer is not a dependency of this project; this file replaces it for the little
// SEMS needs. Only imported by "use node" modules (mail/smtpDelivery.ts, tests).
import net from "node:net";
import tls from "node:tls";
import { checkedMessage, type MailMessage } from "./message";

export interface SmtpConfig {
  host: string;
  port: number;
  secure: boolean; // smtps://: TLS from the first byte
  user?: string;
  password?: string;
  from: string;
  /** Name sent in EHLO. */
  clientName?: string;
  timeoutMs?: number;
  /** Tests only: accept the relay's self-signed certificate. */
  rejectUnauthorized?: boolean;
}

/** smtp://user:pass@host:587 or smtps://host:465, with the sender address. */
export function parseSmtpUrl(url: string, from: string): SmtpConfig {
  const parsed = new URL(url);
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") {
    throw new Error(`SMTP_URL must start with smtp:// or smtps:// (got ${parsed.protocol}).`);
  }
  const secure = parsed.protocol === "smtps:";
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    ...(parsed.username ? { user: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    from,
  };
}

interface Reply {
  code: number;
  lines: string[];
}

/**
 * Reads CRLF-terminated replies, joining multi-line ones ("250-…" … "250 …"). Replies that arrive
 * before anyone asks (the greeting) wait in a queue; a failure is kept for the next ask.
 */
class ReplyReader {
  private buffer = "";
  private lines: string[] = [];
  private replies: Reply[] = [];
  private error: Error | null = null;
  private waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | null = null;

  feed(chunk: Buffer): void {
    this.buffer += chunk.toString("utf8");
    let end: number;
    while ((end = this.buffer.indexOf("\r\n")) >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.lines.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        const lines = this.lines;
        this.lines = [];
        this.replies.push({ code: Number(line.slice(0, 3)), lines: lines.map((l) => l.slice(4)) });
      }
    }
    this.settle();
  }

  fail(error: Error): void {
    this.error ??= error;
    this.settle();
  }

  next(): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.settle();
    });
  }

  private settle(): void {
    const waiting = this.waiting;
    if (!waiting) return;
    const reply = this.replies.shift();
    if (reply) {
      this.waiting = null;
      waiting.resolve(reply);
    } else if (this.error) {
      this.waiting = null;
      waiting.reject(this.error);
    }
  }
}

function encodeHeader(text: string): string {
  // RFC 2047 for anything beyond printable ASCII.
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, "utf8").toString("base64")}?=`;
}

function base64Lines(text: string): string {
  return (Buffer.from(text, "utf8").toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
}

/** The RFC 5322 message, with CRLF line ends; bodies in base64 so no line needs dot-stuffing. */
export function formatMessage(message: MailMessage, from: string, now: Date = new Date()): string {
  const boundary = `sems-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const domain = from.split("@")[1] ?? "localhost";
  const headers = [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Date: ${now.toUTCString()}`,
    `Message-ID: <${boundary}@${domain}>`,
    "MIME-Version: 1.0",
  ];
  const textPart = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", base64Lines(message.text)];
  if (message.html === undefined) return [...headers, ...textPart].join("\r\n");
  const htmlPart = ["Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", "", base64Lines(message.html)];
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    ...textPart,
    `--${boundary}`,
    ...htmlPart,
    `--${boundary}--`,
  ].join("\r\n");
}

type Socket = net.Socket | tls.TLSSocket;

function connect(config: SmtpConfig): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = config.secure
      ? tls.connect({ host: config.host, port: config.port, servername: config.host, rejectUnauthorized: config.rejectUnauthorized ?? true })
      : net.connect({ host: config.host, port: config.port });
    socket.once(config.secure ? "secureConnect" : "connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

function upgrade(socket: net.Socket, config: SmtpConfig): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secured = tls.connect({ socket, servername: config.host, rejectUnauthorized: config.rejectUnauthorized ?? true });
    secured.once("secureConnect", () => resolve(secured));
    secured.once("error", reject);
  });
}

class SmtpError extends Error {}

/** Sends one message; resolves with the relay's final reply text, rejects on any refusal. */
export async function sendSmtp(config: SmtpConfig, input: MailMessage): Promise<string> {
  const message = checkedMessage(input);
  const timeoutMs = config.timeoutMs ?? 20_000;
  let socket: Socket = await connect(config);
  let reader = new ReplyReader();
  const attach = (s: Socket, r: ReplyReader) => {
    s.on("data", (chunk: Buffer) => r.feed(chunk));
    s.on("error", (error) => r.fail(error));
    s.on("close", () => r.fail(new SmtpError("The SMTP server closed the connection.")));
    s.setTimeout(timeoutMs, () => {
      r.fail(new SmtpError(`The SMTP server did not answer within ${timeoutMs} ms.`));
      s.destroy();
    });
  };
  attach(socket, reader);

  const expect = async (pending: Promise<Reply>, accept: (code: number) => boolean, what: string) => {
    const reply = await pending;
    if (!accept(reply.code)) throw new SmtpError(`SMTP ${what} refused: ${reply.code} ${reply.lines.join(" ")}`);
    return reply;
  };
  const command = (line: string, accept: (code: number) => boolean, what: string) => {
    const pending = reader.next();
    socket.write(`${line}\r\n`);
    return expect(pending, accept, what);
  };
  const ok = (code: number) => code >= 200 && code < 300;

  try {
    await expect(reader.next(), (code) => code === 220, "greeting");
    const clientName = config.clientName ?? "sems.localhost";
    let ehlo = await command(`EHLO ${clientName}`, ok, "EHLO");
    const offers = (keyword: string) => ehlo.lines.some((line) => line.toUpperCase().startsWith(keyword));
    if (!config.secure && offers("STARTTLS")) {
      await command("STARTTLS", (code) => code === 220, "STARTTLS");
      socket.removeAllListeners("data");
      socket.removeAllListeners("close");
      socket.removeAllListeners("error");
      socket.setTimeout(0);
      socket = await upgrade(socket as net.Socket, config);
      reader = new ReplyReader();
      attach(socket, reader);
      ehlo = await command(`EHLO ${clientName}`, ok, "EHLO");
    }
    if (config.user !== undefined) {
      const credentials = Buffer.from(`\0${config.user}\0${config.password ?? ""}`, "utf8").toString("base64");
      await command(`AUTH PLAIN ${credentials}`, (code) => code === 235, "AUTH");
    }
    await command(`MAIL FROM:<${config.from}>`, ok, "MAIL FROM");
    await command(`RCPT TO:<${message.to}>`, ok, "RCPT TO");
    await command("DATA", (code) => code === 354, "DATA");
    // Dot-stuffing (RFC 5321 4.5.2) for header lines; base64 bodies never start with a dot.
    const data = formatMessage(message, config.from).replace(/^\./gm, "..");
    const accepted = await command(`${data}\r\n.`, ok, "message");
    await command("QUIT", (code) => code === 221, "QUIT").catch(() => undefined);
    return accepted.lines.join(" ");
  } finally {
    socket.destroy();
  }
}
