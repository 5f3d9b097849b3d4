// The ten questions of the store's follow-up survey (十项调查), each scored 1–10 by the owner; a
// score of 6 or less opens a complaint (AS-4, in the aftersales service).
export const SURVEY_ITEMS = [
  "reception",
  "explanation",
  "waiting_time",
  "repair_quality",
  "done_right_first_time",
  "cleanliness",
  "price_clarity",
  "on_time",
  "attitude",
  "overall",
] as const;
