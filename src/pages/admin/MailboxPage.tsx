// The development mailbox (convex/mail/devMailbox.ts): with no SMTP_URL, the messages SEMS would
// have mailed — invitations, password resets — are kept for the organization's admins, who read
// them here and pass the links on. Links in the text are made clickable.
import { usePaginatedQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { useI18n } from "../../i18n/I18nProvider";

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

function TextWithLinks({ text }: { text: string }) {
  // split() with a capturing group keeps the URLs at the odd indexes.
  return <>{text.split(URL_PATTERN).map((part, index) => (index % 2 === 1 ? <a key={index} href={part}>{part}</a> : part))}</>;
}

export default function MailboxPage() {
  const { t, formatDateTime } = useI18n();
  const { results, status, loadMore } = usePaginatedQuery(api.mail.devMailbox.listDevMailbox, {}, { initialNumItems: 20 });
  return (
    <section className="page">
      <h1>{t("admin.mailbox.title")}</h1>
      <p className="intro">{t("admin.mailbox.intro")}</p>
      {status === "LoadingFirstPage" ? <p role="status">{t("app.loading")}</p> : null}
      {status !== "LoadingFirstPage" && results.length === 0 ? <p>{t("admin.mailbox.empty")}</p> : null}
      {results.map((message) => (
        <article className="card mail" key={message._id} aria-labelledby={`mail-${message._id}`}>
          <h2 id={`mail-${message._id}`}>{message.subject}</h2>
          <p className="field-hint">
            {t("admin.mailbox.to", { email: message.to })} · {t("admin.mailbox.sent", { date: formatDateTime(message.sentAt) })}
          </p>
          <p className="mail-text">
            <TextWithLinks text={message.text} />
          </p>
        </article>
      ))}
      {status === "CanLoadMore" ? (
        <div className="actions">
          <button type="button" onClick={() => loadMore(20)}>
            {t("app.loadMore")}
          </button>
        </div>
      ) : null}
    </section>
  );
}
