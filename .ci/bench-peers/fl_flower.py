"""Flower (flwr) FedAvg on the hospitals' data and the model './covenant bench fl' used.

Run by the bench (FlPeer in the coordinator's CLI) in .ci/cache/venv-bench-peers; it can also be run by hand on the
folder a bench run wrote. Clients are processes: this script starts Flower's server (flwr.server.start_server, gRPC
on a free loopback port) and one process per hospital (flwr.client.start_client), each loading only its own rows.
Flower's simulation engine (Ray) is not used. Both start functions are the ones Flower 1.42 keeps for compatibility
(deprecated in favour of its SuperLink/SuperNode deployment since 1.13); they run the same FedAvg strategy.

The model and local training are ours, written in numpy (Flower does not train: its clients call the user's code):
the readmission MLP p = sigmoid(w2 . tanh(W1 x + b1) + b2), parameters flat in the order W1, b1, w2, b2, one local
epoch of mini-batch SGD (batch 64, learning rate 0.05) per round on the binary cross-entropy, from the same initial
parameters. Every client is asked to fit in every round; there is no evaluation round. The first round is a warm-up
(connections, imports, numpy's first calls) and is not timed; each later round is timed at the server from the moment
it asks the clients to fit to the moment it has averaged their answers.
"""

import argparse
import os
import socket
import subprocess
import sys
import time

os.environ["FLWR_TELEMETRY_ENABLED"] = "0"  # Flower otherwise reports usage events over the network

import numpy as np

from peer_output import figure, say


def mlp_loss_and_gradient(params, x, y, hidden):
    d = x.shape[1]
    w1 = params[: hidden * d].reshape(hidden, d)
    b1 = params[hidden * d: hidden * d + hidden]
    w2 = params[hidden * d + hidden: hidden * d + 2 * hidden]
    b2 = params[-1]
    a = np.tanh(x @ w1.T + b1)
    z = a @ w2 + b2
    p = 1.0 / (1.0 + np.exp(-z))
    eps = 1e-12
    loss = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
    dz = (p - y) / x.shape[0]
    grad = np.empty_like(params)
    da = np.outer(dz, w2) * (1 - a * a)
    grad[: hidden * d] = (da.T @ x).ravel()
    grad[hidden * d: hidden * d + hidden] = da.sum(axis=0)
    grad[hidden * d + hidden: hidden * d + 2 * hidden] = a.T @ dz
    grad[-1] = dz.sum()
    return loss, grad


def client_main(args) -> None:
    import flwr

    x = np.load(os.path.join(args.data, f"hospital-{args.index:02d}-features.npy"))
    y = np.load(os.path.join(args.data, f"hospital-{args.index:02d}-labels.npy"))

    class Hospital(flwr.client.NumPyClient):
        def __init__(self):
            self.rounds = 0

        def fit(self, parameters, config):
            cpu = time.process_time()
            w = parameters[0].copy()
            order = np.random.default_rng(args.index * 1000 + self.rounds).permutation(x.shape[0])
            self.rounds += 1
            for first in range(0, x.shape[0], args.batch):
                batch = order[first: first + args.batch]
                _, g = mlp_loss_and_gradient(w, x[batch], y[batch], args.hidden)
                w -= args.learning_rate * g
            return [w], x.shape[0], {"cpu_seconds": time.process_time() - cpu}

    from flwr.compat.client.app import start_client

    start_client(server_address=args.server, client=Hospital().to_client(), insecure=True, max_retries=120, max_wait_time=600)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_main(args) -> None:
    import flwr
    from flwr.common import ndarrays_to_parameters
    from flwr.compat.server.app import start_server
    from flwr.server.strategy import FedAvg

    initial = np.load(os.path.join(args.data, "initial-parameters.npy"))
    hidden = (initial.size - 1) // (args.features + 2)
    if hidden * (args.features + 2) + 1 != initial.size:
        raise SystemExit(f"{initial.size} initial parameters do not make an MLP over {args.features} features")
    timed = []

    class TimedFedAvg(FedAvg):
        def configure_fit(self, server_round, parameters, client_manager):
            self.started = time.perf_counter()
            self.cpu = time.process_time()
            return super().configure_fit(server_round, parameters, client_manager)

        def aggregate_fit(self, server_round, results, failures):
            out = super().aggregate_fit(server_round, results, failures)
            if failures or len(results) != args.hospitals:
                raise SystemExit(f"round {server_round}: {len(results)} hospitals answered, {len(failures)} failed")
            wall = time.perf_counter() - self.started
            clients_cpu = sum(r.metrics["cpu_seconds"] for _, r in results)
            sent = sum(len(t) for t in results[0][1].parameters.tensors)
            if server_round > 1:
                timed.append((wall, clients_cpu + time.process_time() - self.cpu, sent))
            say(f"Flower round {server_round}: {wall:.3f} s")
            return out

    strategy = TimedFedAvg(fraction_fit=1.0, fraction_evaluate=0.0, min_fit_clients=args.hospitals, min_evaluate_clients=0,
                           min_available_clients=args.hospitals, initial_parameters=ndarrays_to_parameters([initial]))
    address = f"127.0.0.1:{free_port()}"
    clients = []
    try:
        for i in range(1, args.hospitals + 1):
            clients.append(subprocess.Popen(
                [sys.executable, __file__, "client", "--index", str(i), "--server", address, "--data", args.data, "--hidden", str(hidden),
                 "--batch", str(args.batch), "--learning-rate", str(args.learning_rate)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        say(f"Flower {flwr.__version__}: server at {address}, {args.hospitals} client processes, {args.rounds} timed rounds after 1 warm-up ...")
        start_server(server_address=address, config=flwr.server.ServerConfig(num_rounds=args.rounds + 1), strategy=strategy)
    finally:
        for c in clients:
            try:
                c.wait(timeout=30)
            except subprocess.TimeoutExpired:
                c.kill()
    if len(timed) != args.rounds:
        raise SystemExit(f"Flower completed {len(timed)} timed rounds of {args.rounds}")
    walls = sorted(t[0] for t in timed)
    cpus = sorted(t[1] for t in timed)
    figure("flwr_version", flwr.__version__)
    figure(f"fl.{args.hospitals}.round_s", float(np.median(walls)))
    figure(f"fl.{args.hospitals}.cpu_s", float(np.median(cpus)))
    figure(f"fl.{args.hospitals}.bytes", timed[0][2])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="role", required=True)
    s = sub.add_parser("server", help="run the server and start one client process per hospital")
    s.add_argument("--hospitals", type=int, required=True)
    s.add_argument("--rounds", type=int, required=True, help="timed rounds, after one warm-up round")
    s.add_argument("--features", type=int, required=True)
    c = sub.add_parser("client", help="one hospital (started by the server role)")
    c.add_argument("--index", type=int, required=True)
    c.add_argument("--server", required=True)
    c.add_argument("--hidden", type=int, required=True)
    for q in (s, c):
        q.add_argument("--data", required=True, help="the folder the bench wrote (initial-parameters.npy, hospital-NN-features/labels.npy)")
        q.add_argument("--batch", type=int, default=64)
        q.add_argument("--learning-rate", type=float, default=0.05)
    args = p.parse_args()
    if args.role == "server":
        server_main(args)
    else:
        client_main(args)


if __name__ == "__main__":
    main()
