# next_line: takes the first line off `lines_left`, a list with one item a
# line (the values shared_dirs, shared_files and prune_releases), into `line`.
# The list is taken apart by the shell: no item is split on blanks or globbed,
# and no process is started.
newline='
'
next_line() {
  line=${lines_left%%"$newline"*}
  lines_left=${lines_left#"$line"}
  lines_left=${lines_left#"$newline"}
}
