// The verbs of the command line in one table: each verb's name, what it does, its arguments and
// its flags, written once. main.cpp builds the CLI11 parser, `--help` and `linetwin help` from it;
// the verbs themselves live one per file (cmd_*.cpp) and receive the parsed Args.
#pragma once
#include <string>
#include <vector>

#include "app/args.hpp"

namespace linetwin::cli {

/// One flag of a verb: `--name VALUE` when `value` names the value, a switch when it is empty.
struct FlagDef {
  std::string name;   // without the leading "--"
  std::string value;  // the value's name in the help ("N", "FILE.csv"); empty for a switch
  std::string help;
  bool repeatable = false;
};

/// One verb: `linetwin NAME ARGS [flags]`, or a group of sub-verbs (`linetwin surrogate train`).
struct VerbDef {
  std::string name;
  std::string summary;      // one line for `linetwin help`
  std::string arguments;    // the positional arguments as the usage line shows them, e.g. "SCENARIO"
  std::string details;      // a paragraph for `--help`, after the summary
  std::vector<FlagDef> flags;
  int (*run)(const Args&) = nullptr;
  std::vector<VerbDef> subverbs = {};  // non-empty for a group; `run` is then unused
};

/// Every verb of the program, in the order `linetwin help` lists them.
const std::vector<VerbDef>& verb_table();

/// The verb of that name (a sub-verb when `group` is given), or nullptr.
const VerbDef* find_verb(const std::vector<VerbDef>& verbs, const std::string& name);

}  // namespace linetwin::cli
