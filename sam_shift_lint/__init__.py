"""sam-shift-lint: lint and fix AWS SAM templates for safe gradual Lambda deployments."""

__version__ = "0.1.0"
