/**
 * What a (newer) api.json says differently from spec/: actions and models added or removed, actions whose
 * deprecation changed, and per action and model the members added, removed or changed in type, list-ness,
 * required, nullable or deprecation. The api.json
 * side is read with the importer's rules (apijson.ts: types, `required` / `output_required` by where a member is
 * used, `value_allowed_null`, `disabled`), so a spec fresh from `spec:import` has no difference.
 */
import type { Member, Service } from "../ir.js";
import {
  actionDeprecated,
  mapType,
  memberDeprecated,
  modelNames,
  modelUse,
  optionality,
  type ApiJson,
  type ApiMember,
  type Where,
} from "./apijson.js";

export type Difference =
  | { kind: "action added" | "action removed" | "model added" | "model removed"; name: string }
  | { kind: "member added"; owner: string; model: boolean; path: string; what: string }
  | { kind: "member removed"; owner: string; model: boolean; path: string }
  | { kind: "member changed"; owner: string; model: boolean; path: string; fact: string; from: string; to: string }
  | { kind: "action changed"; owner: string; model: false; fact: "deprecated"; from: string; to: string };

interface Facts {
  type: string;
  list: boolean;
  required: boolean;
  nullable: boolean;
  deprecated: boolean;
}

function apiFacts(api: ApiJson, m: ApiMember, where: Where, model?: string): Facts {
  const t = mapType(m, api.objects);
  const o = optionality(m, where, model ? { name: model, use: modelUse(api) } : undefined);
  return {
    type: "error" in t ? `? (${m.type}/${m.member})` : t.type,
    list: "error" in t ? m.type === "list" : t.list,
    required: o.required,
    nullable: o.nullable,
    deprecated: memberDeprecated(m),
  };
}

function specFacts(m: Member, where: Where): Facts {
  return {
    type: m.type.name,
    list: m.list,
    required: m.required,
    // The loader allows `nullable` only where answers are described; on inputs it means nothing.
    nullable: where === "input" ? false : m.nullable,
    deprecated: m.deprecated,
  };
}

function describe(f: Facts): string {
  return [
    `${f.type}${f.list ? " list" : ""}`,
    ...(f.required ? ["required"] : []),
    ...(f.nullable ? ["nullable"] : []),
    ...(f.deprecated ? ["deprecated"] : []),
  ].join(", ");
}

const FACTS: (keyof Facts)[] = ["type", "list", "required", "nullable", "deprecated"];

function compareMembers(
  out: Difference[],
  owner: string,
  model: boolean,
  prefix: string,
  api: Map<string, Facts>,
  spec: Map<string, Facts>,
): void {
  const names = [...new Set([...api.keys(), ...spec.keys()])].sort();
  for (const name of names) {
    const path = prefix ? `${prefix}.${name}` : name;
    const a = api.get(name);
    const s = spec.get(name);
    if (a && !s) out.push({ kind: "member added", owner, model, path, what: describe(a) });
    else if (!a && s) out.push({ kind: "member removed", owner, model, path });
    else if (a && s)
      for (const fact of FACTS)
        if (a[fact] !== s[fact])
          out.push({ kind: "member changed", owner, model, path, fact, from: String(s[fact]), to: String(a[fact]) });
  }
}

/** Differences of `api` (the newer definition) from `service` (spec/, loaded), in a stable order. */
export function diffApi(api: ApiJson, service: Service): Difference[] {
  const out: Difference[] = [];
  const specActions = new Map(service.actions.map((a) => [a.name, a]));
  const specModels = new Map(service.models.map((m) => [m.name, m]));
  const apiActions = Object.keys(api.actions).sort();
  const apiModels = modelNames(api);

  for (const name of apiActions) if (!specActions.has(name)) out.push({ kind: "action added", name });
  for (const name of [...specActions.keys()].sort())
    if (!Object.hasOwn(api.actions, name)) out.push({ kind: "action removed", name });
  for (const name of apiModels) if (!specModels.has(name)) out.push({ kind: "model added", name });
  for (const name of [...specModels.keys()].sort())
    if (!apiModels.includes(name)) out.push({ kind: "model removed", name });

  for (const name of apiActions) {
    const spec = specActions.get(name);
    if (!spec) continue;
    const a = api.actions[name]!;
    if (actionDeprecated(a) !== spec.deprecated)
      out.push({
        kind: "action changed",
        owner: name,
        model: false,
        fact: "deprecated",
        from: String(spec.deprecated),
        to: String(actionDeprecated(a)),
      });
    for (const where of ["input", "output"] as const) {
      const object = where === "input" ? a.input : a.output;
      const apiMembers = new Map(
        (api.objects[object]?.members ?? [])
          .filter((m) => !(where === "output" && m.name === "RequestId"))
          .map((m) => [m.name, apiFacts(api, m, where)]),
      );
      const specMembers = new Map(spec[where].map((m) => [m.name, specFacts(m, where)]));
      compareMembers(out, name, false, where, apiMembers, specMembers);
    }
  }
  for (const name of apiModels) {
    const spec = specModels.get(name);
    if (!spec) continue;
    const apiMembers = new Map(api.objects[name]!.members.map((m) => [m.name, apiFacts(api, m, "model", name)]));
    const specMembers = new Map(spec.members.map((m) => [m.name, specFacts(m, "model")]));
    compareMembers(out, name, true, "", apiMembers, specMembers);
  }
  return out;
}

/** The differences as lines for a person: lists of added and removed actions and models, then per owner. */
export function formatDiff(diffs: readonly Difference[], apiName: string, specName: string): string[] {
  const lines: string[] = [];
  const names = (kind: Difference["kind"]) =>
    diffs.filter((d) => d.kind === kind).map((d) => (d as { name: string }).name);
  const list = (title: string, sign: string, items: string[]) => {
    if (!items.length) return;
    lines.push(`${title} (${items.length}):`);
    for (const i of items) lines.push(`  ${sign} ${i}`);
  };
  list(`actions only in ${apiName}`, "+", names("action added"));
  list(`actions only in ${specName}`, "-", names("action removed"));
  list(`models only in ${apiName}`, "+", names("model added"));
  list(`models only in ${specName}`, "-", names("model removed"));
  const owners: { owner: string; model: boolean }[] = [];
  for (const d of diffs)
    if ("owner" in d && !owners.some((o) => o.owner === d.owner && o.model === d.model))
      owners.push({ owner: d.owner, model: d.model });
  for (const { owner, model } of owners) {
    lines.push(`${model ? "model" : "action"} ${owner}:`);
    for (const d of diffs) {
      if (!("owner" in d) || d.owner !== owner || d.model !== model) continue;
      if (d.kind === "member added") lines.push(`  + ${d.path} (${d.what})`);
      else if (d.kind === "member removed") lines.push(`  - ${d.path}`);
      else if (d.kind === "action changed") lines.push(`  ~ ${d.fact} ${d.from} → ${d.to}`);
      else lines.push(`  ~ ${d.path}: ${d.fact} ${d.from} → ${d.to}`);
    }
  }
  lines.push(
    diffs.length
      ? `${diffs.length} difference(s) between ${apiName} and ${specName}`
      : `no difference between ${apiName} and ${specName}`,
  );
  return lines;
}
