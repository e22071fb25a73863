/**
 * What an emulator remembers between calls: the records of the calls, the fault queue, the clock offset and the
 * temporary credentials it issued. The API handler takes faults and adds records; the admin API and the
 * in-process helpers read and change them.
 */
import { Ring } from "./records.js";
import type { LoadedDataSet } from "./scenarios.js";
import { TemporaryCredentials } from "./temporary.js";
import type { QueuedFault, RecordedRequest } from "./types.js";

/** The fault queue's length: with each `http` body capped too, the queue's memory stays bounded. */
const MAX_QUEUED_FAULTS = 1000;

/** A checked copy of a fault as it is queued, or the problem with it (see `faultChecker`). */
export type FaultCheck = (input: unknown) => QueuedFault | string;

export class EmulatorState {
  readonly #records: Ring<RecordedRequest>;
  readonly #checkFault: FaultCheck;
  #faults: QueuedFault[] = [];
  #clockOffsetMs = 0;
  #seq = 0;
  readonly #dataSets = new Map<string, LoadedDataSet>();
  /** Each scripted action's states and how many of them calls have taken. */
  readonly #scripts = new Map<string, { states: Record<string, unknown>[]; taken: number }>();
  /** The temporary credentials issued by STS and the instance metadata (kept across `reset()` until they expire). */
  readonly issued: TemporaryCredentials = new TemporaryCredentials();

  constructor(maxRecords: number, checkFault: FaultCheck) {
    this.#records = new Ring<RecordedRequest>(maxRecords);
    this.#checkFault = checkFault;
  }

  /** The emulator's clock: the real one plus the offset (the SignatureExpire check and the `Date` header). */
  now(): number {
    return Date.now() + this.#clockOffsetMs;
  }

  /** The next call's arrival number, from 1; reset() does not restart it. */
  nextSeq(): number {
    return ++this.#seq;
  }

  addRecord(record: RecordedRequest): void {
    this.#records.push(record);
  }

  /** In arrival order (a delayed call is recorded when it ends, so after later ones). */
  records(): RecordedRequest[] {
    return this.#records.items().sort((a, b) => a.seq - b.seq);
  }

  /** The queue itself, not a copy: callers serialize or clone it. */
  faults(): QueuedFault[] {
    return this.#faults;
  }

  /** One use of the first queued fault for `action` (or for any action), dropped from the queue with its last use. */
  takeFault(action: string | undefined): QueuedFault | undefined {
    const i = this.#faults.findIndex((f) => f.action === undefined || f.action === action);
    if (i < 0) return undefined;
    const f = this.#faults[i]!;
    f.times -= 1;
    if (f.times <= 0) this.#faults.splice(i, 1);
    return f;
  }

  /** Queues a checked copy of `fault`, or says why not: a TypeError naming its problem, a RangeError for a full queue. */
  enqueue(fault: unknown): { refused: TypeError | RangeError } | { queued: QueuedFault } {
    const queued = this.#checkFault(fault);
    if (typeof queued === "string") return { refused: new TypeError(queued) };
    if (this.#faults.length >= MAX_QUEUED_FAULTS)
      return {
        refused: new RangeError(
          `the fault queue is full (${MAX_QUEUED_FAULTS} faults): let calls consume them, or reset the emulator`,
        ),
      };
    this.#faults.push(queued);
    return { queued };
  }

  /** `enqueue`, throwing the refusal. */
  inject(fault: unknown): void {
    const result = this.enqueue(fault);
    if ("refused" in result) throw result.refused;
  }

  setClockOffset(ms: unknown): void {
    if (typeof ms !== "number" || !Number.isFinite(ms))
      throw new TypeError("the clock offset must be a finite number of ms");
    this.#clockOffsetMs = ms;
  }

  setDataSet(action: string, dataSet: LoadedDataSet): void {
    this.#dataSets.set(action, dataSet);
  }

  dataSet(action: string): LoadedDataSet | undefined {
    return this.#dataSets.get(action);
  }

  setStates(action: string, states: Record<string, unknown>[]): void {
    this.#scripts.set(action, { states, taken: 0 });
  }

  /** The next scripted state of `action` (the last one again once all are taken), or undefined without a script. */
  takeState(action: string): Record<string, unknown> | undefined {
    const script = this.#scripts.get(action);
    if (!script) return undefined;
    const state = script.states[Math.min(script.taken, script.states.length - 1)];
    script.taken++;
    return state;
  }

  /**
   * Clears the records, the fault queue, the clock offset, the data sets, the state scripts and the lifetime set
   * for temporary credentials (those issued stay valid until they expire).
   */
  reset(): void {
    this.#records.clear();
    this.#faults = [];
    this.#clockOffsetMs = 0;
    this.#dataSets.clear();
    this.#scripts.clear();
    this.issued.setLifetime(undefined);
  }
}
