#pragma once
// Precompiled for every test: LibTorch and Catch2 only, so editing a tl header does not rebuild the PCH.
// LibTorch first: it pulls in glog, whose CHECK macro would otherwise replace Catch's CHECK silently.
#include <torch/torch.h>
#include <catch2/catch.hpp>
