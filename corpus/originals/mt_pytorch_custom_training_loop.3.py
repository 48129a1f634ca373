def evaluate(model, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for inputs, targets in loader:
            preds = model(inputs).argmax(dim=1)
            correct += (preds == targets).sum().item()
    return correct / len(loader.dataset)

torch.save(model.state_dict(), "checkpoint.pt")
