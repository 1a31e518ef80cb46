"""Nightly ingestion of sensor exports into the feature store."""
