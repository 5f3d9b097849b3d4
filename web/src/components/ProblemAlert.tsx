import { Alert, Button } from "antd";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/problem";

/** What went wrong, in the staff's words: a 403 says the role may not, a service down says the rest
 * of the page still works, a 409 quotes the rule that refused. */
export function ProblemAlert({ error, what, onRetry }: { error: unknown; what?: string; onRetry?: () => void }) {
  const { t } = useTranslation();
  const problem = error instanceof ApiError ? error : new ApiError(0, { detail: String(error) });
  const detail = problem.problem.detail ?? problem.message;
  const text = t(`errors.${problem.kind}`, { detail, what: what ?? t("errors.thisPart") });
  const retryable = problem.kind === "unavailable" || problem.kind === "network" || problem.kind === "rate_limited";
  return (
    <Alert
      role="alert"
      type={problem.kind === "forbidden" || problem.kind === "unavailable" ? "warning" : "error"}
      showIcon
      title={text}
      data-kind={problem.kind}
      action={
        retryable && onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t("errors.retry")}
          </Button>
        ) : undefined
      }
    />
  );
}
