"""OpenMined's PSI (openmined.psi: ECDH over P-256, C++ under Python) on the ids './covenant bench psi' used.

Run by the bench (PsiPeer in the coordinator's CLI) in .ci/cache/venv-bench-peers; it can also be run by hand on the
files a bench run wrote. The receiver (OpenMined's "client") and the sender (its "server") run one after another in
this one process, one thread; every message between them is serialised to bytes and parsed back, as it would cross a
network, and its size counted. The server's setup message is RAW (every blinded server id, no Bloom filter or Golomb
set), so the result is exact like ours; both sides learn nothing but the intersection, which the client gets
(reveal_intersection=True). The run fails if the intersection is not the expected size.
"""

import argparse
import time

from peer_output import figure, millis_since, say
from private_set_intersection.python import DataStructure, Request, Response, ServerSetup, client, server

import private_set_intersection.python as psi


def read_ids(path: str) -> list:
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--receiver", required=True, help="the receiver's ids, one per line (UTF-8)")
    p.add_argument("--sender", required=True, help="the sender's ids, one per line (UTF-8)")
    p.add_argument("--expect", required=True, type=int, help="the intersection's size; the run fails on any other")
    p.add_argument("--key", default="psi", help="the prefix of the printed figures' keys")
    args = p.parse_args()
    receiver_ids = read_ids(args.receiver)
    sender_ids = read_ids(args.sender)
    say(f"openmined.psi {psi.__version__}: {len(receiver_ids):,} x {len(sender_ids):,} ids ...")
    figure("openmined_psi_version", psi.__version__)

    start = time.perf_counter()
    receiver = client.CreateWithNewKey(True)
    sender = server.CreateWithNewKey(True)
    # Sender -> receiver: its blinded ids. The false-positive rate is unused with RAW, which holds every id.
    setup_bytes = sender.CreateSetupMessage(1e-9, len(receiver_ids), sender_ids, DataStructure.RAW).SerializeToString()
    # Receiver -> sender: its blinded ids; sender -> receiver: those blinded again under the sender's key.
    request_bytes = receiver.CreateRequest(receiver_ids).SerializeToString()
    request = Request()
    request.ParseFromString(request_bytes)
    response_bytes = sender.ProcessRequest(request).SerializeToString()
    setup = ServerSetup()
    setup.ParseFromString(setup_bytes)
    response = Response()
    response.ParseFromString(response_bytes)
    found = receiver.GetIntersection(setup, response)
    elapsed = millis_since(start)
    if len(found) != args.expect:
        raise SystemExit(f"openmined.psi found {len(found)} common ids where {args.expect} were expected")
    figure(f"{args.key}.ms", elapsed)
    figure(f"{args.key}.bytes", len(setup_bytes) + len(request_bytes) + len(response_bytes))
    figure(f"{args.key}.intersection", len(found))


if __name__ == "__main__":
    main()
