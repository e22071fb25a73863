/** "Did you mean …?" for action and member names. */

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), case-sensitive. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  // Three rolling rows: i-2, i-1, i.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/**
 * Up to `max` candidates close to `input`, best first: a small edit distance ignoring case (at most a third of the
 * length, at least 2), or, for inputs of 4 characters or more, a candidate that contains the input.
 */
export function closest(input: string, candidates: Iterable<string>, max = 3): string[] {
  const wanted = input.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const lower = name.toLowerCase();
    const d = editDistance(wanted, lower);
    if (d <= limit) scored.push({ name, score: d });
    else if (wanted.length >= 4 && lower.includes(wanted))
      scored.push({ name, score: limit + 1 + lower.length - wanted.length });
  }
  scored.sort((x, y) => x.score - y.score || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return scored.slice(0, max).map((s) => s.name);
}

/** `; did you mean X?`, `; did you mean X or Y?`, or "" when nothing is close. */
export function didYouMean(
  input: string,
  candidates: Iterable<string>,
  decorate: (name: string) => string = (n) => n,
): string {
  const found = closest(input, candidates).map(decorate);
  if (!found.length) return "";
  const last = found.pop()!;
  return `; did you mean ${found.length ? `${found.join(", ")} or ${last}` : last}?`;
}
