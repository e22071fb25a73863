/**
 * The CVM instance metadata's role credentials, as http://metadata.tencentyun.com serves them on an instance with
 * a CAM role: `GET /latest/meta-data/cam/security-credentials/` answers the role's name, and `GET …/<role>` that
 * role's temporary credentials (`TmpSecretId`, `TmpSecretKey`, `Token`, `ExpiredTime`, `Expiration`,
 * `Code: "Success"`), new ones on each request, which the emulator then accepts until they expire. Another role,
 * or any role when none is bound, is 404. Unauthenticated, as on an instance; not recorded.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Sender } from "./http.js";
import type { EmulatorState } from "./state.js";
import { answerMembers } from "./temporary.js";

/** Every path the metadata answers starts so. */
export const METADATA_PREFIX = "/latest/meta-data/";
const ROLE_PATH = "/latest/meta-data/cam/security-credentials/";
const TEXT = "text/plain; charset=utf-8";

export class MetadataHandler {
  readonly #state: EmulatorState;
  readonly #sender: Sender;
  /** The instance's role; undefined when none is bound. */
  readonly #role: string | undefined;

  constructor(deps: { state: EmulatorState; sender: Sender; role: string | undefined }) {
    this.#state = deps.state;
    this.#sender = deps.sender;
    this.#role = deps.role;
  }

  /** Answers one request for `path` (without the query string). */
  handle(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== "GET") {
      res.setHeader("Allow", "GET");
      return this.#sender.send(res, 405, "Method Not Allowed", TEXT);
    }
    const role = this.#role;
    if (path === ROLE_PATH && role !== undefined) return this.#sender.send(res, 200, role, TEXT);
    if (role !== undefined && path === `${ROLE_PATH}${encodeURIComponent(role)}`) {
      const issued = this.#state.issued.issue(this.#state.now());
      return this.#sender.json(res, 200, { ...answerMembers(issued), Code: "Success" });
    }
    this.#sender.send(res, 404, "Not Found", TEXT);
  }
}
