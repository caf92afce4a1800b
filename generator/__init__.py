"""sdkgen: generate Python SDKs from OpenAPI specs."""

__version__ = "0.1.0"
