/**
 * The shape of spec files as plain data (what YAML parses to), shared by the importers. The JSON Schema
 * (codegen/spec-schema.ts, from the member vocabulary) is the authority; these types mirror it.
 */
import type { ActionOwnableKey, ConstraintValues, MemberFactKey, ModelOwnableKey } from "../vocabulary.js";

/** How an importer's placeholder `idempotentReason` starts: the loader refuses it until a person replaces it. */
export const UNREVIEWED = "unreviewed:";

export interface RawText {
  zh?: string;
  en?: string;
  /** The English was written by a person: importers keep it. */
  handWritten?: true;
}

export interface RawEnumValue {
  value: string | number | boolean;
  name?: string;
  description?: RawText;
}

/** A member as a spec file writes it: the member vocabulary's keys (codegen/vocabulary.ts). */
export interface RawMember extends ConstraintValues {
  type: string;
  list?: boolean;
  required?: boolean;
  nullable?: boolean;
  deprecated?: boolean;
  description: RawText;
  example?: unknown;
  enum?: RawEnumValue[];
  /** Provenance (codegen/vocabulary.ts): the whole member, or these keys of it, a person's. */
  handWritten?: true | MemberFactKey[];
  /** Provenance: the further source it came from while api.json lacks it (codegen/vocabulary.ts `FROM`). */
  from?: string;
}

export interface RawErrorCode {
  code: string;
  description: RawText;
  retry?: "always" | "idempotent";
}

export interface RawExample {
  title: RawText;
  description?: RawText;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
  invalid?: string;
}

export interface RawActionSpec {
  action: string;
  title: RawText;
  description: RawText;
  docs?: RawText;
  rateLimitPerSecond?: number;
  idempotent: boolean;
  /** Why a repeat is (or is not) harmless; the importer writes an `unreviewed:` one for a person to replace. */
  idempotentReason?: string;
  deprecated?: boolean;
  notes?: string[];
  handWritten?: true | ActionOwnableKey[];
  input: Record<string, RawMember>;
  output: Record<string, RawMember>;
  errors: RawErrorCode[];
  examples?: RawExample[];
  /** A person's, by nature (the sources say nothing of paging): kept by updates as written. */
  paginator?: Record<string, unknown>;
  /** A person's, by nature, like `paginator`. */
  waiters?: Record<string, unknown>;
}

export interface RawModelSpec {
  model: string;
  description: RawText;
  notes?: string[];
  handWritten?: true | ModelOwnableKey[];
  from?: string;
  members: Record<string, RawMember>;
}

/** What an importer reports besides the spec: things a person should look at. */
export interface ImportResult<T> {
  spec: T;
  warnings: string[];
}
