/** The shape of generated/catalog.ts (help texts and example answers for the CLI and the emulator). */
export interface CatalogText {
  readonly zh?: string;
  readonly en?: string;
}

export interface CatalogMember {
  /** `string`, `int64`, `uint64`, `float`, `bool`, or a model name. */
  readonly type: string;
  readonly list?: true;
  readonly required?: true;
  readonly deprecated?: true;
  readonly enum?: readonly (string | number | boolean)[];
  readonly description: CatalogText;
}

export interface CatalogAction {
  readonly title: CatalogText;
  readonly description: CatalogText;
  readonly idempotent: boolean;
  readonly deprecated?: true;
  readonly input: Readonly<Record<string, CatalogMember>>;
  readonly output: Readonly<Record<string, CatalogMember>>;
  readonly errors: readonly string[];
  readonly example?: {
    readonly request: Readonly<Record<string, unknown>>;
    readonly response: Readonly<Record<string, unknown>>;
  };
}

export interface Catalog {
  readonly service: string;
  readonly version: string;
  readonly actions: Readonly<Record<string, CatalogAction>>;
  readonly models: Readonly<
    Record<string, { readonly description: CatalogText; readonly members: Readonly<Record<string, CatalogMember>> }>
  >;
}
