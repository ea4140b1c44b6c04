"""Worker: the benchmark GAN in PyTorch (eager, CPU, autograd, torch.optim.SGD with momentum).

Two forms, run in a fresh process each (see bench_training.py, which launches this script):

- ``--style module``: one GAN written as a PyTorch user would, ``nn.Sequential`` of ``nn.Linear``
  and ``nn.Tanh`` (or a small ``nn.Module`` for the affine/quadratic pair);
- ``--style batched``: an ensemble of E independent GANs as (E, ...) parameter tensors, batched
  matrix products (``torch.bmm``), losses summed over members and averaged over the minibatch,
  so that one backward pass gives every member its own gradient.

Prints one JSON line: seconds per GAN iteration (timed after a warm-up), and with ``--converge``
the generator's mean and standard deviation after training from a fresh initialization.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gan_setting as S  # noqa: E402
from benchlib import emit  # noqa: E402


# ------------------------------------------------------------------ one GAN, nn.Module style


class Affine(nn.Module):
    def __init__(self):
        super().__init__()
        self.mu = nn.Parameter(torch.zeros(()))
        self.sigma = nn.Parameter(torch.ones(()))

    def forward(self, z):
        return self.mu + self.sigma * z


class Quadratic(nn.Module):
    def __init__(self):
        super().__init__()
        self.coef = nn.Parameter(torch.zeros(3))

    def forward(self, x):
        return self.coef[0] * x * x + self.coef[1] * x + self.coef[2]


def mlp(hidden: int) -> nn.Module:
    net = nn.Sequential(nn.Linear(1, hidden), nn.Tanh(), nn.Linear(hidden, 1))
    with torch.no_grad():  # gantheory's scheme, not PyTorch's default uniform init
        nn.init.normal_(net[0].weight)
        nn.init.normal_(net[0].bias)
        nn.init.normal_(net[2].weight, std=1.0 / math.sqrt(hidden))
        nn.init.zeros_(net[2].bias)
    return net


def module_gan(model: str, m: int, lr: float):
    if model == "affine":
        gen, disc = Affine(), Quadratic()
        shape = (m,)
    else:
        gen, disc = mlp(S.HIDDEN), mlp(S.HIDDEN)
        shape = (m, 1)
    opt_g = torch.optim.SGD(gen.parameters(), lr=lr, momentum=S.MOMENTUM)
    opt_d = torch.optim.SGD(disc.parameters(), lr=lr, momentum=S.MOMENTUM)

    def iteration():
        # Discriminator: ascend log D(x) + log(1 - D(G(z))) (eq. 3), i.e. descend its negative.
        z = torch.randn(shape)
        x = S.TARGET_MEAN + S.TARGET_STD * torch.randn(shape)
        with torch.no_grad():
            fake = gen(z)
        loss_d = -(F.logsigmoid(disc(x)).mean() + F.logsigmoid(-disc(fake)).mean())
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        # Generator: non-saturating, descend -log D(G(z)) (eq. 10), fresh noise.
        z = torch.randn(shape)
        loss_g = -F.logsigmoid(disc(gen(z))).mean()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()

    def sample(n):
        with torch.no_grad():
            return gen(torch.randn((n,) + shape[1:])).reshape(1, n)

    return iteration, sample


# ------------------------------------------------------------------ E GANs, batched tensors


def batched_gan(model: str, e: int, m: int, lr: float):
    h = S.HIDDEN
    if model == "affine":
        g = {"mu": torch.zeros(e, 1), "sigma": torch.ones(e, 1)}
        d = {"coef": torch.zeros(e, 3, 1)}

        def gen(p, z):  # z (E, m)
            return p["mu"] + p["sigma"] * z

        def disc(p, x):  # (E, m) -> logits (E, m)
            feats = torch.stack([x * x, x, torch.ones_like(x)], dim=2)  # (E, m, 3)
            return torch.bmm(feats, p["coef"])[:, :, 0]
    else:
        def init():
            return {"w1": torch.randn(e, 1, h), "b1": torch.randn(e, 1, h),
                    "w2": torch.randn(e, h, 1) / math.sqrt(h), "b2": torch.zeros(e, 1)}

        g, d = init(), init()

        def net(p, x):  # x (E, m) -> (E, m)
            hidden = torch.tanh(torch.baddbmm(p["b1"], x[:, :, None], p["w1"]))  # (E, m, H)
            return torch.bmm(hidden, p["w2"])[:, :, 0] + p["b2"]

        gen = disc = net
    for p in (*g.values(), *d.values()):
        p.requires_grad_(True)
    opt_g = torch.optim.SGD(list(g.values()), lr=lr, momentum=S.MOMENTUM)
    opt_d = torch.optim.SGD(list(d.values()), lr=lr, momentum=S.MOMENTUM)

    def iteration():
        z = torch.randn(e, m)
        x = S.TARGET_MEAN + S.TARGET_STD * torch.randn(e, m)
        with torch.no_grad():
            fake = gen(g, z)
        # Mean over the minibatch, sum over members: each member gets its own gradient.
        loss_d = -(F.logsigmoid(disc(d, x)).mean(1) + F.logsigmoid(-disc(d, fake)).mean(1)).sum()
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        z = torch.randn(e, m)
        loss_g = -F.logsigmoid(disc(d, gen(g, z))).mean(1).sum()
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()

    def sample(n):
        with torch.no_grad():
            return gen(g, torch.randn(e, n))

    return iteration, sample


def timed(iteration, warmup: int, seconds: float) -> tuple[float, int]:
    for _ in range(warmup):
        iteration()
    start = time.perf_counter()
    for _ in range(3):
        iteration()
    per = (time.perf_counter() - start) / 3
    n = max(3, int(seconds / max(per, 1e-7)))
    start = time.perf_counter()
    for _ in range(n):
        iteration()
    return (time.perf_counter() - start) / n, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(S.MODELS), required=True)
    parser.add_argument("--style", choices=("module", "batched"), default="module")
    parser.add_argument("--ensemble", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--converge", type=int, default=0, help="train this many steps and report")
    parser.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads; 0: PyTorch's default")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.set_default_dtype(getattr(torch, args.dtype))
    torch.manual_seed(args.seed)

    if args.style == "module" and args.ensemble != 1 and not args.converge:
        parser.error("--style module times one GAN: use --style batched for ensembles")

    def build():
        if args.style == "module":
            return module_gan(args.model, args.batch_size, args.lr)
        return batched_gan(args.model, args.ensemble, args.batch_size, args.lr)

    out = {"framework": "torch", "style": args.style, "model": args.model, "ensemble": args.ensemble,
           "batch_size": args.batch_size, "dtype": args.dtype, "version": torch.__version__,
           "threads": torch.get_num_threads(), "interop_threads": torch.get_num_interop_threads()}
    if args.converge:
        # The module style trains its members one after the other, the batched style at once.
        members = args.ensemble if args.style == "module" else 1
        start = time.perf_counter()
        samples = []
        for _ in range(members):
            iteration, sample = build()
            for _ in range(args.converge):
                iteration()
            samples.append(sample(100_000))
        out["train_seconds"] = time.perf_counter() - start
        x = torch.cat(samples)
        out["mean"] = x.mean(dim=1).tolist()
        out["std"] = x.std(dim=1).tolist()
        out["steps"] = args.converge
    else:
        iteration, _ = build()
        out["seconds_per_iter"], out["iters"] = timed(iteration, args.warmup, args.seconds)
    emit(out)


if __name__ == "__main__":
    main()
