/**
 * `npm run generate [-- --check] [--spec DIR] [--out DIR]`
 * Exit codes: 0 done / up to date, 1 generated/ is stale (--check), 2 invalid spec or usage error.
 */
import { parseArgs } from "node:util";
import { generate } from "./generate.js";
import { SpecError } from "./load.js";

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        check: { type: "boolean", default: false },
        spec: { type: "string", default: "spec" },
        out: { type: "string", default: "generated" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`generate: ${(e as Error).message}`);
    return 2;
  }
  if (values.help) {
    console.log("usage: npm run generate [-- --check] [--spec DIR] [--out DIR]");
    return 0;
  }
  const started = performance.now();
  try {
    const result = await generate({ specDir: values.spec, outDir: values.out, check: values.check });
    const ms = Math.round(performance.now() - started);
    if (values.check) {
      if (result.stale.length) {
        console.error(`generate --check: ${values.out}/ is stale; run \`npm run generate\` and commit the result:`);
        for (const f of result.stale) console.error(`  ${f}`);
        return 1;
      }
      console.log(`generate --check: ${values.out}/ is up to date (${result.files.size} files, ${ms} ms)`);
    } else console.log(`generate: wrote ${result.files.size} files to ${values.out}/ in ${ms} ms`);
    return 0;
  } catch (e) {
    if (e instanceof SpecError) {
      console.error(e.message);
      console.error(`${values.out}/ was left untouched.`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main();
