/**
 * The command line over the generated API: where the runtime's CLI (src/cli/cli.ts) meets generated/. One of the
 * few modules of src/ that import generated code (the lint's zone rules name them).
 */
import { catalog } from "../../generated/catalog.js";
import { commands, waiters } from "../../generated/client.js";
import { service } from "../../generated/service.js";
import type { CliSpec } from "./spec.js";

export const generatedSpec: CliSpec = { service, commands, waiters, catalog };
