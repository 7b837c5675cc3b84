# The include graph of a source tree: cycles among headers, cycles among
# modules and forbidden includes.  include_graph.sh explains the rules and
# runs this with c_source.awk.
#
# Input: the rule table (from-glob, to-glob, reason), a line "%%", then the
# files to read, one path a line relative to the variable root.
# Variables: root (the tree), stats (1 to print the graph's size),
# list_modules (1 to print every module with its files).
# Exit status: 0 clean, 1 a cycle, a forbidden include or two headers of one
# name, 2 a file that could not be read.

BEGIN { section = "rules" }

section == "rules" && $0 == "%%" { section = "files"; next }
section == "rules" && NF >= 2 && $1 !~ /^#/ { add_rule($0); next }
section == "files" && $0 != "" { add_file($0) }

END {
  if (!n_files)
    fatal("no .c or .h files under " root)
  read_files()
  attach_sources_to_headers()
  build_edges()
  failures = report_duplicates()
  n_header_cycles = report_cycles("header", header_adj, header_ev)
  n_module_cycles = report_cycles("module", module_adj, module_ev)
  n_forbidden = report_forbidden()
  if (stats)
    print_stats()
  if (list_modules)
    print_modules()
  failures += n_header_cycles + n_module_cycles + n_forbidden
  if (failures) {
    printf "include_graph: FAILED: header cycles %d, module cycles %d, forbidden includes %d, duplicate header names %d\n",
      n_header_cycles, n_module_cycles, n_forbidden, n_duplicates
    exit 1
  }
  printf "include_graph: ok: %d files, no cycles, no forbidden includes\n", n_files
  exit 0
}

function fatal(why) {
  print "include_graph: " why > "/dev/stderr"
  exit 2
}

# A glob of the rule table as an anchored regular expression: "*" matches
# any characters, "/" included.
function glob_to_regex(glob,    re, c, i) {
  re = "^"
  for (i = 1; i <= length(glob); i++) {
    c = substr(glob, i, 1)
    if (c == "*")
      re = re ".*"
    else if (index("\\^$.[]|()+?{}", c))
      re = re "\\" c
    else
      re = re c
  }
  return re "$"
}

function add_rule(line,    f) {
  split(line, f, " ")
  n_rules++
  rule_from[n_rules] = f[1]
  rule_to[n_rules] = f[2]
  rule_from_re[n_rules] = glob_to_regex(f[1])
  rule_to_re[n_rules] = glob_to_regex(f[2])
  sub(/^[ \t]*[^ \t]+[ \t]+[^ \t]+[ \t]*/, "", line)
  rule_why[n_rules] = line
}

function basename(path) {
  sub(/.*\//, "", path)
  return path
}

function dirname(path) {
  if (!index(path, "/"))
    return "."
  sub(/\/[^\/]*$/, "", path)
  return path
}

# Files are known by their path; a header also by its name, which must be
# unique because includes are resolved by name ("lobby_paths.h.in" is the
# template of the generated lobby_paths.h).
function add_file(path,    name, i) {
  i = ++n_files
  file[i] = path
  name = basename(path)
  sub(/\.h\.in$/, ".h", name)
  file_name[i] = name
  file_top[i] = path ~ /\// ? substr(path, 1, index(path, "/") - 1) : "."
  file_is_header[i] = name ~ /\.h$/
  if (!file_is_header[i])
    return
  n_headers++
  if (name in header_by_name) {
    duplicates[name] = duplicates[name] ", " path
    return
  }
  header_by_name[name] = i
  duplicates[name] = path
}

function read_files(    i) {
  for (i = 1; i <= n_files; i++)
    read_file(i)
}

function read_file(i,    path, raw, code, rc, continued) {
  path = root "/" file[i]
  c_in_comment = 0
  pending_definition = ""
  in_extern = 0
  continued = 0
  current_line = 0
  while ((rc = (getline raw < path)) > 0) {
    current_line++
    if (!c_in_comment && raw ~ /^[ \t]*#[ \t]*include/)
      add_include(i, raw)
    code = c_code(raw)
    if (continued || code ~ /^[ \t]*#/) {
      continued = code ~ /\\[ \t]*$/
      continue
    }
    if (file_is_header[i])
      note_declarations(i, code)
    else
      note_definitions(i, code)
  }
  if (rc < 0)
    fatal("cannot read " path)
  close(path)
}

# A quoted include names a header of the tree by its name (the build's
# include directories find it wherever it is); any other include is
# outside the tree and only matters to the rule table.
function add_include(i, raw,    k, name) {
  if (!match(raw, /[<"][^>"]*[>"]/))
    return
  k = ++n_includes
  name = substr(raw, RSTART + 1, RLENGTH - 2)
  include_from[k] = i
  include_line[k] = current_line
  include_written[k] = substr(raw, RSTART, RLENGTH)
  include_name[k] = name
  include_to[k] = 0
  if (substr(raw, RSTART, 1) == "\"" && (basename(name) in header_by_name))
    include_to[k] = header_by_name[basename(name)]
}

# Names a header declares: functions, and objects of extern declarations
# (every identifier of the statement is kept; the type's words never match
# a definition).
function note_declarations(i, code,    fn, rest) {
  if (in_extern || code ~ /^extern[ \t]/) {
    rest = code
    while (match(rest, /[A-Za-z_][A-Za-z0-9_]*/)) {
      declare(substr(rest, RSTART, RLENGTH), i)
      rest = substr(rest, RSTART + RLENGTH)
    }
    in_extern = !index(code, ";")
    return
  }
  fn = c_function_head(code)
  if (fn != "" && !c_head_is_static(code))
    declare(fn, i)
}

function declare(name, i) {
  if (!((name, i) in declared)) {
    declared[name, i] = 1
    declared_in[name] = declared_in[name] " " i
  }
}

# Names a source file defines outside "static": functions whose head is
# followed by a body, and objects at file scope.
function note_definitions(i, code,    fn, head) {
  fn = c_function_head(code)
  if (fn != "" && !c_head_is_static(code)) {
    pending_definition = fn
    code = substr(code, index(code, "("))
  }
  if (pending_definition != "") {
    if (index(code, "{") && (!index(code, ";") || index(code, "{") < index(code, ";"))) {
      define(pending_definition, i)
      pending_definition = ""
    } else if (index(code, ";")) {
      pending_definition = ""
    }
    return
  }
  if (fn != "" || code !~ /^[A-Za-z_]/ || code ~ /^(static|typedef|extern)[ \t]/)
    return
  if (!match(code, /^[^(=;{]*[=;]/))
    return
  head = substr(code, 1, RLENGTH - 1)
  sub(/[ \t]*(\[[^\]]*\])?[ \t]*$/, "", head)
  if (match(head, /[A-Za-z_][A-Za-z0-9_]*$/))
    define(substr(head, RSTART, RLENGTH), i)
}

function define(name, i) {
  defined[i] = defined[i] " " name
}

# A module is a header with the source files that implement it: the .c of
# the same name in the same folder, and any .c of the same program folder
# (first folder under the tree) that defines something the header declares.
# Headers that share a source are one module (store.h and
# store_sqlite_internal.h), and so are x.h and x_internal.h.
function attach_sources_to_headers(    i, h, stem, n, names, j, m, hs, x, first) {
  for (h = 1; h <= n_files; h++)
    module_root[h] = h
  for (i = 1; i <= n_files; i++) {
    if (file_is_header[i])
      continue
    stem = file_name[i]
    sub(/\.c$/, ".h", stem)
    if ((stem in header_by_name) && dirname(file[header_by_name[stem]]) == dirname(file[i]))
      implements[i, header_by_name[stem]] = 1
    n = split(defined[i], names, " ")
    for (j = 1; j <= n; j++) {
      m = split(declared_in[names[j]], hs, " ")
      for (x = 1; x <= m; x++)
        if (file_top[hs[x]] == file_top[i])
          implements[i, hs[x]] = 1
    }
    first = 0
    for (h = 1; h <= n_files; h++)
      if ((i, h) in implements) {
        if (first)
          join_modules(first, h)
        else
          first = h
      }
  }
  for (h = 1; h <= n_files; h++) {
    stem = file_name[h]
    if (sub(/_internal\.h$/, ".h", stem) && (stem in header_by_name))
      join_modules(header_by_name[stem], h)
  }
  for (h = 1; h <= n_files; h++)
    if (file_is_header[h]) {
      m = module_of(h)
      stem = file_name[h]
      sub(/\.h$/, "", stem)
      module_label[m] = module_label[m] (m == h ? "" : "+") stem
      module_files[m] = module_files[m] (m == h ? "" : ", ") file[h]
    }
  for (i = 1; i <= n_files; i++)
    for (h = 1; h <= n_files; h++)
      if ((i, h) in implements) {
        m = module_of(h)
        if (!index(module_sources[i] " ", " " m " ")) {
          module_sources[i] = module_sources[i] " " m
          module_files[m] = module_files[m] ", " file[i]
        }
      }
}

# Union-find over headers; a module is known by its first header in file
# order.
function module_of(h) {
  while (module_root[h] != h)
    h = module_root[h]
  return h
}

function join_modules(a, b) {
  a = module_of(a)
  b = module_of(b)
  if (a < b)
    module_root[b] = a
  else if (b < a)
    module_root[a] = b
}

# Header edges: a header includes a header.  Module edges: a module's
# header or one of its sources includes another module's header.  Each edge
# keeps its first include as the evidence, and how many there are.
function build_edges(    k, from, to, n, mods, j) {
  for (k = 1; k <= n_includes; k++) {
    to = include_to[k]
    if (!to)
      continue
    n_header_includes++
    from = include_from[k]
    if (file_is_header[from]) {
      add_edge(header_ev, header_count, from, to, k)
      n = split(module_of(from), mods, " ")
    } else {
      n = split(module_sources[from], mods, " ")
    }
    for (j = 1; j <= n; j++)
      if (mods[j] != module_of(to))
        add_edge(module_ev, module_count, mods[j], module_of(to), k)
  }
  adjacency(header_ev, header_adj)
  adjacency(module_ev, module_adj)
}

function add_edge(ev, count, from, to, k) {
  if (!((from, to) in ev))
    ev[from, to] = k
  count[from, to]++
}

# Each node's successors in file order, so that the output is stable.
function adjacency(ev, adj,    i, j) {
  for (i = 1; i <= n_files; i++)
    for (j = 1; j <= n_files; j++)
      if ((i, j) in ev)
        adj[i] = adj[i] " " j
}

function report_duplicates(    name, n, i) {
  for (name in duplicates)
    if (index(duplicates[name], ", ")) {
      dup_list[++n] = "include_graph: two headers named " name ": " duplicates[name]
    }
  n_duplicates = n
  sort_lines(dup_list, n)
  for (i = 1; i <= n; i++)
    print dup_list[i]
  return n
}

function sort_lines(a, n,    i, j, t) {
  for (i = 2; i <= n; i++) {
    t = a[i]
    for (j = i - 1; j >= 1 && a[j] > t; j--)
      a[j + 1] = a[j]
    a[j + 1] = t
  }
}

# Cycles are listed as the shortest cycle through each node that is on one,
# each cycle once: every node of a strongly connected tangle appears, and
# the list stays short however tangled the graph is.
function report_cycles(kind, adj, ev,    v, cycle, key, n, seen_cycle, nodes, j, in_cycle, m) {
  n = 0
  for (v = 1; v <= n_files; v++) {
    if (!(v in adj))
      continue
    cycle = shortest_cycle(v, adj)
    if (cycle == "")
      continue
    key = canonical_cycle(cycle)
    if (key in seen_cycle)
      continue
    seen_cycle[key] = 1
    n++
    print_cycle(kind, key, ev)
    m = split(key, nodes, " ")
    for (j = 1; j < m; j++)
      in_cycle[nodes[j]] = 1
  }
  if (kind == "module")
    for (v = 1; v <= n_files; v++)
      if (v in in_cycle)
        printf "  module %s: %s\n", node_name(kind, v), module_files[v]
  return n
}

# Breadth-first from v's successors back to v; returns "v ... v" or "".
function shortest_cycle(v, adj,    queue, head, tail, parent, u, n, next_nodes, j, w, path) {
  head = 1
  tail = 0
  queue[++tail] = v
  while (head <= tail) {
    u = queue[head++]
    n = split(adj[u], next_nodes, " ")
    for (j = 1; j <= n; j++) {
      w = next_nodes[j]
      if (w == v) {
        path = v
        while (u != v) {
          path = u " " path
          u = parent[u]
        }
        return v " " path
      }
      if (!(w in parent)) {
        parent[w] = u
        queue[++tail] = w
      }
    }
  }
  return ""
}

# The cycle started at its first node in file order, so that one cycle
# found from two of its nodes is one key.
function canonical_cycle(cycle,    nodes, n, j, start, out) {
  n = split(cycle, nodes, " ") - 1
  start = 1
  for (j = 2; j <= n; j++)
    if (nodes[j] + 0 < nodes[start] + 0)
      start = j
  out = ""
  for (j = 0; j < n; j++)
    out = out nodes[(start - 1 + j) % n + 1] " "
  return out nodes[start]
}

function node_name(kind, v) {
  return kind == "module" ? module_label[v] : file_name[v]
}

function print_cycle(kind, key, ev,    nodes, n, j, line, k, more) {
  n = split(key, nodes, " ")
  line = node_name(kind, nodes[1])
  for (j = 2; j <= n; j++)
    line = line " -> " node_name(kind, nodes[j])
  print "include_graph: " kind " cycle: " line
  for (j = 1; j < n; j++) {
    k = ev[nodes[j], nodes[j + 1]]
    more = (kind == "module" ? module_count[nodes[j], nodes[j + 1]] : header_count[nodes[j], nodes[j + 1]]) - 1
    more = more > 0 ? " (and " more " more)" : ""
    printf "  %s -> %s: %s:%d includes %s%s\n", node_name(kind, nodes[j]), node_name(kind, nodes[j + 1]),
      file[include_from[k]], include_line[k], include_written[k], more
  }
}

# A rule's "to" glob is matched against the include as written, its name,
# and the path of the header it resolves to.
function report_forbidden(    k, r, from, to, n) {
  n = 0
  for (k = 1; k <= n_includes; k++) {
    from = file[include_from[k]]
    to = include_to[k] ? file[include_to[k]] : ""
    for (r = 1; r <= n_rules; r++) {
      if (from !~ rule_from_re[r])
        continue
      if (include_name[k] ~ rule_to_re[r] || basename(include_name[k]) ~ rule_to_re[r] || (to != "" && to ~ rule_to_re[r])) {
        printf "include_graph: forbidden include: %s:%d includes %s (%s -> %s: %s)\n",
          from, include_line[k], include_written[k], rule_from[r], rule_to[r], rule_why[r]
        n++
        break
      }
    }
  }
  return n
}

function print_stats(    i, n_modules, n_module_edges, n_header_edges, key) {
  for (i = 1; i <= n_files; i++)
    if (file_is_header[i] && module_of(i) == i)
      n_modules++
  for (key in header_ev)
    n_header_edges++
  for (key in module_ev)
    n_module_edges++
  printf "include_graph: %d files (%d .c, %d .h), %d includes of the tree's headers, %d header -> header edges, %d modules, %d module -> module edges\n",
    n_files, n_files - n_headers, n_headers, n_header_includes, n_header_edges, n_modules, n_module_edges
}

function print_modules(    h) {
  for (h = 1; h <= n_files; h++)
    if (file_is_header[h] && module_of(h) == h)
      printf "include_graph: module %s: %s\n", module_label[h], module_files[h]
}
