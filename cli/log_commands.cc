// assay log [ASSESSMENT] | log verify: the hash-chained event log.
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/store.h"
#include "cli.h"
#include "commands.h"

namespace assay::cli {

namespace {

using nlohmann::json;

// ---- log ----------------------------------------------------------------------

std::string Short(const json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

// "RES.1/EU PA1.1 ada" for a rating key, the key itself otherwise.
std::string EntityLabel(const Event& e) {
  if (e.entity != "rating") return e.entity_id;
  try {
    json k = json::parse(e.entity_id);
    std::string who = k[2].get<std::string>();
    return k[0].get<std::string>() + " " + k[1].get<std::string>() + " " + (who.empty() ? "consolidated" : who);
  } catch (const std::exception&) {
    return e.entity_id;
  }
}

// What changed: "value: P -> L; weakness: (none) -> ...".
std::string Change(const Event& e) {
  try {
    json after = json::parse(e.after);
    json before = e.before.empty() ? json::object() : json::parse(e.before);
    std::vector<std::string> parts;
    if (e.action == "import") {
      // One event for a whole batch of ratings (docs/WORKSPACE.md); the
      // entity ID column already names the file.
      auto count = [&](const char* key) { return after.value(key, static_cast<int64_t>(0)); };
      return std::to_string(count("count")) + " ratings (" + std::to_string(count("created")) + " created, " +
             std::to_string(count("updated")) + " updated)";
    }
    if (e.before.empty()) {
      for (const char* key : {"value", "status", "target_level", "title", "name", "kind", "reference", "held_at"})
        if (after.contains(key)) parts.push_back(std::string(key) + " " + Short(after[key]));
      return Join(parts, ", ");
    }
    for (auto it = after.begin(); it != after.end(); ++it)
      if (!before.contains(it.key()) || before[it.key()] != it.value())
        parts.push_back(it.key() + ": " + (before.contains(it.key()) ? Short(before[it.key()]) : "(none)") + " -> " +
                        Short(it.value()));
    for (auto it = before.begin(); it != before.end(); ++it)
      if (!after.contains(it.key())) parts.push_back(it.key() + ": " + Short(it.value()) + " -> (none)");
    return Join(parts, "; ");
  } catch (const std::exception&) {
    return "(unreadable)";
  }
}

// Stored JSON, or the raw text when it does not parse (a tampered row).
json ParseOrText(const std::string& text) {
  try {
    return json::parse(text);
  } catch (const std::exception&) {
    return text;
  }
}

int RunLog(const GlobalOptions& global, const std::string& assessment, const std::string& format) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::vector<Event> events;
    ASSAY_RETURN_IF_ERROR(ws.ReadLog(assessment, &events));
    if (!assessment.empty() && events.empty()) {
      Assessment a;
      ASSAY_RETURN_IF_ERROR(ws.GetAssessment(assessment, &a));  // NotFound with suggestions
    }
    if (format == "json") {
      json out = json::array();
      for (const Event& e : events)
        out.push_back({{"seq", e.seq},
                       {"at", e.at},
                       {"actor", e.actor},
                       {"assessment", e.assessment},
                       {"action", e.action},
                       {"entity", e.entity},
                       {"entity_id", e.entity_id},
                       {"before", e.before.empty() ? json(nullptr) : ParseOrText(e.before)},
                       {"after", ParseOrText(e.after)},
                       {"hash", e.hash}});
      std::cout << out.dump(2) << "\n";
      return Status::OK();
    }
    for (const Event& e : events)
      std::cout << std::left << std::setw(5) << e.seq << " " << e.at << "  " << std::setw(10) << e.actor << " "
                << std::setw(7) << e.action << " " << std::setw(10) << e.entity << " " << std::setw(28) << EntityLabel(e)
                << " " << Change(e) << "\n";
    if (!events.empty()) std::cerr << "head: event " << events.back().seq << " " << events.back().hash << "\n";
    return Status::OK();
  });
}

int RunVerify(const GlobalOptions& global) {
  return WithSession(global, false, [&](Workspace& ws) {
    VerifyReport v;
    Status s = ws.VerifyLog(&v);
    if (!s.ok()) return s;
    std::cout << "ok: " << v.events << " events and " << v.records << " records verified; head event " << v.head_seq
              << " " << v.head_hash << "\n";
    return Status::OK();
  });
}

}  // namespace

void AddLogCommand(CLI::App* log, const GlobalOptions& global, int* exit_code) {
  auto id = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  log->add_option("ASSESSMENT", *id, "Only this assessment's events");
  log->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
  auto* verify = log->add_subcommand("verify", "Verify the whole chain and every record against it (exit 7 if broken)");
  verify->callback([&global, exit_code] { *exit_code = RunVerify(global); });
  log->callback([&global, exit_code, id, format, verify] {
    if (verify->parsed()) return;
    *exit_code = RunLog(global, *id, *format);
  });
}

}  // namespace assay::cli
