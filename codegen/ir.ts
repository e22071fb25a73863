/**
 * The intermediate model: what the loader makes of spec/ and the only input of every emitter.
 * Everything is validated, resolved and sorted by name; no YAML is left.
 */
import type { ConstraintValues, RetryClass, ScalarType } from "../src/action.js";
import type { MemberFacts } from "./vocabulary.js";

export type { RetryClass, ScalarType };

/** Text in Chinese and/or English (at least one). */
export interface Text {
  readonly zh?: string;
  readonly en?: string;
  /** The English was written by a person (importers keep it). */
  readonly handWritten?: true;
}

export type TypeRef =
  { readonly kind: "scalar"; readonly name: ScalarType } | { readonly kind: "model"; readonly name: string };

export interface EnumValue {
  readonly value: string | number | boolean;
  readonly name?: string;
  readonly description?: Text;
}

/** A member: its type, flags and texts, and the constraints of the member vocabulary (codegen/vocabulary.ts). */
export interface Member extends Readonly<ConstraintValues> {
  readonly name: string;
  readonly type: TypeRef;
  readonly list: boolean;
  /** Input: the caller must send it. Output: the server always returns it. */
  readonly required: boolean;
  /** Output only: the server may return `null`. */
  readonly nullable: boolean;
  readonly deprecated: boolean;
  readonly description: Text;
  readonly example?: unknown;
  readonly enum?: readonly EnumValue[];
  /** Provenance: the further source it came from while api.json lacks it (spec `from`). */
  readonly from?: string;
}

/** A member as the vocabulary's functions take it (codegen/vocabulary.ts): its type by name. */
export function memberFacts(m: Member): MemberFacts {
  return { ...m, type: m.type.name };
}

export interface Model {
  readonly name: string;
  readonly description: Text;
  readonly members: readonly Member[];
  /** Spec file, relative to the spec root (`models/X.yaml`). */
  readonly source: string;
  /** Provenance: the further source it came from while api.json lacks it (spec `from`). */
  readonly from?: string;
}

export interface ErrorCode {
  readonly code: string;
  readonly description: Text;
  readonly retry?: RetryClass;
}

export interface Example {
  readonly title: Text;
  readonly description?: Text;
  readonly request: Readonly<Record<string, unknown>>;
  readonly response: Readonly<Record<string, unknown>>;
  /** A documented bad example (Tencent's own, kept for the record): why its request breaks the spec. */
  readonly invalid?: string;
}

/** How an action pages (spec `paginator:`), its members checked against the action's. */
export interface Paginator {
  readonly style: "page" | "offset" | "cursor";
  /** The input member advanced: the page number, offset or cursor. */
  readonly position: string;
  readonly firstPage?: number;
  readonly size: string;
  readonly maxSize?: number;
  readonly defaultSize: number;
  readonly items: string;
  readonly total?: string;
  readonly cursorFrom?: string;
  readonly timeWindow?: { readonly start: string; readonly end: string; readonly maxSpanDays: number };
}

export type WaiterAcceptor =
  | {
      readonly state: "success" | "failure" | "retry";
      readonly path: string;
      readonly expected: readonly (string | number | boolean)[];
      readonly match?: "all" | "any";
    }
  | { readonly state: "success" | "failure" | "retry"; readonly error: string };

/** A waiter polling an action (spec `waiters:`). */
export interface Waiter {
  readonly name: string;
  readonly description: Text;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly acceptors: readonly WaiterAcceptor[];
}

export interface Action {
  readonly name: string;
  /** `DisableCCCPhoneNumber` → `disableCCCPhoneNumber`: only the first letter is lower-cased. */
  readonly methodName: string;
  readonly title: Text;
  readonly description: Text;
  readonly docs?: Text;
  readonly rateLimitPerSecond?: number;
  readonly idempotent: boolean;
  /** Why a repeat is (or is not) harmless, in one line: read from the action's documentation. */
  readonly idempotentReason: string;
  readonly deprecated: boolean;
  readonly notes: readonly string[];
  readonly input: readonly Member[];
  /** Without the implicit `RequestId`, which every emitter adds. */
  readonly output: readonly Member[];
  readonly errors: readonly ErrorCode[];
  readonly examples: readonly Example[];
  readonly paginator?: Paginator;
  /** By name. */
  readonly waiters: readonly Waiter[];
  readonly source: string;
}

/**
 * A data push (spec `pushes/<Name>.yaml`): what CCC POSTs to the customer's URL with `?action=<action>`. Its members
 * are the push's own and, when it names a `model`, that model's too (optional in a push: a model's `required` says
 * what an API answer holds, not a push).
 */
export interface Push {
  /** `Cdr`: the types are `CdrPush`, the handler option `onCdr`. */
  readonly name: string;
  /** The `action` query value CCC sends (`cdr`). */
  readonly action: string;
  /** The `version` query value CCC sends (`1`), when its page gives one. */
  readonly version?: string;
  readonly title: Text;
  readonly description: Text;
  readonly docs?: Text;
  readonly notes: readonly string[];
  /** The model whose members the payload carries besides its own. */
  readonly model?: string;
  /** Own and model members together, sorted by name. */
  readonly members: readonly Member[];
  /** String members CCC may write as a JSON number (spec `numberAsString`): the handler passes on the digits. */
  readonly numberAsString: readonly string[];
  /** The page's data sample (checked against the members). */
  readonly example: Readonly<Record<string, unknown>>;
  readonly source: string;
}

/** A group of actions on the reference site's index (service.yaml `groups:`, Tencent's API category page). */
export interface ActionGroup {
  /** The group's anchor (`numbers`). */
  readonly id: string;
  readonly title: Text;
  /** Every action of the group, in the index's order: those listed, then (for the rest group) the others by name. */
  readonly actions: readonly string[];
}

export interface Service {
  readonly name: string;
  readonly version: string;
  readonly title: Text;
  readonly description: Text;
  readonly endpoints: { readonly default: string; readonly international: string };
  readonly docs?: Text;
  readonly commonErrors: readonly ErrorCode[];
  readonly actions: readonly Action[];
  readonly models: readonly Model[];
  /** By name. */
  readonly pushes: readonly Push[];
  /** In order; every action is in exactly one. */
  readonly groups: readonly ActionGroup[];
  /**
   * What the loader noticed that is worth a look but not a mistake (a group listing an absent action): `npm run docs`
   * prints them; the code does not depend on them.
   */
  readonly warnings: readonly SpecWarning[];
}

/** Where and what, as the loader reports a problem: `spec/service.yaml:195:9: groups[0].actions[7]: …`. */
export interface SpecWarning {
  /** Path of the file as given (relative to the working directory when inside it). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** YAML path, e.g. `input.Disabled.enum[0].value` (empty for the whole file). */
  readonly path: string;
  readonly message: string;
}

/** Prefer English, fall back to Chinese. */
export function en(text: Text | undefined): string {
  return text?.en ?? text?.zh ?? "";
}
