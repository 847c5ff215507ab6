/** Rows of a ledger that link a customer to a rep. */
export interface RepCustomerRows {
  customer: Int32Array;
  /** the rep code of every row (-1: none; such rows never count) */
  rep: Int32Array;
  /** optional row filter */
  keep?: (row: number) => boolean;
}

/**
 * Per rep, the number of distinct customers it has a row with in any of the
 * ledgers. Rows are grouped by customer with a counting sort (reps only, no
 * times), then each customer's reps counted once with a stamp per rep.
 *
 * Why not a Set per rep: at 1M surveys and 2M concessions its 3M Set
 * insertions made `concession-during-survey` take 390 ms, this 262 ms
 * (medians of 7, the same counts).
 */
export function customersPerRep(sources: RepCustomerRows[], customers: number, reps: number): Int32Array {
  const offsets = new Int32Array(customers + 1);
  const kept = sources.map(({ customer, rep, keep }) => {
    const mask = new Uint8Array(customer.length);
    for (let i = 0; i < customer.length; i++) {
      if (rep[i] < 0 || (keep && !keep(i))) continue;
      mask[i] = 1;
      offsets[customer[i] + 1]++;
    }
    return mask;
  });
  for (let c = 0; c < customers; c++) offsets[c + 1] += offsets[c];
  const fill = offsets.slice(0, customers);
  const repOf = new Int32Array(offsets[customers]);
  sources.forEach(({ customer, rep }, s) => {
    const mask = kept[s];
    for (let i = 0; i < customer.length; i++) if (mask[i]) repOf[fill[customer[i]]++] = rep[i];
  });
  const counts = new Int32Array(reps);
  const seenFor = new Int32Array(reps).fill(-1);
  for (let c = 0; c < customers; c++) {
    for (let j = offsets[c]; j < offsets[c + 1]; j++) {
      const r = repOf[j];
      if (seenFor[r] === c) continue;
      seenFor[r] = c;
      counts[r]++;
    }
  }
  return counts;
}
