// Growing the typed arrays behind the event heap and the wait lines: a copy into a larger array of the
// same kind (typed arrays cannot grow in place).

/** A copy of `array` in a new array of the same kind with `capacity` elements (the rest zero). */
export function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, capacity: number): T {
  const copy = new (array.constructor as new (length: number) => T)(capacity);
  copy.set(array);
  return copy;
}
