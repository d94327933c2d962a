"""PyTorch's side of the benchmarks in bench/run.sh (Debian's python3-torch + torchvision, the same LibTorch 1.13
tl runs on), written the way a PyTorch user would. Prints `RESULT,<benchmark>,<impl>,<value>,<unit>,<note>` lines.

  peer.py gen DIR N                 N synthetic 512x384 JPEGs in DIR/{train,test}/{hot_dog,not_hot_dog} (80/20)
  peer.py forward MODE ITERS        torchvision resnet50 without fc, batch 16 at 224; MODE nchw|channels_last|jit|bf16 (channels_last under CPU bf16 autocast)
  peer.py seed DIR EPOCHS           frozen resnet50 + Linear(2048, 2), ImageFolder + DataLoader(2 workers)
  peer.py seed_ddp DIR EPOCHS NPROC THREADS SIZE BATCH   the seed job as NPROC DistributedDataParallel processes
                                    (Gloo) x THREADS threads, global batch BATCH (bench/distributed.sh; NPROC 1: no DDP)
  peer.py finetune MODE ITERS       layer4 (Keras's conv5) + head trained, batch 16; MODE nchw|channels_last
  peer.py loader DIR AUG            keras_preprocessing flow_from_directory over DIR/train (AUG 1: augmented)
  peer.py loader_stages DIR [REPEAT] one thread's CPU time per image in each stage of Keras's loader (PIL)
  peer.py gen_large DIR N           N photo-like JPEGs of 1024x768, 2048x1536 and 4032x3024 in DIR/train/photos
"""
import os
import sys
import time

BATCH = 16
SIZE = 224


def result(bench, impl, value, unit, note=""):
    print(f"RESULT,{bench},{impl},{value:.6g},{unit},{note}", flush=True)


def median_seconds(warmup, iters, step):
    """Wall and process-CPU seconds of one step (medians); CPU time shows the work even on shared cores."""
    for _ in range(warmup):
        step()
    wall, cpu = [], []
    for _ in range(iters):
        start, cpu_start = time.perf_counter(), time.process_time()
        step()
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - start)
    return sorted(wall)[len(wall) // 2], sorted(cpu)[len(cpu) // 2]


def cpu_note(cpu):
    return f"cpu {int(1000 * cpu / BATCH)} ms/img"


def photo(rng, w, h):
    """Photo-like: smooth colour fields with edges and sensor noise (pure noise would decode unusually slowly)."""
    import numpy as np
    from PIL import Image
    low = rng.uniform(0, 255, (6, 8, 3)).astype(np.uint8)
    img = np.asarray(Image.fromarray(low).resize((w, h), Image.BICUBIC), dtype=np.float32)
    x0, y0 = rng.integers(0, w * 25 // 32), rng.integers(0, h * 25 // 32)
    img[y0:y0 + h * 5 // 24, x0:x0 + w * 25 // 128] = rng.uniform(0, 255, 3)
    img += rng.normal(0, 6, img.shape)
    return Image.fromarray(img.clip(0, 255).astype(np.uint8))


def gen(directory, n):
    import numpy as np
    rng = np.random.default_rng(0)
    for i in range(n):
        split = "train" if i % 5 else "test"
        label = ("hot_dog", "not_hot_dog")[i % 2]
        os.makedirs(os.path.join(directory, split, label), exist_ok=True)
        photo(rng, 512, 384).save(os.path.join(directory, split, label, f"{i:04d}.jpg"), quality=90)


def gen_large(directory, n):
    """Larger photos, where the fast JPEG decode (DCT scaling to at least 224) applies: 1/2, 1/4, 1/8."""
    import numpy as np
    rng = np.random.default_rng(1)
    os.makedirs(os.path.join(directory, "train", "photos"), exist_ok=True)
    sizes = [(1024, 768), (2048, 1536), (4032, 3024)]
    for i in range(n):
        w, h = sizes[i % 3]
        photo(rng, w, h).save(os.path.join(directory, "train", "photos", f"{i:04d}_{w}x{h}.jpg"), quality=90)


def backbone():
    import torch
    import torchvision
    model = torchvision.models.resnet50()
    model.fc = torch.nn.Identity()  # include_top=False + global average pooling, as Keras's pooling="avg"
    # Keras's ResNet50 is v1: the stride on each stage's first 1x1 conv. torchvision's is v1.5 (stride on the 3x3,
    # 6 % more multiply-accumulates); moving the strides makes both sides do the same arithmetic.
    for stage in (model.layer2, model.layer3, model.layer4):
        stage[0].conv1.stride, stage[0].conv2.stride = stage[0].conv2.stride, (1, 1)
    return model


def count_macs(model):
    """Multiply-accumulates per image of every Conv2d and Linear, from a traced forward (cross-check of tl's)."""
    import torch
    macs = []

    def hook(module, inputs, output):
        per_output = module.weight[0].numel()  # (in / groups) * kh * kw, or in_features
        macs.append(output[0].numel() * per_output)
    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    with torch.inference_mode():
        model(torch.zeros(1, 3, SIZE, SIZE))
    for h in handles:
        h.remove()
    return sum(macs)


def forward(mode, iters):
    import torch
    model = backbone().eval()
    result("resnet50_macs", "torchvision", count_macs(model), "MAC/img", "Conv2d+Linear via forward hooks")
    x = torch.rand(BATCH, 3, SIZE, SIZE) * 255
    if mode != "nchw":
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    if mode == "jit":
        model = torch.jit.freeze(torch.jit.script(model))  # folds BatchNorm into the convolutions
    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=mode == "bf16"):
        wall, cpu = median_seconds(1 if mode == "bf16" else 3, iters, lambda: model(x))  # bf16: slow, steady
    kind = {"jit": "jit.freeze channels_last", "bf16": "eager channels_last, bf16 autocast"}.get(mode, "eager")
    result("forward", "torch_" + mode, BATCH / wall, "img/s", f"{kind}; {cpu_note(cpu)}")


def _scale_255(t):
    return t * 255  # a module-level function: DataLoader workers and spawned processes pickle the transform


def seed_parts(directory, size):
    """The seed job's datasets (Keras's flow_from_directory: resize, 0..255 floats), frozen base, head, loss."""
    import torch
    import torchvision
    from torchvision import transforms
    transform = transforms.Compose([transforms.Resize((size, size)), transforms.PILToTensor(),
                                    transforms.ConvertImageDtype(torch.float), transforms.Lambda(_scale_255)])
    train = torchvision.datasets.ImageFolder(os.path.join(directory, "train"), transform)
    test = torchvision.datasets.ImageFolder(os.path.join(directory, "test"), transform)
    base = backbone().eval()
    for p in base.parameters():
        p.requires_grad_(False)
    head = torch.nn.Linear(2048, len(train.classes))

    def loss_of(head, x, y):
        with torch.no_grad():
            features = base(x)
        probs = torch.softmax(head(features), 1)
        target = torch.nn.functional.one_hot(y, probs.shape[1]).float()
        return torch.nn.functional.binary_cross_entropy(probs, target), probs
    return train, test, head, loss_of


def seed(directory, epochs):
    import torch
    start = time.perf_counter()
    train, test, head, loss_of_head = seed_parts(directory, SIZE)
    train_loader = torch.utils.data.DataLoader(train, batch_size=BATCH, shuffle=True, num_workers=2)
    test_loader = torch.utils.data.DataLoader(test, batch_size=BATCH, num_workers=2)
    optimizer = torch.optim.Adam(head.parameters(), lr=1e-3)

    def loss_of(x, y):
        return loss_of_head(head, x, y)

    for _ in range(epochs):
        for x, y in train_loader:
            loss, _ = loss_of(x, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            correct = sum(int((loss_of(x, y)[1].argmax(1) == y).sum()) for x, y in test_loader)
    result("seed_job", "torch", time.perf_counter() - start, "s",
           f"{len(train)}+{len(test)} images x {epochs} epochs (last val acc {correct / len(test):.2f})")


def _seed_ddp_worker(rank, directory, epochs, nproc, threads, size, batch, port):
    import torch
    import torch.distributed as dist
    torch.set_num_threads(threads)
    torch.set_flush_denormal(True)
    if nproc > 1:
        os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
        dist.init_process_group("gloo", rank=rank, world_size=nproc)
    torch.manual_seed(1)
    train, test, head, loss_of = seed_parts(directory, size)
    model = torch.nn.parallel.DistributedDataParallel(head) if nproc > 1 else head  # broadcasts rank 0's head
    samplers = [torch.utils.data.distributed.DistributedSampler(d, nproc, rank, shuffle=d is train, seed=1)
                if nproc > 1 else None for d in (train, test)]
    # The global batch, split over the processes (PyTorch's way: each rank its own samples); loading in the
    # training process, as tl's workers do with their threads.
    train_loader = torch.utils.data.DataLoader(train, batch_size=batch // nproc, shuffle=nproc == 1,
                                               sampler=samplers[0])
    test_loader = torch.utils.data.DataLoader(test, batch_size=batch // nproc, sampler=samplers[1])
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        if samplers[0] is not None:
            samplers[0].set_epoch(epoch)
        for x, y in train_loader:
            loss, _ = loss_of(model, x, y)
            optimizer.zero_grad()
            loss.backward()  # DDP: the gradients' all-reduce (mean), bucketed, during backward
            optimizer.step()
        with torch.no_grad():
            correct = torch.tensor(sum(int((loss_of(model, x, y)[1].argmax(1) == y).sum()) for x, y in test_loader))
        if nproc > 1:
            dist.all_reduce(correct)  # the metric over every rank's samples
    if nproc > 1:
        dist.destroy_process_group()


def cpu_seconds():
    """User + system time of this process and of its children that have ended."""
    import resource
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def seed_ddp(directory, epochs, nproc, threads, size, batch):
    import socket
    import torch.multiprocessing as mp
    start, cpu_start = time.perf_counter(), cpu_seconds()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = (directory, epochs, nproc, threads, size, batch, port)
    if nproc == 1:
        _seed_ddp_worker(0, *args)
    else:
        mp.spawn(_seed_ddp_worker, args, nprocs=nproc)
    result("seed_ddp", f"{nproc}x{threads}", time.perf_counter() - start, "s",
           f"cpu {cpu_seconds() - cpu_start:.2f} s (all processes); torch DDP (gloo), {epochs} epochs at {size}, "
           f"global batch {batch}")


def finetune(mode, iters):
    import torch
    model = backbone()
    head = torch.nn.Linear(2048, 2)
    for name, p in model.named_parameters():
        p.requires_grad_(name.startswith("layer4"))
    model.eval()
    model.layer4.train()  # conv5's BatchNorms train (as Keras's trainable ones); the frozen rest stays in inference
    x = torch.rand(BATCH, 3, SIZE, SIZE) * 255
    if mode == "channels_last":
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    y = torch.nn.functional.one_hot(torch.randint(0, 2, (BATCH,)), 2).float()
    params = [p for p in model.parameters() if p.requires_grad] + list(head.parameters())
    optimizer = torch.optim.Adam(params, lr=1e-5)

    def step():
        loss = torch.nn.functional.binary_cross_entropy(torch.softmax(head(model(x)), 1), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    wall, cpu = median_seconds(1, iters, step)
    result("finetune_step", "torch_" + mode, BATCH / wall, "img/s", f"layer4 unfrozen + Adam; {cpu_note(cpu)}")


def loader(directory, augment):
    from keras_preprocessing.image import ImageDataGenerator
    options = dict(rotation_range=20, zoom_range=0.2, horizontal_flip=True) if augment else {}
    it = ImageDataGenerator(**options).flow_from_directory(os.path.join(directory, "train"),
                                                            target_size=(SIZE, SIZE), batch_size=32, seed=1)
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(len(it)):
        it[i]
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    name = os.environ.get("BENCH_NAME") or ("loader_augment" if augment else "loader")
    result(name, "keras_preprocessing", it.samples / wall, "img/s",
           f"{it.samples} JPEGs; cpu {1e3 * cpu / it.samples:.3f} ms/img = {it.samples / cpu:.0f} img/s per thread")


def loader_stages(directory, repeat):
    """Keras's load_img + img_to_array stage by stage (thread CPU, best of `repeat` passes), as tl_bench's."""
    import glob
    import numpy as np
    from PIL import Image
    from keras_preprocessing.image import img_to_array, load_img
    files = sorted(glob.glob(os.path.join(directory, "train", "*", "*")))
    clock = time.thread_time
    batch = np.zeros((32, SIZE, SIZE, 3), dtype="float32")
    best = {}
    for _ in range(repeat):
        t = dict.fromkeys(["open+decode", "convert", "resize", "to_batch", "load_img_total"], 0.0)
        for k, f in enumerate(files):
            a = clock()
            im = Image.open(f)
            im.load()
            b = clock()
            if im.mode != "RGB":
                im = im.convert("RGB")
            c = clock()
            im = im.resize((SIZE, SIZE), Image.NEAREST)
            d = clock()
            batch[k % 32] = img_to_array(im)
            e = clock()
            img_to_array(load_img(f, target_size=(SIZE, SIZE)))
            t["load_img_total"] += clock() - e
            t["open+decode"] += b - a
            t["convert"] += c - b
            t["resize"] += d - c
            t["to_batch"] += e - d
        for key, v in t.items():
            best[key] = min(best.get(key, 1e9), v)
    for key, v in best.items():
        result("loader_stage", "keras_" + key, 1e3 * v / len(files), "ms/img",
               f"thread CPU, best of {repeat} passes over {len(files)} JPEGs")


def main(argv):
    import torch
    torch.set_num_threads(os.cpu_count())  # Debian's torch starts with 1 thread; tl uses every core
    torch.set_flush_denormal(True)          # random weights: keep denormals from skewing either side
    if len(argv) < 2:
        sys.exit(__doc__)
    command, args = argv[1], argv[2:]
    if command == "gen":
        gen(args[0], int(args[1]))
    elif command == "forward":
        forward(args[0], int(args[1]))
    elif command == "seed":
        seed(args[0], int(args[1]))
    elif command == "seed_ddp":
        seed_ddp(args[0], *map(int, args[1:6]))
    elif command == "finetune":
        finetune(args[0], int(args[1]))
    elif command == "loader":
        loader(args[0], args[1] == "1")
    elif command == "loader_stages":
        loader_stages(args[0], int(args[1]) if len(args) > 1 else 3)
    elif command == "gen_large":
        gen_large(args[0], int(args[1]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
