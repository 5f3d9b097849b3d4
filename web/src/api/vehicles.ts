// A car as the advisor names it at reception: by its VIN, or by the plate they read off it.

import { api, call } from "./client";

const PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/** Whether what was typed is a plate (it starts with a province's character) rather than a VIN. */
export function isPlate(text: string): boolean {
  return PROVINCES.includes(text.trim().charAt(0)) && text.trim().length > 0;
}

/** The VIN of the car that was typed: a VIN as it is (upper case), a plate as the car that carries
 * it (null when no car the workshop knows does). */
export async function vinOf(text: string): Promise<string | null> {
  const typed = text.trim();
  if (!isPlate(typed)) return typed.toUpperCase() || null;
  const found = await call(api.GET("/api/v1/vehicles", { params: { query: { plate: typed } } }));
  return found.items[0]?.vin ?? null;
}
