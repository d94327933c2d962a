#pragma once
// The part of c10d tl::distribute uses, written once for LibTorch 1.13 and 2.x (docs/dev/distributed_research.md,
// section 3). tl talks to the backend objects (ProcessGroupGloo, ProcessGroupNCCL) directly: their collectives have
// the same signatures on 1.13's ProcessGroup and on 2.x's Backend, and tl never builds a 2.x ProcessGroup
// dispatcher, whose Options changed in 2.6. Only this file includes c10d and gloo headers (for communicator-inl.hpp).
//
// TL_HAVE_C10D is 1 when c10d's Gloo backend can be used: USE_C10D_GLOO (which find_package(Torch) puts on
// torch_cpu's interface) and gloo's headers (Debian: libgloo-dev; pip wheels since 2025: <torch>/include/gloo).
// Define TL_NO_DISTRIBUTED to leave it out. TL_HAVE_NCCL: a CUDA LibTorch with NCCL (USE_C10D_NCCL).
#include <torch/version.h>

#if !defined(TL_NO_DISTRIBUTED) && defined(USE_C10D_GLOO) && __has_include(<gloo/algorithm.h>) && \
    __has_include(<torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>)
#define TL_HAVE_C10D 1
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#if defined(USE_C10D_NCCL) && __has_include(<torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>)
#define TL_HAVE_NCCL 1
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#else
#define TL_HAVE_NCCL 0
#endif
#else
#define TL_HAVE_C10D 0
#define TL_HAVE_NCCL 0
#endif

#if TL_HAVE_C10D
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace tl::distribute::detail::c10d_compat {

#if TORCH_VERSION_MAJOR >= 2
using Collectives = c10d::Backend;  // 2.x: ProcessGroupGloo/NCCL derive from Backend (pytorch#88330)
#else
using Collectives = c10d::ProcessGroup;  // 1.13: they derive from ProcessGroup
#endif
using WorkPtr = c10::intrusive_ptr<c10d::Work>;

/// c10d's TCPStore: the rendezvous; `serve` on rank 0 (unless torchrun's agent serves it). The fields are set by
/// name: 2.x added masterListenFd and useLibUV after them.
TL_INLINE c10::intrusive_ptr<c10d::Store> make_store(const std::string& host, int port, bool serve, int world,
                                                     std::chrono::milliseconds timeout) {
  c10d::TCPStoreOptions o;
  o.port = static_cast<std::uint16_t>(port);
  o.isServer = serve;
  o.numWorkers = static_cast<std::size_t>(world);
  o.waitWorkers = false;  // tl's own join check names the workers that did not come (c10d's names none)
  o.timeout = timeout;
  return c10::make_intrusive<c10d::TCPStore>(host, o);
}

TL_INLINE c10::intrusive_ptr<c10d::Store> prefixed(const std::string& prefix, c10::intrusive_ptr<c10d::Store> store) {
  return c10::make_intrusive<c10d::PrefixStore>(prefix, std::move(store));
}

/// A Gloo group whose every collective gives up after `timeout`. Gloo binds to GLOO_SOCKET_IFNAME's interface when
/// set, else to `host` (this worker's address), else to the address of this machine's hostname.
TL_INLINE c10::intrusive_ptr<Collectives> make_gloo(const c10::intrusive_ptr<c10d::Store>& store, int rank, int world,
                                                    std::chrono::milliseconds timeout, const std::string& host) {
  auto o = c10d::ProcessGroupGloo::Options::create(timeout);
  const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
  if (interface && *interface)
    o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
  else if (!host.empty())
    o->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(host));  // 2.x: lazyInit defaults false
  else
    o->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  o->threads = 2;  // two buckets in flight while backward goes on
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, world, o);
}

#if TL_HAVE_NCCL
/// NCCL for CUDA tensors (never compiled on Debian's CPU LibTorch; written from the 1.13 and 2.x headers).
TL_INLINE c10::intrusive_ptr<Collectives> make_nccl(const c10::intrusive_ptr<c10d::Store>& store, int rank, int world,
                                                    std::chrono::milliseconds timeout) {
  auto o = c10d::ProcessGroupNCCL::Options::create();
  o->timeout = timeout;
  return c10::make_intrusive<c10d::ProcessGroupNCCL>(store, rank, world, o);
}
#endif

TL_INLINE c10d::AllreduceOptions sum_options(std::chrono::milliseconds timeout) {
  c10d::AllreduceOptions o;  // by name: 2.x added fields after these
  o.reduceOp = c10d::ReduceOp::SUM;
  o.timeout = timeout;
  return o;
}

TL_INLINE c10d::BroadcastOptions broadcast_options(int root, std::chrono::milliseconds timeout) {
  c10d::BroadcastOptions o;
  o.rootRank = root;
  o.rootTensor = 0;
  o.timeout = timeout;
  return o;
}

}  // namespace tl::distribute::detail::c10d_compat
#endif
