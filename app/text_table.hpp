// Tables for the terminal: each column as wide as its widest cell, counted as the terminal shows
// it ("±" is one column, as fmt counts it), cells left- or right-aligned, columns two spaces
// apart. Not for machine-read output: that is JSON.
#pragma once
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace linetwin::cli {

/// The columns `s` takes on a terminal, as fmt pads it.
inline size_t display_width(const std::string& s) {
  // fmt pads to a width by display columns; what it adds to reach s.size() columns tells the width.
  return 2 * s.size() - fmt::formatted_size("{:<{}}", s, s.size());
}

class TextTable {
 public:
  enum class Align { kLeft, kRight };
  struct Column {
    std::string heading;
    Align align = Align::kRight;
  };

  explicit TextTable(std::vector<Column> columns, std::string indent = "")
      : columns_(std::move(columns)), indent_(std::move(indent)) {}

  /// Adds a row; a missing cell is blank, an extra one is dropped.
  void add(std::vector<std::string> row) {
    row.resize(columns_.size());
    rows_.push_back(std::move(row));
  }

  /// The heading line and the rows, each ending in a newline, without trailing blanks.
  std::string str() const {
    std::vector<size_t> width(columns_.size());
    for (size_t c = 0; c < columns_.size(); ++c) {
      width[c] = display_width(columns_[c].heading);
      for (const auto& row : rows_) width[c] = std::max(width[c], display_width(row[c]));
    }
    std::string out;
    auto line = [&](auto&& cell) {
      std::string l = indent_;
      for (size_t c = 0; c < columns_.size(); ++c) {
        if (c) l += "  ";
        l += columns_[c].align == Align::kLeft ? fmt::format("{:<{}}", cell(c), width[c])
                                                : fmt::format("{:>{}}", cell(c), width[c]);
      }
      l.erase(l.find_last_not_of(' ') + 1);
      out += l + "\n";
    };
    line([&](size_t c) -> const std::string& { return columns_[c].heading; });
    for (const auto& row : rows_) line([&](size_t c) -> const std::string& { return row[c]; });
    return out;
  }

 private:
  std::vector<Column> columns_;
  std::string indent_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace linetwin::cli
