// A customer as the desk looks one up: by a mobile (its first digits or all of it) or by a part of
// the name, from one search box.

/** The query GET /api/v1/customers takes for what was typed: digits go to `mobile`, words (or one or two digits) to `q`. */
export function customerSearch(text: string): { mobile?: string; q?: string } {
  const typed = text.trim();
  if (!typed) return {};
  // the API reads a mobile from its third digit on; fewer is only a part of a name
  const number = /^[0-9+\s\-().]*[0-9][0-9+\s\-().]*$/.test(typed) && typed.length >= 3;
  return number ? { mobile: typed } : { q: typed };
}
