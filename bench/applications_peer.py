"""PyTorch's side of bench/applications.sh: torchvision's VGG16, DenseNet121 and InceptionV3 without their
classifiers, random weights, eval + inference_mode, batch BATCH at the Keras model's default size (224; 299 for
InceptionV3). Prints `RESULT,forward_<model>,torch_<mode>,<img/s>,img/s,<note>` and the model's MACs per image.

  applications_peer.py MODEL MODE ITERS BATCH    MODEL VGG16|DenseNet121|InceptionV3; MODE channels_last|jit

The three are the same architectures as Keras's (same convolutions and shapes; torchvision's DenseNet ends with
its BatchNorm, to which the ReLU Keras's no-top model ends with is added here; torchvision's InceptionV3 is cut
after Mixed_7c, as Keras's no-top model ends).
"""
import os
import sys

from peer import count_macs, median_seconds, result


def build(name):
    import torch
    import torchvision
    if name == "VGG16":
        return torchvision.models.vgg16().features, 224
    if name == "DenseNet121":
        return torch.nn.Sequential(torchvision.models.densenet121().features, torch.nn.ReLU(inplace=True)), 224
    if name == "InceptionV3":
        net = torchvision.models.inception_v3(aux_logits=False, init_weights=False)
        keep = [m for n, m in net.named_children() if n not in ("avgpool", "dropout", "fc", "AuxLogits")]
        return torch.nn.Sequential(*keep), 299
    sys.exit(__doc__)


def main(argv):
    import torch
    if len(argv) != 5:
        sys.exit(__doc__)
    torch.set_num_threads(os.cpu_count())
    torch.set_flush_denormal(True)
    name, mode, iters, batch = argv[1], argv[2], int(argv[3]), int(argv[4])
    model, size = build(name)
    model = model.eval()
    import peer
    peer.SIZE = size  # count_macs traces at this size
    result(name + "_macs", "torchvision", count_macs(model), "MAC/img", "Conv2d+Linear via forward hooks")
    x = (torch.rand(batch, 3, size, size) * 2 - 1).contiguous(memory_format=torch.channels_last)
    model = model.to(memory_format=torch.channels_last)
    if mode == "jit":
        model = torch.jit.freeze(torch.jit.script(model))  # folds BatchNorm into the convolutions
    with torch.inference_mode():
        wall, cpu = median_seconds(2, iters, lambda: model(x))
    kind = "jit.freeze channels_last" if mode == "jit" else "eager channels_last"
    result("forward_" + name, "torch_" + mode, batch / wall, "img/s",
           f"{kind}, batch {batch} at {size}; cpu {int(1000 * cpu / batch)} ms/img")


if __name__ == "__main__":
    main(sys.argv)
