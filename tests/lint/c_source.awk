# Helpers for reading Lobby's C sources line by line in POSIX awk (mawk
# on a minimal Debian), shared by include_graph.awk and code_stats.awk.
# They rely on the house style: a function's head starts in column 0 with
# its name right before the "(", and its body ends at a "}" in column 0.

# Returns the line without comments and with string and character
# literals emptied, so that a "(" or "{" inside them is not taken for
# code.  The global c_in_comment carries an open /* comment to the next
# line; set it to 0 before each file.
function c_code(line,    out, tok) {
  out = ""
  while (line != "") {
    if (c_in_comment) {
      if (!index(line, "*/"))
        return out
      line = substr(line, index(line, "*/") + 2)
      c_in_comment = 0
      out = out " "
      continue
    }
    if (!match(line, /"([^"\\]|\\.)*"|'([^'\\]|\\.)*'|\/\*|\/\//))
      return out line
    out = out substr(line, 1, RSTART - 1)
    tok = substr(line, RSTART, RLENGTH)
    line = substr(line, RSTART + RLENGTH)
    if (tok == "//")
      return out
    if (tok == "/*") {
      c_in_comment = 1
      continue
    }
    out = out substr(tok, 1, 1) substr(tok, 1, 1)
  }
  return out
}

# Returns the name of the function whose head starts on this code line
# (column 0, the name right before the first "("), or "" when the line is
# no function head: indented code, preprocessor lines, typedefs, function
# pointers and initialisers.
function c_function_head(code,    before) {
  if (code !~ /^[A-Za-z_]/ || code ~ /^typedef[ \t]/ || !index(code, "("))
    return ""
  before = substr(code, 1, index(code, "(") - 1)
  if (index(before, "="))
    return ""
  if (!match(before, /[A-Za-z_][A-Za-z0-9_]*$/))
    return ""
  before = substr(before, RSTART)
  if (before ~ /^(if|for|while|switch|return|sizeof|__attribute__)$/)
    return ""
  return before
}

# True when a function head's line declares the function static.
function c_head_is_static(code) {
  return code ~ /^(static|inline[ \t]+static)[ \t]/
}
