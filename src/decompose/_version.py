__version__ = "0.1.0"

# The version of analysis.json's layout: raised when a reader of the old layout would misread
# the new one (adding a key is not such a change).
SCHEMA_VERSION = 1
