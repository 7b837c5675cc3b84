# Figures about a source tree for notes and reviews: files per folder and
# the longest functions.  code_stats.sh runs this with c_source.awk.
#
# Input: the tree's files, one path a line relative to the variable root.
# Variables: root (the tree), top (how many functions to list).
# Exit status: 0, or 2 when a file could not be read.

$0 != "" { count_file($0) }

END {
  print_folders()
  print_longest_functions()
}

function count_file(path,    folder, kind) {
  folder = path
  if (!sub(/\/[^\/]*$/, "", folder))
    folder = "."
  kind = path ~ /\.c$/ ? "c" : path ~ /\.h(\.in)?$/ ? "h" : "other"
  if (!(folder in folder_files))
    folders[++n_folders] = folder
  folder_files[folder]++
  folder_kind[folder, kind]++
  if (kind != "other")
    folder_lines[folder] += read_source(path)
}

# Reads a .c or .h file, notes the extent of each function and returns its
# line count.  A function runs from its head (c_function_head) to the first
# "}" in column 0 after its opening brace; a head followed by ";" first is a
# declaration.
function read_source(path,    full, raw, code, rc, line_no, name, start, in_body) {
  full = root "/" path
  c_in_comment = 0
  name = ""
  in_body = 0
  line_no = 0
  while ((rc = (getline raw < full)) > 0) {
    line_no++
    code = c_code(raw)
    if (in_body) {
      if (raw ~ /^[}]/) {
        note_function(name, path, start, line_no - start + 1)
        in_body = 0
        name = ""
      }
      continue
    }
    if (name == "" && c_function_head(code) != "") {
      name = c_function_head(code)
      start = line_no
      code = substr(code, index(code, "("))
    }
    if (name != "") {
      if (index(code, "{") && (!index(code, ";") || index(code, "{") < index(code, ";"))) {
        in_body = 1
        if (braces_close(substr(code, index(code, "{")))) {
          note_function(name, path, start, line_no - start + 1)
          in_body = 0
          name = ""
        }
      } else if (index(code, ";")) {
        name = ""
      }
    }
  }
  if (rc < 0) {
    print "code_stats: cannot read " full > "/dev/stderr"
    exit 2
  }
  close(full)
  return line_no
}

# True when the braces opened on this piece of code are all closed on it (a
# function written on one line).
function braces_close(code,    opened) {
  opened = gsub(/[{]/, "{", code)
  return opened > 0 && gsub(/[}]/, "}", code) >= opened
}

function note_function(name, path, start, lines) {
  n_functions++
  function_lines[n_functions] = lines
  function_text[n_functions] = sprintf("%6d  %s  %s:%d", lines, name, path, start)
}

function print_folders(    i, j, t, f, all_c, all_h, all_other, all_lines) {
  for (i = 2; i <= n_folders; i++) {
    t = folders[i]
    for (j = i - 1; j >= 1 && folders[j] > t; j--)
      folders[j + 1] = folders[j]
    folders[j + 1] = t
  }
  print "code_stats: files per folder (.c, .h, other, all, lines of .c and .h)"
  for (i = 1; i <= n_folders; i++) {
    f = folders[i]
    printf "  %-16s %5d %5d %5d %5d %7d\n", f, folder_kind[f, "c"], folder_kind[f, "h"],
      folder_kind[f, "other"], folder_files[f], folder_lines[f]
    all_c += folder_kind[f, "c"]
    all_h += folder_kind[f, "h"]
    all_other += folder_kind[f, "other"]
    all_lines += folder_lines[f]
  }
  printf "  %-16s %5d %5d %5d %5d %7d\n", "all", all_c, all_h, all_other, all_c + all_h + all_other, all_lines
}

# Longest first; a tie keeps file order.
function print_longest_functions(    i, j, n, best, used) {
  printf "code_stats: the %d longest functions (lines from the head to the closing brace) of %d\n", top, n_functions
  for (n = 1; n <= top && n <= n_functions; n++) {
    best = 0
    for (i = 1; i <= n_functions; i++)
      if (!(i in used) && (!best || function_lines[i] > function_lines[best]))
        best = i
    used[best] = 1
    print function_text[best]
  }
}
