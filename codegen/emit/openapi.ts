/**
 * Emits the OpenAPI 3.1 document. Tencent API 3.0 is RPC over `POST /`: each action gets the path key
 * `/#Action` (fetch-style transports drop the fragment, so the wire sees `POST /`), and the HTTP 200 answer is
 * `{ Response: XResponse | ErrorResponse }`. Vendor extensions (`x-tc-*`) carry what OpenAPI has no word for.
 */
import { en, type Action, type ErrorCode, type Member, type Push, type Service, type Text } from "../ir.js";
import { CONSTRAINTS, constraintsOf, type ConstraintName } from "../vocabulary.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

/** How texts are written: `bilingual` for the document, `english` (Chinese only where there is no English) for the
 * published type declarations, where the second language would double their size. */
export type Languages = "bilingual" | "english";
type Say = (text: Text | undefined) => string;

/** English first, then Chinese when both exist and differ. */
export function bilingual(text: Text | undefined): string {
  if (!text) return "";
  if (text.en && text.zh && text.en !== text.zh) return `${text.en}\n\n${text.zh}`;
  return text.en ?? text.zh ?? "";
}

function englishFirst(text: Text | undefined): string {
  return text?.en ?? text?.zh ?? "";
}

function enumText(m: Member, say: Say): string {
  if (!m.enum) return "";
  const lines = m.enum.map((e) => {
    const text = !e.description
      ? ""
      : say === bilingual
        ? [e.description.en, e.description.zh && `(${e.description.zh})`].filter(Boolean).join(" ")
        : say(e.description);
    return `- \`${JSON.stringify(e.value)}\`${e.name ? ` ${e.name}` : ""}${text ? `: ${text}` : ""}`;
  });
  return `\n\n${lines.join("\n")}`;
}

/**
 * Marks an int64/uint64 schema of an input the published types let take a `bigint` (the client writes it
 * losslessly). Only in the document made for the types; openapi-typescript's `transform` reads it
 * (codegen/generate.ts).
 */
export const BIGINT_MARK = "x-tc-accepts-bigint";

function scalarSchema(m: Member, bigint: boolean): Schema {
  if (m.type.kind === "model") return { $ref: `#/components/schemas/${m.type.name}` };
  const s: Schema = ((): Schema => {
    switch (m.type.name) {
      case "string":
        return { type: "string" };
      case "int64":
        return { type: "integer", format: "int64", ...(bigint && !m.enum ? { [BIGINT_MARK]: true } : {}) };
      case "uint64":
        return { type: "integer", format: "uint64", minimum: 0, ...(bigint && !m.enum ? { [BIGINT_MARK]: true } : {}) };
      case "float":
        return { type: "number", format: "double" };
      case "bool":
        return { type: "boolean" };
    }
  })();
  if (m.enum) s.enum = m.enum.map((e) => e.value);
  return { ...s, ...constraintSchema(m, "value") };
}

/**
 * The member's constraints as JSON Schema keywords (the vocabulary names them as JSON Schema does): those of each
 * value, or those of the list.
 */
function constraintSchema(m: Member, level: "value" | "list"): Schema {
  const out: Schema = {};
  for (const [name, value] of Object.entries(constraintsOf(m)) as [ConstraintName, Json][])
    if ((CONSTRAINTS[name].target === "list") === (level === "list")) out[name] = value;
  return out;
}

export function memberSchema(m: Member, output: boolean, say: Say = bilingual, bigint = false): Schema {
  let s: Schema = scalarSchema(m, bigint && !output);
  if (m.list) {
    s = { type: "array", items: s, ...constraintSchema(m, "list") };
  }
  if (output && m.nullable) s = { anyOf: [s, { type: "null" }] };
  else if (s.$ref) s = { allOf: [s] }; // siblings of $ref (description) are kept next to allOf for older tools
  const description = say(m.description) + enumText(m, say);
  if (description) s.description = description;
  if (m.example !== undefined) s.examples = [m.example as Json];
  if (m.deprecated) s.deprecated = true;
  return s;
}

function objectSchema(
  members: readonly Member[],
  opts: { output: boolean; description: string; requestId?: boolean; say: Say; bigint: boolean },
): Schema {
  const properties: Schema = {};
  const required: string[] = [];
  for (const m of members) {
    properties[m.name] = memberSchema(m, opts.output, opts.say, opts.bigint);
    if (m.required) required.push(m.name);
  }
  if (opts.requestId) {
    properties.RequestId = {
      type: "string",
      description: opts.say({
        en: "Unique request ID, returned with every answer; quote it when reporting a problem.",
        zh: "唯一请求 ID，每次请求都会返回。定位问题时需要提供该次请求的 RequestId。",
      }),
    };
    required.push("RequestId");
  }
  const s: Schema = { type: "object", description: opts.description, properties };
  if (required.length) s.required = required.sort();
  // Requests are closed (the API answers UnknownParameter); responses stay open so new members do not break parsing.
  if (!opts.output) s.additionalProperties = false;
  return s;
}

function errorList(errors: readonly ErrorCode[], say: Say): Json {
  return errors.map((e) => ({
    code: e.code,
    description: say(e.description),
    ...(e.retry ? { retry: e.retry } : {}),
  }));
}

/** The id of the group an action is listed in (service.yaml `groups:`; every action is in one). */
function groupOf(service: Service, action: string): string {
  return service.groups.find((g) => g.actions.includes(action))?.id ?? service.name;
}

function operation(service: Service, a: Action, say: Say): Schema {
  const examples = a.examples.filter((ex) => ex.invalid === undefined);
  const docLines = [say(a.description)];
  if (a.rateLimitPerSecond) docLines.push(`Rate limit: ${a.rateLimitPerSecond} requests per second.`);
  if (a.errors.length)
    docLines.push(
      `Documented error codes:\n\n${a.errors.map((e) => `- \`${e.code}\`: ${en(e.description)}`).join("\n")}`,
    );
  for (const n of a.notes) docLines.push(`Note: ${n}`);
  const op: Schema = {
    operationId: a.name,
    summary: en(a.title),
    description: docLines.filter(Boolean).join("\n\n"),
    tags: [groupOf(service, a.name)],
    parameters: [
      {
        name: "X-TC-Action",
        in: "header",
        required: true,
        description: "The action name.",
        schema: { type: "string", const: a.name },
      },
      { $ref: "#/components/parameters/Version" },
      { $ref: "#/components/parameters/Timestamp" },
      { $ref: "#/components/parameters/Region" },
      { $ref: "#/components/parameters/Token" },
      { $ref: "#/components/parameters/Language" },
    ],
    requestBody: {
      required: true,
      content: {
        "application/json": {
          schema: { $ref: `#/components/schemas/${a.name}Request` },
          ...(examples.length
            ? {
                examples: Object.fromEntries(
                  examples.map((ex, i) => [`example${i + 1}`, { summary: en(ex.title), value: ex.request as Json }]),
                ),
              }
            : {}),
        },
      },
    },
    responses: {
      "200": {
        description: "Always HTTP 200: the action's result, or an error envelope with `Error.Code`.",
        content: {
          "application/json": {
            schema: {
              type: "object",
              required: ["Response"],
              properties: {
                Response: {
                  anyOf: [
                    { $ref: `#/components/schemas/${a.name}Response` },
                    { $ref: "#/components/schemas/ErrorResponse" },
                  ],
                },
              },
            },
            ...(examples.length
              ? {
                  examples: Object.fromEntries(
                    examples.map((ex, i) => [
                      `example${i + 1}`,
                      { summary: en(ex.title), value: { Response: ex.response as Json } },
                    ]),
                  ),
                }
              : {}),
          },
        },
      },
    },
    "x-tc-idempotent": a.idempotent,
    "x-tc-error-codes": errorList(a.errors, say),
    "x-tc-spec": `spec/${a.source}`,
  };
  if (a.rateLimitPerSecond) op["x-tc-rate-limit-per-second"] = a.rateLimitPerSecond;
  if (a.docs) op.externalDocs = { url: (a.docs.en ?? a.docs.zh)! };
  if (a.deprecated) op.deprecated = true;
  return op;
}

/** The reply every push must get (src/push/reply.ts writes it): `ErrCode` 0, or CCC pushes again. */
const PUSH_REPLY: Schema = {
  type: "object",
  description:
    "The receiver's answer to a push. `ErrCode` 0 accepts it; any other value makes CCC push it again (at most 3 times).",
  required: ["ErrCode", "ErrMsg"],
  properties: {
    ErrCode: { type: "integer", description: "0: accepted. Anything else: CCC pushes the data again." },
    ErrMsg: { type: "string", description: "Why it was not accepted (empty on success)." },
  },
};

/** The query CCC's push URL carries: `?action=<action>` (and `&version=<version>` when the page gives one). */
function pushQuery(p: Push): string {
  return `?action=${p.action}${p.version !== undefined ? `&version=${p.version}` : ""}`;
}

/**
 * The payload of a push. A `numberAsString` member is a string or an integer on the wire (the document), and a
 * string in the types: the push handler passes on a number's digits.
 */
function pushSchema(p: Push, say: Say, forTypes: boolean): Schema {
  const s = objectSchema(p.members, {
    output: true,
    description: `What CCC pushes to \`${pushQuery(p)}\`: ${en(p.title)}`,
    say,
    bigint: forTypes,
  });
  if (!forTypes)
    for (const name of p.numberAsString) {
      const properties = s.properties as Schema;
      const { type: _string, ...rest } = properties[name] as Schema;
      properties[name] = { ...rest, type: ["string", "integer"] };
    }
  return s;
}

/** A push as an OpenAPI 3.1 webhook: CCC POSTs the payload to the customer's URL with the push's query. */
function webhook(service: Service, p: Push, say: Say): Schema {
  const docLines = [
    say(p.description),
    `CCC sends \`POST {your URL}${pushQuery(p)}\` with \`Content-Type: application/json;charset=utf8\` and an \`X-TCCC-PUSH-UUID\` header that is the same on every retry of the push.`,
    ...p.notes.map((n) => `Note: ${n}`),
  ];
  const op: Schema = {
    operationId: `${p.name}Push`,
    summary: en(p.title),
    description: docLines.filter(Boolean).join("\n\n"),
    tags: [service.name],
    parameters: [
      { name: "action", in: "query", required: true, schema: { type: "string", const: p.action } },
      ...(p.version !== undefined
        ? [{ name: "version", in: "query", required: true, schema: { type: "string", const: p.version } }]
        : []),
      {
        name: "X-TCCC-PUSH-UUID",
        in: "header",
        required: true,
        description: "Identifies the push: a retry carries the same value, for de-duplication.",
        schema: { type: "string" },
      },
    ],
    requestBody: {
      required: true,
      content: {
        "application/json": {
          schema: { $ref: `#/components/schemas/${p.name}Push` },
          examples: { example1: { summary: en(p.title), value: p.example as Json } },
        },
      },
    },
    responses: {
      "200": {
        description: "The push's reply; `ErrCode` other than 0 makes CCC push again.",
        content: { "application/json": { schema: { $ref: "#/components/schemas/PushReply" } } },
      },
    },
    // How the console configures the receiver: no authentication, Basic, or a bearer token from OAuth 2.0 client credentials.
    security: [{}, { PushBasic: [] }, { PushBearer: [] }],
    "x-tc-push-action": p.action,
    "x-tc-spec": `spec/${p.source}`,
  };
  if (p.docs) op.externalDocs = { url: (p.docs.en ?? p.docs.zh)! };
  return op;
}

/** Names of the models reachable from `members` through model references. */
export function modelsReachable(service: Service, members: readonly Member[]): Set<string> {
  const byName = new Map(service.models.map((m) => [m.name, m]));
  const seen = new Set<string>();
  const visit = (list: readonly Member[]) => {
    for (const m of list)
      if (m.type.kind === "model" && !seen.has(m.type.name)) {
        seen.add(m.type.name);
        visit(byName.get(m.type.name)?.members ?? []);
      }
  };
  visit(members);
  return seen;
}

/**
 * The OpenAPI document of `service`. `forTypes` makes the variant openapi-typescript reads: int64/uint64 inputs
 * marked to take a bigint too.
 */
export function emitOpenApi(service: Service, languages: Languages = "bilingual", forTypes = false): Schema {
  const say: Say = languages === "bilingual" ? bilingual : englishFirst;
  const bigint = forTypes;
  const schemas: Schema = {};
  for (const a of service.actions) {
    schemas[`${a.name}Request`] = objectSchema(a.input, {
      output: false,
      description: `Input of ${a.name}: ${en(a.title)}`,
      say,
      bigint,
    });
    schemas[`${a.name}Response`] = objectSchema(a.output, {
      output: true,
      description: `Result of ${a.name}: ${en(a.title)}`,
      requestId: true,
      say,
      bigint,
    });
  }
  // A model an input refers to (directly or through other models) is closed like requests; one only answers use
  // stays open, so members Tencent adds later do not break schema validation of responses.
  const inputModels = modelsReachable(
    service,
    service.actions.flatMap((a) => a.input),
  );
  for (const m of service.models) {
    schemas[m.name] = objectSchema(m.members, {
      output: !inputModels.has(m.name),
      description: say(m.description),
      say,
      bigint,
    });
  }
  for (const p of service.pushes) schemas[`${p.name}Push`] = pushSchema(p, say, forTypes);
  if (service.pushes.length) schemas.PushReply = PUSH_REPLY;
  schemas.ErrorResponse = {
    type: "object",
    description: "The answer when an action fails (still HTTP 200).",
    required: ["Error", "RequestId"],
    properties: {
      Error: {
        type: "object",
        required: ["Code", "Message"],
        properties: {
          Code: {
            type: "string",
            description: "Error code, e.g. `InvalidParameterValue` or `AuthFailure.SignatureFailure`.",
          },
          Message: { type: "string", description: "Human-readable message." },
        },
      },
      RequestId: { type: "string", description: "Unique request ID." },
    },
  };
  const sortedSchemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  const header = (name: string, description: string, schema: Schema, required = false): Schema => ({
    name,
    in: "header",
    required,
    description,
    schema,
  });
  return {
    openapi: "3.1.0",
    info: {
      title: `Tencent Cloud ${en(service.title)} (${service.name.toUpperCase()}) API`,
      version: service.version,
      description: `${say(service.description)}\n\nTencent Cloud API 3.0 is RPC over HTTPS: every action is \`POST /\` with the action in the \`X-TC-Action\` header and a TC3-HMAC-SHA256 \`Authorization\`. This document keys each action as the path \`/#Action\`; the fragment never reaches the wire.`,
      license: { name: "MIT", identifier: "MIT" },
      "x-tc-service": service.name,
    },
    servers: [
      { url: `https://${service.endpoints.default}`, description: "Chinese site (nearby access)" },
      { url: `https://${service.endpoints.international}`, description: "International site" },
    ],
    security: [{ TC3: [] }],
    // One tag per group of the reference site's index (Tencent's API category page), so a viewer groups the same
    // way; the service's own tag holds the pushes.
    tags: [
      ...service.groups.map((g) => ({ name: g.id, description: say(g.title), "x-displayName": en(g.title) })),
      { name: service.name, description: en(service.title) },
    ],
    paths: Object.fromEntries(service.actions.map((a) => [`/#${a.name}`, { post: operation(service, a, say) }])),
    ...(service.pushes.length
      ? { webhooks: Object.fromEntries(service.pushes.map((p) => [p.name, { post: webhook(service, p, say) }])) }
      : {}),
    components: {
      schemas: sortedSchemas,
      parameters: {
        Version: header("X-TC-Version", "API version.", { type: "string", const: service.version }, true),
        Timestamp: header(
          "X-TC-Timestamp",
          "UNIX time in seconds; must be within 5 minutes of the server's clock.",
          { type: "integer" },
          true,
        ),
        Region: header("X-TC-Region", "Region; optional for CCC.", { type: "string" }),
        Token: header("X-TC-Token", "Session token of temporary credentials.", { type: "string" }),
        Language: header("X-TC-Language", "Language of error messages.", { type: "string", enum: ["zh-CN", "en-US"] }),
      },
      securitySchemes: {
        ...(service.pushes.length
          ? {
              PushBasic: {
                type: "http",
                scheme: "basic",
                description: "Data pushes: the username and password set in the CCC console.",
              },
              PushBearer: {
                type: "http",
                scheme: "bearer",
                description:
                  "Data pushes: OAuth 2.0 client credentials. CCC fetches a token from the token URL set in the console, with its ClientID and ClientSecret, and sends it as a bearer token.",
              },
            }
          : {}),
        TC3: {
          type: "apiKey",
          in: "header",
          name: "Authorization",
          description:
            "`TC3-HMAC-SHA256 Credential=<SecretId>/<date>/ccc/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=<hex>` (Tencent Cloud signature v3).",
        },
      },
    },
    "x-tc-common-error-codes": errorList(service.commonErrors, say),
  };
}
