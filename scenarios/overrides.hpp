// Private to scenarios/: `--set PATH=VALUE` paths into the YAML tree, shared by overrides and
// factors. A path is dot-separated: a mapping is entered by key, a list by its item's name
// ("stations.m1"), transports by their ends ("transports.m1>m2"), factors by their path
// ("factors.stations.m1.machines.range"), and objective.cost by the factor path it prices.
#pragma once
#include <string>
#include <vector>

#include "scenarios/scenario.hpp"
#include "scenarios/yaml_tree.hpp"

namespace linetwin::scenarios::detail {

/// The node at `path`, or nullptr with the reason in `why`.
const Node* resolve_path(const Node& root, const std::string& path, std::string& why);

/// Applies the overrides in order, each VALUE parsed as YAML; the new nodes remember which
/// override they came from. Only the last part of a path may name a key that is not there yet.
void apply_overrides(Node& root, const std::vector<Override>& overrides);

}  // namespace linetwin::scenarios::detail
