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
  /** How the action pages, when it does (spec `paginator:`): what `paginate()` advances and reads. */
  readonly paginator?: PaginatorDefinition;
  /** @internal phantom */
  readonly __types?: { req: Req; res: Res; code: Code };
}

/**
 * How a paging action pages (spec `paginator:`): `page` advances a page number, `offset` an item offset, `cursor`
 * sends the cursor of the last item received. The type parameters name the items member and the paging members,
 * so `paginate()` can type its items and let the caller leave the paging members out.
 */
export interface PaginatorDefinition<Items extends string = string, Paging extends string = string> {
  readonly style: "page" | "offset" | "cursor";
  /** The input member that moves: the page number, the offset or the cursor. */
  readonly position: Paging;
  /** `page` style: the number of the first page (0 for CCC). */
  readonly firstPage?: number;
  /** The input member with the page size. */
  readonly size: Paging;
  /** The documented largest page size; undefined where the docs give none. */
  readonly maxSize?: number;
  /** The page size sent when the caller names none. */
  readonly defaultSize: number;
  /** The output list member with the page's items. */
  readonly items: Items;
  /** The output member with the number of items in all pages, if the action has one. */
  readonly total?: string;
  /** `cursor` style: the member of the last item that holds the next page's cursor. */
  readonly cursorFrom?: string;
  /** Actions that take only short time ranges: `paginate()` cuts a longer range into windows and reads them in order. */
  readonly timeWindow?: TimeWindowDefinition;
}

/** A time range an action accepts: Unix-second members `start` and `end`, `end - start` under `maxSpanSeconds`. */
export interface TimeWindowDefinition {
  readonly start: string;
  readonly end: string;
  readonly maxSpanSeconds: number;
}

/** An action that pages: its definition with a `paginator`. */
export interface PagedActionDefinition<
  Req = unknown,
  Res = unknown,
  Code extends string = string,
  Items extends string = string,
  Paging extends string = string,
> extends ActionDefinition<Req, Res, Code> {
  readonly paginator: PaginatorDefinition<Items, Paging>;
}

/** What a waiter's acceptor concludes (spec `waiters:`): the wait is over (`success`, `failure`) or goes on (`retry`). */
export type WaiterState = "success" | "failure" | "retry";

/**
 * One rule of a waiter, tried in order on each poll's outcome (as AWS waiters' acceptors). A `path` acceptor reads
 * the result at `path` (`State`, `Session.SessionStatus`, `CompanyInfo[].State`: `[]` reads every item, and
 * `match` says whether `all` or `any` must be expected); an `error` acceptor matches a call that failed with that
 * code.
 */
export type WaiterAcceptor =
  | {
      readonly state: WaiterState;
      readonly path: string;
      readonly expected: readonly (string | number | boolean)[];
      readonly match?: "all" | "any";
    }
  | { readonly state: WaiterState; readonly error: string };

/** A waiter (spec `waiters:`): polls `command` until an acceptor says success or failure. */
export interface WaiterDefinition<Req = unknown, Res = unknown, Code extends string = string> {
  /** `AutoCalloutTaskFinished`: the client's method is `waitUntilAutoCalloutTaskFinished`. */
  readonly name: string;
  readonly command: ActionDefinition<Req, Res, Code>;
  /** The first wait between polls, ms; later waits double up to `maxDelayMs`, with jitter. */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly acceptors: readonly WaiterAcceptor[];
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

/**
 * A data push (spec `pushes/<Name>.yaml`): what CCC POSTs to the customer's URL with `?action=<action>`. The push
 * handler (`ccc-sdk/push`) checks a payload against `members` leniently: types only, members it does not know kept,
 * and of the `required` ones only the push's own (the members of its models may be missing).
 */
export interface PushDefinition<Payload = unknown> {
  /** `Cdr`: the handler option is `onCdr`. */
  readonly name: string;
  /** The `action` query value (`cdr`). */
  readonly action: string;
  /** The `version` query value, when the push's page gives one (`1`). */
  readonly version?: string;
  readonly members: Shape;
  /** String members CCC may write as a JSON number: the handler passes on the number's digits. */
  readonly numberAsString: readonly string[];
  /** The page's data sample: what the emulator pushes by default. */
  readonly example: Readonly<Record<string, unknown>>;
  /** @internal phantom */
  readonly __types?: { payload: Payload };
}

/**
 * A value of a pushed model: every member may be missing or `null` (a push may leave out what an API answer always
 * holds, and CCC writes `null` for a value it lacks).
 */
export type Pushed<T> = T extends readonly (infer Item)[]
  ? Pushed<Item>[]
  : T extends object
    ? { [K in keyof T]?: Pushed<T[K]> | null }
    : T;

/**
 * A push's payload: its own required members as checked (present, of their type), every other member as in
 * {@link Pushed}.
 */
export type PushPayload<T> = {
  [K in keyof T]: undefined extends T[K] ? Pushed<T[K]> | null : Pushed<T[K]>;
};

export type PayloadOf<P> = P extends PushDefinition<infer Payload> ? Payload : never;
