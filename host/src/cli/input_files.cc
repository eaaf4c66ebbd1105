#include "cli/input_files.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace phiguard::cli {
namespace {

// Standard input in large reads: std::cin's buffer, synchronised with stdio, hands over
// one character at a time, which cost more than scanning a bulk `--jsonl` export.
std::optional<std::string> ReadStandardInput(std::string& error) {
  std::string text;
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof(chunk));
    if (n > 0) {
      text.append(chunk, static_cast<std::size_t>(n));
    } else if (n == 0) {
      return text;
    } else if (errno != EINTR) {
      error = std::string("cannot read standard input: ") + std::strerror(errno);
      return std::nullopt;
    }
  }
}

}  // namespace

std::optional<InputText> ReadInput(const std::string& path, std::string& error) {
  if (path == "-") {
    auto text = ReadStandardInput(error);
    if (!text) return std::nullopt;
    return InputText{"<stdin>", std::move(*text)};
  }
  std::ostringstream buffer;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read '" + path + "': " + std::strerror(errno);
    return std::nullopt;
  }
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "cannot read '" + path + "': read error";
    return std::nullopt;
  }
  return InputText{path, buffer.str()};
}

std::vector<std::string> InputsOrStdin(const std::vector<std::string>& paths) {
  return paths.empty() ? std::vector<std::string>{"-"} : paths;
}

}  // namespace phiguard::cli
