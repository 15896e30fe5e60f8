"""The process shell: command line, HTTP endpoints, embedded Redis, demo."""
