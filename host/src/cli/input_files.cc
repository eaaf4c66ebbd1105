#include "cli/input_files.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

namespace phiguard::cli {

std::optional<InputText> ReadInput(const std::string& path, std::string& error) {
  std::ostringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
    return InputText{"<stdin>", buffer.str()};
  }
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
