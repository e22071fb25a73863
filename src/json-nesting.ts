/**
 * How deep a JSON text nests, found before it is parsed: a body from the network nested thousands of levels deep
 * would make any recursive walk of it (validation, error messages) exhaust the stack. The emulator and the push
 * handler refuse such bodies with this one check.
 */

/**
 * The deepest nesting of lists and objects a JSON body may have (CCC's models nest a few levels). Checked before
 * parsing, so that no recursive walk of a hostile body (validation, error messages) can exhaust the stack.
 */
export const MAX_BODY_NESTING = 64;

/**
 * Whether the lists and objects of JSON `text` nest deeper than `limit` (brackets inside strings do not count).
 * A linear scan that stops at the first level too deep; the text need not be valid JSON.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* backslash: skip the escaped character */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return false;
}
