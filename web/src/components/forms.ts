import type { FormInstance } from "antd";
import { ApiError, fieldErrors } from "../api/problem";

/**
 * Shows a refused submission where it belongs: each 422 field error next to its field in the form
 * (the fields the form has), the rest — and any other failure — returned for an alert above it.
 */
export function showProblem(form: FormInstance, error: unknown): unknown {
  if (!(error instanceof ApiError) || error.status !== 422) return error;
  const registered = new Set(form.getFieldsError().map((field) => field.name.join(".")));
  const { fields, other } = fieldErrors(error.problem, (name) => registered.has(name.join(".")));
  form.setFields(fields.map((field) => ({ name: field.name as never, errors: field.errors })));
  return other.length ? new ApiError(422, { ...error.problem, detail: other.join("; ") }) : null;
}
