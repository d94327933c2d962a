#pragma once
// Precompiled for every test: the expensive headers, parsed once.
// LibTorch first: it pulls in glog, whose CHECK macro would otherwise replace Catch's CHECK silently.
#include <torch/torch.h>
#include <catch2/catch.hpp>
#include <tl/tl.hpp>
