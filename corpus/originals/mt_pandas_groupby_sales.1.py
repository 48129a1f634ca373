# load the sales data
import pandas as pd
import numpy as np

df = pd.read_csv("sales.csv")
df["total"] = df["price"] * df["quantity"]
summary = df.groupby("region")["total"].sum()
print(summary.head(10))
