/**
 * The declarative contract between generated code and the runtime.
 *
 * Generated modules describe each action as an `ActionDefinition` and the service as a `ServiceDefinition`;
 * all behaviour (validation, signing, transport, errors) lives in the runtime that reads these descriptions.
 */

/** Wire types of the spec format. */
export type ScalarType = "string" | "int64" | "uint64" | "float" | "bool";

/**
 * The rules a member may carry besides its type: the constraints of the member vocabulary. This interface is their
 * one list; codegen/vocabulary.ts says of each where it applies and how specs and JSON Schema write it, the
 * validator (src/validate.ts) how it is checked, the CLI (src/cli/help.ts) how it reads. Each of those is typed
 * over these keys, so a constraint added here does not compile until all of them know it.
 */
export interface ConstraintValues {
  /** ECMAScript regular expression every string value must match (on a list: each item). */
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: true;
}

export type ConstraintName = keyof ConstraintValues;

/** Validation facts of one member, generated from the spec. */
export interface MemberShape extends Readonly<ConstraintValues> {
  readonly type: ScalarType | "model";
  /** For `type: "model"`: the model's members (a thunk, so models may refer to each other). */
  readonly model?: () => Shape;
  readonly list?: true;
  readonly required?: true;
  readonly enum?: readonly (string | number | boolean)[];
}

/** The members of a request or a model, by wire name. */
export type Shape = { readonly [member: string]: MemberShape };

/** Retry class of an error code: `always` (rejected before any effect) or only for `idempotent` actions. */
export type RetryClass = "always" | "idempotent";

/**
 * An action as the runtime sees it. The type parameters are phantom: they carry the request, response and
 * error-code types from the generated module to `client.send()`.
 */
export interface ActionDefinition<Req = unknown, Res = unknown, Code extends string = string> {
  readonly name: string;
  /** The OpenAPI path key (`/#Action`); the wire always sees `POST /`. */
  readonly path: `/#${string}`;
  readonly idempotent: boolean;
  /** Documented per-action rate limit, requests per second. */
  readonly rateLimitPerSecond?: number;
  readonly input: Shape;
  /** @internal phantom */
  readonly __types?: { req: Req; res: Res; code: Code };
}

export interface ServiceDefinition {
  readonly name: string;
  readonly version: string;
  readonly endpoints: { readonly default: string; readonly international: string };
  /** Retry class of the common error codes that have one. */
  readonly retry: { readonly [code: string]: RetryClass };
  /**
   * How the client names itself on every request, in `X-TC-RequestClient` (as Tencent's own SDKs do: Tencent
   * counts calls by client, and a support ticket can name it): the package's name and version, `ccc-sdk/0.1.1`.
   */
  readonly client: string;
}

export type RequestOf<A> = A extends ActionDefinition<infer Req, unknown, string> ? Req : never;
export type ResponseOf<A> = A extends ActionDefinition<unknown, infer Res, string> ? Res : never;
export type ErrorCodeOf<A> = A extends ActionDefinition<unknown, unknown, infer C> ? C : never;
