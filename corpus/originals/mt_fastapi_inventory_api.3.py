items = {}

@app.get("/items/{item_id}")
async def read_item(item_id: int):
    if item_id not in items:
        raise HTTPException(status_code=404, detail="Item not found")
    return items[item_id]

@app.post("/items/{item_id}")
async def create_item(item_id: int, item: Item):
    items[item_id] = item
    return {"item_id": item_id, "name": item.name}
