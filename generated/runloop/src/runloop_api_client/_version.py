# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.

__title__ = "runloop_api_client"
__version__ = "0.1.0"
