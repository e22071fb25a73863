/**
 * The declarative contract between generated code and the runtime.
 *
 * Generated modules describe each action as an `ActionDefinition` and the service with `defineService(...)`;
 * all behaviour (validation, signing, transport, errors) lives in the runtime that reads these descriptions.
 */

/** Wire types of the spec format. */
export type ScalarType = "string" | "int64" | "uint64" | "float" | "bool";

/** Validation facts of one member, generated from the spec. */
export interface MemberShape {
  readonly type: ScalarType | "model";
  /** For `type: "model"`: the model's members (a thunk, so models may refer to each other). */
  readonly model?: () => Shape;
  readonly list?: true;
  readonly required?: true;
  readonly enum?: readonly (string | number | boolean)[];
  /** ECMAScript regular expression source every string value must match. */
  readonly pattern?: string;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly uniqueItems?: true;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
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
}

export function defineService<const S extends ServiceDefinition>(service: S): S {
  return service;
}

export type RequestOf<A> = A extends ActionDefinition<infer Req, unknown, string> ? Req : never;
export type ResponseOf<A> = A extends ActionDefinition<unknown, infer Res, string> ? Res : never;
export type ErrorCodeOf<A> = A extends ActionDefinition<unknown, unknown, infer C> ? C : never;
