#pragma once
// Errors as values at the boundaries (after re2's ErrorCode/ok()/error()).

#include <string>
#include <utility>
#include <variant>

namespace phiguard::util {

// An error a person can act on: where it is and what is wrong, in one line.
struct Error {
  std::string where;   // "rules/packs/x.json: phi.ssn" or a file name; may be empty
  std::string reason;  // what is wrong, never the text being scanned
  std::string Describe() const { return where.empty() ? reason : where + ": " + reason; }
};

// A value or the error that prevented it.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit by design
  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace phiguard::util
