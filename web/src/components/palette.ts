// Tag colours dark enough for white text at WCAG AA (4.5:1): Ant Design's light preset tags
// (cyan, green, gold…) fall short of it.
export const TONE = {
  blue: "#0958d9",
  cyan: "#006d75",
  geekblue: "#1d39c4",
  purple: "#531dab",
  gold: "#874d00",
  orange: "#ad4e00",
  green: "#237804",
  red: "#a8071a",
  grey: "#595959",
} as const;
