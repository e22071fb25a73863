/**
 * The JSON Schema of spec files (service.yaml, actions/<Action>.yaml, models/<Model>.yaml). The loader checks every
 * file against it; `npm run generate` also writes it to generated/spec.schema.json for editors. Its member part is
 * built from the member vocabulary (codegen/vocabulary.ts), so a new constraint needs no edit here.
 */
import {
  ACTION_OWNABLE_KEYS,
  CONSTRAINT_NAMES,
  constraintValueSchema,
  MEMBER_FACT_KEYS,
  MEMBER_FLAGS,
  MODEL_OWNABLE_KEYS,
} from "./vocabulary.js";

type Schema = Record<string, unknown>;

export const SPEC_SCHEMA_ID = "https://ccc-sdk.invalid/spec.schema.json";

const FLAG_MEANINGS: Record<(typeof MEMBER_FLAGS)[number], string> = {
  list: "a list of `type` (the page's Name.N)",
  required: "input: the caller must send it; output: always returned",
  nullable: "output only: the server may return null",
  deprecated: "marked deprecated in docs and types",
};

function memberSchema(): Schema {
  const properties: Schema = {
    type: { type: "string", description: "string, int64, uint64, float, bool or the name of a model in models/" },
  };
  for (const flag of MEMBER_FLAGS) properties[flag] = { type: "boolean", description: FLAG_MEANINGS[flag] };
  properties.enum = {
    type: "array",
    minItems: 1,
    items: {
      type: "object",
      additionalProperties: false,
      required: ["value"],
      properties: {
        value: { type: ["string", "number", "boolean"] },
        name: { $ref: "#/$defs/identifier" },
        description: { $ref: "#/$defs/text" },
      },
    },
  };
  for (const name of CONSTRAINT_NAMES) properties[name] = constraintValueSchema(name);
  properties.description = { $ref: "#/$defs/text" };
  properties.example = {};
  properties.handWritten = handWritten("member", MEMBER_FACT_KEYS);
  properties.from = from("member");
  return { type: "object", additionalProperties: false, required: ["type", "description"], properties };
}

/**
 * A member of a push (pushes/<Name>.yaml): a member, and `numberAsString` for a string CCC may write as a JSON number
 * (the voicemail page's own sample does).
 */
function pushMemberSchema(): Schema {
  const member = memberSchema();
  return {
    ...member,
    properties: {
      ...(member.properties as Schema),
      numberAsString: {
        const: true,
        description:
          "String members only: CCC may write the value as a JSON number; the push handler passes on its digits as a string.",
      },
    },
  };
}

/** The further source a member or model came from (codegen/vocabulary.ts `FROM`). */
function from(what: string): Schema {
  return {
    type: "string",
    minLength: 1,
    description: `Provenance: the source this ${what} came from when api.json does not have it (e.g. the official SDK's declarations). Updates keep it until api.json has it.`,
  };
}

/** `handWritten: true` (all of it is a person's) or the list of its keys that are (codegen/vocabulary.ts). */
function handWritten(what: string, keys: readonly string[]): Schema {
  return {
    description: `Provenance: \`true\` when the whole ${what} was written by a person, or the ${what}'s keys a person wrote. Importers keep them.`,
    oneOf: [{ const: true }, { type: "array", minItems: 1, uniqueItems: true, items: { enum: [...keys] } }],
  };
}

const text: Schema = {
  description: "Text in Chinese (zh) and/or English (en).",
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    zh: { type: "string", minLength: 1 },
    en: { type: "string", minLength: 1 },
    handWritten: {
      const: true,
      description: "The English was written by a person (the sources have none, or a wrong one): importers keep it.",
    },
  },
};

const memberRef: Schema = { $ref: "#/$defs/memberName" };
const count: Schema = { type: "integer", minimum: 1 };

/**
 * `paginator:` of an action: how `paginate<Action>()` walks its pages. One object for the three styles: the loader
 * says which keys a style needs (`page`, `offset` or `cursor` with `cursorFrom`), with messages a union could not give.
 */
function paginatorSchema(): Schema {
  return {
    type: "object",
    additionalProperties: false,
    required: ["style", "size", "items"],
    description: "How the action pages. Documented in spec/README.md (Paginators).",
    properties: {
      style: { enum: ["page", "offset", "cursor"], description: "What moves: a page number, an offset or a cursor." },
      page: { ...memberRef, description: "`page` style: the input member with the page number." },
      firstPage: { type: "integer", minimum: 0, description: "`page` style: the first page's number (default 0)." },
      offset: { ...memberRef, description: "`offset` style: the input member with the offset of the first item." },
      cursor: { ...memberRef, description: "`cursor` style: the input member with the cursor." },
      cursorFrom: { ...memberRef, description: "`cursor` style: the member of the last item with the next cursor." },
      size: { ...memberRef, description: "The input member with the page size." },
      maxSize: { ...count, description: "The documented largest page size." },
      defaultSize: { ...count, description: "The page size sent when the caller names none (default: maxSize)." },
      items: { ...memberRef, description: "The output list member with the page's items." },
      total: { ...memberRef, description: "The output member with the number of items in all pages." },
      timeWindow: {
        type: "object",
        additionalProperties: false,
        required: ["start", "end", "maxSpanDays"],
        description: "The action takes only short time ranges: a longer one is cut into windows read in order.",
        properties: {
          start: { ...memberRef, description: "The input member with the range's start, Unix seconds." },
          end: { ...memberRef, description: "The input member with the range's end, Unix seconds." },
          maxSpanDays: { ...count, description: "end - start must be less than this many days." },
        },
      },
    },
  };
}

/** A waiter: delays and the acceptors tried in order on each poll (an acceptor has `path` and `expected`, or `error`). */
function waiterSchema(): Schema {
  return {
    type: "object",
    additionalProperties: false,
    required: ["description", "minDelayMs", "maxDelayMs", "acceptors"],
    properties: {
      description: { $ref: "#/$defs/text" },
      minDelayMs: { ...count, description: "The first wait between polls, ms (later ones double, with jitter)." },
      maxDelayMs: { ...count, description: "The longest wait between polls, ms." },
      acceptors: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          additionalProperties: false,
          required: ["state"],
          properties: {
            state: { enum: ["success", "failure", "retry"], description: "What a match concludes." },
            path: {
              type: "string",
              pattern: "^[A-Za-z][A-Za-z0-9_]*(\\[\\])?(\\.[A-Za-z][A-Za-z0-9_]*(\\[\\])?)*$",
              description: "Members from the result, dot-separated; `[]` after a list member reads each item.",
            },
            match: { enum: ["all", "any"], description: "With `[]` in the path: every item or any item." },
            expected: { type: "array", minItems: 1, items: { type: ["string", "number", "boolean"] } },
            error: { type: "string", minLength: 1, description: "Matches a poll that failed with this error code." },
          },
        },
      },
    },
  };
}

/**
 * `groups:` of service.yaml: how the reference site's index groups the actions (Tencent's API category page). The
 * loader checks the names against the action files and that exactly one group is `rest`.
 */
function groupsSchema(): Schema {
  return {
    description:
      "The action groups of the reference site's index, in order. An action no group lists goes in the `rest` group.",
    type: "array",
    minItems: 1,
    items: {
      type: "object",
      additionalProperties: false,
      required: ["id", "title", "actions"],
      properties: {
        id: { type: "string", pattern: "^[a-z][a-z0-9-]*$", description: "The group's anchor on the index page." },
        title: { $ref: "#/$defs/text" },
        rest: { const: true, description: "Actions no group lists are added here (exactly one group says so)." },
        actions: {
          type: "array",
          uniqueItems: true,
          items: { $ref: "#/$defs/identifier" },
          description: "Action names, in the order the index lists them.",
        },
      },
    },
  };
}

const notes: Schema = { type: "array", items: { type: "string", minLength: 1 } };

/** A push file: what CCC POSTs to the customer's URL with `?action=<action>`. Documented in spec/README.md. */
function pushSchema(): Schema {
  return {
    type: "object",
    additionalProperties: false,
    required: ["push", "action", "title", "description", "example"],
    properties: {
      push: { $ref: "#/$defs/identifier" },
      action: {
        type: "string",
        pattern: "^[a-z][a-zA-Z0-9_]*$",
        description: "The `action` query value CCC sends with the push (`cdr`).",
      },
      version: {
        type: "string",
        pattern: "^[0-9A-Za-z._-]+$",
        description: 'The `version` query value CCC sends (`"1"`), when the page gives one.',
      },
      title: { $ref: "#/$defs/text" },
      description: { $ref: "#/$defs/text" },
      docs: { $ref: "#/$defs/urls" },
      notes,
      model: {
        $ref: "#/$defs/identifier",
        description: "A model in models/ whose members the payload carries besides its own (optional in the push).",
      },
      members: {
        type: "object",
        propertyNames: { $ref: "#/$defs/memberName" },
        additionalProperties: { $ref: "#/$defs/pushMember" },
        description: "The push's own members; `required: true`: the push handler refuses a push without it.",
      },
      example: { type: "object", description: "The page's data sample: a payload as CCC sends it." },
    },
  };
}

/** The whole schema; `$defs` `service`, `action`, `model` and `push` are the four kinds of file. */
export function specSchema(): Schema {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: SPEC_SCHEMA_ID,
    title: "CCC SDK spec files",
    description:
      "One schema for the four kinds of spec file: service.yaml, actions/<Action>.yaml, models/<Model>.yaml and pushes/<Name>.yaml. Documented in spec/README.md. Generated from codegen/spec-schema.ts and codegen/vocabulary.ts.",
    $defs: {
      text,
      urls: {
        type: "object",
        additionalProperties: false,
        minProperties: 1,
        properties: { zh: { type: "string", pattern: "^https://" }, en: { type: "string", pattern: "^https://" } },
      },
      identifier: { type: "string", pattern: "^[A-Z][A-Za-z0-9]*$" },
      memberName: { type: "string", pattern: "^[A-Za-z][A-Za-z0-9_]*$" },
      errorCode: {
        type: "object",
        additionalProperties: false,
        required: ["code", "description"],
        properties: {
          code: { type: "string", pattern: "^[A-Z][A-Za-z0-9]*(\\.[A-Za-z0-9_]+)*$" },
          description: { $ref: "#/$defs/text" },
          retry: { enum: ["always", "idempotent"] },
        },
      },
      member: memberSchema(),
      pushMember: pushMemberSchema(),
      members: {
        type: "object",
        propertyNames: { $ref: "#/$defs/memberName" },
        additionalProperties: { $ref: "#/$defs/member" },
      },
      example: {
        type: "object",
        additionalProperties: false,
        required: ["title", "request", "response"],
        properties: {
          title: { $ref: "#/$defs/text" },
          description: { $ref: "#/$defs/text" },
          request: { type: "object" },
          response: { type: "object" },
          invalid: {
            type: "string",
            minLength: 1,
            description:
              "The official example breaks the spec; says why. Such an example is checked to be invalid and never emitted.",
          },
        },
      },
      action: {
        type: "object",
        additionalProperties: false,
        required: ["action", "title", "description", "idempotent", "input", "output", "errors"],
        properties: {
          action: { $ref: "#/$defs/identifier" },
          title: { $ref: "#/$defs/text" },
          description: { $ref: "#/$defs/text" },
          docs: { $ref: "#/$defs/urls" },
          rateLimitPerSecond: { type: "integer", minimum: 1 },
          idempotent: { type: "boolean" },
          idempotentReason: {
            type: "string",
            minLength: 1,
            pattern: "^[^\\n]*$",
            description: "One line: why a repeat is (or is not) harmless, read from the action's documentation.",
          },
          deprecated: { type: "boolean" },
          notes,
          handWritten: handWritten("action", ACTION_OWNABLE_KEYS),
          input: { $ref: "#/$defs/members" },
          output: { $ref: "#/$defs/members" },
          errors: { type: "array", items: { $ref: "#/$defs/errorCode" } },
          examples: { type: "array", items: { $ref: "#/$defs/example" } },
          paginator: { $ref: "#/$defs/paginator" },
          waiters: {
            type: "object",
            minProperties: 1,
            propertyNames: { $ref: "#/$defs/identifier" },
            additionalProperties: { $ref: "#/$defs/waiter" },
            description: "Waiters polling this action, by name (`X` gives the client method `waitUntilX`).",
          },
        },
      },
      push: pushSchema(),
      paginator: paginatorSchema(),
      waiter: waiterSchema(),
      model: {
        type: "object",
        additionalProperties: false,
        required: ["model", "description", "members"],
        properties: {
          model: { $ref: "#/$defs/identifier" },
          description: { $ref: "#/$defs/text" },
          notes,
          handWritten: handWritten("model", MODEL_OWNABLE_KEYS),
          from: from("model"),
          members: { $ref: "#/$defs/members" },
        },
      },
      service: {
        type: "object",
        additionalProperties: false,
        required: ["service", "version", "title", "description", "endpoints", "commonErrors"],
        properties: {
          service: { type: "string", pattern: "^[a-z][a-z0-9]*$" },
          version: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
          title: { $ref: "#/$defs/text" },
          description: { $ref: "#/$defs/text" },
          endpoints: {
            type: "object",
            additionalProperties: false,
            required: ["default", "international"],
            properties: {
              default: { type: "string", pattern: "^[a-z0-9.-]+$" },
              international: { type: "string", pattern: "^[a-z0-9.-]+$" },
            },
          },
          docs: { $ref: "#/$defs/urls" },
          commonErrors: { type: "array", items: { $ref: "#/$defs/errorCode" } },
          groups: groupsSchema(),
        },
      },
    },
  };
}
