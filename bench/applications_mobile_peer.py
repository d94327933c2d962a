"""PyTorch's side of bench/applications_mobile.sh: torchvision's mobilenet_v2 / efficientnet_b0 without their
classifier (features + global average pooling, as Keras's include_top=False, pooling="avg"), eval and
inference_mode, batch 16 at 224, random weights. Prints `RESULT,<benchmark>,<impl>,<value>,<unit>,<note>` lines.

  applications_mobile_peer.py mobilenet_v2|efficientnet_b0 MODE ITERS    MODE: channels_last | jit
"""
import os
import sys
import time

BATCH = 16
SIZE = 224


def result(bench, impl, value, unit, note=""):
    print(f"RESULT,{bench},{impl},{value:.6g},{unit},{note}", flush=True)


def count_macs(model):
    """Multiply-accumulates per image of every Conv2d (depthwise included) and Linear, from a traced forward."""
    import torch
    macs = []

    def hook(module, inputs, output):
        macs.append(output[0].numel() * module.weight[0].numel())  # (in / groups) * kh * kw per output
    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    with torch.inference_mode():
        model(torch.zeros(1, 3, SIZE, SIZE))
    for h in handles:
        h.remove()
    return sum(macs)


def main(which, mode, iters):
    import torch
    import torchvision
    # Debian's torch starts with one thread; tl uses OMP_NUM_THREADS (the script's default: every core).
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", os.cpu_count())))
    torch.set_flush_denormal(True)          # random weights: keep denormals from skewing either side
    model = getattr(torchvision.models, which)()
    model.classifier = torch.nn.Identity()
    model = model.eval()
    result(which + "_macs", "torchvision", count_macs(model), "MAC/img", "Conv2d+Linear via forward hooks")
    model = model.to(memory_format=torch.channels_last)
    x = (torch.rand(BATCH, 3, SIZE, SIZE) * 255).contiguous(memory_format=torch.channels_last)
    if mode == "jit":
        model = torch.jit.freeze(torch.jit.script(model))  # folds BatchNorm into the convolutions
    with torch.inference_mode():
        for _ in range(3):
            model(x)
        wall, cpu = [], []
        for _ in range(iters):
            start, cpu_start = time.perf_counter(), time.process_time()
            model(x)
            cpu.append(time.process_time() - cpu_start)
            wall.append(time.perf_counter() - start)
    wall, cpu = sorted(wall)[len(wall) // 2], sorted(cpu)[len(cpu) // 2]
    kind = "jit.freeze channels_last" if mode == "jit" else "eager channels_last"
    result(which, "torch_" + mode, BATCH / wall, "img/s", f"{kind}; cpu {int(1000 * cpu / BATCH)} ms/img")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
