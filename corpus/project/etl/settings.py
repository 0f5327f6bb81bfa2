"""Settings of the project: constants the job and the helpers import."""

PREVIEW_ROWS = 20
SAMPLE_ROWS = 5_000
EXPORT_ROWS = 50_000
EVENTS_TABLE = "events"
AUDIT_TABLES = ["orders", "payments", "refunds"]
