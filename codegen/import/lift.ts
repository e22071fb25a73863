/**
 * Lifts facts that Tencent's descriptions state only in prose into spec facts, conservatively: a rule fires only
 * when the whole of what the description says about values is the list it found, so a wrong enum (which would
 * make the client refuse valid input) is much less likely than a missed one. Everything lifted is reported.
 */
import type { RawEnumValue, RawText } from "./types.js";

/** `0启用 1停用`, `0-呼入|1-呼出|2-呼入呼出`, `1:正常，2:冻结`, `0 for enable, 1 for disable`. */
const ITEM =
  /(?<![A-Za-z\d.])(-?\d+)\s*(?:[:：=＝\-－]|for|表示|代表|为)?\s*([^\d,，;；|、。.\s:：][^,，;；|、。]*?)(?=\s*(?:[,，;；|、。]|\s-?\d+\s*(?:[:：=＝\-－]|for|表示|代表|为)?\s*[^\d\s]|$))/giu;

/** Words that say the list is not the whole story (a default, a range, "other values"), or that numbers are amounts. */
const NOT_AN_ENUM =
  /else|other|etc\.?|default|range|highest|lowest|maximum|minimum|其他|其它|自定义|等等|默认|范围|最高|最低|最大|最小|以上|以下/i;
const UNIT = /^(ms|s|秒|毫秒|分钟|小时|天|个|次|位|%|字节|bytes?|kb|mb)\b/i;

function items(text: string): { value: number; label: string }[] | undefined {
  if (NOT_AN_ENUM.test(text)) return undefined;
  // Only the part after a lead-in colon, if any ("号码类型：0-呼入|1-呼出").
  const found: { value: number; label: string; index: number; end: number }[] = [];
  for (const m of text.matchAll(ITEM)) {
    const label = m[2]!.trim().replace(/[.。）)]+$/, "");
    if (!label || label.length > 40 || UNIT.test(label)) return undefined;
    found.push({ value: Number(m[1]), label, index: m.index!, end: m.index! + m[0].length });
  }
  if (found.length < 2) return undefined;
  // Distinct values, and no other number anywhere in the text: "1-100", "默认 0", "最多 20 个" stop the rule.
  if (new Set(found.map((f) => f.value)).size !== found.length) return undefined;
  let rest = text;
  for (const f of [...found].reverse()) rest = rest.slice(0, f.index) + rest.slice(f.end);
  if (/\d/.test(rest)) return undefined;
  return found.map(({ value, label }) => ({ value, label }));
}

/** An enum of an integer member, from its zh and/or en description; undefined when nothing certain is said. */
export function liftIntegerEnum(description: RawText): RawEnumValue[] | undefined {
  const zh = description.zh ? items(plain(description.zh)) : undefined;
  const en = description.en ? items(plain(description.en)) : undefined;
  const base = zh ?? en;
  if (!base) return undefined;
  if (zh && en && (zh.length !== en.length || zh.some((z, i) => z.value !== en[i]!.value))) return undefined; // they disagree
  return base.map((b, i) => ({
    value: b.value,
    description: { ...(zh ? { zh: zh[i]!.label } : {}), ...(en ? { en: en[i]!.label } : {}) },
  }));
}

/** `0086开头`, `以0086开头`, `starting with 0086` → `^0086`. */
export function liftPrefixPattern(description: RawText): string | undefined {
  // Only country-code style prefixes (`0086`, `+86`): "1到8打头"-style ranges are not prefixes.
  const zh = description.zh && /以?(\+\d+|00\d+)\s*开头/.exec(plain(description.zh));
  const en = description.en && /start(?:s|ing)? with (\+\d+|00\d+)/i.exec(plain(description.en));
  const prefix = zh?.[1] || en?.[1];
  if (!prefix) return undefined;
  if (zh && en && zh[1] !== en[1]) return undefined;
  return `^${prefix.replace("+", "\\+")}`;
}

/** Tencent's descriptions carry HTML (`<p>`, `&quot;`, `<br>`); specs hold plain text with Markdown links. */
export function plain(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>\s*<p>/gi, "\n")
    .replace(/<\/li>/gi, "\n")
    .replace(/<a\s+[^>]*href="([^"]+)"[^>]*>(.*?)<\/a>/gi, "[$2]($1)")
    .replace(/<\/?(p|div|span|b|strong|em|i|ul|ol|li|code|pre)(\s[^>]*)?>/gi, "")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&nbsp;|\u00a0|xa0/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
