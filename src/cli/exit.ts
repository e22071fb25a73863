/** The exit statuses of `ccc`, as `ccc --help` and the README list them. */

/** Done (for `--wait`: the waiter's success state). */
export const EXIT_OK = 0;
/** The call failed: an API error, the connection, a timeout, the answer, the credentials. */
export const EXIT_FAILED = 1;
/** A wrong command line or input: nothing was sent. */
export const EXIT_USAGE = 2;
/** `--wait`: the waiter reached a failure state (the task was stopped, the application rejected). */
export const EXIT_WAIT_FAILURE = 3;
/** `--wait`: `--max-wait-ms` ran out before a success or failure state. */
export const EXIT_WAIT_TIMEOUT = 4;
