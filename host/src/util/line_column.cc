#include "util/line_column.h"

#include <algorithm>

namespace phiguard::util {
namespace {

bool StartsCodePoint(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) != 0x80; }

}  // namespace

LineColumn LineColumnCursor::At(std::size_t offset) {
  offset = std::min(offset, text_.size());
  if (offset < offset_) {
    // Back: lines crossed lower the line number; the column is counted from the line start.
    for (std::size_t i = offset; i < offset_; ++i) {
      if (text_[i] == '\n') --position_.line;
    }
    const std::size_t newline =
        offset == 0 ? std::string_view::npos : text_.rfind('\n', offset - 1);
    const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
    position_.column = 1;
    offset_ = line_start;
  }
  for (; offset_ < offset; ++offset_) {
    if (text_[offset_] == '\n') {
      ++position_.line;
      position_.column = 1;
    } else if (StartsCodePoint(text_[offset_])) {
      ++position_.column;
    }
  }
  return position_;
}

}  // namespace phiguard::util
