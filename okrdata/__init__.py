"""OKR Pulse logic: ingest, validation, metrics, signals and storage. No Streamlit here."""
