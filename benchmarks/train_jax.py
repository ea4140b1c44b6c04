"""Worker: the benchmark GAN in JAX on the CPU, one compiled call per GAN iteration.

- ``--style jit``: one GAN; the whole iteration (sampling, the discriminator's step, the
  generator's step, both momentum updates) is one ``jax.jit`` function called once per iteration
  from a Python loop, with the PRNG key split inside it.
- ``--style vmap``: an ensemble of E GANs; the same single-GAN iteration mapped over members
  with ``jax.vmap`` (parameters and keys batched) and compiled once with ``jax.jit``.
- ``--style scan``: for reference only, N iterations in one ``jax.lax.scan`` dispatch (no Python
  between iterations): what JAX can do when the loop itself is compiled.

float64 (``jax_enable_x64``) by default, like gantheory. Prints one JSON line, as train_torch.py.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gan_setting as S  # noqa: E402
from benchlib import emit  # noqa: E402


def build(model: str, m: int, lr: float, dtype):
    import jax
    import jax.numpy as jnp

    h = S.HIDDEN

    if model == "affine":
        def init(key):
            g = {"mu": jnp.zeros((), dtype), "sigma": jnp.ones((), dtype)}
            d = {"coef": jnp.zeros(3, dtype)}
            return g, d

        def gen(p, z):
            return p["mu"] + p["sigma"] * z

        def disc(p, x):
            a, b, c = p["coef"]
            return (a * x + b) * x + c
    else:
        def init_mlp(key):
            k1, k2, k3 = jax.random.split(key, 3)
            return {"w1": jax.random.normal(k1, (h,), dtype), "b1": jax.random.normal(k2, (h,), dtype),
                    "w2": jax.random.normal(k3, (h,), dtype) / math.sqrt(h), "b2": jnp.zeros((), dtype)}

        def init(key):
            kg, kd = jax.random.split(key)
            return init_mlp(kg), init_mlp(kd)

        def net(p, x):  # x (m,) -> (m,)
            return jnp.tanh(x[:, None] * p["w1"] + p["b1"]) @ p["w2"] + p["b2"]

        gen = disc = net

    def d_loss(d, x, fake):
        return -(jnp.mean(jax.nn.log_sigmoid(disc(d, x))) + jnp.mean(jax.nn.log_sigmoid(-disc(d, fake))))

    def g_loss(g, d, z):
        return -jnp.mean(jax.nn.log_sigmoid(disc(d, gen(g, z))))

    def sgd(params, velocity, grads):
        velocity = jax.tree_util.tree_map(lambda v, g: S.MOMENTUM * v + g, velocity, grads)
        params = jax.tree_util.tree_map(lambda p, v: p - lr * v, params, velocity)
        return params, velocity

    def iteration(state, key):
        g, d, vg, vd = state
        kz, kx, kz2 = jax.random.split(key, 3)
        z = jax.random.normal(kz, (m,), dtype)
        x = S.TARGET_MEAN + S.TARGET_STD * jax.random.normal(kx, (m,), dtype)
        fake = jax.lax.stop_gradient(gen(g, z))
        d, vd = sgd(d, vd, jax.grad(d_loss)(d, x, fake))
        z = jax.random.normal(kz2, (m,), dtype)
        g, vg = sgd(g, vg, jax.grad(g_loss)(g, d, z))
        return (g, d, vg, vd)

    def start(key):
        g, d = init(key)
        zeros = lambda t: jax.tree_util.tree_map(jnp.zeros_like, t)  # noqa: E731
        return (g, d, zeros(g), zeros(d))

    def sample(state, key, n):
        return gen(state[0], jax.random.normal(key, (n,), dtype))

    return iteration, start, sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(S.MODELS), required=True)
    parser.add_argument("--style", choices=("jit", "vmap", "scan"), default="jit")
    parser.add_argument("--ensemble", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--converge", type=int, default=0)
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import jax

    jax.config.update("jax_enable_x64", args.dtype == "float64")
    import jax.numpy as jnp

    dtype = getattr(jnp, args.dtype)
    iteration, start, sample = build(args.model, args.batch_size, args.lr, dtype)
    e = args.ensemble
    if args.style != "vmap" and e != 1 and not args.converge:
        parser.error("--style jit/scan times one GAN: use --style vmap for ensembles")
    root = jax.random.key(args.seed)
    init_key, root = jax.random.split(root)
    if args.style == "vmap":
        state = jax.vmap(start)(jax.random.split(init_key, e))
        batched = jax.vmap(iteration)

        @jax.jit
        def step(state, key):
            key, sub = jax.random.split(key)
            return batched(state, jax.random.split(sub, e)), key
    else:
        state = start(init_key)

        @jax.jit
        def step(state, key):
            key, sub = jax.random.split(key)
            return iteration(state, sub), key

    out = {"framework": "jax", "style": args.style, "model": args.model, "ensemble": e,
           "batch_size": args.batch_size, "dtype": args.dtype, "version": jax.__version__,
           "devices": [str(dev) for dev in jax.devices()]}

    def run(state, key, n):
        for _ in range(n):
            state, key = step(state, key)
        return state, key

    if args.style == "scan":
        @jax.jit
        def run_scan(state, key, n_dummy):
            def body(carry, _):
                s, k = carry
                k, sub = jax.random.split(k)
                return (iteration(s, sub), k), None
            return jax.lax.scan(body, (state, key), None, length=n_dummy.shape[0])[0]

        def run(state, key, n):  # noqa: F811 - one dispatch for all n iterations
            return run_scan(state, key, jnp.zeros(n))

    key = root
    if args.converge:
        # jit/scan train their members one after the other (fresh initialization each), vmap at once.
        members = 1 if args.style == "vmap" else e
        begin = time.perf_counter()
        rows = []
        for i in range(members):
            if i:
                init_key, key = jax.random.split(key)
                state = start(init_key)
            state, key = run(state, key, args.converge)
            jax.block_until_ready(state)
            key, sub = jax.random.split(key)
            if args.style == "vmap":
                rows.append(jax.vmap(lambda s, k: sample(s, k, 100_000))(state, jax.random.split(sub, e)))
            else:
                rows.append(sample(state, sub, 100_000)[None, :])
        out["train_seconds"] = time.perf_counter() - begin
        x = jnp.concatenate(rows)
        out["mean"] = [float(v) for v in x.mean(axis=1)]
        out["std"] = [float(v) for v in x.std(axis=1, ddof=1)]
        out["steps"] = args.converge
        emit(out)
        return

    state, key = run(state, key, args.warmup)  # compiles
    jax.block_until_ready(state)
    calibrate = args.warmup if args.style == "scan" else 3  # scan: same length, no recompile
    begin = time.perf_counter()
    state, key = run(state, key, calibrate)
    jax.block_until_ready(state)
    per = (time.perf_counter() - begin) / calibrate
    n = max(3, int(args.seconds / max(per, 1e-7)))
    if args.style == "scan":  # recompiles for the new length: do it before timing
        jax.block_until_ready(run(state, key, n))
    begin = time.perf_counter()
    state, key = run(state, key, n)
    jax.block_until_ready(state)
    out["seconds_per_iter"] = (time.perf_counter() - begin) / n
    out["iters"] = n
    emit(out)


if __name__ == "__main__":
    main()
