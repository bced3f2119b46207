// linetwin: the command-line program. Finds the verb in the table (verbs.cpp), parses its flags
// with CLI11 and calls it. Every user error leaves with exit status 2 and one sentence on stderr.
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <exception>
#include <map>
#include <memory>
#include <string>

#include "app/commands.hpp"
#include "app/verbs.hpp"
#include "core/files.hpp"

#ifndef LINETWIN_VERSION
#define LINETWIN_VERSION "0.0"
#endif

namespace linetwin::cli {
namespace {

std::string verb_list(const std::vector<VerbDef>& verbs, const char* last = " and ") {
  std::string s;
  for (size_t i = 0; i < verbs.size(); ++i)
    s += (i == 0 ? "" : i + 1 == verbs.size() ? last : ", ") + verbs[i].name;
  return s;
}

/// `linetwin help`: the verbs with their summaries, from the table.
std::string overview() {
  std::string o =
      "linetwin " LINETWIN_VERSION ": a digital twin of production lines\n\n"
      "usage: linetwin COMMAND [ARGS] [FLAGS]     linetwin COMMAND --help for its flags\n\n";
  auto line = [&](const std::string& usage, const std::string& summary) {
    o += "  " + usage + std::string(usage.size() < 34 ? 34 - usage.size() : 1, ' ') + summary + "\n";
  };
  for (const auto& v : verb_table()) {
    if (v.subverbs.empty()) line(v.name + " " + v.arguments, v.summary);
    for (const auto& s : v.subverbs) line(v.name + " " + s.name + " " + s.arguments, s.summary);
  }
  line("help [COMMAND]", "this text, or a command's flags");
  o += "\nlinetwin --version prints the version. Exit status: 0 success, 2 bad input (scenario, "
       "instance, flag), 1 anything else. docs/commands.md has the details.\n";
  return o;
}

/// CLI11's help with our usage line ("linetwin run SCENARIO [FLAGS]") in place of its generic
/// "[OPTIONS] [arguments...]" and positionals section.
class VerbFormatter : public CLI::Formatter {
 public:
  explicit VerbFormatter(std::string arguments) : arguments_(std::move(arguments)) {}
  std::string make_usage(const CLI::App*, std::string name) const override {
    return "\nUsage: " + name + (arguments_.empty() ? "" : " " + arguments_) + " [FLAGS]\n";
  }
  std::string make_positionals(const CLI::App*) const override { return ""; }

 private:
  std::string arguments_;
};

/// The CLI11 parser of one verb, its options bound to `storage` and `switches`.
void describe(CLI::App& app, const VerbDef& verb, std::vector<std::string>& positional,
              std::map<std::string, std::vector<std::string>>& storage, std::map<std::string, bool>& switches) {
  if (!verb.arguments.empty())
    app.add_option("arguments", positional, verb.arguments)->expected(0, -1)->type_name("");
  for (const auto& f : verb.flags) {
    if (f.value.empty()) {
      app.add_flag("--" + f.name, switches[f.name], f.help)->disable_flag_override();
    } else {
      app.add_option("--" + f.name, storage[f.name], f.help)
          ->type_name(f.value)
          ->expected(1)
          ->take_all()
          ->allow_extra_args(false);
    }
  }
}

/// CLI11's complaint as one sentence of ours, naming the command and where to look.
Error parse_error(const std::string& where, const CLI::ParseError& e) {
  std::string what = e.what();
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    // "--reps: 1 required N missing"
    const auto colon = what.find(':');
    if (colon != std::string::npos && what.rfind("--", 0) == 0)
      what = "option '" + what.substr(0, colon) + "' needs a value";
  } else if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    const auto colon = what.find(": ");
    const std::string extra = colon == std::string::npos ? what : what.substr(colon + 2);
    what = extra.rfind("-", 0) == 0 ? "unknown option '" + extra + "'" : "unexpected argument '" + extra + "'";
  }
  if (!what.empty() && what.back() == '.') what.pop_back();
  return Error::in(where, what + "; 'linetwin " + where.substr(std::string("linetwin ").size()) +
                                    " --help' lists its flags");
}

/// Parses argv[first..] for `verb` and runs it.
int run_verb(const VerbDef& verb, const std::string& command, int argc, char** argv, int first) {
  Args args;
  args.command = command;
  const std::string where = "linetwin " + command;
  CLI::App app{verb.summary + (verb.details.empty() ? "" : "\n\n" + verb.details), where};
  auto formatter = std::make_shared<VerbFormatter>(verb.arguments);
  formatter->column_width(30);
  app.formatter(formatter);
  std::map<std::string, bool> switches;
  describe(app, verb, args.positional, args.values, switches);
  try {
    // CLI11 takes argv[0] as the program's name: hand it the verb's own.
    std::vector<const char*> rest{where.c_str()};
    for (int i = first; i < argc; ++i) rest.push_back(argv[i]);
    app.parse(static_cast<int>(rest.size()), rest.data());
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return 0;
  } catch (const CLI::ParseError& e) {
    return fail(parse_error(where, e));
  }
  for (const auto& f : verb.flags) {
    const auto it = args.values.find(f.name);
    if (it == args.values.end()) continue;
    if (it->second.empty()) {
      args.values.erase(it);
    } else if (!f.repeatable && it->second.size() > 1) {
      return fail(Error::in(where, "option '--" + f.name + "' is given twice"));
    }
  }
  for (const auto& [name, on] : switches)
    if (on) args.switches[name] = true;
  return verb.run(args);
}

int dispatch(int argc, char** argv) {
  const auto& verbs = verb_table();
  const std::string name = argc > 1 ? argv[1] : "";
  if (name.empty()) {
    std::fputs(overview().c_str(), stderr);
    return 2;
  }
  if (name == "--version" || name == "version") {
    std::puts("linetwin " LINETWIN_VERSION);
    return 0;
  }
  if (name == "help" || name == "--help" || name == "-h") {
    if (argc > 2 && name == "help") {
      // `linetwin help run` is `linetwin run --help`.
      std::vector<char*> again{argv[0]};
      for (int i = 2; i < argc; ++i) again.push_back(argv[i]);
      char help[] = "--help";
      again.push_back(help);
      return dispatch(static_cast<int>(again.size()), again.data());
    }
    std::fputs(overview().c_str(), stdout);
    return 0;
  }
  const VerbDef* verb = find_verb(verbs, name);
  if (!verb)
    return fail(Error::in("linetwin", "unknown command '" + name + "'; the commands are " + verb_list(verbs) +
                                                " ('linetwin help' says what each does)"));
  if (verb->subverbs.empty()) return run_verb(*verb, name, argc, argv, 2);
  const std::string sub = argc > 2 ? argv[2] : "";
  if (sub == "--help" || sub == "-h" || sub.empty()) {
    std::string o = "linetwin " + name + ": " + verb->summary + "\n\n";
    for (const auto& s : verb->subverbs)
      o += "  linetwin " + name + " " + s.name + " " + s.arguments + "\n      " + s.summary + "\n";
    o += "\n'linetwin " + name + " SUBCOMMAND --help' lists a subcommand's flags.\n";
    if (sub.empty()) {
      return fail(Error::in("linetwin " + name, "expects " + verb_list(verb->subverbs, " or ") + ", e.g. 'linetwin surrogate train SCENARIO "
                        "--samples 500 --out MODEL'"));
    }
    std::fputs(o.c_str(), stdout);
    return 0;
  }
  const VerbDef* subverb = find_verb(verb->subverbs, sub);
  if (!subverb)
    return fail(Error::in("linetwin " + name, "unknown subcommand '" + sub + "'; expected " + verb_list(verb->subverbs, " or ")));
  return run_verb(*subverb, name + " " + sub, argc, argv, 3);
}

}  // namespace
}  // namespace linetwin::cli

int main(int argc, char** argv) {
  linetwin::remove_temporaries_on_signals();
  try {
    const int status = linetwin::cli::dispatch(argc, argv);
    // What went to stdout must have arrived whole: a full disk or a closed stdout is a failure,
    // never a cut CSV or JSON reported as success.
    std::cout.flush();
    if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
      std::fprintf(stderr, "error: linetwin: writing the output failed (%s)\n", std::strerror(errno ? errno : EIO));
      return 1;
    }
    return status;
  } catch (const std::bad_alloc&) {
    std::fputs("error: out of memory\n", stderr);
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
