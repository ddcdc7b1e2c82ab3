// @vitest-environment node
// The SMTP client of mail/smtpClient.ts against a tiny SMTP server in this test (node:net):
// the dialogue, AUTH PLAIN, the MIME message, and refusals surfacing as errors.
import net from "node:net";
import { afterEach, expect, test } from "vitest";
import { formatMessage, parseSmtpUrl, sendSmtp } from "../mail/smtpClient";

interface Received {
  commands: string[];
  data: string;
}

let server: net.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Answers like a relay; `refuse` maps a command prefix to the reply that refuses it. */
function startServer(refuse: Record<string, string> = {}): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  server = net.createServer((socket) => {
    const session: Received = { commands: [], data: "" };
    received.push(session);
    let buffer = "";
    let inData = false;
    socket.write("220 test.smtp ESMTP ready\r\n");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) return;
          session.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write("250 2.0.0 queued as ABC123\r\n");
          continue;
        }
        const end = buffer.indexOf("\r\n");
        if (end < 0) return;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        session.commands.push(line);
        const refusal = Object.entries(refuse).find(([prefix]) => line.startsWith(prefix));
        if (refusal) socket.write(`${refusal[1]}\r\n`);
        else if (line.startsWith("EHLO")) socket.write("250-test.smtp greets you\r\n250-SIZE 1000000\r\n250 AUTH PLAIN\r\n");
        else if (line.startsWith("AUTH PLAIN")) socket.write("235 2.7.0 Authentication successful\r\n");
        else if (line === "DATA") {
          inData = true;
          socket.write("354 End data with <CR><LF>.<CR><LF>\r\n");
        } else if (line === "QUIT") socket.end("221 2.0.0 Bye\r\n");
        else socket.write("250 2.1.0 Ok\r\n");
      }
    });
  });
  return new Promise((resolve) => server!.listen(0, "127.0.0.1", () => resolve({ port: (server!.address() as net.AddressInfo).port, received })));
}

const message = { to: "teacher@school.test", subject: "Réinitialisez votre mot de passe", text: "Line one\n.starts with a dot\nhttp://127.0.0.1:5173/reset-password?token=abc" };

test("sends one message: EHLO, AUTH PLAIN, envelope, MIME body", async () => {
  const { port, received } = await startServer();
  const config = { ...parseSmtpUrl(`smtp://mailer:s%40cret@127.0.0.1:${port}`, "sems@school.test"), clientName: "sems.test" };
  expect(config).toMatchObject({ host: "127.0.0.1", port, secure: false, user: "mailer", password: "s@cret" });
  const reply = await sendSmtp(config, message);
  expect(reply).toContain("queued as ABC123");
  const [session] = received;
  expect(session!.commands).toEqual([
    "EHLO sems.test",
    `AUTH PLAIN ${Buffer.from("\0mailer\0s@cret").toString("base64")}`,
    "MAIL FROM:<sems@school.test>",
    "RCPT TO:<teacher@school.test>",
    "DATA",
    "QUIT",
  ]);
  expect(session!.data).toContain("To: teacher@school.test\r\n");
  expect(session!.data).toContain(`Subject: =?UTF-8?B?${Buffer.from(message.subject).toString("base64")}?=`);
  const body = session!.data.split("\r\n\r\n")[1]!.replace(/\r\n/g, "");
  expect(Buffer.from(body, "base64").toString("utf8")).toBe(message.text);
});

test("a refusal by the relay is an error naming the step", async () => {
  const { port } = await startServer({ "RCPT TO": "550 5.1.1 No such user here" });
  await expect(sendSmtp(parseSmtpUrl(`smtp://127.0.0.1:${port}`, "sems@school.test"), message)).rejects.toThrow(
    /RCPT TO refused: 550 5.1.1 No such user here/,
  );
});

test("header injection and bad addresses are refused before connecting", async () => {
  const config = parseSmtpUrl("smtp://127.0.0.1:1", "sems@school.test");
  await expect(sendSmtp(config, { ...message, subject: "Hi\r\nBcc: victim@x.test" })).rejects.toThrow(/line breaks/);
  await expect(sendSmtp(config, { ...message, to: "a@x.test, b@y.test" })).rejects.toThrow(/not a single email/);
  expect(() => parseSmtpUrl("http://mail.test", "x@y.test")).toThrow(/smtp:\/\//);
});

test("an HTML part makes a multipart/alternative message", () => {
  const formatted = formatMessage({ ...message, html: "<p>Hello</p>" }, "sems@school.test", new Date(0));
  expect(formatted).toMatch(/Content-Type: multipart\/alternative; boundary="([^"]+)"/);
  expect(formatted).toContain("Content-Type: text/html; charset=utf-8");
  expect(formatted).toContain(Buffer.from("<p>Hello</p>").toString("base64"));
});
