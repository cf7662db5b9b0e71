"""API operations: account (issue 14, item 1). Registered in api/main.py."""

from ninja import Router

router = Router(tags=["account"])
