/**
 * The bench's output, from the figures run.mjs measured: the table with its targets, the verdict, the per-round
 * details, the RESULTS.md text and the `--json` object. Nothing here measures anything.
 */

export const fmtInt = (n) => Math.round(n).toLocaleString("en-US");
const fmtMs = (n) => (n >= 10 ? n.toFixed(1) : n.toFixed(2));
const fmtBytes = (n) => `${fmtInt(n)} B`;
const fmtRatio = (r) => (r >= 10 ? r.toFixed(1) : r >= 1 ? r.toFixed(2) : r.toFixed(3));
const spread = (xs, fmt = fmtInt) => `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}`;
const withSpread = (s, fmt = fmtInt) => `${fmt(s.median)} (${spread(s.values, fmt)})`;
const ratioCell = (s) =>
  !Number.isFinite(s.ratio)
    ? "not measurable"
    : s.ratios
      ? `${fmtRatio(s.ratio)}× (rounds ${spread(s.ratios, fmtRatio)})`
      : `${fmtRatio(s.ratio)}×`;
const NAMES = { theirs: "official", limit: "limit" };

/**
 * A target on a ratio ours/`against` (or on an absolute value when `against` is null), checked now. `op` is ">="
 * or "<=" (for machines); `text` and `seen` are what the table and the verdict say.
 */
function target(id, op, threshold, value, { against = null, what = "", text, seen } = {}) {
  // NaN: the run could not measure the ratio (see benchColdStart); neither met nor missed.
  const measured = Number.isFinite(value);
  const met = !measured ? null : op === ">=" ? value >= threshold : value <= threshold;
  return {
    id,
    against,
    op,
    threshold,
    value,
    met,
    text: text ?? `${what}${op === ">=" ? "≥" : "≤"} ${threshold}× ${NAMES[against]}`,
    seen: seen ?? (measured ? `${what}${fmtRatio(value)}× ${NAMES[against]}` : "not measurable in this run"),
  };
}

/** The rows of the table; `targets` empty for information rows. */
export function rowsOf({ sign, seq, conc, cold, bundles, foot }, cfg) {
  const rows = [];
  const row = (metric, cells, targets = []) =>
    rows.push({ metric, theirs: "—", limit: "—", vsTheirs: "—", vsLimit: "—", ...cells, targets });

  row(
    "Signing, signatures/s (~150 B JSON body) — higher is better",
    {
      ours: withSpread(sign.ours),
      theirs: withSpread(sign.theirs),
      limit: withSpread(sign.limit),
      vsTheirs: ratioCell(sign.theirs),
      vsLimit: ratioCell(sign.limit),
    },
    [target("sign.vsTheirs", ">=", 3, sign.theirs.ratio, { against: "theirs" })],
  );
  row("  info: official given the body pre-serialised (Buffer), crypto only", {
    ours: fmtInt(sign.ours.median),
    theirs: withSpread(sign.theirsBuffer),
    vsTheirs: ratioCell(sign.theirsBuffer),
  });
  for (const [id, label, r, theirsMin, limitMin, p99Max] of [
    ["seq", "sequential", seq, 1.2, 0.95, null],
    ["conc", `${cfg.concurrency} concurrent callers`, conc, 1.5, 0.9, 1.2],
  ]) {
    row(
      `End to end, ${label}, requests/s — higher is better`,
      {
        ours: withSpread(r.ours),
        theirs: withSpread(r.theirs),
        limit: withSpread(r.limit),
        vsTheirs: ratioCell(r.theirs),
        vsLimit: ratioCell(r.limit),
      },
      [
        target(`${id}.rps.vsTheirs`, ">=", theirsMin, r.theirs.ratio, { against: "theirs" }),
        target(`${id}.rps.vsLimit`, ">=", limitMin, r.limit.ratio, { against: "limit" }),
      ],
    );
    const latency = (k) => `${fmtMs(r[k].p50.median)} / ${fmtMs(r[k].p99.median)}`;
    const latencyRatio = (k) => `${fmtRatio(r[k].p50.ratio)}× / ${fmtRatio(r[k].p99.ratio)}×`;
    row(
      `  latency p50 / p99, ms (${label}) — lower is better`,
      {
        ours: latency("ours"),
        theirs: latency("theirs"),
        limit: latency("limit"),
        vsTheirs: latencyRatio("theirs"),
        vsLimit: latencyRatio("limit"),
      },
      p99Max === null ? [] : [target(`${id}.p99.vsLimit`, "<=", p99Max, r.limit.p99.ratio, { against: "limit", what: "p99 " })],
    );
  }
  row(
    `Cold start: import + construct a client, ms, minus \`node -e 0\` (${fmtMs(cold.base.median)} ms) — lower is better`,
    {
      ours: `${fmtMs(cold.ours.median)} (raw ${spread(cold.ours.raw, fmtMs)})`,
      theirs: `${fmtMs(cold.theirs.median)} (raw ${spread(cold.theirs.raw, fmtMs)})`,
      limit: `${fmtMs(cold.limit.median)} (raw ${spread(cold.limit.raw, fmtMs)})`,
      vsTheirs: ratioCell(cold.theirs),
      vsLimit: ratioCell(cold.limit),
    },
    [
      target("cold.vsTheirs", "<=", 0.25, cold.theirs.ratio, { against: "theirs" }),
      target("cold.vsLimit", "<=", 3, cold.limit.ratio, { against: "limit" }),
    ],
  );
  for (const [k, from] of [
    ["theirsRoot", "the package root, `require(\"tencentcloud-sdk-nodejs\")`"],
    ["theirsService", "`tencentcloud-sdk-nodejs/tencentcloud/services/ccc`"],
  ])
    row(`  info: official from ${from}`, {
      ours: fmtMs(cold.ours.median),
      theirs: `${fmtMs(cold[k].median)} (raw ${spread(cold[k].raw, fmtMs)})`,
      vsTheirs: ratioCell(cold[k]),
    });
  for (const [k, what, max] of [
    ["oursBare", "`CccBareClient` + command", 0.06],
    ["oursFull", "`new CccClient().disableCCCPhoneNumber()`", 0.1],
  ]) {
    const ratio = bundles[k].gzip / bundles.theirs.gzip;
    row(
      `One-action app bundle, gzipped, ours with ${what} — lower is better`,
      { ours: fmtBytes(bundles[k].gzip), theirs: fmtBytes(bundles.theirs.gzip), vsTheirs: `${fmtRatio(ratio)}×` },
      [target(`bundle.${k}.vsTheirs`, "<=", max, ratio, { against: "theirs" })],
    );
  }
  for (const [k, from] of [
    ["theirsRoot", "the package root"],
    ["theirsService", "services/ccc"],
  ])
    row(`  info: official bundle from ${from}; ours \`CccBareClient\` / \`CccClient\``, {
      ours: `${fmtBytes(bundles.oursBare.gzip)} / ${fmtBytes(bundles.oursFull.gzip)}`,
      theirs: fmtBytes(bundles[k].gzip),
      vsTheirs: `${fmtRatio(bundles.oursBare.gzip / bundles[k].gzip)}× / ${fmtRatio(bundles.oursFull.gzip / bundles[k].gzip)}×`,
    });
  const growth = `${bundles.growth >= 0 ? "+" : ""}${(bundles.growth * 100).toFixed(1)} %`;
  row(
    `One-action bundle growth, ${bundles.twoActions} → ${bundles.allActions} actions (from TS sources, gzipped)`,
    // No official figure: the ratio cell holds the growth itself.
    { ours: `${fmtBytes(bundles.srcTwo.gzip)} → ${fmtBytes(bundles.srcAll.gzip)}`, vsTheirs: growth },
    [target("bundle.growth", "<=", 0.1, bundles.growth, { text: "≤ +10 %", seen: growth })],
  );
  row("npm tarball / unpacked package, bytes (official: the whole package) — lower is better", {
    ours: `${fmtBytes(foot.ours.tarball)} / ${fmtBytes(foot.ours.unpacked)}`,
    theirs: `${fmtBytes(foot.theirs.tarball)} / ${fmtBytes(foot.theirs.unpacked)}`,
    vsTheirs: `${fmtRatio(foot.ours.tarball / foot.theirs.tarball)}× / ${fmtRatio(foot.ours.unpacked / foot.theirs.unpacked)}×`,
  });
  const MB = 1_000_000;
  const install = (i) => `${fmtBytes(i.bytes)} (${i.packages} packages, ${fmtInt(i.files)} files)`;
  row(
    "Production install (node_modules file bytes, dependencies included; official: the whole package) — lower is better",
    {
      ours: install(foot.ours.install),
      theirs: install(foot.theirs.install),
      vsTheirs: `${fmtRatio(foot.ours.install.bytes / foot.theirs.install.bytes)}×`,
    },
    [
      target("install.bytes", "<=", MB, foot.ours.install.bytes, {
        text: "≤ 1 MB (1 000 000 B)",
        seen: `${fmtBytes(foot.ours.install.bytes)}, ${fmtBytes(Math.abs(foot.ours.install.bytes - MB))} ${foot.ours.install.bytes > MB ? "over" : "under"}`,
      }),
    ],
  );
  return rows;
}

export function markdownTable(rows) {
  const esc = (s) => String(s).replace(/\|/g, "\\|");
  const met = (r) =>
    r.targets.map((t) => (t.met === null ? "not measured" : t.met ? "yes" : "**MISSED**")).join("; ");
  const targets = (r) => (r.targets.length ? r.targets.map((t) => t.text).join("; ") : "—");
  return [
    "| metric | ours | official (per-service) | limit | ours/official | ours/limit | target | met? |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${[r.metric, r.ours, r.theirs, r.limit, r.vsTheirs, r.vsLimit, targets(r), met(r)].map(esc).join(" | ")} |`,
    ),
  ].join("\n");
}

/** Every target of the table, flat, for the verdict and the JSON. */
export function targetsOf(rows) {
  return rows.flatMap((r) => r.targets.map((t) => ({ metric: r.metric.replace(/ — .*$/, "").trim(), ...t })));
}

export function verdictOf(rows) {
  const missed = targetsOf(rows).filter((t) => t.met === false);
  return missed.length
    ? missed.map((t) => `MISSED: ${t.metric}: ${t.seen} (target ${t.text})`).join("\n")
    : "All targets met.";
}

/** The RESULTS.md lines saying what was measured and how. */
export function methodOf({ cfg, quick, ours, theirs }) {
  return [
    "Three participants, each in its own process, same input (`DisableCCCPhoneNumber`, the same JSON body):",
    "",
    `- **ours**: ccc-sdk ${ours.version} as built, through its package entry ${ours.entry} (git ${ours.rev}): \`CccClient\` with validation on and \`rateLimit: false\`; \`Tc3Signer\` for signing;`,
    `- **official (per-service)**: ${theirs}, its CCC client loaded the leanest documented way, \`require("tencentcloud-sdk-nodejs/tencentcloud/services/ccc/v20200210/ccc_client").Client\`; signing with its \`tencentcloud/common/sign.js\`. The package root and \`…/services/ccc\` give the same \`Client\` class (so the same end-to-end figures) and are info rows for loading and bundling;`,
    "- **limit**: what any correct client must do per call and nothing else (bench/limit.mjs): `JSON.stringify` of the input; TC3-HMAC-SHA256 with the signing key derived once per UTC day (sha256 of the body, canonical request signing `content-type;host`, string to sign, one HMAC); the Authorization and X-TC-Action/Version/Timestamp headers; one POST over a keep-alive `node:http` Agent (maxSockets 64, like ours); the answer read fully, `JSON.parse`d, `Response.RequestId` checked (ours signs `content-type;host;x-tc-action`, its default, so that the action cannot be swapped in flight: one header line more to hash). Its cold start is `node --input-type=module -e` importing `node:http` and `node:crypto` and making a keep-alive `http.Agent`. Before measuring, the bench checks that its signature equals ours on the same input and that it sends the body ours sends.",
    "",
    `- method: ${cfg.rounds} rounds; in each, every participant runs once, in an order reversed every other round (ours, limit, official; then official, limit, ours) so that a shared machine's drift cancels for every pair; signing ${cfg.signMs} ms per pass; end to end ${cfg.e2eMs} ms or ${fmtInt(cfg.e2eMax)} requests per pass after a warm-up, sequential and ${cfg.concurrency} concurrent callers, against a stub in its own process on 127.0.0.1; figures are medians over rounds (range in brackets), latencies the median of per-round percentiles; ratios ours/other are the median of per-round ratios; cold start: ${cfg.coldRuns} rounds of every variant in rotating order, each the median of its runs minus the median of \`node -e 0\`, the ratio of those (per-run differences of two ~50 ms process starts are too noisy to divide); all figures from this one run${quick ? "\n- **--quick run: short passes, figures not for publishing**" : ""}`,
  ].join("\n");
}

/** Per-round figures, in the order run. */
export function detailsOf({ sign, seq, conc, cold, bundles, foot }, cfg, elapsed) {
  const list = (xs, fmt = fmtInt) => xs.map(fmt).join(", ");
  const e2e = (r) =>
    `ours: ${list(r.ours.values)}; official: ${list(r.theirs.values)}; limit: ${list(r.limit.values)} (${fmtInt(r.ours.requests)}, ${fmtInt(r.theirs.requests)} and ${fmtInt(r.limit.requests)} requests); p99 ms, ours: ${list(r.ours.p99.values, fmtMs)}; official: ${list(r.theirs.p99.values, fmtMs)}; limit: ${list(r.limit.p99.values, fmtMs)}`;
  const b = (x) => `${fmtInt(x.bytes)} (${fmtInt(x.gzip)})`;
  return [
    "Per-round figures (in the order run):",
    "",
    `- signing, ours: ${list(sign.ours.values)}; official: ${list(sign.theirs.values)}; official (Buffer): ${list(sign.theirsBuffer.values)}; limit: ${list(sign.limit.values)}`,
    `- sequential req/s, ${e2e(seq)}`,
    `- ${cfg.concurrency} concurrent req/s, ${e2e(conc)}`,
    `- cold start raw ms, node -e 0: ${list(cold.base.values, fmtMs)}; ours: ${list(cold.ours.raw, fmtMs)}; official per-service: ${list(cold.theirs.raw, fmtMs)}; official services/ccc: ${list(cold.theirsService.raw, fmtMs)}; official package root: ${list(cold.theirsRoot.raw, fmtMs)}; limit: ${list(cold.limit.raw, fmtMs)}`,
    `- bundles, minified bytes (gzipped): ours CccBareClient ${b(bundles.oursBare)}, ours CccClient ${b(bundles.oursFull)}, official per-service ${b(bundles.theirs)}, official services/ccc ${b(bundles.theirsService)}, official package root ${b(bundles.theirsRoot)}, TS sources ${bundles.twoActions} actions ${b(bundles.srcTwo)}, ${bundles.allActions} actions ${b(bundles.srcAll)}`,
    `- production install, ours by package: ${Object.entries(foot.ours.install.byPackage)
      .map(([p, f]) => `${p} ${fmtInt(f.bytes)}`)
      .join(", ")}; ccc-sdk by file kind: ${Object.entries(foot.ours.install.byPackage["ccc-sdk"]?.byKind ?? {})
      .sort((x, y) => y[1] - x[1])
      .map(([k, n]) => `${k} ${fmtInt(n)}`)
      .join(", ")}`,
    `- production install, official: the largest packages: ${Object.entries(foot.theirs.install.byPackage)
      .sort((x, y) => y[1].bytes - x[1].bytes)
      .slice(0, 5)
      .map(([p, f]) => `${p} ${fmtInt(f.bytes)}`)
      .join(", ")}`,
    `- total bench time: ${elapsed.toFixed(0)} s`,
  ].join("\n");
}
