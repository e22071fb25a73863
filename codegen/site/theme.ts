/**
 * The site's colours: one palette per colour scheme, and the pairs of them text is drawn in. The stylesheet takes
 * its custom properties from here and the accessibility check (codegen/site/check.ts) measures every pair, so a
 * colour cannot change without its contrast being checked again.
 */
export const PALETTE_KEYS = [
  "bg",
  "fg",
  "muted",
  "link",
  "border",
  "codeBg",
  "accent",
  "onAccent",
  "requiredBg",
  "requiredFg",
  "deprecatedBg",
  "deprecatedFg",
  "yesBg",
  "yesFg",
  "markBg",
] as const;
export type PaletteKey = (typeof PALETTE_KEYS)[number];
export type Palette = { readonly [K in PaletteKey]: string };

export const THEMES: { readonly light: Palette; readonly dark: Palette } = {
  light: {
    bg: "#ffffff",
    fg: "#1b1f24",
    muted: "#57606a",
    link: "#0b5cad",
    border: "#d0d7de",
    codeBg: "#f3f4f6",
    accent: "#0b5cad",
    onAccent: "#ffffff",
    requiredBg: "#fde8e8",
    requiredFg: "#8a1c1c",
    deprecatedBg: "#fff4d6",
    deprecatedFg: "#6e4400",
    yesBg: "#e6f4ea",
    yesFg: "#1e5e2f",
    markBg: "#fff1a8",
  },
  dark: {
    bg: "#0f1419",
    fg: "#e6e8eb",
    muted: "#a3acb7",
    link: "#7cb7ff",
    border: "#3a4452",
    codeBg: "#1b222b",
    accent: "#7cb7ff",
    onAccent: "#0f1419",
    requiredBg: "#4a1717",
    requiredFg: "#ffd4d4",
    deprecatedBg: "#4a3500",
    deprecatedFg: "#ffe3a3",
    yesBg: "#153d22",
    yesFg: "#c9f0d4",
    markBg: "#5c4d00",
  },
};

/** Every foreground/background pair the stylesheet draws text in, as [text, background, where]. */
export const TEXT_PAIRS: readonly (readonly [PaletteKey, PaletteKey, string])[] = [
  ["fg", "bg", "body text"],
  ["muted", "bg", "secondary text"],
  ["link", "bg", "links"],
  ["fg", "codeBg", "code"],
  ["link", "codeBg", "links in code and table headers"],
  ["muted", "codeBg", "secondary text on code"],
  ["onAccent", "accent", "buttons"],
  ["requiredFg", "requiredBg", "the required badge"],
  ["deprecatedFg", "deprecatedBg", "the deprecated badge"],
  ["yesFg", "yesBg", "the yes badge"],
  ["fg", "markBg", "search matches"],
];

/** `--bg: #fff; …` for one palette. */
export function customProperties(palette: Palette): string {
  return PALETTE_KEYS.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${palette[k]};`).join(" ");
}

/** WCAG 2 relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
