import type { components } from "@fours/api";
import { TONE } from "../../components/palette";

// The values the API's enums take, in the order the screens offer them.
export const SOURCES: components["schemas"]["LeadIn"]["source"][] = [
  "showroom",
  "phone",
  "website",
  "auto_portal",
  "campaign_event",
  "referral",
  "key_account_visit",
];
export const STATES = ["new", "contacted", "visited", "test_driven", "quoted", "ordered", "delivered", "lost"] as const;
export const STATE_COLOURS: Record<string, string> = {
  new: TONE.blue,
  contacted: TONE.cyan,
  visited: TONE.geekblue,
  test_driven: TONE.purple,
  quoted: TONE.gold,
  ordered: TONE.orange,
  delivered: TONE.green,
  lost: TONE.grey,
};
export const CONTACT_KINDS: components["schemas"]["ContactIn"]["kind"][] = ["call", "visit", "wechat", "sms"];
export const OUTCOMES: components["schemas"]["ContactIn"]["outcome"][] = [
  "reached",
  "no_answer",
  "appointment",
  "not_interested",
  "other",
];
