#pragma once
#include <tl/models/detail/data_parallel.hpp>

namespace tl::models::detail {

TL_INLINE DataParallel::~DataParallel() = default;

TL_INLINE const ReplicaFactory*& replica_factory_slot() {
  thread_local const ReplicaFactory* slot = nullptr;
  return slot;
}

TL_INLINE const ReplicaFactory* current_replica_factory() { return replica_factory_slot(); }

TL_INLINE const ReplicaFactory* set_replica_factory(const ReplicaFactory* factory) {
  const auto* previous = replica_factory_slot();
  replica_factory_slot() = factory;
  return previous;
}

}  // namespace tl::models::detail
