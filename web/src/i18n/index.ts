import type { Locale } from "antd/es/locale";
import zhCN from "antd/es/locale/zh_CN";
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { zh } from "./zh";

export type Language = "zh-CN" | "en";
const STORED = "fours.language";

export function initialLanguage(): Language {
  return localStorage.getItem(STORED) === "en" ? "en" : "zh-CN";
}

// Ant Design's own strings (pagination, pickers, "required" messages) in each language loaded so far.
const antd: Partial<Record<Language, Locale>> = { "zh-CN": zhCN };

/** Ant Design's locale for the current language (Chinese until English has loaded). */
export function antdLocale(language: string): Locale {
  return antd[language === "en" ? "en" : "zh-CN"] ?? zhCN;
}

// Chinese is in the sign-in page's bundle; English (our catalogue and Ant Design's) is fetched the
// first time someone chooses it, so the default page does not carry both.
async function load(language: Language): Promise<void> {
  if (language !== "en" || antd.en !== undefined) return;
  const [{ en }, { default: enUS }] = await Promise.all([import("./en"), import("antd/es/locale/en_US")]);
  i18next.addResourceBundle("en", "translation", en);
  antd.en = enUS;
}

async function use(language: Language): Promise<void> {
  await load(language);
  await i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

export function rememberLanguage(language: Language): Promise<void> {
  localStorage.setItem(STORED, language);
  return use(language);
}

/** Settles when the stored language's strings are in; the console renders after it. */
export const ready: Promise<void> = i18next
  .use(initReactI18next)
  .init({
    resources: { "zh-CN": { translation: zh } },
    lng: "zh-CN",
    fallbackLng: "zh-CN",
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  })
  .then(() => use(initialLanguage()));

export default i18next;
