/**
 * Rows of a ledger grouped by customer and sorted by time, in compressed
 * sparse row form: the rows of customer `c` are `order[offsets[c]] …
 * order[offsets[c + 1] - 1]`, with their times in `times` at the same
 * positions. Built once in O(n log n) (a counting sort by customer, then a
 * sort by time within each customer), so that every per-survey window
 * question ("concessions to this customer in the 7 days before") is a binary
 * search, never a join that materialises pairs.
 */
export interface CustomerIndex {
  offsets: Int32Array;
  order: Int32Array;
  times: Float64Array;
}

/**
 * @param customer the customer code of every row
 * @param time the time of every row (epoch ms)
 * @param customers the number of customer codes
 * @param keep optional row filter (rows failing it are left out of the index)
 */
export function indexByCustomer(
  customer: Int32Array,
  time: Float64Array,
  customers: number,
  keep?: (row: number) => boolean,
): CustomerIndex {
  const offsets = new Int32Array(customers + 1);
  const n = customer.length;
  for (let i = 0; i < n; i++) if (!keep || keep(i)) offsets[customer[i] + 1]++;
  for (let c = 0; c < customers; c++) offsets[c + 1] += offsets[c];
  const fill = offsets.slice(0, customers);
  const order = new Int32Array(offsets[customers]);
  for (let i = 0; i < n; i++) if (!keep || keep(i)) order[fill[customer[i]]++] = i;
  for (let c = 0; c < customers; c++) {
    const from = offsets[c];
    const to = offsets[c + 1];
    if (to - from > 1) {
      const segment = order.subarray(from, to);
      segment.sort((a, b) => time[a] - time[b] || a - b);
    }
  }
  const times = new Float64Array(order.length);
  for (let j = 0; j < order.length; j++) times[j] = time[order[j]];
  return { offsets, order, times };
}

/** First position in [from, to) whose time is >= t (binary search). */
export function lowerBound(times: Float64Array, from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The positions of `customer`'s rows with time in [start, end): a half-open range of `order`. */
export function windowOf(
  index: CustomerIndex,
  customer: number,
  start: number,
  end: number,
): [number, number] {
  const from = index.offsets[customer];
  const to = index.offsets[customer + 1];
  return [lowerBound(index.times, from, to, start), lowerBound(index.times, from, to, end)];
}
