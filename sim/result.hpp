// Result<T>: a value or an error a user caused (bad scenario, bad flag). Standard library only.
// Not for programmer mistakes: those are assertions.
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace linetwin {

/// Where and why user input was refused; message() makes the one sentence the user reads.
struct Error {
  std::string file;      // file name, or "--set" / "command line"
  int line = 0;          // 1-based; 0 when unknown
  int column = 0;        // 1-based; 0 when unknown
  std::string key;       // the offending key path, e.g. "stations.m2.machines"
  std::string what;      // what was expected and what was found

  /// "FILE:LINE:COL: key 'KEY': WHAT" with the unknown parts left out.
  std::string message() const {
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

/// A value of type T or an Error.
template <class T>
class Result {
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
