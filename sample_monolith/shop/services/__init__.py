"""Business services.  Views and tasks call into these; services call each
other directly (there is no service registry)."""
