#pragma once
// Precompiled for every test: the expensive headers, parsed once.
#include <catch2/catch.hpp>
#include <torch/torch.h>
#include <tl/tl.hpp>
