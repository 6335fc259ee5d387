// assay completion bash|zsh and the hidden assay man: the shell completion
// scripts and the manual page assay(1), written from the command table itself
// (CLI11's view of every command, subcommand and option), so that they cannot
// drift from the program. The build runs them (cli/CMakeLists.txt) and
// `cmake --install` installs what they wrote.
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"

namespace assay::cli {

namespace {

// One option or positional argument of a command, as the documents show it.
struct OptionDoc {
  std::vector<std::string> names;  // "-o", "--out"; empty for a positional
  std::string value;               // "FILE", "TEXT", ...; empty for a flag
  std::string help;
  std::vector<std::string> choices;  // from CLI::IsMember
  bool directory = false;            // completes with directory names
  bool required = false;
  bool repeatable = false;
};

// One command ("assay", "assay audit client add") and what it takes.
struct CommandDoc {
  std::string path;
  std::string help;
  std::string footer;
  std::vector<OptionDoc> options;      // named options, --help included
  std::vector<OptionDoc> positionals;  // in order
  std::vector<std::string> subcommands;
  std::vector<std::string> subcommand_help;
};

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep))
    if (!part.empty()) out.push_back(part);
  return out;
}

// CLI11 names an option's value type and appends its validators:
// "TEXT:{table,json}", "DIR", "TEXT:FILE". Splits that into the shown value
// name, the choices and whether a directory is expected.
void ReadTypeName(const std::string& type_name, OptionDoc* doc) {
  std::vector<std::string> parts = Split(type_name, ':');
  doc->value = parts.empty() ? "VALUE" : parts[0];
  for (const std::string& p : parts) {
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') doc->choices = Split(p.substr(1, p.size() - 2), ',');
    if (p == "DIR") doc->directory = true;
    if (p == "DIR" || p == "FILE" || p == "PATH(existing)") doc->value = p == "DIR" ? "DIR" : "FILE";
  }
  if (doc->value == "TEXT" && !doc->choices.empty()) doc->value = "{" + Join(doc->choices, "|") + "}";
}

OptionDoc DescribeOption(const CLI::Option& opt) {
  OptionDoc doc;
  for (const std::string& s : opt.get_snames()) doc.names.push_back("-" + s);
  for (const std::string& l : opt.get_lnames()) doc.names.push_back("--" + l);
  doc.help = opt.get_description();
  doc.required = opt.get_required();
  if (opt.get_expected_max() != 0) ReadTypeName(opt.get_type_name(), &doc);  // not a flag
  if (!opt.nonpositional()) doc.value = opt.get_name(true);
  doc.repeatable = opt.get_items_expected_max() > 1;
  return doc;
}

bool Hidden(const CLI::App& app) { return app.get_group().empty(); }

void Collect(const CLI::App& app, const std::string& path, std::vector<CommandDoc>* out) {
  CommandDoc doc;
  doc.path = path;
  doc.help = app.get_description();
  // A subcommand inherits its parent's footer: shown once, where it is set.
  const CLI::App* parent = app.get_parent();
  if (parent == nullptr || app.get_footer() != parent->get_footer()) doc.footer = app.get_footer();
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    OptionDoc o = DescribeOption(*opt);
    (o.names.empty() ? doc.positionals : doc.options).push_back(std::move(o));
  }
  std::vector<const CLI::App*> subs = app.get_subcommands([](const CLI::App* a) { return !Hidden(*a); });
  for (const CLI::App* sub : subs) {
    doc.subcommands.push_back(sub->get_name());
    doc.subcommand_help.push_back(sub->get_description());
  }
  out->push_back(std::move(doc));
  for (const CLI::App* sub : subs) Collect(*sub, path + " " + sub->get_name(), out);
}

std::vector<CommandDoc> CommandTable(const CLI::App& root) {
  std::vector<CommandDoc> docs;
  Collect(root, "assay", &docs);
  return docs;
}

// --- the manual page --------------------------------------------------------

// Text for roff: backslashes escaped, hyphens made minus signs (so that
// options can be searched and copied), a leading dot or quote neutralised.
std::string Roff(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  std::string lines;
  for (const std::string& line : Split(out, '\n')) {
    lines += (line[0] == '.' || line[0] == '\'') ? "\\&" + line : line;
    lines += '\n';
  }
  if (!lines.empty()) lines.pop_back();
  return lines;
}

// Text whose line breaks are kept (a footer of examples or exit codes).
std::string Lines(const std::string& s) {
  std::string out;
  for (const std::string& line : Split(s, '\n')) out += (out.empty() ? "" : "\n.br\n") + Roff(line);
  return out;
}

std::string OptionSynopsis(const OptionDoc& o) {
  std::string names;
  for (const std::string& n : o.names) names += (names.empty() ? "" : ", ") + ("\\fB" + Roff(n) + "\\fR");
  if (!o.value.empty()) names += " \\fI" + Roff(o.value) + "\\fR";
  return names;
}

void ManOptions(const std::vector<OptionDoc>& options, std::ostream& out) {
  for (const OptionDoc& o : options) {
    if (o.names.size() == 2 && o.names[1] == "--help") continue;  // said once, under OPTIONS
    out << ".TP\n" << OptionSynopsis(o) << "\n" << Roff(o.help);
    if (o.repeatable && o.help.find("repeatable") == std::string::npos) out << " (repeatable)";
    out << "\n";
  }
}

void ManCommand(const CommandDoc& c, std::ostream& out) {
  std::string usage = c.path;
  for (const OptionDoc& p : c.positionals) usage += p.required ? " " + p.value : " [" + p.value + "]";
  if (!c.subcommands.empty()) usage += " COMMAND";
  out << ".SS \"" << Roff(usage) << "\"\n" << Roff(c.help) << "\n";
  for (const OptionDoc& p : c.positionals) out << ".TP\n\\fI" << Roff(p.value) << "\\fR\n" << Roff(p.help) << "\n";
  ManOptions(c.options, out);
  if (!c.footer.empty()) out << ".PP\n" << Lines(c.footer) << "\n";
}

const char* kManEnvironment = R"(.SH ENVIRONMENT
.TP
.B ASSAY_DB
The workspace file when \fB\-\-db\fR is not given (default: ./assay.db).
.TP
.B ASSAY_MODELS
Directories of model packs, separated by colons, searched after \fB\-\-models\fR
and before the bundled packs.
.TP
.B ASSAY_ACTOR
Who is writing, recorded in every event of the log (else \fBUSER\fR, else \fBLOGNAME\fR).
.TP
.B ASSAY_FONT_DIR
A directory holding DejaVuSans.ttf and DejaVuSans\-Bold.ttf for PDF reports
(default: /usr/share/fonts/truetype/dejavu).
.TP
.B ASSAY_IMPORT_MAX_MB
Raises the 64 MiB size limit of an import file (1 to 1048576).
.TP
.B NO_COLOR
When set and not empty, tables are printed without colour.
.SH FILES
.TP
.I PREFIX/share/assay/models
The bundled model packs, the ISO/IEC 20000\-1 catalogue and the examples, found
next to the executable (\fIPREFIX/bin/assay\fR).
.TP
.I PREFIX/share/assay/schemas
The JSON Schema of every file format assay reads or writes.
.TP
.I ./assay.db
The default workspace (an SQLite database).
)";

void WriteMan(const CLI::App& root, std::ostream& out) {
  const std::vector<CommandDoc> docs = CommandTable(root);
  const CommandDoc& top = docs.front();
  out << ".\\\" assay(1), written by `assay man` from the command table; do not edit.\n"
      << ".TH ASSAY 1 \"\" \"assay " << ASSAY_VERSION << "\" \"User Commands\"\n"
      << ".SH NAME\nassay \\- certification audits and process capability assessments\n"
      << ".SH SYNOPSIS\n.B assay\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]\n"
      << ".SH DESCRIPTION\n" << Roff(top.help) << "\n.PP\n"
      << "Data goes to standard output, messages to standard error. Every command takes\n"
      << "\\fB\\-h\\fR, \\fB\\-\\-help\\fR.\n"
      << ".SH OPTIONS\n";
  ManOptions(top.options, out);
  out << ".SH COMMANDS\n";
  for (size_t i = 1; i < docs.size(); ++i) ManCommand(docs[i], out);
  out << kManEnvironment << ".SH EXIT STATUS\n" << Lines(top.footer) << "\n"
      << ".SH EXAMPLES\n.nf\nassay demo \\-\\-out demo\\-out\nassay \\-\\-db nw.db import nw.json\n"
      << "assay \\-\\-db nw.db profile\n.fi\n"
      << ".SH SEE ALSO\n\\fBsqlite3\\fR(1)\n";
}

// --- the completion scripts -------------------------------------------------

// `s` in single quotes for bash and zsh.
std::string Quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The tables both shells' functions walk, as associative-array entries keyed
// by the command path ("assay audit client"): subcommands, options, options
// that take a value, and per "PATH --option" the choices or a directory.
struct CompletionTables {
  std::vector<std::pair<std::string, std::string>> subs, opts, vals, choices, dirs, help, args;
};

CompletionTables Tables(const std::vector<CommandDoc>& docs) {
  CompletionTables t;
  for (const CommandDoc& c : docs) {
    if (!c.subcommands.empty()) t.subs.emplace_back(c.path, Join(c.subcommands, " "));
    for (size_t i = 0; i < c.subcommands.size(); ++i)
      t.help.emplace_back(c.path + " " + c.subcommands[i], c.subcommand_help[i]);
    std::vector<std::string> opts, vals;
    for (const OptionDoc& o : c.options) {
      for (const std::string& n : o.names) {
        opts.push_back(n);
        t.help.emplace_back(c.path + " " + n, o.help);
        if (o.value.empty()) continue;
        vals.push_back(n);
        if (!o.choices.empty()) t.choices.emplace_back(c.path + " " + n, Join(o.choices, " "));
        if (o.directory) t.dirs.emplace_back(c.path + " " + n, "1");
      }
    }
    t.opts.emplace_back(c.path, Join(opts, " "));
    for (const OptionDoc& p : c.positionals)
      if (!p.choices.empty()) {
        t.args.emplace_back(c.path, Join(p.choices, " "));  // the choices of an argument
        break;
      }
    if (!vals.empty()) t.vals.emplace_back(c.path, Join(vals, " "));
  }
  return t;
}

void WriteArray(const char* name, const std::vector<std::pair<std::string, std::string>>& entries, bool bash,
                std::ostream& out) {
  out << (bash ? "declare -gA " : "typeset -gA ") << name << "=(\n";
  for (const auto& [key, value] : entries)
    out << (bash ? "  [" + Quoted(key) + "]=" + Quoted(value) : "  " + Quoted(key) + " " + Quoted(value)) << "\n";
  out << ")\n";
}

void WriteTables(const CLI::App& root, bool bash, std::ostream& out) {
  const CompletionTables t = Tables(CommandTable(root));
  WriteArray("_assay_subs", t.subs, bash, out);
  WriteArray("_assay_opts", t.opts, bash, out);
  WriteArray("_assay_vals", t.vals, bash, out);
  WriteArray("_assay_choices", t.choices, bash, out);
  WriteArray("_assay_dirs", t.dirs, bash, out);
  WriteArray("_assay_args", t.args, bash, out);
  if (!bash) WriteArray("_assay_help", t.help, bash, out);
}

// Both functions find the command path in the words before the cursor,
// skipping options and the values of those that take one.
const char* kBashFunction = R"(
_assay() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local cmdpath=assay word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [[ $word == -* ]]; then
      [[ $word != *=* && " ${_assay_vals[$cmdpath]} ${_assay_vals[assay]} " == *" $word "* ]] && ((i++))
      continue
    fi
    [[ " ${_assay_subs[$cmdpath]} " == *" $word "* ]] && cmdpath="$cmdpath $word"
  done
  if [[ $prev == -* && " ${_assay_vals[$cmdpath]} ${_assay_vals[assay]} " == *" $prev "* ]]; then
    local key="$cmdpath $prev"
    [[ -n ${_assay_choices[$key]} || -n ${_assay_dirs[$key]} ]] || key="assay $prev"
    if [[ -n ${_assay_choices[$key]} ]]; then
      COMPREPLY=($(compgen -W "${_assay_choices[$key]}" -- "$cur"))
    elif [[ -n ${_assay_dirs[$key]} ]]; then
      compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur"))
    else
      compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))
    fi
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "${_assay_opts[$cmdpath]}" -- "$cur"))
  elif [[ -n ${_assay_subs[$cmdpath]} ]]; then
    COMPREPLY=($(compgen -W "${_assay_subs[$cmdpath]}" -- "$cur"))
  elif [[ -n ${_assay_args[$cmdpath]} ]]; then
    COMPREPLY=($(compgen -W "${_assay_args[$cmdpath]}" -- "$cur"))
  else
    compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F _assay assay
)";

const char* kZshFunction = R"(
_assay() {
  local cmdpath=assay word i key x
  for ((i = 2; i < CURRENT; i++)); do
    word=${words[i]}
    if [[ $word == -* ]]; then
      [[ $word != *=* && " ${_assay_vals[$cmdpath]} ${_assay_vals[assay]} " == *" $word "* ]] && ((i++))
      continue
    fi
    [[ " ${_assay_subs[$cmdpath]} " == *" $word "* ]] && cmdpath="$cmdpath $word"
  done
  local prev=${words[CURRENT-1]} cur=${words[CURRENT]}
  local -a described
  if [[ $prev == -* && " ${_assay_vals[$cmdpath]} ${_assay_vals[assay]} " == *" $prev "* ]]; then
    key="$cmdpath $prev"
    [[ -n ${_assay_choices[$key]} || -n ${_assay_dirs[$key]} ]] || key="assay $prev"
    if [[ -n ${_assay_choices[$key]} ]]; then
      compadd -- ${=_assay_choices[$key]}
    elif [[ -n ${_assay_dirs[$key]} ]]; then
      _directories
    else
      _files
    fi
  elif [[ $cur == -* ]]; then
    for x in ${=_assay_opts[$cmdpath]}; do key="$cmdpath $x"; described+=("$x:${_assay_help[$key]//:/\\:}"); done
    _describe -t options option described
  elif [[ -n ${_assay_subs[$cmdpath]} ]]; then
    for x in ${=_assay_subs[$cmdpath]}; do key="$cmdpath $x"; described+=("$x:${_assay_help[$key]//:/\\:}"); done
    _describe -t commands command described
  elif [[ -n ${_assay_args[$cmdpath]} ]]; then
    compadd -- ${=_assay_args[$cmdpath]}
  else
    _files
  fi
}
if [[ ${funcstack[1]} == _assay ]]; then
  _assay "$@"
else
  compdef _assay assay
fi
)";

void WriteCompletion(const CLI::App& root, const std::string& shell, std::ostream& out) {
  const bool bash = shell == "bash";
  if (!bash) out << "#compdef assay\n";
  out << "# " << shell << " completion for assay " << ASSAY_VERSION
      << ", written by `assay completion " << shell << "` from its command table.\n";
  if (bash)
    out << "# Install as /usr/share/bash-completion/completions/assay, or: source <(assay completion bash)\n";
  else
    out << "# Install as _assay in a directory of $fpath, or after compinit: source <(assay completion zsh)\n";
  WriteTables(root, bash, out);
  out << (bash ? kBashFunction : kZshFunction);
}

const CLI::App& Root(const CLI::App* app) {
  while (app->get_parent() != nullptr) app = app->get_parent();
  return *app;
}

}  // namespace

void AddCompletionCommand(CLI::App* completion, const GlobalOptions& global, int* exit_code) {
  (void)global;
  auto shell = std::make_shared<std::string>();
  completion->add_option("SHELL", *shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  completion->footer(
      "bash: source <(assay completion bash), or install as /usr/share/bash-completion/completions/assay\n"
      "zsh: after compinit, source <(assay completion zsh), or install as _assay in a directory of $fpath");
  completion->callback([completion, exit_code, shell] {
    WriteCompletion(Root(completion), *shell, std::cout);
    *exit_code = kExitOk;
  });
}

void AddManCommand(CLI::App* man, const GlobalOptions& global, int* exit_code) {
  (void)global;
  man->group("");  // hidden: the build writes assay.1 with it
  man->callback([man, exit_code] {
    WriteMan(Root(man), std::cout);
    *exit_code = kExitOk;
  });
}

}  // namespace assay::cli
