#pragma once
#include <tl/preprocessing/image/iterator_options.hpp>

#include <algorithm>
#include <thread>

namespace tl::preprocessing::image::detail {

TL_INLINE int default_workers() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

}  // namespace tl::preprocessing::image::detail
