// A student's documents: the list (live, confidential ones only for those allowed — the server
// filters), download through the checked route, and upload with type, confidentiality and a
// progress bar for staff.
import { useMutation, usePaginatedQuery } from "convex/react";
import { useState, type FormEvent } from "react";
import { api } from "../../../convex/_generated/api";
import type { Id } from "../../../convex/_generated/dataModel";
import { DataTable } from "../../components/DataTable";
import { CheckboxField, SelectField, TextAreaField, TextField } from "../../components/Field";
import { UnsavedChangesGuard } from "../../components/UnsavedChangesGuard";
import { errorMessage } from "../../components/errors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";
import { downloadDocument, uploadWithProgress } from "./transfer";

const TYPES = ["assessment", "iep", "progress_report", "communication", "medical", "behavioral", "other"] as const;
type DocumentType = (typeof TYPES)[number];

export function DocumentsSection({ studentId, canUpload }: { studentId: Id<"students">; canUpload: boolean }) {
  const { t, formatDateTime } = useI18n();
  const toast = useToast();
  const { results, status, loadMore } = usePaginatedQuery(api.documents.listForStudent, { studentId }, { initialNumItems: 25 });
  return (
    <>
      {/* The tab's own h2 (as the other tabs have): the upload form's h3 sits under it. */}
      <h2>{t("documents.title")}</h2>
      {canUpload ? <UploadForm studentId={studentId} /> : null}
      <DataTable
        caption={t("documents.title")}
        rows={results}
        rowKey={(d) => d._id}
        empty={status === "LoadingFirstPage" ? t("app.loading") : t("studentPage.noDocuments")}
        columns={[
          {
            key: "title",
            header: t("documents.docTitle"),
            rowHeader: true,
            cell: (d) => (
              <>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => downloadDocument(d._id, d.title).catch((error) => toast("error", t("app.error", { message: errorMessage(error) })))}
                  aria-label={t("documents.download", { title: d.title })}
                >
                  {d.title}
                </button>{" "}
                {d.isConfidential ? <span className="badge">{t("documents.confidentialBadge")}</span> : null}
              </>
            ),
          },
          { key: "type", header: t("documents.type"), cell: (d) => t(`documents.type.${d.documentType}`) },
          { key: "when", header: t("documents.uploadedOn"), cell: (d) => formatDateTime(d._creationTime) },
        ]}
      />
      {status === "CanLoadMore" ? (
        <div className="actions">
          <button type="button" onClick={() => loadMore(25)}>
            {t("app.loadMore")}
          </button>
        </div>
      ) : null}
    </>
  );
}

function UploadForm({ studentId }: { studentId: Id<"students"> }) {
  const { t, formatPercent } = useI18n();
  const toast = useToast();
  const generateUploadUrl = useMutation(api.documents.generateUploadUrl);
  const create = useMutation(api.documents.create);
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState("");
  const [type, setType] = useState<DocumentType>("other");
  const [description, setDescription] = useState("");
  const [confidential, setConfidential] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [inputKey, setInputKey] = useState(0);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return setError(t("app.required"));
    setError(null);
    setProgress(0);
    try {
      const url = await generateUploadUrl({ studentId });
      const storageId = await uploadWithProgress(url, file, setProgress);
      await create({
        studentId,
        storageId: storageId as Id<"_storage">,
        documentType: type,
        title: title.trim() || file.name,
        isConfidential: confidential,
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(file.type ? { mimeType: file.type } : {}),
      });
      toast("success", t("documents.uploaded"));
      setFile(null);
      setTitle("");
      setDescription("");
      setConfidential(false);
      setInputKey((k) => k + 1);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setProgress(null);
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <UnsavedChangesGuard dirty={file !== null || title !== "" || description !== ""} />
      <h3>{t("documents.upload")}</h3>
      <div className="form-row">
        <TextField key={inputKey} label={t("documents.file")} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />
        <TextField label={t("documents.docTitle")} value={title} onChange={(e) => setTitle(e.target.value)} />
        <SelectField label={t("documents.type")} value={type} onChange={(e) => setType(e.target.value as DocumentType)} options={TYPES.map((v) => ({ value: v, label: t(`documents.type.${v}`) }))} />
      </div>
      <TextAreaField label={t("documents.description")} value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
      <CheckboxField label={t("documents.confidential")} checked={confidential} onChange={(e) => setConfidential(e.target.checked)} />
      {progress !== null ? (
        <div>
          <label>
            {t("documents.uploading", { percent: formatPercent(progress) })}
            <progress className="progress-bar" max={1} value={progress} />
          </label>
        </div>
      ) : null}
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      <button type="submit" className="primary" disabled={progress !== null}>
        {t("documents.upload")}
      </button>
    </form>
  );
}
