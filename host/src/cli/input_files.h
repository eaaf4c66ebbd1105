#pragma once
// Reading the CLI's inputs: named files, or standard input for none or "-".

#include <optional>
#include <string>
#include <vector>

namespace phiguard::cli {

struct InputText {
  std::string name;  // the path as given, or "<stdin>"
  std::string text;
};

// Reads one input; on failure returns nullopt and fills `error` with a one-line reason.
std::optional<InputText> ReadInput(const std::string& path, std::string& error);

// The inputs to read: `paths`, or standard input when it is empty.
std::vector<std::string> InputsOrStdin(const std::vector<std::string>& paths);

}  // namespace phiguard::cli
