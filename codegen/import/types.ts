/**
 * The shape of spec files as plain data (what YAML parses to), shared by the importers. The JSON Schema in
 * spec/spec.schema.json is the authority; these types mirror it.
 */
export interface RawText {
  zh?: string;
  en?: string;
}

export interface RawEnumValue {
  value: string | number | boolean;
  name?: string;
  description?: RawText;
}

export interface RawMember {
  type: string;
  list?: boolean;
  required?: boolean;
  nullable?: boolean;
  deprecated?: boolean;
  description: RawText;
  example?: unknown;
  enum?: RawEnumValue[];
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
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
  deprecated?: boolean;
  notes?: string[];
  input: Record<string, RawMember>;
  output: Record<string, RawMember>;
  errors: RawErrorCode[];
  examples?: RawExample[];
}

export interface RawModelSpec {
  model: string;
  description: RawText;
  notes?: string[];
  members: Record<string, RawMember>;
}

/** What an importer reports besides the spec: things a person should look at. */
export interface ImportResult<T> {
  spec: T;
  warnings: string[];
}
