// Opens the LibTorch plugin on first use: beside the running program, then where the build put
// it, then by name (the loader's search path). Loading torch costs about a second and 150 MB,
// which only the commands that use a network should pay.
#include <dlfcn.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "surrogates/network.hpp"

#ifndef LINETWIN_TORCH_PLUGIN
#define LINETWIN_TORCH_PLUGIN "liblinetwin_torch.so"
#endif

namespace linetwin::surrogates::detail {
namespace {

constexpr const char* kPluginName = "liblinetwin_torch.so";

const Backend* open_backend() {
  std::vector<std::string> candidates;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) candidates.push_back((self.parent_path() / kPluginName).string());
  candidates.push_back(LINETWIN_TORCH_PLUGIN);
  candidates.push_back(kPluginName);
  std::string why;
  for (const auto& path : candidates) {
    if (path.find('/') != std::string::npos && !std::filesystem::exists(path, ec)) continue;
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      why = dlerror();
      continue;
    }
    using Entry = const Backend* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "linetwin_torch_backend"));
    if (entry) return entry();
    why = path + " has no entry point linetwin_torch_backend";
  }
  throw std::runtime_error("cannot load the neural-network plugin " + std::string(kPluginName) +
                           " (it is built beside linetwin): " + (why.empty() ? "not found" : why));
}

}  // namespace

const Backend& backend() {
  static std::once_flag once;
  static const Backend* loaded = nullptr;
  std::call_once(once, [] { loaded = open_backend(); });
  return *loaded;
}

}  // namespace linetwin::surrogates::detail
