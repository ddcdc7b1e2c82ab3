// D15: upload through file storage, download only through the access-checked HTTP action, which
// records the access (D16); confidential documents are visible to the case manager, admins and
// the users they list.
import { expect, test } from "vitest";
import { api } from "../_generated/api";
import { as, buildWorld, outcome } from "./world.testing";

test("upload: an upload URL, then create with the storageId; size and type come from storage", async () => {
  const w = await buildWorld();
  const specialist = as(w, "teamSpecialist");
  const url = await specialist.mutation(api.documents.generateUploadUrl, { studentId: w.student });
  expect(typeof url).toBe("string");
  const storageId = await w.t.run(async (ctx) =>
    ctx.storage.store(new Blob(["<p>speech session notes</p>"], { type: "text/html" })),
  );
  const id = await specialist.mutation(api.documents.create, {
    studentId: w.student,
    storageId,
    documentType: "communication",
    title: "Speech notes",
    isConfidential: false,
    mimeType: "text/html",
  });
  const metadata = await as(w, "parent").query(api.documents.get, { documentId: id });
  expect(metadata).toMatchObject({ title: "Speech notes", fileSize: 27, mimeType: "text/html", uploadedBy: w.users.teamSpecialist._id });
  expect(metadata).not.toHaveProperty("storageId");
  // One document per upload.
  expect(
    await outcome(
      specialist.mutation(api.documents.create, {
        studentId: w.student,
        storageId,
        documentType: "other",
        title: "Again",
        isConfidential: false,
      }),
    ),
  ).toBe("INVALID_ARGUMENT");
});

test("download streams the file and records the download in the audit log", async () => {
  const w = await buildWorld();
  const response = await as(w, "parent").fetch(`/documents/download?id=${w.publicDocument}`);
  expect(response.status).toBe(200);
  expect(await response.text()).toBe("evaluation report");
  expect(response.headers.get("Content-Disposition")).toContain("Reading assessment");
  const downloads = await w.t.run(async (ctx) =>
    (await ctx.db.query("auditLog").collect()).filter((e) => e.action === "download"),
  );
  expect(downloads).toHaveLength(1);
  expect(downloads[0]).toMatchObject({ actorId: w.users.parent._id, targetId: w.publicDocument, studentId: w.student });

  expect((await w.t.fetch(`/documents/download?id=${w.publicDocument}`)).status).toBe(401);
  expect((await as(w, "otherParent").fetch(`/documents/download?id=${w.publicDocument}`)).status).toBe(403);
  expect((await as(w, "parent").fetch(`/documents/download?id=nonsense`)).status).toBe(400);
  expect((await as(w, "parent").fetch(`/documents/download`)).status).toBe(400);
  const refusedDownloads = await w.t.run(async (ctx) =>
    (await ctx.db.query("auditLog").collect()).filter((e) => e.action === "download"),
  );
  expect(refusedDownloads).toHaveLength(1);
});

test("confidential documents: hidden from the team and parents, shown to listed users", async () => {
  const w = await buildWorld();
  const titles = async (role: "caseManager" | "teamSpecialist" | "parent") =>
    (
      await as(w, role).query(api.documents.listForStudent, {
        studentId: w.student,
        paginationOpts: { numItems: 10, cursor: null },
      })
    ).page.map((d) => d.title);
  expect((await titles("caseManager")).sort()).toEqual(["Psychological evaluation", "Reading assessment"]);
  expect(await titles("teamSpecialist")).toEqual(["Reading assessment"]);
  expect(await titles("parent")).toEqual(["Reading assessment"]);
  // Listed with "view": may see the metadata but not download; "download" permission allows it.
  const listed = as(w, "unrelatedSpecialist");
  expect(await outcome(listed.query(api.documents.get, { documentId: w.confidentialDocument }))).toBe("OK");
  expect((await listed.fetch(`/documents/download?id=${w.confidentialDocument}`)).status).toBe(403);
  await as(w, "caseManager").mutation(api.documents.updatePermissions, {
    documentId: w.confidentialDocument,
    accessPermissions: [{ userId: w.users.unrelatedSpecialist._id, permission: "download" }],
  });
  expect((await listed.fetch(`/documents/download?id=${w.confidentialDocument}`)).status).toBe(200);
  // Another organization's admin never gets it.
  expect((await as(w, "foreign").fetch(`/documents/download?id=${w.confidentialDocument}`)).status).toBe(403);
});
