// Status: the outcome of an engine operation.
//
// Every public engine function that can fail returns a Status (or fills one).
// A Status is ok() or carries a Code and a message that names the place of the
// problem ("models/x.json: /processes/3: expected array, got string").
// Exceptions thrown by the libraries the engine uses (SQLiteCpp, nlohmann::json,
// Boost) are caught inside the engine and never cross this boundary.
//
// An error may also say what it is about (subject()): the kind of record,
// the offending ID and the nearest valid IDs, and a reason token. The engine
// never words a command of the `assay` executable; front ends (cli/, the
// server) read the subject to add their own hints ("create one with ...").
//
// Diagnostic (below): one located problem of an input file, for the calls
// that report every problem of a file rather than the first.
//
// Thread safety: a Status is a value; distinct objects may be used concurrently.
#ifndef ASSAY_STATUS_H_
#define ASSAY_STATUS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace assay {

class Status {
 public:
  // The front ends map each code onto their own outcome (the `assay`
  // executable's exit codes are one table in cli/).
  enum class Code {
    kOk = 0,
    kInvalidInput,   // a file or value the user gave is malformed or inconsistent
    kNotFound,       // an ID, file or workspace does not exist
    kChecksFailed,   // the input is valid but a check the user asked for failed
    kIOError,        // the file system or the database could not be used
    kCorruption,     // stored data does not match what was written (log chain)
    kUnsupported,    // e.g. a workspace written by a newer assay
    // The signed-in account may not do this (a workspace with accounts;
    // docs/ACCOUNTS.md). The attempt is in the log.
    kPermissionDenied,
    // A write that named the version it was based on, and the stored
    // version is another (someone else wrote meanwhile). Nothing written.
    kConflict,
  };

  // What an error is about. Every field is optional.
  struct Subject {
    // The kind of thing: "workspace", "assessment", "scope", "unit",
    // "instance", "person", "interview", "evidence", "rating", "process",
    // "item", "model", "client", "site", "certificate", "audit", "finding",
    // "nc", "clause", "policy", "file", "option".
    std::string kind;
    std::string id;                    // the offending ID or path, as given
    std::vector<std::string> nearest;  // nearest valid IDs, best first
    // Why, as a token the front ends map to a hint:
    //   "missing"      no such thing (none of this kind exists when nearest is empty)
    //   "none-yet"     none of `kind` exists yet in the assessment or workspace
    //   "not-in-scope" a process not in the assessment's scope
    //   "frozen"       the assessment or audit is reported/closed: id is its ID
    //   "conflict"     differs from what is already recorded (id: the field;
    //                  nearest: the value given, when it is a setting)
    //   "required"     a value the operation needs was not given (nearest:
    //                  the missing fields, when there are several)
    //   "invalid-pack" a model pack with problems (id: the pack)
    std::string reason;
  };

  Status() = default;

  static Status OK() { return Status(); }
  static Status InvalidInput(std::string msg) { return Status(Code::kInvalidInput, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status ChecksFailed(std::string msg) { return Status(Code::kChecksFailed, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(Code::kUnsupported, std::move(msg)); }
  static Status PermissionDenied(std::string msg) { return Status(Code::kPermissionDenied, std::move(msg)); }
  static Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  const Subject& subject() const { return subject_; }

  // The same status, saying what it is about:
  //   return Status::NotFound("unknown person 'bbo'").About("person", "bbo", nearest);
  Status About(std::string kind, std::string id, std::vector<std::string> nearest = {},
               std::string reason = "missing") && {
    subject_ = Subject{std::move(kind), std::move(id), std::move(nearest), std::move(reason)};
    return std::move(*this);
  }
  Status About(Subject subject) && {
    subject_ = std::move(subject);
    return std::move(*this);
  }

  // The same code and subject with another message (an OK status stays OK):
  //   return s.Reworded("reading " + path + ": " + s.message());
  Status Reworded(std::string msg) const {
    if (ok()) return *this;
    Status out(code_, std::move(msg));
    out.subject_ = subject_;
    return out;
  }

  // "ok", or "<code name>: <message>".
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
  Subject subject_;
};

// Returns from the enclosing function when `expr` is not ok.
#define ASSAY_RETURN_IF_ERROR(expr)        \
  do {                                     \
    ::assay::Status _st = (expr);          \
    if (!_st.ok()) return _st;             \
  } while (0)

}  // namespace assay

// ===========================================================================
// Diagnostic: one problem found in an input file (a model pack, a
// requirement catalogue, an import file), naming the place.
// A Diagnostic is a value; distinct objects may be used concurrently.

namespace assay {

// One problem found in a file.
struct Diagnostic {
  std::string file;
  std::string pointer;  // JSON pointer ("" = the whole document)
  int line = 0;         // 1-based, for syntax errors; 0 when not known
  int column = 0;
  std::string message;

  // "file:line:column: message" or "file: /pointer: message", on one line:
  // control characters (from the input: keys, IDs, values) are shown as \xNN.
  // (Implemented in model_library.cc.)
  std::string ToString() const;
};

}  // namespace assay

#endif  // ASSAY_STATUS_H_
