# File generated from an OpenAPI spec by sdkgen 0.1.0. Do not edit.
"""Resource classes, one module per top-level resource."""
