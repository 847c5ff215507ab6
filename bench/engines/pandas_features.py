"""pandas engine of the nps-gaming benchmark.

The per-rep features of `concession-before-survey` (share of a rep's
non-recovery concessions followed within 7 days by its own invitation of the
same customer, lag histogram, amounts) and `concession-during-survey`
(concessions while a survey stood open, open days, customers served) the way
a careful pandas user writes them: factorized integer keys, one sorted int64
array per ledger (key * SPAN + seconds since the start, so that a time window
inside one customer-rep pair is a contiguous range), `searchsorted` for the
windows and cumulative sums (differences of positions) for the counts. No
pairs are materialised.

Usage: python3 pandas_features.py <surveys.csv> <concessions.csv> <out.json>
Writes the per-rep aggregates as JSON (checked against the DuckDB path's
tables by bench/run.mjs).
"""
import json
import sys

import numpy as np
import pandas as pd

surveys_path, concessions_path, out = sys.argv[1:4]
WINDOW = 7 * 86_400
DAY = 86_400
PLAIN = {"goodwill", "retention", "loyalty", "other", "none", "n/a", "unknown"}

ids = {"survey_id": str, "customer_id": str, "rep_id": str, "concession_id": str,
       "category": str, "reason": str}
s = pd.read_csv(surveys_path, usecols=["survey_id", "customer_id", "rep_id", "sent_at", "responded_at"],
                dtype=ids)
g = pd.read_csv(concessions_path, usecols=["concession_id", "customer_id", "rep_id", "granted_at", "amount",
                                           "category", "reason"], dtype=ids)


def seconds(col):
    t = pd.to_datetime(col, utc=True)
    return (t.astype("int64") // 1_000_000_000).where(t.notna(), np.iinfo(np.int64).min)


s["sent"] = seconds(s["sent_at"])
s["responded"] = seconds(s["responded_at"])
g["granted"] = seconds(g["granted_at"])
g = g[g["rep_id"].notna() & (g["reason"].isna() | g["reason"].str.lower().isin(PLAIN))]
s = s[s["rep_id"].notna()]

# integer keys for (customer, rep), shared by both ledgers
cust_codes, _ = pd.factorize(pd.concat([s["customer_id"], g["customer_id"]]))
rep_codes, rep_names = pd.factorize(pd.concat([s["rep_id"], g["rep_id"]]))
reps = len(rep_names)
key = cust_codes.astype(np.int64) * reps + rep_codes
s_key, g_key = key[: len(s)], key[len(s):]
s_rep, g_rep = rep_codes[: len(s)], rep_codes[len(s):]
t0 = min(s["sent"].min(), g["granted"].min())
span = int(max(s["sent"].max(), g["granted"].max()) - t0) + 2 * WINDOW + 1

# --- concession-before-survey: the first own invitation in (granted, granted + window]
s_comb = s_key * span + (s["sent"].to_numpy() - t0)
order = np.argsort(s_comb, kind="stable")
s_sorted = s_comb[order]
g_comb = g_key * span + (g["granted"].to_numpy() - t0)
pos = np.searchsorted(s_sorted, g_comb, side="right")
found = pos < len(s_sorted)
first = np.where(found, s_sorted[np.minimum(pos, len(s_sorted) - 1)], 0)
before = found & (first - g_comb <= WINDOW) & (first > g_comb)
lag_days = np.where(before, (first - g_comb) // DAY, -1)
amount = g["amount"].to_numpy(dtype=float)

per_rep = pd.DataFrame({"rep": g_rep, "before": before, "amount": amount, "lag": lag_days})
agg = per_rep.groupby("rep").agg(concessions=("before", "size"), before_survey=("before", "sum"))
agg["amount_before"] = per_rep[per_rep["before"]].groupby("rep")["amount"].sum()
lags = per_rep[per_rep["before"]].groupby(["rep", "lag"]).size()

# --- concession-during-survey: own concessions in (sent, responded], by positions in the sorted concessions
answered = s["responded"].to_numpy() != np.iinfo(np.int64).min
g_sorted = np.sort(g_comb)
a_key = s_key[answered]
lo = np.searchsorted(g_sorted, a_key * span + (s["sent"].to_numpy()[answered] - t0), side="right")
hi = np.searchsorted(g_sorted, a_key * span + (s["responded"].to_numpy()[answered] - t0), side="right")
during = pd.Series(hi - lo).groupby(s_rep[answered]).sum()
open_days = pd.Series(np.minimum(30.0, (s["responded"].to_numpy()[answered] - s["sent"].to_numpy()[answered]) / DAY))
open_by_rep = open_days.groupby(s_rep[answered]).agg(["size", "sum"])
served = pd.DataFrame({"rep": rep_codes, "customer": cust_codes}).groupby("rep")["customer"].nunique()

rows = []
for code, name in enumerate(rep_names):
    rows.append({
        "rep_id": name,
        "concessions": int(agg["concessions"].get(code, 0)),
        "before_survey": int(agg["before_survey"].get(code, 0)),
        "during": int(during.get(code, 0)),
        "responses": int(open_by_rep["size"].get(code, 0)),
        "open_days": float(open_by_rep["sum"].get(code, 0.0)),
        "customers": int(served.get(code, 0)),
    })
with open(out, "w") as f:
    json.dump(rows, f)
