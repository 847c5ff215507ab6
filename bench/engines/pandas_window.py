"""pandas engine of the nps-gaming benchmark: issue #8's per-survey window
features and their per-rep roll-up (the definition is in
bench/engines/duckdb_window.mjs: concessions to the survey's customer before
[s - 7 d, s), during [s, e) and after [e, e + 7 d), by the survey's rep and by
anyone).

Written the way a careful pandas user would (issue #8: sorted keys +
searchsorted + cumulative counts): integer keys from `pd.factorize`, one
sorted int64 array per key (key * SPAN + milliseconds since the start, so
that a window inside one key is a contiguous range), `searchsorted` at the
window ends, counts as differences of positions. No pairs are materialised.

Usage: python3 pandas_window.py <surveys.csv> <concessions.csv> <out.json>
"""
import json
import sys

import numpy as np
import pandas as pd

surveys_path, concessions_path, out = sys.argv[1:4]
WEEK = 7 * 86_400_000
text = {"customer_id": str, "rep_id": str}
s = pd.read_csv(surveys_path, usecols=["customer_id", "rep_id", "sent_at", "responded_at"], dtype=text)
c = pd.read_csv(concessions_path, usecols=["customer_id", "rep_id", "granted_at"], dtype=text)


def millis(col):
    return pd.to_datetime(col, utc=True).astype("int64").to_numpy() // 1_000_000


sent = millis(s["sent_at"])
answered = s["responded_at"].notna().to_numpy()
ended = np.where(answered, millis(s["responded_at"].fillna(s["sent_at"])), sent)
granted = millis(c["granted_at"])

n = len(s)
customers, _ = pd.factorize(pd.concat([s["customer_id"], c["customer_id"]], ignore_index=True))
reps, rep_names = pd.factorize(pd.concat([s["rep_id"], c["rep_id"]], ignore_index=True))
t0 = min(sent.min(), granted.min()) - WEEK
span = int(max(ended.max(), granted.max()) - t0) + 2 * WEEK + 1


# by anyone: the customer's code
any_key = customers.astype(np.int64)
g_any = any_key[n:] * span + (granted - t0)
# by the survey's rep: a dense code per (customer, rep) pair; concessions without a rep match no survey
pair, _ = pd.factorize(any_key * (len(rep_names) + 1) + reps)
pair = np.where(reps >= 0, pair, -1).astype(np.int64)
conceded_by_rep = pair[n:] >= 0
g_same = pair[n:][conceded_by_rep] * span + (granted[conceded_by_rep] - t0)

features = {}
for name, survey_key, sorted_times in (("any", any_key[:n], np.sort(g_any)), ("same", pair[:n], np.sort(g_same))):
    base = survey_key * span - t0
    at = lambda t: np.searchsorted(sorted_times, base + t, side="left")
    lo, s_at, e_at, hi = at(sent - WEEK), at(sent), at(ended), at(ended + WEEK)
    features[f"before_{name}"] = s_at - lo
    features[f"during_{name}"] = e_at - s_at
    features[f"after_{name}"] = hi - e_at

rep = reps[:n]
has_rep = rep >= 0
size = len(rep_names)
rollup = {"surveys": np.bincount(rep[has_rep], minlength=size),
          "answered": np.bincount(rep[has_rep], weights=answered[has_rep], minlength=size)}
for name, values in features.items():
    rollup[name] = np.bincount(rep[has_rep], weights=values[has_rep], minlength=size)
columns = ["surveys", "answered", "before_same", "before_any", "during_same", "during_any", "after_same",
           "after_any"]
rows = [{"rep_id": rep_names[r], **{k: int(rollup[k][r]) for k in columns}}
        for r in range(size) if rollup["surveys"][r] > 0]
rows.sort(key=lambda row: row["rep_id"])
with open(out, "w") as f:
    json.dump(rows, f)
