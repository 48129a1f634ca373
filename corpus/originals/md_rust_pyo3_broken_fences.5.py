import fastsum

print(fastsum.sum_list([1, 2, 3, 4]))
