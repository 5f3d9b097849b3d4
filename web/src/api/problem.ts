// RFC 9457 problem+json as the gateway and every service answer it, and what a screen does with it.

export interface FieldProblem {
  name: string;
  pointer?: string;
  reason: string;
  type?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: FieldProblem[];
  [extension: string]: unknown;
}

export type ErrorKind =
  | "network"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "invalid"
  | "rate_limited"
  | "unavailable"
  | "other";

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }

  static from(status: number, body: unknown): ApiError {
    const problem: Problem =
      body !== null && typeof body === "object" ? (body as Problem) : { status, detail: body ? String(body) : undefined };
    return new ApiError(status, problem);
  }

  get kind(): ErrorKind {
    return kindOf(this.status);
  }

  /** The last part of the problem type: `validation-error`, `business-rule`, `insufficient-stock`… */
  get code(): string | undefined {
    return this.problem.type?.split("/").pop();
  }
}

export function kindOf(status: number): ErrorKind {
  if (status === 0) return "network";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409 || status === 412) return "conflict";
  if (status === 400 || status === 413 || status === 422) return "invalid";
  if (status === 429) return "rate_limited";
  if (status >= 502 && status <= 504) return "unavailable";
  return "other";
}

export interface FormFieldError {
  name: (string | number)[];
  errors: string[];
}

/**
 * Splits a 422's field errors into those a form shows next to its fields (`name` as Ant Design's
 * Form wants it: `customer.mobile` → `["customer", "mobile"]`) and the rest, shown above the form.
 */
export function fieldErrors(
  problem: Problem,
  known: (name: (string | number)[]) => boolean,
): { fields: FormFieldError[]; other: string[] } {
  const byField = new Map<string, FormFieldError>();
  const other: string[] = [];
  for (const error of problem.errors ?? []) {
    const path = error.name.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    if (error.name !== "body" && known(path)) {
      const key = path.join(".");
      const entry = byField.get(key) ?? { name: path, errors: [] };
      entry.errors.push(error.reason);
      byField.set(key, entry);
    } else {
      other.push(error.name === "body" ? error.reason : `${error.name}: ${error.reason}`);
    }
  }
  if (byField.size === 0 && other.length === 0 && problem.detail) other.push(problem.detail);
  return { fields: [...byField.values()], other };
}
