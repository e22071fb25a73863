/**
 * How CCC authenticates to the receiver, as its console configures it: not at all, with HTTP Basic (the username
 * and password set there), or with a bearer token it fetched from the customer's token URL with OAuth 2.0 client
 * credentials (`createTokenEndpoint` issues such tokens). The mode is always chosen explicitly: there is no default.
 */
import { refused, type PushReply } from "./reply.js";
import { basicCredentials, bearerToken, ExpectedSecret } from "./secret.js";

/**
 * `{ none: true }`, `{ basic: { username, password } }` or `{ bearer: token | (token) => boolean }`: exactly one
 * (the others typed `never`, so the compiler refuses two at once).
 */
export type PushAuth =
  | { readonly none: true; readonly basic?: never; readonly bearer?: never }
  | {
      readonly basic: { readonly username: string; readonly password: string };
      readonly none?: never;
      readonly bearer?: never;
    }
  | {
      readonly bearer: string | ((token: string) => boolean | Promise<boolean>);
      readonly none?: never;
      readonly basic?: never;
    };

/** Checks the `Authorization` header of a push: undefined when it may pass, else the 401 reply. */
export type Authorizer = (request: Request) => Promise<PushReply | undefined>;

const REALM = "ccc-push";
const AUTH_SHAPE =
  "auth must be { none: true }, { basic: { username, password } } or { bearer: token | (token) => boolean }";

/** The check `auth` describes; a malformed `auth` is a TypeError that never repeats a secret. */
export function authorizer(auth: PushAuth): Authorizer {
  if (auth === null || typeof auth !== "object")
    throw new TypeError(`${AUTH_SHAPE} (it is required: no silent default)`);
  const modes = (["none", "basic", "bearer"] as const).filter((k) => auth[k] !== undefined);
  if (modes.length !== 1) throw new TypeError(`${AUTH_SHAPE}: give exactly one of none, basic, bearer`);
  if (auth.none !== undefined) {
    if (auth.none !== true) throw new TypeError("auth.none must be true");
    return () => Promise.resolve(undefined);
  }
  if (auth.basic !== undefined) return basicAuthorizer(auth.basic);
  return bearerAuthorizer(auth.bearer!);
}

function basicAuthorizer(basic: { readonly username: string; readonly password: string }): Authorizer {
  if (basic === null || typeof basic !== "object") throw new TypeError("auth.basic must be { username, password }");
  if (typeof basic.username !== "string" || basic.username === "" || basic.username.includes(":"))
    throw new TypeError("auth.basic.username must be a non-empty string without ':'");
  if (typeof basic.password !== "string" || basic.password === "")
    throw new TypeError("auth.basic.password must be a non-empty string");
  const username = new ExpectedSecret(basic.username);
  const password = new ExpectedSecret(basic.password);
  const challenge = { "WWW-Authenticate": `Basic realm="${REALM}", charset="UTF-8"` };
  return async (request) => {
    const given = basicCredentials(request.headers.get("authorization"));
    if (!given) return refused("unauthorized", "this push URL needs HTTP Basic authentication", challenge);
    // Both compared, whatever the first says, so the time taken does not tell which one was wrong.
    const [user, pass] = await Promise.all([username.matches(given.user), password.matches(given.password)]);
    return user && pass ? undefined : refused("unauthorized", "wrong username or password", challenge);
  };
}

function bearerAuthorizer(bearer: string | ((token: string) => boolean | Promise<boolean>)): Authorizer {
  let accepts: (token: string) => Promise<boolean>;
  if (typeof bearer === "string") {
    if (bearer === "") throw new TypeError("auth.bearer must be a non-empty token or a function");
    const expected = new ExpectedSecret(bearer);
    accepts = (token) => expected.matches(token);
  } else if (typeof bearer === "function") accepts = async (token) => (await bearer(token)) === true;
  else throw new TypeError("auth.bearer must be a non-empty token or a function (token) => boolean");
  return async (request) => {
    const token = bearerToken(request.headers.get("authorization"));
    if (token === undefined)
      return refused("unauthorized", "this push URL needs a bearer token", {
        "WWW-Authenticate": `Bearer realm="${REALM}"`,
      });
    if (await accepts(token)) return undefined;
    return refused("unauthorized", "the bearer token is not valid", {
      "WWW-Authenticate": `Bearer realm="${REALM}", error="invalid_token"`,
    });
  };
}
