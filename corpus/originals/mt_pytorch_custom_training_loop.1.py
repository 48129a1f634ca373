import torch
from torch.utils.data import DataLoader, TensorDataset

x = torch.randn(1000, 20)
y = torch.randint(0, 2, (1000,))
dataset = TensorDataset(x, y)
loader = DataLoader(dataset, batch_size=32, shuffle=True)
