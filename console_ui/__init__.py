"""The operators' live web console, served at / by the same FastAPI app."""
