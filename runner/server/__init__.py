"""`runner serve`: the webhook endpoint (Starlette on uvicorn), verification, metrics, logs."""
