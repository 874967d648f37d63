// The newest format of a saved process list this tend reads and writes (dump.json and state.json share it).
// Its own module: what writes a list (saved-apps.ts, in tend-runtime's bundle too) needs the number, not the
// reader's schemas and zod (saved-list.ts).
export const LIST_FORMAT = 2;
