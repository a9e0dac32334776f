from decompose.cli import run

# Guarded: process-pool workers import the main module again, and must not rerun the CLI.
if __name__ == "__main__":
    run()
