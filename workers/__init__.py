"""The ingest pipeline: fetch, parse, extract, detect, dedupe, publish."""
