/** A rate as the API gives it (0.1234, a decimal string or number) as a percentage: "12.3%"; "—" when
 * there is nothing to divide by (null). */
export function percent(rate: string | number | null | undefined): string {
  if (rate === null || rate === undefined) return "—";
  return `${(Number(rate) * 100).toFixed(1)}%`;
}
