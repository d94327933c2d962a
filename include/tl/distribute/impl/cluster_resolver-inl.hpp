#pragma once
#include <tl/distribute/cluster_resolver.hpp>

#include <tl/core/errors.hpp>
#include <tl/core/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <tuple>
#include <utility>

namespace tl::distribute {

namespace detail {

/// TF's task types (tensorflow/python/distribute/multi_worker_util.py), as Python prints the tuple.
inline constexpr const char* kTaskTypes = "('chief', 'worker', 'evaluator', 'ps', None)";

TL_INLINE bool allowed_task_type(const std::string& t) {
  return t == "chief" || t == "worker" || t == "evaluator" || t == "ps";
}

/// An integer from an environment variable; ValueError naming the variable otherwise.
TL_INLINE int env_integer(const std::string& name, const std::string& text) {
  size_t used = 0;
  long value = 0;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  tl::detail::check(used == text.size() && !text.empty() && value >= INT32_MIN && value <= INT32_MAX,
                    "tl.distribute: " + name + "=" + text + " is not an integer");
  return static_cast<int>(value);
}

TL_INLINE bool loopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1" || host == "[::1]";
}

/// "host:port" (an IPv6 host in brackets) -> host and port; ValueError naming the entry otherwise.
TL_INLINE std::pair<std::string, int> split_address(const std::string& address, const std::string& where) {
  const auto colon = address.rfind(':');
  const std::string bad = "tl.distribute: TF_CONFIG " + where + " = \"" + address + "\" is not \"host:port\"";
  tl::detail::check(colon != std::string::npos && colon > 0 && colon + 1 < address.size(), bad);
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port_text = address.substr(colon + 1);
  tl::detail::check(std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                        port_text.size() <= 5,
                    bad);
  const int port = std::stoi(port_text);
  tl::detail::check(port >= 1 && port <= 65535, "tl.distribute: TF_CONFIG " + where + " = \"" + address +
                                                    "\": the port must be between 1 and 65535");
  return {host, port};
}

TL_INLINE std::string cluster_repr(const json& cluster) { return cluster.dump(); }

}  // namespace detail

TL_INLINE std::vector<std::string> ClusterSpec::jobs() const {
  std::vector<std::string> out;
  for (const auto& [job, tasks] : jobs_) out.push_back(job);
  return out;
}

TL_INLINE int ClusterSpec::num_tasks(const std::string& job) const {
  const auto it = jobs_.find(job);
  return it == jobs_.end() ? 0 : static_cast<int>(it->second.size());
}

TL_INLINE const std::string& ClusterSpec::task_address(const std::string& job, int task_index) const {
  const auto it = jobs_.find(job);
  tl::detail::check(it != jobs_.end(), "No such job in cluster: " + job);
  tl::detail::check(task_index >= 0 && task_index < static_cast<int>(it->second.size()),
                    "No task with index " + std::to_string(task_index) + " in job " + job);
  return it->second[static_cast<size_t>(task_index)];
}

TL_INLINE std::string ClusterResolver::master() const {
  if (world_size <= 1 && master_addr.empty()) return "";
  const bool v6 = master_addr.find(':') != std::string::npos;
  return (v6 ? "[" + master_addr + "]" : master_addr) + ":" + std::to_string(master_port);
}

TL_INLINE ClusterResolver ClusterResolver::from_tf_config(const std::string& tf_config) {
  json config;
  try {
    config = json::parse(tf_config);
  } catch (const std::exception& e) {
    throw ValueError(std::string("tl.distribute: TF_CONFIG is not valid JSON: ") + e.what());
  }
  tl::detail::check(config.is_object(), "tl.distribute: TF_CONFIG must be a JSON object with \"cluster\" and "
                                        "\"task\", got " + config.dump());
  ClusterResolver r;
  r.environment = "TF_CONFIG";
  if (!config.contains("cluster") || config["cluster"].is_null() || config["cluster"].empty())
    return r;  // as Keras: no cluster, one local worker
  const json& cluster = config["cluster"];
  tl::detail::check(cluster.is_object(), "tl.distribute: TF_CONFIG \"cluster\" must be an object of jobs, got " +
                                             cluster.dump());
  // TF's _validate_cluster_spec, in its order, with its messages.
  for (const auto& [job, tasks] : cluster.items())
    tl::detail::check(detail::allowed_task_type(job), std::string("Disallowed task type found in cluster spec. Allowed "
                                                                   "types are ") + detail::kTaskTypes +
                                                          " and the cluster spec is " + detail::cluster_repr(cluster) +
                                                          ".");
  const json task = config.contains("task") ? config["task"] : json();
  tl::detail::check(task.is_object() && task.contains("type") && task.contains("index"),
                    "When `cluster_spec` is given, you must also specify `task_type` and `task_id`.");
  tl::detail::check(task["type"].is_string(), "tl.distribute: TF_CONFIG task.type must be a string, got " +
                                                  task["type"].dump());
  r.task_type = task["type"].get<std::string>();
  tl::detail::check(detail::allowed_task_type(r.task_type),
                    "Unrecognized task_type: " + r.task_type + ", valid task types are: " + detail::kTaskTypes);
  tl::detail::check(r.task_type != "ps" && r.task_type != "evaluator",
                    "tl.distribute: MultiWorkerMirroredStrategy runs 'chief' and 'worker' tasks; task type '" +
                        r.task_type + "' is for " +
                        (r.task_type == "ps" ? "ParameterServerStrategy, which tl does not have"
                                             : "a side-car evaluator, which tl does not have"));
  tl::detail::check(task["index"].is_number_integer() && task["index"].get<int64_t>() >= 0,
                    "tl.distribute: TF_CONFIG task.index must be an integer >= 0, got " + task["index"].dump());
  r.task_id = static_cast<int>(task["index"].get<int64_t>());
  tl::detail::check(cluster.contains(r.task_type), "`task_type` '" + r.task_type + "' not found in cluster_spec.");
  std::map<std::string, std::vector<std::string>> jobs;
  std::map<std::string, std::string> seen;  // address -> where
  for (const auto& [job, tasks] : cluster.items()) {
    const std::string list_error = "tl.distribute: TF_CONFIG cluster." + job + " must be a list of \"host:port\" "
                                   "strings, got " + tasks.dump();
    tl::detail::check(tasks.is_array(), list_error);
    auto& addresses = jobs[job];
    for (size_t i = 0; i < tasks.size(); ++i) {
      tl::detail::check(tasks[i].is_string(), list_error);
      const auto address = tasks[i].get<std::string>();
      const std::string where = "cluster." + job + "[" + std::to_string(i) + "]";
      detail::split_address(address, where);
      const auto [it, fresh] = seen.emplace(address, where);
      tl::detail::check(fresh, "tl.distribute: TF_CONFIG " + where + " = \"" + address + "\" appears twice (" +
                                   it->second + " and " + where + ")");
      addresses.push_back(address);
    }
  }
  tl::detail::check(jobs["chief"].size() <= 1, "There must be at most one 'chief' job.");
  tl::detail::check(r.task_id < static_cast<int>(jobs[r.task_type].size()),
                    "The `task_id` " + std::to_string(r.task_id) + " exceeds the maximum id of " + r.task_type + ".");
  if (jobs["chief"].empty()) jobs.erase("chief");
  r.cluster = ClusterSpec(jobs);
  // TF's id_in_cluster: the chief is 0, worker i is i + (number of chiefs); evaluators do not train.
  const int chiefs = r.cluster.num_tasks("chief");
  r.world_size = chiefs + r.cluster.num_tasks("worker");
  r.rank = r.task_type == "chief" ? 0 : r.task_id + chiefs;
  const auto& rank0 = chiefs ? r.cluster.task_address("chief", 0) : r.cluster.task_address("worker", 0);
  std::tie(r.master_addr, r.master_port) = detail::split_address(rank0, chiefs ? "cluster.chief[0]" : "cluster.worker[0]");
  r.own_host = detail::split_address(r.cluster.task_address(r.task_type, r.task_id), "task").first;
  return r;
}

TL_INLINE ClusterResolver ClusterResolver::from_variables(
    const std::function<std::optional<std::string>(const std::string&)>& getenv) {
  auto get = [&](const std::string& name) -> std::optional<std::string> {
    auto v = getenv(name);
    if (v && v->empty()) return std::nullopt;
    return v;
  };
  const auto rank = get("RANK"), world = get("WORLD_SIZE");
  const std::string hint = " (torchrun sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT)";
  tl::detail::check(rank.has_value() == world.has_value(),
                    std::string("tl.distribute: ") + (rank ? "RANK is set but WORLD_SIZE is not" :
                                                             "WORLD_SIZE is set but RANK is not") + hint);
  std::optional<ClusterResolver> torchrun;
  if (rank) {
    ClusterResolver r;
    r.environment = "torchrun";
    r.rank = detail::env_integer("RANK", *rank);
    r.world_size = detail::env_integer("WORLD_SIZE", *world);
    tl::detail::check(r.world_size >= 1, "tl.distribute: WORLD_SIZE=" + *world + " must be at least 1");
    tl::detail::check(r.rank >= 0 && r.rank < r.world_size,
                      "tl.distribute: RANK=" + *rank + " is not below WORLD_SIZE=" + *world + " (ranks are 0.." +
                          std::to_string(r.world_size - 1) + ")");
    r.task_id = r.rank;
    if (auto local = get("LOCAL_RANK")) r.local_rank = detail::env_integer("LOCAL_RANK", *local);
    if (auto restarts = get("TORCHELASTIC_RESTART_COUNT"))
      r.restart_count = detail::env_integer("TORCHELASTIC_RESTART_COUNT", *restarts);
    const auto agent = get("TORCHELASTIC_USE_AGENT_STORE");
    r.agent_store = agent && (*agent == "True" || *agent == "true" || *agent == "1");
    if (r.world_size > 1) {
      const auto addr = get("MASTER_ADDR"), port = get("MASTER_PORT");
      tl::detail::check(addr.has_value(), "tl.distribute: RANK and WORLD_SIZE are set but MASTER_ADDR is not" + hint);
      tl::detail::check(port.has_value(), "tl.distribute: RANK and WORLD_SIZE are set but MASTER_PORT is not" + hint);
      r.master_addr = *addr;
      r.master_port = detail::env_integer("MASTER_PORT", *port);
      tl::detail::check(r.master_port >= 1 && r.master_port <= 65535,
                        "tl.distribute: MASTER_PORT=" + *port + " must be between 1 and 65535");
      if (detail::loopback(r.master_addr)) r.own_host = "127.0.0.1";
    }
    torchrun = r;
  }
  if (auto tf_config = get("TF_CONFIG")) {
    auto r = from_tf_config(*tf_config);
    if (torchrun && r.world_size > 1)
      tl::detail::check(torchrun->rank == r.rank && torchrun->world_size == r.world_size,
                        "tl.distribute: TF_CONFIG makes this worker rank " + std::to_string(r.rank) + " of " +
                            std::to_string(r.world_size) + " but RANK=" + *rank + " and WORLD_SIZE=" + *world +
                            " say otherwise; set one of the two conventions");
    if (torchrun) r.local_rank = torchrun->local_rank;
    if (r.world_size > 1 || !torchrun) return r;
  }
  if (torchrun) return *torchrun;
  return ClusterResolver{};
}

TL_INLINE ClusterResolver ClusterResolver::from_environment() {
  return from_variables([](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  });
}

}  // namespace tl::distribute
