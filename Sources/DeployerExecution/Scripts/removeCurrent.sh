# Removes `current`, taking the host back to having no release (a rollback
# past the first release a host had), and reports `unswitched FROM`.
previous_target=$(readlink "$deploy_to/current" 2>/dev/null) || previous_target=''
rm -f "$deploy_to/current" || fail switch 1
report unswitched "${previous_target##*/}"
