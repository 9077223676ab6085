"""Prints what a Covenant coordinator holds, through its API, as canonical JSON: a refused request must change none of it.

Usage: snapshot.py http://127.0.0.1:PORT/api
The ledger's size and root, every job (with its state and reasons), every dataset version and policy (with status),
and the latest witnessed checkpoint. The operator's checkpoint is signed afresh for each call, so only its size and
root are compared.
"""

import json
import sys
import urllib.parse
import urllib.request


def get(url):
    with urllib.request.urlopen(url, timeout=60) as r:
        return json.load(r)


def every(api, route):
    items, after = [], None
    while True:
        query = {"limit": "500"} | ({"after": after} if after else {})
        page = get(f"{api}/{route}?{urllib.parse.urlencode(query)}")
        items += page["items"]
        after = page["next"]
        if after is None:
            return items


def main(api):
    checkpoint = get(api + "/ledger/checkpoint")
    state = {
        "ledgerSize": get(api + "/health")["ledgerSize"],
        "root": {k: checkpoint["checkpoint"][k] for k in ("treeSize", "rootHash", "logKey")},
        "witnessed": checkpoint["witnessed"],
        "jobs": every(api, "jobs"),
        "datasets": every(api, "datasets"),
        "policies": every(api, "policies"),
    }
    print(json.dumps(state, sort_keys=True, indent=1))


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
