pip install fastapi "uvicorn[standard]"
