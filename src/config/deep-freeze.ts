// Specs are validated once and then shared by the supervisor, the state file and the protocol: freezing
// them deeply makes "later code never re-checks types" safe, since nothing can change them afterwards.

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
