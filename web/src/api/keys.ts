/** A fresh Idempotency-Key for one submission: 128 random bits as hex. `crypto.getRandomValues`
 * rather than `crypto.randomUUID`, which a browser offers only in a secure context (a store's
 * console on plain http inside its LAN is not one). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
