"""A file that never imports Spark: no Spark rule applies, whatever it calls."""
import gc

import pandas as pd

df = pd.read_csv("local.csv")
rows = df.head(1_000_000)
everything = df.collect() if hasattr(df, "collect") else None
gc.collect()
