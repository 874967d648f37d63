/** Bumped on any incompatible change to methods, events or framing. */
export const PROTOCOL_VERSION = 1;
