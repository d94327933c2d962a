"""Prints bench/results.csv as a table of ratios tl / peer, with the machine line and its FP32 peak.
Usage: table.py results.csv. FMA_UNITS (default 2, as on every AVX2/AVX-512 x86 core since Haswell and Zen 2)
overrides the FMA units per core, which /proc/cpuinfo does not tell."""
import csv
import os
import re
import sys


def machine():
    """CPU model, cores, SIMD flags and clock from /proc/cpuinfo, and the FP32 peak derived from them."""
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    flags = info.get("flags", "").split()
    cores = os.cpu_count()
    avx512 = sorted(f for f in flags if f.startswith("avx512"))
    width = 16 if "avx512f" in flags else 8 if "avx2" in flags or "fma" in flags else 4  # fp32 lanes
    fma = int(os.environ.get("FMA_UNITS", 2))
    ghz = float(info.get("cpu MHz", 0)) / 1000
    peak = cores * fma * width * 2 * ghz
    line = (f"machine: {info.get('model name', '?')}, {cores} cores, AVX-512: {' '.join(avx512) or 'none'}"
            f"{', AVX2+FMA' if 'avx2' in flags and 'fma' in flags else ''}, {ghz:.3f} GHz (cpuinfo)\n"
            f"FP32 peak = {cores} cores x {fma} FMA units x {width} lanes x 2 flop/FMA x {ghz:.3f} GHz"
            f" = {peak:.1f} GFLOP/s (FMA units assumed; cpuinfo's clock is nominal: turbo or a hypervisor may differ)")
    return line, peak


def main(path):
    rows = list(csv.DictReader(open(path)))
    value = {(r["benchmark"], r["impl"]): float(r["value"]) for r in rows if r["value"]}
    note = {r["benchmark"]: r["impl"] for r in rows if not r["value"]}
    line, peak = machine()
    print("\n" + line)
    print(f"load average during the run: before {note.get('load_before')}, after {note.get('load_after')}")
    macs = value.get(("resnet50_macs", "tl"))
    tv = value.get(("resnet50_macs", "torchvision"))
    if macs:
        print(f"ResNet50 (no top) at 224: {macs / 1e9:.3f} GMAC/img from tl's layer shapes"
              f" (torchvision hooks: {tv / 1e9 if tv else float('nan'):.3f} incl. its conv/linear), "
              f"= {2 * macs / 1e9:.2f} GFLOP/img counting multiply and add")
    print(f"\n{'benchmark':<16}{'impl':<22}{'value':>10}  {'unit':<8}{'tl/peer':>9}  note")

    def show(bench, impl, ratio=None, extra=""):
        v = value.get((bench, impl))
        if v is None:
            return
        unit = next(r["unit"] for r in rows if r["benchmark"] == bench and r["impl"] == impl)
        text = next(r["note"] for r in rows if r["benchmark"] == bench and r["impl"] == impl)
        print(f"{bench:<16}{impl:<22}{v:>10.2f}  {unit:<8}{ratio if ratio else '':>9}  {text}{extra}")

    def ratio(bench, tl, peer, higher_is_better=True):
        a, b = value.get((bench, tl)), value.get((bench, peer))
        if a is None or b is None:
            return ""
        return f"{(a / b if higher_is_better else b / a):.2f}x"

    tl_fwd = value.get(("forward", "tl"))
    for impl in ["tl", "torch_nchw", "torch_channels_last", "torch_jit"]:
        v = value.get(("forward", impl))
        flops = f", {v * 2 * macs / 1e9:.1f} GFLOP/s = {v * 2 * macs / 1e9 / peak:.0%} of peak" if v and macs else ""
        show("forward", impl, ratio("forward", "tl", impl) if impl != "tl" and tl_fwd else None, flops)
    show("forward", "tl_mixed_bfloat16", ratio("forward", "tl_mixed_bfloat16", "torch_bf16"),
         f" (vs tl float32: {ratio('forward', 'tl_mixed_bfloat16', 'tl')})")
    show("forward", "torch_bf16")
    for impl in ["tl", "tl_no_cache", "torch"]:
        show("seed_job", impl, ratio("seed_job", impl, "torch", False) if impl != "torch" else None,
             " (ratio: peer time / tl time)" if impl == "tl" else "")
    for impl in ["tl", "torch_nchw", "torch_channels_last"]:
        show("finetune_step", impl, ratio("finetune_step", "tl", impl) if impl != "tl" else None)
    def cpu_ms(bench, impl):
        text = next((r["note"] for r in rows if r["benchmark"] == bench and r["impl"] == impl), "")
        found = re.search(r"cpu ([0-9.]+) ms/img", text)
        return float(found.group(1)) if found else None

    for bench in ["loader", "loader_augment", "loader_large"]:
        peer_cpu = cpu_ms(bench, "keras_preprocessing")
        for impl in ["tl_1w", "tl_2w", "tl_1w_fast", "keras_preprocessing"]:
            mine = cpu_ms(bench, impl)
            per_thread = (f" [per thread, from CPU time: {peer_cpu / mine:.2f}x]"
                          if impl != "keras_preprocessing" and mine and peer_cpu else "")
            show(bench, impl, ratio(bench, impl, "keras_preprocessing") if impl != "keras_preprocessing" else None,
                 per_thread)
    stages = [(r["impl"], float(r["value"])) for r in rows if r["benchmark"] == "loader_stage" and r["value"]]
    if stages:
        print("\nloader stages, one thread's CPU ms per 512x384 JPEG -> 224 (nearest): " +
              ", ".join(f"{impl} {v:.3f}" for impl, v in stages))
    for bench in ["loader", "loader_augment"]:
        for impl in ["tl_1w", "tl_2w", "keras_preprocessing"]:
            show(bench, impl, ratio(bench, impl, "keras_preprocessing") if impl != "keras_preprocessing" else None)
    for r in rows:  # augmentation layers: cost of one batch as a share of the frozen ResNet50 forward (bar: 0.10)
        if r["benchmark"].startswith("augment_") and r["value"]:
            show(r["benchmark"], r["impl"], f"{float(r['value']):.1%}" if r["unit"] == "x forward" else None)
    rounds = sorted({r["impl"] for r in rows if r["benchmark"] == "image_dataset"})
    shares = []
    for impl in rounds:  # image_dataset_from_directory vs flow_from_directory, alternated in one process
        show("image_dataset", impl, ratio("image_dataset", impl, "flow_from_directory"))
        show("flow_from_directory", impl)
        if ("flow_from_directory", impl) in value:
            shares.append(value[("image_dataset", impl)] / value[("flow_from_directory", impl)])
    if shares:
        print(f"image_dataset_from_directory / flow_from_directory, median of {len(shares)} rounds: "
              f"{sorted(shares)[len(shares) // 2]:.2f}x")
    if ("wall", "all") in value:
        print(f"\nwhole run: {value[('wall', 'all')]:.0f} s. Ratios > 1 mean tl is faster. CSV: {path}")


if __name__ == "__main__":
    main(sys.argv[1])
