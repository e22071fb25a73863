/**
 * Abort listeners without listener warnings. An app may pass one AbortSignal to hundreds of concurrent calls;
 * adding a listener per call (and per attempt, backoff wait and rate-limit wait) makes Node print
 * MaxListenersExceededWarning past 10. Here each signal gets one listener, and calls subscribe to it.
 */
type Callback = () => void;

const subscribers = new WeakMap<AbortSignal, Set<Callback>>();

/**
 * Calls `callback` once when `signal` aborts; returns the function that unsubscribes. An already aborted signal
 * is the caller's to check first: nothing is called for it.
 */
export function onAbort(signal: AbortSignal | undefined, callback: Callback): () => void {
  if (!signal || signal.aborted) return noop;
  let set = subscribers.get(signal);
  if (!set) {
    const callbacks = new Set<Callback>();
    set = callbacks;
    subscribers.set(signal, callbacks);
    signal.addEventListener(
      "abort",
      () => {
        subscribers.delete(signal);
        for (const cb of callbacks) cb();
      },
      { once: true },
    );
  }
  set.add(callback);
  const callbacks = set;
  return () => callbacks.delete(callback);
}

function noop(): void {}
