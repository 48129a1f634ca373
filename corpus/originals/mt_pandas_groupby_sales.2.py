def add_rank(group):
    group = group.sort_values("total", ascending=False)
    group["rank"] = range(1, len(group) + 1)
    return group

ranked = df.groupby("region", group_keys=False).apply(add_rank)
for region, rows in ranked.groupby("region"):
    if len(rows) > 3:
        print(region, rows["total"].max())
