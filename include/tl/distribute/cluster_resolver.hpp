#pragma once
// Who this process is in a multi-worker job, read from the environment as Keras's TFConfigClusterResolver reads
// TF_CONFIG, or from torchrun's variables (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, LOCAL_RANK).
#include <tl/core/config.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tl::distribute {

/// Keras's `tf.train.ClusterSpec`: the "host:port" addresses of each job ("chief", "worker").
///   ClusterSpec spec({{"worker", {"10.0.0.1:2222", "10.0.0.2:2222"}}});
///   spec.num_tasks("worker");   // 2
class ClusterSpec {
 public:
  ClusterSpec() = default;
  explicit ClusterSpec(std::map<std::string, std::vector<std::string>> jobs) : jobs_(std::move(jobs)) {}
  /// The job names, sorted (Keras's `jobs`).
  std::vector<std::string> jobs() const;
  /// Number of tasks of `job`; 0 when the job is absent.
  int num_tasks(const std::string& job) const;
  /// The address of task `task_index` of `job`; ValueError when there is none.
  const std::string& task_address(const std::string& job, int task_index) const;
  /// Keras's `as_dict()`.
  const std::map<std::string, std::vector<std::string>>& as_dict() const { return jobs_; }
  bool empty() const { return jobs_.empty(); }

 private:
  std::map<std::string, std::vector<std::string>> jobs_;
};

/// This worker's place in the job: Keras's `strategy.cluster_resolver` facts (task_type, task_id, cluster_spec(),
/// master()) plus the rank, world size and rendezvous address the c10d runtime needs.
///   auto r = tl::distribute::ClusterResolver::from_environment();
///   if (r.task_type == "worker" && r.task_id == 0) ...;   // Keras's chief test without a "chief" job
struct ClusterResolver {
  std::string task_type = "worker";  ///< "chief" or "worker" (Keras's task_type); "worker" for torchrun's variables
  int task_id = 0;                   ///< index within the task type (Keras's task_id)
  int rank = 0;                      ///< index among all workers: the chief is 0, then the workers in order
  int world_size = 1;                ///< number of workers (Keras's num_replicas_in_sync with one device each)
  int local_rank = 0;                ///< LOCAL_RANK: which GPU of this machine (0 with TF_CONFIG)
  std::string master_addr;           ///< rank 0's host: it serves the rendezvous (c10d's TCPStore)
  int master_port = 0;               ///< ... on this port
  /// This worker's own address for Gloo's connections: its TF_CONFIG host; with torchrun's variables 127.0.0.1
  /// when MASTER_ADDR is a loopback address, else empty (the address this machine's hostname resolves to;
  /// GLOO_SOCKET_IFNAME names an interface instead).
  std::string own_host;
  /// Where the facts were read: "TF_CONFIG", "torchrun", or "" (one process, no cluster).
  std::string environment;
  /// torchrun's agent serves the store (TORCHELASTIC_USE_AGENT_STORE=True): every rank connects as a client.
  bool agent_store = false;
  int restart_count = 0;  ///< TORCHELASTIC_RESTART_COUNT: keys of a restarted job never meet a dead attempt's
  ClusterSpec cluster;    ///< TF_CONFIG's cluster; empty for torchrun's variables (they name rank 0 only)

  /// Keras's `cluster_spec()`.
  const ClusterSpec& cluster_spec() const { return cluster; }
  /// Keras's `master()`: "host:port" of the rendezvous (rank 0); empty for one process.
  std::string master() const;
  /// True for the worker that prints and writes checkpoints (Keras's chief: rank 0).
  bool is_chief() const { return rank == 0; }

  /// The cluster this process belongs to: TF_CONFIG when set and not empty, else torchrun's RANK / WORLD_SIZE /
  /// MASTER_ADDR / MASTER_PORT, else one worker. A TF_CONFIG that contradicts RANK or WORLD_SIZE, a bad TF_CONFIG
  /// and incomplete torchrun variables throw ValueError naming what is wrong.
  static ClusterResolver from_environment();
  /// The same from given variables: `getenv(name)` returns nullopt for an unset variable (tests, launchers).
  static ClusterResolver from_variables(const std::function<std::optional<std::string>(const std::string&)>& getenv);
  /// Parses a TF_CONFIG text ({"cluster": {"worker": ["host:port", ...]}, "task": {"type": "worker", "index": i}}).
  static ClusterResolver from_tf_config(const std::string& tf_config);
};

}  // namespace tl::distribute

#ifdef TL_HEADER_ONLY
#include <tl/distribute/impl/cluster_resolver-inl.hpp>
#endif
