// Result<T>: a value or an Error a user caused (a bad scenario, flag, instance or file), carrying
// where it happened and what was expected. Standard library only. Not for programmer mistakes:
// those are assertions.
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace linetwin {

/// Where and why user input was refused; message() makes the one sentence the user reads.
struct Error {
  std::string file;      // file name, or the command ("linetwin run") or flag ("--set")
  int line = 0;          // 1-based; 0 when unknown
  int column = 0;        // 1-based; 0 when unknown
  std::string key;       // the offending key path, e.g. "stations.m2.machines"
  std::string what;      // what was expected and what was found
  bool system = false;   // the machine failed (disk full, output closed), not the input: exit 1, not 2

  /// Input refused as a whole: `where` is a file, a command ("linetwin run") or a flag.
  [[nodiscard]] static Error in(std::string where, std::string what) {
    return {std::move(where), 0, 0, {}, std::move(what)};
  }
  /// A key of a file whose line is not known.
  [[nodiscard]] static Error at_key(std::string file, std::string key, std::string what) {
    return {std::move(file), 0, 0, std::move(key), std::move(what)};
  }
  /// A place in a file: line and column 1-based, 0 when unknown; `key` may be empty.
  [[nodiscard]] static Error at(std::string file, int line, int column, std::string key, std::string what) {
    return {std::move(file), line, column, std::move(key), std::move(what)};
  }

  /// A failure of the machine rather than of the input (a write refused for a full disk).
  [[nodiscard]] static Error system_failure(std::string where, std::string what) {
    return {std::move(where), 0, 0, {}, std::move(what), true};
  }

  /// "FILE:LINE:COL: key 'KEY': WHAT" with the unknown parts left out.
  [[nodiscard]] std::string message() const {
    std::string s = file;
    if (line > 0) {
      s += ':';
      s += std::to_string(line);
      if (column > 0) {
        s += ':';
        s += std::to_string(column);
      }
    }
    if (!s.empty()) s += ": ";
    if (!key.empty()) {
      s += "key '";
      s += key;
      s += "': ";
    }
    s += what;
    return s;
  }
};

/// A value of type T or an Error. Discarding one drops an error unseen, so the compiler warns.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace linetwin
