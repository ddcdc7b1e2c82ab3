// prosemirror-sync and presence from their compiled dist/component, driven by
// two real ConvexClients each:
//   - two editors (prosemirror-collab over the package's syncApi) edit one
//     document at the same time, rebase, and converge on the same content;
//   - two presence sessions see each other, and the one that stops
//     heart-beating goes offline (presence's timeout is a scheduled function).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { anyApi } from "convex/server";
import type { ConvexClient } from "convex/browser";
import { Node, Schema } from "prosemirror-model";
import { EditorState } from "prosemirror-state";
import { Step } from "prosemirror-transform";
import { collab, getVersion, receiveTransaction, sendableSteps } from "prosemirror-collab";
import { eventually, startAppBackend, type AppBackend } from "../httpActions/appBackend.js";

let app: AppBackend;

beforeAll(async () => {
  app = await startAppBackend();
}, 120_000);
afterAll(() => app?.close());

const schema = new Schema({
  nodes: { doc: { content: "paragraph+" }, paragraph: { content: "text*" }, text: {} },
});

type SubmitResult = { status: "synced" } | { status: "needs-rebase"; clientIds: (string | number)[]; steps: string[] };

/** One editor: prosemirror-collab state kept in step with the server through a ConvexClient. */
class Editor {
  state: EditorState;
  /** Pulls and pushes run one at a time, as the package's own client does. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: ConvexClient,
    readonly clientId: string,
    private readonly docId: string,
    doc: Node,
    version: number,
  ) {
    this.state = EditorState.create({ doc, plugins: [collab({ version, clientID: clientId })] });
    // Steps by anyone newer than what this editor has: apply the ones it lacks.
    client.onUpdate(anyApi.collab.getSteps, { id: docId, version }, () => void this.pull());
  }

  /**
   * Applies steps that follow `baseVersion`, skipping those this editor already
   * has: a pull and a rebase can both deliver the same remote steps.
   */
  private receiveFrom(baseVersion: number, steps: string[], clientIds: (string | number)[]): void {
    const skip = getVersion(this.state) - baseVersion;
    if (skip < 0) throw new Error(`${this.clientId} got steps after ${baseVersion} but is only at ${getVersion(this.state)}`);
    if (skip >= steps.length) return;
    const parsed = steps.slice(skip).map((step) => Step.fromJSON(schema, JSON.parse(step)));
    this.state = this.state.apply(receiveTransaction(this.state, parsed, clientIds.slice(skip), { mapSelectionBackward: true }));
  }

  pull(): Promise<void> {
    return this.serially(() => this.pullNow());
  }

  push(): Promise<void> {
    return this.serially(() => this.pushNow());
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => {});
    return next;
  }

  private async pullNow(): Promise<void> {
    const from = getVersion(this.state);
    const result = (await this.client.query(anyApi.collab.getSteps, { id: this.docId, version: from })) as {
      steps: string[];
      clientIds: (string | number)[];
    };
    this.receiveFrom(from, result.steps, result.clientIds);
  }

  type(text: string, at: number): void {
    this.state = this.state.apply(this.state.tr.insertText(text, at));
  }

  /** Submits local steps until the server accepts them, rebasing on others' steps when told to. */
  private async pushNow(): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const sendable = sendableSteps(this.state);
      if (!sendable) return;
      const result = (await this.client.mutation(anyApi.collab.submitSteps, {
        id: this.docId,
        version: sendable.version,
        clientId: this.clientId,
        steps: sendable.steps.map((step) => JSON.stringify(step.toJSON())),
      })) as SubmitResult;
      if (result.status === "synced") {
        this.state = this.state.apply(receiveTransaction(this.state, sendable.steps, sendable.steps.map(() => this.clientId)));
        return;
      }
      this.receiveFrom(sendable.version, result.steps, result.clientIds);
    }
    throw new Error(`${this.clientId} could not submit its steps`);
  }
}

describe("prosemirror-sync", () => {
  test("two clients editing one document at once converge on the same content", async () => {
    const docId = "iep-notes-1";
    const initial = schema.node("doc", null, [schema.node("paragraph", null, [schema.text("Goals: ")])]);
    const [a, b] = [app.client(), app.client()];
    await a.mutation(anyApi.collab.submitSnapshot, { id: docId, version: 1, content: JSON.stringify(initial.toJSON()) });
    const snapshot = (await b.query(anyApi.collab.getSnapshot, { id: docId })) as { content: string; version: number };
    expect(snapshot.version).toBe(1);

    const editorA = new Editor(a, "client-a", docId, initial, 1);
    const editorB = new Editor(b, "client-b", docId, Node.fromJSON(schema, JSON.parse(snapshot.content)), snapshot.version);
    editorA.type("reading", 8);
    editorB.type("math", 8);
    editorB.type(", writing", 12);
    // Both submit at version 1: one of them must rebase.
    await Promise.all([editorA.push(), editorB.push()]);
    await Promise.all([editorA.pull(), editorB.pull()]);

    const latest = (await a.query(anyApi.collab.latestVersion, { id: docId })) as number;
    expect(latest).toBe(1 + 3);
    await eventually(() => getVersion(editorA.state) === latest && getVersion(editorB.state) === latest, 10_000, "both editors at the latest version");
    expect(editorA.state.doc.eq(editorB.state.doc)).toBe(true);
    const text = editorA.state.doc.textContent;
    expect(text.startsWith("Goals: ")).toBe(true);
    expect(text).toContain("reading");
    expect(text).toContain("math, writing");
  });
});

type PresenceEntry = { userId: string; online: boolean; lastDisconnected: number };

describe("presence", () => {
  test("two clients see each other, and one that stops heart-beating goes offline", async () => {
    const [alice, bob] = [app.client(), app.client()];
    const interval = 400;
    const beat = (client: ConvexClient, userId: string) =>
      client.mutation(anyApi.presence.heartbeat, { roomId: "room-7", userId, sessionId: `${userId}-session`, interval }) as Promise<{ roomToken: string; sessionToken: string }>;
    const { roomToken } = await beat(alice, "alice");
    await beat(bob, "bob");

    const seenByAlice: PresenceEntry[][] = [];
    const seenByBob: PresenceEntry[][] = [];
    alice.onUpdate(anyApi.presence.list, { roomToken }, (value) => seenByAlice.push(value as PresenceEntry[]));
    bob.onUpdate(anyApi.presence.list, { roomToken }, (value) => seenByBob.push(value as PresenceEntry[]));
    const bothOnline = (lists: PresenceEntry[][]) => {
      const last = lists[lists.length - 1] ?? [];
      return ["alice", "bob"].every((user) => last.some((entry) => entry.userId === user && entry.online));
    };
    await eventually(() => bothOnline(seenByAlice) && bothOnline(seenByBob), 10_000, "both users online for both clients");

    // Alice keeps beating; Bob stops. After 2.5 intervals Bob's session times out.
    const timer = setInterval(() => void beat(alice, "alice"), interval / 2);
    try {
      await eventually(
        () => {
          const last = seenByAlice[seenByAlice.length - 1] ?? [];
          return last.some((entry) => entry.userId === "bob" && !entry.online) && last.some((entry) => entry.userId === "alice" && entry.online);
        },
        10_000,
        "bob to go offline while alice stays",
      );
    } finally {
      clearInterval(timer);
    }
  });
});
