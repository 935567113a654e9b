"""Expected values for GAN Studio's maths, computed by PyTorch: the fixtures tests/reference reads.

For every loss and optimizer GAN Studio trains with (Adam, RMSprop; bce, lsgan, hinge, wgan, wgan-gp with its
gradient penalty), the generator's EMA, DiffAugment with fixed draws, and whole D+G iterations of the DCGAN
and the MLP, this script computes with PyTorch (float64, so the reference is exact to float32's precision)
what our TypeScript computes, from the same inputs. The inputs come from a small integer hash that the tests
reimplement (fixture_values), so the fixtures hold only expected values (large tensors as a strided sample
and their norm).

Regenerate (Debian's python3-torch):
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/pytorch/reference_checks.py
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_default_dtype(torch.float64)
OUT = Path(__file__).resolve().parent / "fixtures"
LEAKY = 0.2
BN_MOMENTUM = 0.1
EPS = 1e-5
# Tensors above this many values are stored as every SAMPLE_STRIDE-th value plus the whole tensor's norm.
FULL_LIMIT = 4096
SAMPLE_STRIDE = 509


# ----------------------------------------------------------------------------------------------------------
# Inputs: the same values in Python and TypeScript (tests/reference/fixture-values.ts)


def fmix32(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h


def fixture_values(seed: int, count: int, scale: float, offset: float = 0.0) -> torch.Tensor:
    """offset + scale * u, u uniform in [-1, 1) from murmur3's finalizer of (i + seed * golden), as float32."""
    base = (seed * 0x9E3779B9) & 0xFFFFFFFF
    values = [offset + scale * (2.0 * fmix32((i + base) & 0xFFFFFFFF) / 4294967296.0 - 1.0) for i in range(count)]
    return torch.tensor(values, dtype=torch.float32).to(torch.float64)


def fixture_tensor(seed: int, shape, scale: float, offset: float = 0.0) -> torch.Tensor:
    return fixture_values(seed, math.prod(shape), scale, offset).reshape(shape)


def fixture_integers(seed: int, count: int, low: int, high: int) -> list:
    """Integers in [low, high], the same way."""
    base = (seed * 0x9E3779B9) & 0xFFFFFFFF
    return [low + fmix32((i + base) & 0xFFFFFFFF) % (high - low + 1) for i in range(count)]


# ----------------------------------------------------------------------------------------------------------
# Output encoding


def encode(t: torch.Tensor):
    flat = t.detach().reshape(-1)
    if flat.numel() <= FULL_LIMIT:
        return [float(v) for v in flat]
    return {"stride": SAMPLE_STRIDE, "sample": [float(v) for v in flat[::SAMPLE_STRIDE]], "norm": float(flat.norm()), "length": flat.numel()}


def write(name: str, data: dict) -> None:
    OUT.mkdir(exist_ok=True)
    path = OUT / f"{name}.json"
    text = json.dumps(data, separators=(",", ":"))
    # 9 significant digits hold a float32 exactly; shorter files.
    import re

    text = re.sub(r"-?\d+\.\d{10,}(e-?\d+)?", lambda m: "%.9g" % float(m.group(0)), text)
    path.write_text(text + "\n")
    print(f"wrote {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path} ({len(text) // 1024} KiB)")


# ----------------------------------------------------------------------------------------------------------
# Optimizers and EMA


def optimizer_case(kind: str, settings: dict, steps: int = 3) -> dict:
    p = torch.nn.Parameter(fixture_tensor(1, [3, 4], 0.05))
    if kind == "adam":
        opt = torch.optim.Adam([p], lr=settings["lr"], betas=(settings["beta1"], settings["beta2"]), eps=1e-8)
    else:
        opt = torch.optim.RMSprop([p], lr=settings["lr"], alpha=0.99, eps=1e-8)
    grads, params, states = [], [], []
    for step in range(steps):
        g = fixture_tensor(10 + step, [3, 4], 0.01)
        p.grad = g.clone()
        opt.step()
        grads.append(encode(g))
        params.append(encode(p))
        state = opt.state[p]
        states.append([encode(state["exp_avg"]), encode(state["exp_avg_sq"])] if kind == "adam" else [encode(state["square_avg"])])
    return {"kind": kind, "settings": settings, "initial": encode(fixture_tensor(1, [3, 4], 0.05)), "grads": grads, "params": params, "states": states}


def optimizers() -> None:
    write(
        "optimizers",
        {
            "cases": [
                optimizer_case("adam", {"lr": 0.0002, "beta1": 0.5, "beta2": 0.999}),
                optimizer_case("adam", {"lr": 0.0001, "beta1": 0.0, "beta2": 0.9}),
                optimizer_case("rmsprop", {"lr": 0.00005}),
            ]
        },
    )


def ema_decay(decay: float, updates: int) -> float:
    """The warm-up of TensorFlow's ExponentialMovingAverage with num_updates."""
    return min(decay, (1 + updates) / (10 + updates))


def ema() -> None:
    decay = 0.99
    average = fixture_tensor(1, [3, 4], 0.05)
    initial = average.clone()
    steps = []
    # Updates 0, 1, 2, then one far into the run (the decay itself, no longer the warm-up).
    for step, updates in enumerate([0, 1, 2, 5000]):
        weights = fixture_tensor(20 + step, [3, 4], 0.05)
        average = weights.lerp(average, ema_decay(decay, updates))  # StyleGAN2-ADA's p_ema.copy_(p.lerp(p_ema, beta))
        steps.append({"updates": updates, "weights": encode(weights), "average": encode(average)})
    write("ema", {"decay": decay, "initial": encode(initial), "steps": steps})


# ----------------------------------------------------------------------------------------------------------
# Losses


def loss_terms(loss: str, logits: torch.Tensor, target: float):
    if loss == "bce":
        bce = F.binary_cross_entropy_with_logits
        return {
            "real": bce(logits, torch.full_like(logits, target)),
            "fake": bce(logits, torch.zeros_like(logits)),
            "generator": bce(logits, torch.ones_like(logits)),
        }
    if loss == "lsgan":  # Mao et al., a = 0, b = c = 1, with the paper's 1/2
        return {
            "real": 0.5 * F.mse_loss(logits, torch.full_like(logits, target)),
            "fake": 0.5 * F.mse_loss(logits, torch.zeros_like(logits)),
            "generator": 0.5 * F.mse_loss(logits, torch.ones_like(logits)),
        }
    if loss == "hinge":
        return {"real": F.relu(1.0 - logits).mean(), "fake": F.relu(1.0 + logits).mean(), "generator": -logits.mean()}
    return {"real": -logits.mean(), "fake": logits.mean(), "generator": -logits.mean()}


def losses() -> None:
    # Away from the hinge's kinks at +-1, where a derivative is a convention.
    logits = fixture_tensor(3, [8, 1], 2.5)
    cases = []
    for loss in ["bce", "lsgan", "hinge", "wgan", "wgan-gp"]:
        for target in [1.0, 0.9] if loss in ("bce", "lsgan") else [1.0]:
            for term, _ in loss_terms(loss, logits, target).items():
                x = logits.clone().requires_grad_(True)
                value = loss_terms(loss, x, target)[term]
                (gradient,) = torch.autograd.grad(value, x)
                score = torch.sigmoid(x) if loss == "bce" else x
                cases.append({"loss": loss, "term": term, "target": target, "value": float(value), "gradient": encode(gradient), "meanScore": float(score.mean())})
    write("losses", {"logits": encode(logits), "cases": cases})


# ----------------------------------------------------------------------------------------------------------
# DiffAugment with given draws (Zhao et al.'s DiffAugment_pytorch.py, its torch.rand / randint replaced)


def augment_draws(seed: int, n: int, size: int, policies) -> dict:
    reach = int(size * 0.125 + 0.5)
    side = int(size * 0.5 + 0.5)
    draws = {}
    if "color" in policies:
        draws["color"] = {
            "brightness": [float(v) for v in fixture_values(seed, n, 0.5)],
            "saturation": [float(v) for v in fixture_values(seed + 1, n, 1.0, 1.0)],
            "contrast": [float(v) for v in fixture_values(seed + 2, n, 0.5, 1.0)],
        }
    if "translation" in policies:
        draws["translation"] = {"rows": fixture_integers(seed + 3, n, -reach, reach), "cols": fixture_integers(seed + 4, n, -reach, reach)}
    if "cutout" in policies:
        last = size - side % 2
        draws["cutout"] = {"row": fixture_integers(seed + 5, n, 0, last), "col": fixture_integers(seed + 6, n, 0, last)}
    return draws


def diff_augment(x: torch.Tensor, draws: dict) -> torch.Tensor:
    """x NCHW."""
    n, _, h, w = x.shape
    if "color" in draws:
        c = draws["color"]
        x = x + torch.tensor(c["brightness"]).view(n, 1, 1, 1)
        x_mean = x.mean(dim=1, keepdim=True)
        x = (x - x_mean) * torch.tensor(c["saturation"]).view(n, 1, 1, 1) + x_mean
        x_mean = x.mean(dim=[1, 2, 3], keepdim=True)
        x = (x - x_mean) * torch.tensor(c["contrast"]).view(n, 1, 1, 1) + x_mean
    if "translation" in draws:
        t = draws["translation"]
        translation_x = torch.tensor(t["rows"]).view(n, 1, 1)
        translation_y = torch.tensor(t["cols"]).view(n, 1, 1)
        grid_batch, grid_x, grid_y = torch.meshgrid(torch.arange(n), torch.arange(h), torch.arange(w), indexing="ij")
        grid_x = torch.clamp(grid_x + translation_x + 1, 0, h + 1)
        grid_y = torch.clamp(grid_y + translation_y + 1, 0, w + 1)
        x_pad = F.pad(x, [1, 1, 1, 1, 0, 0, 0, 0])
        x = x_pad.permute(0, 2, 3, 1).contiguous()[grid_batch, grid_x, grid_y].permute(0, 3, 1, 2)
    if "cutout" in draws:
        cut = draws["cutout"]
        cutout_size = int(h * 0.5 + 0.5), int(w * 0.5 + 0.5)
        offset_x = torch.tensor(cut["row"]).view(n, 1, 1)
        offset_y = torch.tensor(cut["col"]).view(n, 1, 1)
        grid_batch, grid_x, grid_y = torch.meshgrid(torch.arange(n), torch.arange(cutout_size[0]), torch.arange(cutout_size[1]), indexing="ij")
        grid_x = torch.clamp(grid_x + offset_x - cutout_size[0] // 2, min=0, max=h - 1)
        grid_y = torch.clamp(grid_y + offset_y - cutout_size[1] // 2, min=0, max=w - 1)
        mask = torch.ones(n, h, w, dtype=x.dtype)
        mask[grid_batch, grid_x, grid_y] = 0
        x = x * mask.unsqueeze(1)
    return x


def nhwc(t: torch.Tensor) -> torch.Tensor:
    return t.permute(0, 2, 3, 1)


def nchw_from(values: torch.Tensor, n: int, size: int, channels: int) -> torch.Tensor:
    return values.reshape(n, size, size, channels).permute(0, 3, 1, 2)


def augmentation() -> None:
    cases = []
    for policies, channels in [(["color"], 3), (["translation"], 3), (["cutout"], 1), (["color", "translation", "cutout"], 3)]:
        n, size = 2, 16
        x = nchw_from(fixture_values(30, n * size * size * channels, 1.0), n, size, channels).clone().requires_grad_(True)
        draws = augment_draws(40, n, size, policies)
        y = diff_augment(x, draws)
        upstream = nchw_from(fixture_values(31, n * size * size * channels, 1.0), n, size, channels)
        (dx,) = torch.autograd.grad((y * upstream).sum(), x)
        cases.append({"policies": policies, "shape": [n, size, size, channels], "draws": draws, "output": encode(nhwc(y)), "inputGradient": encode(nhwc(dx))})
    write("augment", {"inputSeed": 30, "upstreamSeed": 31, "cases": cases})


# ----------------------------------------------------------------------------------------------------------
# Networks in our parameter order and layout (tests/reference builds ours and fills them from the same hash)


class Dcgan:
    """The DCGAN of src/main/training/dcgan.ts, functional, over our parameter list."""

    def __init__(self, size: int, nc: int, nz: int, ngf: int, ndf: int, d_norm: str):
        self.size, self.nc, self.nz, self.ngf, self.ndf, self.d_norm = size, nc, nz, ngf, ndf, d_norm
        steps = int(math.log2(size)) - 2
        widths = [ngf * 2 ** (steps - 1 - i) for i in range(steps)]
        # G: (shape in our layout [kh, kw, out, in], stride, padding, norm channels or None, activation)
        self.g_layers = [([4, 4, widths[0], nz], 1, 0, widths[0], "relu")]
        for i, in_c in enumerate(widths):
            last = i + 1 == len(widths)
            out_c = nc if last else widths[i + 1]
            self.g_layers.append(([4, 4, out_c, in_c], 2, 1, None if last else out_c, "tanh" if last else "relu"))
        self.d_layers = []
        for i in range(steps):
            in_c = nc if i == 0 else ndf * 2 ** (i - 1)
            out_c = ndf * 2**i
            norm = None if i == 0 or d_norm == "none" else out_c
            self.d_layers.append(([4, 4, in_c, out_c], 2, 1, norm, "leaky"))
        self.d_layers.append(([4, 4, ndf * 2 ** (steps - 1), 1], 1, 0, None, "none"))

    def g_params(self):
        """Our creation order, (shape, kind): kernel, then its BatchNorm gamma and beta. Buffers: mean, var."""
        params, buffers = [], []
        for kernel, _, _, norm, _ in self.g_layers:
            params.append((kernel, "kernel"))
            if norm:
                params += [([norm], "gamma"), ([norm], "beta")]
                buffers += [[norm], [norm]]
        return params, buffers

    def d_params(self):
        params, buffers = [], []
        for kernel, _, _, norm, _ in self.d_layers:
            params.append((kernel, "kernel"))
            if norm:
                params += [([norm], "gamma"), ([norm], "beta")]
                if self.d_norm == "batch":
                    buffers += [[norm], [norm]]
        return params, buffers

    def generate(self, params, buffers, z, training=True):
        """z [n, nz] -> NCHW images. Our convTranspose kernels [kh, kw, out, in] are torch's [in, out, kh, kw]."""
        x = z.reshape(z.shape[0], self.nz, 1, 1)
        p, b = iter(params), iter(buffers)
        for kernel, stride, padding, norm, act in self.g_layers:
            x = F.conv_transpose2d(x, next(p).permute(3, 2, 0, 1).contiguous(), stride=stride, padding=padding)
            if norm:
                gamma, beta, mean, var = next(p), next(p), next(b), next(b)
                x = F.batch_norm(x, mean, var, gamma, beta, training=training, momentum=BN_MOMENTUM, eps=EPS)
            x = torch.relu(x) if act == "relu" else torch.tanh(x)
        return x

    def discriminate(self, params, buffers, x, training=True):
        """NCHW images -> logits [n, 1]. Our conv kernels [kh, kw, in, out] are torch's [out, in, kh, kw]."""
        p, b = iter(params), iter(buffers)
        for kernel, stride, padding, norm, act in self.d_layers:
            x = F.conv2d(x, next(p).permute(3, 2, 0, 1).contiguous(), stride=stride, padding=padding)
            if norm:
                gamma, beta = next(p), next(p)
                if self.d_norm == "batch":
                    x = F.batch_norm(x, next(b), next(b), gamma, beta, training=training, momentum=BN_MOMENTUM, eps=EPS)
                else:
                    x = F.group_norm(x, 1, gamma, beta, eps=EPS)
            if act == "leaky":
                x = F.leaky_relu(x, LEAKY)
        return x.reshape(x.shape[0], 1)


class Mlp:
    """The MLP of src/main/training/mlp.ts: G z-128-256-512-pixels, D pixels-512-256-1; our kernels [in, out]."""

    def __init__(self, size: int, nc: int, nz: int, d_norm: str):
        self.size, self.nc, self.nz, self.d_norm = size, nc, nz, d_norm
        pixels = size * size * nc
        self.g_widths = [nz, 128, 256, 512, pixels]
        self.d_widths = [pixels, 512, 256, 1]

    def g_params(self):
        return [p for i in range(4) for p in (([self.g_widths[i], self.g_widths[i + 1]], "kernel"), ([self.g_widths[i + 1]], "bias"))], []

    def d_params(self):
        params, buffers = [], []
        for i in range(3):
            width = self.d_widths[i + 1]
            params += [([self.d_widths[i], width], "kernel"), ([width], "bias")]
            if i < 2 and self.d_norm != "none":
                params += [([width], "gamma"), ([width], "beta")]
                if self.d_norm == "batch":
                    buffers += [[width], [width]]
        return params, buffers

    def generate(self, params, buffers, z, training=True):
        x = z.reshape(z.shape[0], self.nz)
        for i in range(4):
            x = x @ params[2 * i] + params[2 * i + 1]
            x = F.leaky_relu(x, LEAKY) if i < 3 else torch.tanh(x)
        return x.reshape(-1, self.size, self.size, self.nc).permute(0, 3, 1, 2)

    def discriminate(self, params, buffers, x, training=True):
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
        p, b = iter(params), iter(buffers)
        for i in range(3):
            x = x @ next(p) + next(p)
            if i < 2:
                if self.d_norm != "none":
                    gamma, beta = next(p), next(p)
                    if self.d_norm == "batch":
                        x = F.batch_norm(x, next(b), next(b), gamma, beta, training=training, momentum=BN_MOMENTUM, eps=EPS)
                    else:
                        x = F.layer_norm(x, [x.shape[1]], eps=EPS) * gamma + beta
                x = F.leaky_relu(x, LEAKY)
        return x


def initial_params(params, seed: int):
    """The i-th parameter from the hash with seed + i: around 0 (scale 0.05), gammas around 1."""
    return [fixture_tensor(seed + i, shape, 0.05, 1.0 if kind == "gamma" else 0.0) for i, (shape, kind) in enumerate(params)]


def initial_buffers(shapes):
    """Running means 0, variances 1, in pairs."""
    return [torch.zeros(s) if i % 2 == 0 else torch.ones(s) for i, s in enumerate(shapes)]


# ----------------------------------------------------------------------------------------------------------
# Whole iterations, as src/main/training/step.ts defines one


def loss_value(loss: str, term: str, logits: torch.Tensor, target: float = 1.0) -> torch.Tensor:
    return loss_terms(loss, logits, target)[term]


def gradient_penalty(net, d_params, d_buffers, real, fake, mix):
    n = real.shape[0]
    alpha = mix.view(n, 1, 1, 1)
    interpolates = (real * alpha + fake * (1 - alpha)).detach().requires_grad_(True)
    scores = net.discriminate(d_params, d_buffers, interpolates)
    (gradient,) = torch.autograd.grad(scores.sum(), interpolates, create_graph=True)
    return ((gradient.reshape(n, -1).norm(2, dim=1) - 1) ** 2).mean()


def make_optimizer(config, params, lr):
    if config["optimizer"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=0.99, eps=1e-8)
    return torch.optim.Adam(params, lr=lr, betas=(config["beta1"], config["beta2"]), eps=1e-8)


def iteration_case(name: str, arch: str, config: dict) -> None:
    size, nc, nz, n = 32, config.get("channels", 1), 8, 4
    d_norm = config.get("dNorm", "batch" if arch == "dcgan" else "none")
    net = Dcgan(size, nc, nz, 2, 2, d_norm) if arch == "dcgan" else Mlp(size, nc, nz, d_norm)
    g_shapes, g_buffer_shapes = net.g_params()
    d_shapes, d_buffer_shapes = net.d_params()
    g = [torch.nn.Parameter(t) for t in initial_params(g_shapes, 100)]
    d = [torch.nn.Parameter(t) for t in initial_params(d_shapes, 200)]
    g_buffers, d_buffers = initial_buffers(g_buffer_shapes), initial_buffers(d_buffer_shapes)
    g_average = [t.detach().clone() for t in g]
    opt_g, opt_d = make_optimizer(config, g, config["lrG"]), make_optimizer(config, d, config["lrD"])
    loss, smoothing, d_steps = config["loss"], config.get("labelSmoothing", 0.0), config.get("dStepsPerG", 1)
    policies = config.get("augment", [])

    figures = {}
    draws = {"discriminator": [], "generator": None}
    fake = None
    for step in range(d_steps):
        real = nchw_from(fixture_values(300 + step, n * size * size * nc, 0.95), n, size, nc)
        noise = fixture_values(400 + step, n * nz, 1.5).reshape(n, nz)
        fake = net.generate(g, g_buffers, noise)
        step_draws = {"real": None, "fake": None, "mix": None}
        if policies:
            step_draws["real"] = augment_draws(500 + 10 * step, n, size, policies)
            step_draws["fake"] = augment_draws(600 + 10 * step, n, size, policies)
        seen_real = diff_augment(real, step_draws["real"]) if policies else real
        seen_fake = diff_augment(fake.detach(), step_draws["fake"]) if policies else fake.detach()
        opt_d.zero_grad()
        real_logits = net.discriminate(d, d_buffers, seen_real)
        fake_logits = net.discriminate(d, d_buffers, seen_fake)
        loss_d = loss_value(loss, "real", real_logits, 1 - smoothing) + loss_value(loss, "fake", fake_logits)
        if config.get("gpWeight", 0) > 0:
            mix = fixture_values(700 + step, n, 0.5, 0.5)
            step_draws["mix"] = [float(v) for v in mix]
            loss_d = loss_d + config["gpWeight"] * gradient_penalty(net, d, d_buffers, seen_real, seen_fake, mix)
        loss_d.backward()
        opt_d.step()
        if config.get("weightClip", 0) > 0:
            with torch.no_grad():
                for p in d:
                    p.clamp_(-config["weightClip"], config["weightClip"])
        score = torch.sigmoid if loss == "bce" else (lambda t: t)
        figures.update(lossD=float(loss_d), dReal=float(score(real_logits).mean()), dFakeBefore=float(score(fake_logits).mean()))
        draws["discriminator"].append(step_draws)
    # G step on the last D step's fake batch (G unchanged since: the same images; its statistics counted once).
    opt_g.zero_grad()
    if policies:
        draws["generator"] = augment_draws(800, n, size, policies)
    seen = diff_augment(fake, draws["generator"]) if policies else fake
    logits = net.discriminate(d, d_buffers, seen)
    loss_g = loss_value(loss, "generator", logits)
    loss_g.backward()
    opt_g.step()
    figures.update(lossG=float(loss_g), dFakeAfter=float((torch.sigmoid(logits) if loss == "bce" else logits).mean()))
    ema = config.get("ema", 0)
    if ema > 0:
        g_average = [p.detach().lerp(a, ema_decay(ema, 0)) for p, a in zip(g, g_average)]

    write(
        f"iteration-{name}",
        {
            "arch": arch,
            "config": config,
            "batch": n,
            "inputs": {"realSeed": 300, "realScale": 0.95, "noiseSeed": 400, "noiseScale": 1.5, "nz": nz, "generatorSeed": 100, "discriminatorSeed": 200, "scale": 0.05},
            "draws": draws,
            "figures": figures,
            "generator": [encode(t) for t in g],
            "generatorBuffers": [encode(t) for t in g_buffers],
            "generatorEma": [encode(t) for t in g_average] if ema > 0 else [],
            "discriminator": [encode(t) for t in d],
            "discriminatorBuffers": [encode(t) for t in d_buffers],
        },
    )


ITERATIONS = {
    # The DCGAN tutorial's iteration, with one-sided label smoothing.
    "dcgan-bce": ("dcgan", {"loss": "bce", "labelSmoothing": 0.1, "optimizer": "adam", "lrD": 0.0002, "lrG": 0.0002, "beta1": 0.5, "beta2": 0.999}),
    "dcgan-lsgan": ("dcgan", {"loss": "lsgan", "optimizer": "adam", "lrD": 0.0002, "lrG": 0.0002, "beta1": 0.5, "beta2": 0.999}),
    "dcgan-hinge-augment-ema": (
        "dcgan",
        {"loss": "hinge", "channels": 3, "augment": ["color", "translation", "cutout"], "ema": 0.9, "optimizer": "adam", "lrD": 0.0002, "lrG": 0.0002, "beta1": 0.5, "beta2": 0.999},
    ),
    "dcgan-wgan": ("dcgan", {"loss": "wgan", "optimizer": "rmsprop", "lrD": 0.00005, "lrG": 0.00005, "beta1": 0.5, "beta2": 0.999, "dStepsPerG": 2, "weightClip": 0.01}),
    "dcgan-wgan-gp": (
        "dcgan",
        {"loss": "wgan-gp", "dNorm": "layer", "optimizer": "adam", "lrD": 0.0001, "lrG": 0.0001, "beta1": 0.0, "beta2": 0.9, "dStepsPerG": 2, "gpWeight": 10},
    ),
    "mlp-bce": ("mlp", {"loss": "bce", "labelSmoothing": 0.1, "optimizer": "adam", "lrD": 0.0002, "lrG": 0.0002, "beta1": 0.5, "beta2": 0.999}),
    "mlp-wgan-gp": ("mlp", {"loss": "wgan-gp", "dNorm": "none", "optimizer": "adam", "lrD": 0.0001, "lrG": 0.0001, "beta1": 0.0, "beta2": 0.9, "gpWeight": 10}),
}


def main() -> None:
    print(f"PyTorch {torch.__version__}")
    optimizers()
    ema()
    losses()
    augmentation()
    for name, (arch, config) in ITERATIONS.items():
        iteration_case(name, arch, config)


if __name__ == "__main__":
    sys.exit(main())
