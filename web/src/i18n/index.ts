import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { en, zh } from "./messages";

export type Language = "zh-CN" | "en";
const STORED = "fours.language";

export function initialLanguage(): Language {
  return localStorage.getItem(STORED) === "en" ? "en" : "zh-CN";
}

export function rememberLanguage(language: Language): void {
  localStorage.setItem(STORED, language);
  void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}

void i18next.use(initReactI18next).init({
  resources: { "zh-CN": { translation: zh }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: "zh-CN",
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

export default i18next;
