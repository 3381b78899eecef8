// Errors found at the edges (command line, files, rules). Each carries the
// category that decides the exit status and a message that names the place.
#pragma once

#include <stdexcept>
#include <string>

namespace matchfund {

// Values are the process exit statuses of SPEC section 5.
enum class ErrorKind : int {
  usage = 1,
  rules = 2,
  input = 3,
  io = 4,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }
  int exit_status() const { return static_cast<int>(kind_); }

 private:
  ErrorKind kind_;
};

}  // namespace matchfund
