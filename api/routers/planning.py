"""API operations: planning (issue 14, item 1). Registered in api/main.py."""

from ninja import Router

router = Router(tags=["planning"])
