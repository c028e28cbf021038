"""Runs scim2-tester against the provider's /scim/v2 and prints every check result as JSON lines.

Usage: scim_check.py <base URL of /scim/v2> (the bearer token comes in SCIM_TOKEN).
"""
import json
import os
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import check_server

base_url = sys.argv[1]
client = SyncSCIMClient(Client(base_url=base_url, headers={"Authorization": f"Bearer {os.environ['SCIM_TOKEN']}"}, timeout=30))
client.discover()
for result in check_server(client, raise_exceptions=False):
    print(json.dumps({
        "status": result.status.name,
        "title": result.title,
        "description": (result.description or "")[:200],
        "reason": str(result.reason or "")[:2000],
        "resource_type": getattr(result, "resource_type", None),
    }))
