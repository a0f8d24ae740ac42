// Rows divided by their norms, on host arrays: the experiments' starts and the speed workloads' inputs.

/** `v / ‖v‖` for each row of length d of `data`, in place and in float64; returns `data`. */
export function normalizeRows(data: Float64Array, d: number): Float64Array {
  for (let i = 0; i < data.length; i += d) {
    let s = 0;
    for (let k = 0; k < d; k++) s += data[i + k]! ** 2;
    const r = Math.sqrt(s);
    for (let k = 0; k < d; k++) data[i + k] = data[i + k]! / r;
  }
  return data;
}
