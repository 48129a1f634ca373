table = pd.pivot_table(df, values="total", index="region", columns="month", aggfunc="sum", fill_value=0)
table.to_csv("pivot.csv")
