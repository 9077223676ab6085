"""TenSEAL (Microsoft SEAL, native) on the same data and parameters as './covenant bench he'.

Run by the bench (HePeer in the coordinator's CLI) in .ci/cache/venv-bench-peers; it can also be run by hand on the
files a bench run wrote (the bench prints where). Two computations, each timed step by step as the bench times ours:

  scoring    an insurer's logistic model, encrypted weight by weight (each w_j in every slot), evaluated by a data owner
             on its plaintext rows packed feature-major (one row per slot, 4096 rows per block), then the cubic
             g(z) = c0 + c1*(z/r) + c3*(z/r)^3 (Kim et al. 2018) as z^2 * (c3' z) + c1' z + c0, plus a fresh encryption
             of zero under the insurer's public key (the owner re-randomises its answer, as ours does); CKKS N = 8192,
             q = 52+38+38+38+52 bits, scale 2^38.
  aggregate  10 owners encrypt a vector each under a consumer's public key, an aggregator adds them, the consumer
             decrypts: BFV N = 4096, q = 36+36+37 bits, t the largest 30-bit prime = 1 mod 2N (SEAL's Batching(4096,
             30)); CKKS N = 8192, q = 60+60 bits, scale 2^40.

Every message crosses a party boundary as TenSEAL's serialised bytes (the owner gets the public context without the
secret key), so serialisation is in the times as it is in ours.
"""

import argparse

import numpy as np
import tenseal as ts

from peer_output import figure, millis_since, say
import time


def scoring(args) -> None:
    x = np.load(args.rows)
    model = np.load(args.model)  # the weights, then the bias
    rows, features = x.shape
    if model.shape != (features + 1,):
        raise SystemExit(f"the model file holds {model.shape[0]} values; {features} weights and a bias were expected")
    c0, c1, c3, radius = args.sigmoid
    linear, cubic = c1 / radius, c3 / radius ** 3
    n = 8192
    slots = n // 2

    # Insurer: context and keys, the model encrypted weight by weight, and what it sends (public context + weights).
    start = time.perf_counter()
    secret_ctx = ts.context(ts.SCHEME_TYPE.CKKS, poly_modulus_degree=n, coeff_mod_bit_sizes=[52, 38, 38, 38, 52])
    secret_ctx.global_scale = 2 ** 38
    public_bytes = secret_ctx.serialize(save_public_key=True, save_secret_key=False, save_galois_keys=False, save_relin_keys=True)
    weight_bytes = [ts.ckks_vector(secret_ctx, [float(w)] * slots).serialize() for w in model]
    figure("scoring.insurer_ms", millis_since(start))
    figure("scoring.model_bytes", len(public_bytes) + sum(len(b) for b in weight_bytes))

    # Owner: loads what the insurer sent (no secret key), scores its rows block by block.
    start = time.perf_counter()
    owner_ctx = ts.context_from(public_bytes)
    weights = [ts.ckks_vector_from(owner_ctx, b) for b in weight_bytes]
    answers = []
    for first in range(0, rows, slots):
        block = x[first:first + slots]
        count = block.shape[0]
        acc = None
        for j in range(features + 1):
            column = np.zeros(slots)
            column[:count] = block[:, j] if j < features else 1.0
            product = weights[j] * column.tolist()
            acc = product if acc is None else acc + product
        z = acc
        cube = z.square() * (z * cubic)
        score = cube + z * linear + c0
        score = score + ts.ckks_vector(owner_ctx, [0.0] * slots)  # re-randomised under the insurer's public key
        answers.append(score.serialize())
    figure("scoring.owner_ms", millis_since(start))
    figure("scoring.blocks", len(answers))
    figure("scoring.scores_bytes", sum(len(b) for b in answers))

    # Insurer: decrypts every block.
    start = time.perf_counter()
    got = np.concatenate([np.array(ts.ckks_vector_from(secret_ctx, b).decrypt()) for b in answers])[:rows]
    figure("scoring.decrypt_ms", millis_since(start))

    z = x @ model[:features] + model[features]
    expected = c0 + c1 * (z / radius) + c3 * (z / radius) ** 3
    figure("scoring.max_error", float(np.max(np.abs(got - expected))))


def batching_prime(bits: int, n: int) -> int:
    """The largest prime of `bits` bits that is 1 mod 2n: the plaintext modulus SEAL's PlainModulus.Batching picks."""
    step = 2 * n
    candidate = ((1 << bits) - 1) // step * step + 1
    while candidate > (1 << (bits - 1)):
        if is_prime(candidate):
            return candidate
        candidate -= step
    raise SystemExit(f"no {bits}-bit prime is 1 mod {step}")


def is_prime(p: int) -> bool:
    if p < 2:
        return False
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):  # deterministic Miller-Rabin for p < 3.3e24
        if p % a == 0:
            return p == a
    d, s = p - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37):
        y = pow(a, d, p)
        if y in (1, p - 1):
            continue
        for _ in range(s - 1):
            y = y * y % p
            if y == p - 1:
                break
        else:
            return False
    return True


def aggregate(args, scheme: str) -> None:
    values = np.load(args.ckks_values if scheme == "ckks" else args.bfv_values)
    owners, length = values.shape
    key = f"aggregate.{scheme}"

    start = time.perf_counter()
    if scheme == "ckks":
        secret_ctx = ts.context(ts.SCHEME_TYPE.CKKS, poly_modulus_degree=8192, coeff_mod_bit_sizes=[60, 60])
        secret_ctx.global_scale = 2 ** 40
    else:
        secret_ctx = ts.context(ts.SCHEME_TYPE.BFV, poly_modulus_degree=4096, plain_modulus=batching_prime(30, 4096),
                                coeff_mod_bit_sizes=[36, 36, 37])
    public_bytes = secret_ctx.serialize(save_public_key=True, save_secret_key=False, save_galois_keys=False, save_relin_keys=False)
    figure(f"{key}.keys_ms", millis_since(start))

    start = time.perf_counter()
    contributions = []
    for i in range(owners):
        owner_ctx = ts.context_from(public_bytes)
        row = values[i].tolist()
        vector = ts.ckks_vector(owner_ctx, row) if scheme == "ckks" else ts.bfv_vector(owner_ctx, [int(v) for v in row])
        contributions.append(vector.serialize())
    figure(f"{key}.encrypt_ms", millis_since(start))
    figure(f"{key}.bytes_per_owner", len(contributions[0]))

    start = time.perf_counter()
    aggregator_ctx = ts.context_from(public_bytes)
    load = ts.ckks_vector_from if scheme == "ckks" else ts.bfv_vector_from
    total = None
    for b in contributions:
        v = load(aggregator_ctx, b)
        total = v if total is None else total + v
    total_bytes = total.serialize()
    figure(f"{key}.add_ms", millis_since(start))

    start = time.perf_counter()
    got = np.array(load(secret_ctx, total_bytes).decrypt())
    figure(f"{key}.decrypt_ms", millis_since(start))
    figure(f"{key}.max_error", float(np.max(np.abs(got - values.sum(axis=0)))))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", required=True, help="the owner's rows: a .npy of float64, rows x features")
    p.add_argument("--model", required=True, help="the insurer's model: a .npy of float64, the weights then the bias")
    p.add_argument("--sigmoid", required=True, nargs=4, type=float, metavar=("C0", "C1", "C3", "RADIUS"),
                   help="the cubic c0 + c1*(z/r) + c3*(z/r)^3")
    p.add_argument("--bfv-values", required=True, help="the owners' integers: a .npy of int64, owners x length")
    p.add_argument("--ckks-values", required=True, help="the owners' reals: a .npy of float64, owners x length")
    args = p.parse_args()
    say(f"TenSEAL {ts.__version__}: private scoring ...")
    figure("tenseal_version", ts.__version__)
    scoring(args)
    for scheme in ("bfv", "ckks"):
        say(f"TenSEAL: aggregate, {scheme.upper()} ...")
        aggregate(args, scheme)


if __name__ == "__main__":
    main()
