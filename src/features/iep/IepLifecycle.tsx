// The lifecycle (D10, D11): submit a draft for review, sign with the typed full name (bound to
// the content hash the signer saw), and start an amendment of the active IEP. Activation follows
// from the last required signature on the server. Who may do what is the server's decision; the
// buttons show what the status allows.
import { useMutation, useQuery } from "convex/react";
import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../../../convex/_generated/api";
import type { Doc, Id } from "../../../convex/_generated/dataModel";
import { useCurrentUser, isStaff } from "../../app/CurrentUser";
import { Dialog } from "../../components/Dialog";
import { TextField } from "../../components/Field";
import { errorMessage } from "../../components/errors";
import { useToast } from "../../components/Toasts";
import { useI18n } from "../../i18n/I18nProvider";

const SIGNER_ROLES = ["case_manager", "district_representative", "parent"] as const;

function signerRole(t: ReturnType<typeof useI18n>["t"], role: string): string {
  return (SIGNER_ROLES as readonly string[]).includes(role) ? t(`iep.signer.${role as (typeof SIGNER_ROLES)[number]}`) : role;
}

export function IepLifecycle({ iep, nameOf, onEdit }: { iep: Doc<"ieps">; nameOf: (id: string) => string; onEdit: () => void }) {
  const { t, formatDateTime } = useI18n();
  const user = useCurrentUser();
  const toast = useToast();
  const navigate = useNavigate();
  const submit = useMutation(api.ieps.submitForReview);
  const amend = useMutation(api.ieps.amend);
  const [signing, setSigning] = useState(false);
  const act = async (run: () => Promise<unknown>, done: string) => {
    try {
      await run();
      toast("success", done);
    } catch (error) {
      toast("error", errorMessage(error));
    }
  };
  return (
    <section className="card" aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">{t("iep.lifecycle")}</h2>
      <p>
        {t("iep.status")}: <strong>{t(`iep.status.${iep.status}`)}</strong>
      </p>
      <h3>{t("iep.approvals")}</h3>
      {iep.approvals.length === 0 ? <p>{t("iep.approval.none")}</p> : null}
      <ul>
        {iep.approvals.map((a) => (
          <li key={`${a.userId}${a.role}`}>{t("iep.approval.signedBy", { name: a.signature || nameOf(a.userId), role: signerRole(t, a.role), date: formatDateTime(a.approvedAt) })}</li>
        ))}
      </ul>
      {user.role === "parent" && iep.status === "in_review" && !iep.approvals.some((a) => a.userId === user._id) ? <p className="decision">{t("parent.signPrompt")}</p> : null}
      <div className="actions">
        {iep.status === "draft" && isStaff(user) ? (
          <>
            <button type="button" onClick={onEdit}>
              {t("iep.edit")}
            </button>
            <button type="button" className="primary" onClick={() => act(() => submit({ iepId: iep._id }), t("iep.submitted"))}>
              {t("iep.submit")}
            </button>
          </>
        ) : null}
        {iep.status === "in_review" && user.role !== "student" ? (
          <button type="button" className="primary" onClick={() => setSigning(true)}>
            {t("iep.sign")}
          </button>
        ) : null}
        {iep.status === "active" && isStaff(user) ? (
          <button
            type="button"
            onClick={async () => {
              try {
                const id = await amend({ iepId: iep._id });
                toast("success", t("iep.amended"));
                navigate(`/ieps/${id}`);
              } catch (error) {
                toast("error", errorMessage(error));
              }
            }}
          >
            {t("iep.amend")}
          </button>
        ) : null}
      </div>
      {signing ? <SignDialog iepId={iep._id} onClose={() => setSigning(false)} /> : null}
    </section>
  );
}

function SignDialog({ iepId, onClose }: { iepId: Id<"ieps">; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  // The hash of what the signer is looking at; if the IEP changes meanwhile, the server refuses.
  const contentHash = useQuery(api.ieps.getContentHash, { iepId });
  const approve = useMutation(api.ieps.approve);
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);
  async function sign(event: FormEvent) {
    event.preventDefault();
    try {
      const result = await approve({ iepId, signature: name.trim(), ...(contentHash ? { contentHash } : {}) });
      toast("success", t("iep.sign.done", { status: t(`iep.status.${result.status as Doc<"ieps">["status"]}`) }));
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }
  return (
    <Dialog title={t("iep.sign")} onClose={onClose}>
      <form onSubmit={sign} noValidate>
        <p>{t("iep.sign.intro")}</p>
        <TextField label={t("iep.sign.name")} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" error={error} required />
        <div className="actions">
          <button type="submit" className="primary" disabled={!name.trim() || contentHash === undefined}>
            {t("iep.sign")}
          </button>
          <button type="button" onClick={onClose}>
            {t("app.cancel")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
