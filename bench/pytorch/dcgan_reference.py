"""PyTorch reference for GAN Studio's benchmarks: the DCGAN tutorial model and training step, timed on the CPU
or, with --device cuda, on an NVIDIA GPU.

Follows https://pytorch.org/tutorials/beginner/dcgan_faces_tutorial.html (64x64), plus a 32x32 variant
with one stride-2 layer fewer in each net. Data is random tensors in [-1, 1]: we time the step, not loading.

Run with Debian's PyTorch:  /usr/bin/python3 bench/pytorch/dcgan_reference.py --config A --json
On a GPU:                   python3 bench/pytorch/dcgan_reference.py --config A --device cuda
"""

import os

# Must happen before torch loads OpenBLAS: torch runs its own intra-op threads, and a
# multi-threaded OpenBLAS underneath them would oversubscribe our 2 cores. (Too late if OpenBLAS is
# LD_PRELOADed: it reads the variable when it loads, so set it in the parent's environment too.)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import ctypes  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.optim as optim  # noqa: E402

CONFIGS = {
    # Default iterations aim at ~30 s for A and ~10 s for B on the 2-core dev machine.
    "A": dict(size=64, nc=3, ngf=64, ndf=64, batch=128, iterations=10),
    "B": dict(size=32, nc=3, ngf=32, ndf=32, batch=64, iterations=100),
}
TUTORIAL_PARAMS = {"G": 3_576_704, "D": 2_765_568}  # tutorial net at S=64, nc=3, ngf=ndf=64, nz=100


def build_generator(size: int, nz: int, ngf: int, nc: int) -> nn.Sequential:
    """nz x 1 x 1 -> (ngf*2^k, 4x4) -> ... doubling resolution, halving channels ... -> nc x size x size."""
    top = {64: 8, 32: 4}[size]  # channel multiplier of the first 4x4 feature map
    layers: list = [nn.ConvTranspose2d(nz, ngf * top, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * top), nn.ReLU(True)]
    mult = top
    while mult > 1:
        layers += [
            nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ngf * mult // 2),
            nn.ReLU(True),
        ]
        mult //= 2
    layers += [nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(*layers)


def build_discriminator(size: int, nc: int, ndf: int) -> nn.Sequential:
    """nc x size x size -> ndf (no BN on the first layer) -> ... doubling channels ... -> 4x4 -> 1 probability."""
    top = {64: 8, 32: 4}[size]
    layers: list = [nn.Conv2d(nc, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True)]
    mult = 1
    while mult < top:
        layers += [
            nn.Conv2d(ndf * mult, ndf * mult * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * mult * 2),
            nn.LeakyReLU(0.2, inplace=True),
        ]
        mult *= 2
    layers += [nn.Conv2d(ndf * top, 1, 4, 1, 0, bias=False), nn.Sigmoid()]
    return nn.Sequential(*layers)


def weights_init(m: nn.Module) -> None:
    """The tutorial's init: conv weights N(0, 0.02); batch-norm scale N(1, 0.02), shift 0."""
    name = m.__class__.__name__
    if "Conv" in name:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif "BatchNorm" in name:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


def count_params(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())


class _DlInfo(ctypes.Structure):
    _fields_ = [
        ("dli_fname", ctypes.c_char_p),
        ("dli_fbase", ctypes.c_void_p),
        ("dli_sname", ctypes.c_char_p),
        ("dli_saddr", ctypes.c_void_p),
    ]


def _mapped_library(fragment: str):
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and fragment in os.path.basename(fields[-1]):
                return fields[-1]
    return None


def _sgemm_provider():
    """The file whose sgemm_ torch's convolutions call: the dynamic linker looks in the global scope (which
    holds LD_PRELOAD) first, then in libtorch_cpu's own dependencies in load order; dlsym does the same."""
    torch_cpu = _mapped_library("libtorch_cpu.so")
    scopes = [ctypes.CDLL(None)] + ([ctypes.CDLL(torch_cpu)] if torch_cpu else [])
    for scope in scopes:
        try:
            address = ctypes.cast(scope.sgemm_, ctypes.c_void_p).value
        except AttributeError:
            continue
        info = _DlInfo()
        if ctypes.CDLL(None).dladdr(ctypes.c_void_p(address), ctypes.byref(info)) and info.dli_fname:
            return os.path.realpath(info.dli_fname.decode())
    return None


def detect_blas() -> str:
    """torch's build info says only BLAS_INFO=generic on Debian; name the library that really serves sgemm_."""
    found = re.search(r"BLAS_INFO=[^,\s]*", torch.__config__.show())
    build = f"torch {found.group(0) if found else 'BLAS_INFO=?'}"
    path = _sgemm_provider()
    if path is None:
        return f"unknown (sgemm_ not found); {build}"
    lib = ctypes.CDLL(path)
    try:
        get_config, get_core = lib.openblas_get_config, lib.openblas_get_corename
    except AttributeError:
        return f"not OpenBLAS: sgemm_ from {path}; {build}"
    get_config.restype = get_core.restype = ctypes.c_char_p
    return (
        f"{get_config().decode().strip()} core={get_core().decode()} threads={lib.openblas_get_num_threads()}"
        f" (sgemm_ from {path}); {build}"
    )


def synchronize(device: torch.device) -> None:
    """GPU work is asynchronous: a time read before it has finished measures nothing."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def train_step(netG, netD, optG, optD, criterion, real, nz, real_label=1.0, fake_label=0.0):
    """One iteration exactly as the tutorial: update D on real + detached fake, then G against D's new weights."""
    batch = real.size(0)
    device = real.device
    # (1) D: maximize log(D(x)) + log(1 - D(G(z)))
    netD.zero_grad()
    label = torch.full((batch,), real_label, dtype=torch.float, device=device)
    errD_real = criterion(netD(real).view(-1), label)
    errD_real.backward()
    noise = torch.randn(batch, nz, 1, 1, device=device)
    fake = netG(noise)
    label.fill_(fake_label)
    errD_fake = criterion(netD(fake.detach()).view(-1), label)
    errD_fake.backward()
    errD = errD_real + errD_fake
    optD.step()
    # (2) G: maximize log(D(G(z))), with real labels for the fakes
    netG.zero_grad()
    label.fill_(real_label)
    errG = criterion(netD(fake).view(-1), label)
    errG.backward()
    optG.step()
    return errD.item(), errG.item()


def time_generate64(netG, nz: int, device: torch.device, repeats: int = 7) -> float:
    """Median seconds to draw 64 samples in eval mode without autograd (what the app's sample grid does)."""
    netG.eval()
    times = []
    with torch.no_grad():
        netG(torch.randn(64, nz, 1, 1, device=device))  # warm-up
        for _ in range(repeats):
            noise = torch.randn(64, nz, 1, 1, device=device)
            synchronize(device)
            start = time.perf_counter()
            netG(noise)
            synchronize(device)
            times.append(time.perf_counter() - start)
    netG.train()
    return statistics.median(times)


def at_least(minimum: int):
    def parse(text: str) -> int:
        value = int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def parse_args(argv):
    p = argparse.ArgumentParser(description="Time the PyTorch DCGAN tutorial training step on CPU.")
    p.add_argument("--config", choices=sorted(CONFIGS), help="A: 64px ngf=ndf=64 batch 128; B: 32px ngf=ndf=32 batch 64")
    p.add_argument("--size", type=int, choices=[32, 64])
    p.add_argument("--nc", type=at_least(1))
    p.add_argument("--ngf", type=at_least(1))
    p.add_argument("--ndf", type=at_least(1))
    p.add_argument("--batch", type=at_least(1))
    p.add_argument("--nz", type=at_least(1), default=100)
    p.add_argument("--warmup", type=at_least(0), default=2)
    p.add_argument("--iterations", type=at_least(1), help="timed iterations (default: ~30 s for A, ~10 s for B)")
    p.add_argument("--threads", type=at_least(1), default=2, help="torch.set_num_threads")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", choices=["cpu", "cuda", "auto"], default="cpu", help="auto: cuda where torch has a GPU")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout, progress on stderr")
    args = p.parse_args(argv)
    base = dict(CONFIGS[args.config]) if args.config else {}
    for key in ("size", "nc", "ngf", "ndf", "batch", "iterations"):
        if getattr(args, key) is not None:
            base[key] = getattr(args, key)
    missing = [k for k in ("size", "nc", "ngf", "ndf", "batch") if k not in base]
    if missing:
        p.error(f"give --config A|B or all of --size --nc --ngf --ndf --batch (missing: {', '.join(missing)})")
    base.setdefault("iterations", 10)
    explicit = args.config and all(getattr(args, k) is None for k in ("size", "nc", "ngf", "ndf", "batch"))
    name = args.config if explicit and args.nz == 100 else "custom"
    return args, base, name


def main(argv) -> int:
    args, cfg, name = parse_args(argv)
    log = sys.stderr if args.json else sys.stdout
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    use_cuda = args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
    if use_cuda and not torch.cuda.is_available():
        print("--device cuda: this PyTorch sees no CUDA GPU (torch.cuda.is_available() is False)", file=sys.stderr)
        return 2
    device = torch.device("cuda" if use_cuda else "cpu")
    # What the tutorial's users get on a GPU: cuDNN picks its fastest convolution algorithms.
    torch.backends.cudnn.benchmark = use_cuda
    size, nc, ngf, ndf, batch, nz = cfg["size"], cfg["nc"], cfg["ngf"], cfg["ndf"], cfg["batch"], args.nz

    netG = build_generator(size, nz, ngf, nc).to(device)
    netD = build_discriminator(size, nc, ndf).to(device)
    netG.apply(weights_init)
    netD.apply(weights_init)
    params_G, params_D = count_params(netG), count_params(netD)
    if (size, nc, ngf, ndf, nz) == (64, 3, 64, 64, 100):
        assert (params_G, params_D) == (TUTORIAL_PARAMS["G"], TUTORIAL_PARAMS["D"]), (
            f"parameter counts G {params_G:,} D {params_D:,} differ from the tutorial's "
            f"G {TUTORIAL_PARAMS['G']:,} D {TUTORIAL_PARAMS['D']:,}"
        )
    print(f"config {name}: {size}px nc={nc} ngf={ngf} ndf={ndf} nz={nz} batch={batch} threads={args.threads}", file=log)
    print(f"parameters: G {params_G:,}  D {params_D:,}", file=log)

    criterion = nn.BCELoss()
    optD = optim.Adam(netD.parameters(), lr=0.0002, betas=(0.5, 0.999))
    optG = optim.Adam(netG.parameters(), lr=0.0002, betas=(0.5, 0.999))
    real = torch.rand(batch, nc, size, size, device=device) * 2 - 1  # stands in for a normalized image batch

    for _ in range(args.warmup):
        train_step(netG, netD, optG, optD, criterion, real, nz)
    times = []
    for i in range(cfg["iterations"]):
        synchronize(device)
        start = time.perf_counter()
        errD, errG = train_step(netG, netD, optG, optD, criterion, real, nz)
        synchronize(device)
        times.append(time.perf_counter() - start)
        print(f"  iteration {i + 1}/{cfg['iterations']}: {times[-1]:.4f} s  (errD {errD:.3f}, errG {errG:.3f})", file=log)

    median = statistics.median(times)
    generate64 = time_generate64(netG, nz, device)
    result = {
        "config": name,
        "size": size,
        "nc": nc,
        "ngf": ngf,
        "ndf": ndf,
        "nz": nz,
        "batch": batch,
        "threads": args.threads,
        "torch_version": torch.__version__,
        "device": torch.cuda.get_device_name(device) if use_cuda else "cpu",
        "blas": f"CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}" if use_cuda else detect_blas(),
        "params_G": params_G,
        "params_D": params_D,
        "seconds_per_iteration_median": median,
        "seconds_per_iteration_all": times,
        "images_per_second": batch / median,
        "generate64_seconds_median": generate64,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"median {median:.4f} s/iteration, {batch / median:.1f} images/s, generate 64: {generate64:.4f} s")
        print(f"BLAS: {result['blas']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
