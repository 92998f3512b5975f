"""The JSON edge: routers under /api/v1 and the one mapping from domain errors to HTTP."""
