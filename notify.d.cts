/** Sends one sd_notify assignment (`READY=1`, `STATUS=…`); true if the notify pipe or IPC carried it. */
export declare function notify(assignment: string): boolean;
/** The process serves: tend marks it ready (with wait_ready). */
export declare function ready(): boolean;
/** A short status line, shown by `tend describe`. */
export declare function status(text: string): boolean;
/** I am alive (watchdog_sec): must come within the interval. */
export declare function watchdog(): boolean;
/** The process is shutting down. */
export declare function stopping(): boolean;
/** The watchdog interval in ms (WATCHDOG_USEC), or null. */
export declare function watchdogMs(): number | null;
/** Pings the watchdog at half its interval while the event loop turns; returns a function that stops it. */
export declare function startWatchdog(): () => void;
