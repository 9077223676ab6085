"""Covenant's own checks for the API fuzzer (schemathesis loads this module through SCHEMATHESIS_HOOKS).

The built-in checks cover 5xx, status codes, content types and the documented response schemas. These add what the
API promises beyond a schema (docs/api.md):

- every error, whatever raised it, is JSON of one shape: {"error": "<what was wrong and what to do>"};
- a refused request changes nothing. The fuzzer holds no organisation's key, so it cannot sign a job submission or an
  approval: every request it sends must be refused or be a read, and the ledger must not grow by a single entry. This
  is checked after every response (the ledger's size, from GET /api/health), so a failure names the request that
  changed it; .ci/fuzz-api also compares the whole catalogue and job list before and after the run.
"""

import json
import os
import urllib.request

import schemathesis

API = os.environ["COVENANT_FUZZ_API"]  # for example http://127.0.0.1:40123/api
LEDGER_SIZE = int(os.environ["COVENANT_FUZZ_LEDGER_SIZE"])  # the ledger's size before the run


def _ledger_size():
    with urllib.request.urlopen(API + "/health", timeout=30) as r:
        return json.load(r)["ledgerSize"]


@schemathesis.check
def error_is_one_json_shape(ctx, response, case):
    """A 4xx or 5xx answers application/json with exactly one member, "error", a non-blank string."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if not content_type.startswith("application/json"):
        raise AssertionError(f"error {response.status_code} is sent as '{content_type}', not application/json")
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"error {response.status_code} is not JSON: {response.content[:200]!r}") from None
    if not isinstance(body, dict) or set(body) != {"error"} or not isinstance(body["error"], str) or not body["error"].strip():
        raise AssertionError(f'error {response.status_code} is not {{"error": "..."}}: {response.content[:200]!r}')
    return None


# Content-addressed storage: a block is kept under the hash of its own bytes and referenced only by a manifest an owner
# signed, so storing one changes no catalogue, job or ledger state (as with an IPFS node). It is the one write that
# needs no signature; docs/api.md says so, and over TLS only consortium members reach it.
UNSIGNED_WRITES = {("PUT", "/api/blocks")}

# The console's POST routes that write nothing: explain answers a policy decision without recording it, and a draft
# answers the exact statement the browser will sign and post to the signed API route (docs/console.md). They may
# answer 200 to an unsigned request; the ledger-size check below and the snapshot after the run still hold them to
# changing nothing.
READ_ONLY_POSTS = {("POST", "/api/console/explain"), ("POST", "/api/console/drafts/job"), ("POST", "/api/console/drafts/policy"),
                   ("POST", "/api/console/drafts/approval"), ("POST", "/api/console/drafts/revocation")}


@schemathesis.check
def unsigned_request_changes_nothing(ctx, response, case):
    """Nothing the fuzzer sends is signed by a registered organisation: no write may succeed (but storing a
    content-addressed block), the ledger may not grow."""
    method = case.method.upper()
    if (method not in ("GET", "HEAD") and (method, case.path) not in UNSIGNED_WRITES and (method, case.path) not in READ_ONLY_POSTS
            and 200 <= response.status_code < 300):
        raise AssertionError(f"{method} {case.path} was accepted ({response.status_code}) without a valid signature")
    size = _ledger_size()
    if size != LEDGER_SIZE:
        raise AssertionError(f"the ledger holds {size} entries after this request, {LEDGER_SIZE} before the run: an unsigned request was recorded")
    return None
